import type {DedicatedVlanRange, PhysicalNetwork, SimModel} from '../state/model.js'

import {
  dedicate,
  dedicationOwner,
  dedicationOwnerFor,
  inPairs,
  mergePairs,
  updateVnets,
  vnetString,
} from '../behaviour/vnet-ranges.js'
import {
  accountParam,
  domainIdParam,
  idParam,
  nameParam,
  PAGING_PARAMS,
  physicalNetworkIdParam,
  projectIdParam,
  stateParam,
  zoneIdParam,
} from '../catalog/params.js'
import {type ApiBody, defineApi, type RegisteredApi, SimApiError} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'
import {formatApiDate} from '../state/format.js'
import {deterministicUuid} from '../state/ids.js'

/** Ordering of a VARCHAR column (digits and ASCII compare by code unit). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/*
 * Physical networks and guest VLANs: the API commands and their response objects. The range rules
 * (replacing VNET ranges, dedicating and releasing them) live in behaviour/vnet-ranges.ts.
 */

// ----- serializers --------------------------------------------------------------------------

function serializePhysicalNetwork(model: SimModel, pn: PhysicalNetwork): Record<string, unknown> {
  const zone = model.zones.get(pn.zoneId)
  return {
    id: pn.id,
    name: pn.name,
    broadcastdomainrange: pn.broadcastDomainRange,
    zoneid: pn.zoneId,
    zonename: zone?.name,
    state: pn.state,
    vlan: vnetString(pn.vlanRanges),
    domainid: pn.domainId,
    isolationmethods: pn.isolationMethods.length > 0 ? pn.isolationMethods.join(',') : undefined,
    tags: pn.tags.length > 0 ? pn.tags.join(',') : undefined,
    networkspeed: pn.networkSpeed,
  }
}

/** Owner fields as populateAccount/populateDomain set them (projects instead of an account name). */
function ownerFields(
  model: SimModel,
  owner: {accountId?: string; projectId?: string},
): Record<string, unknown> {
  const project = owner.projectId ? model.projects.get(owner.projectId) : undefined
  if (project) {
    const domain = model.domains.get(project.domainId)
    return {
      projectid: project.id,
      project: project.name,
      domainid: domain?.id,
      domain: domain?.name,
      domainpath: domain?.path,
    }
  }

  const account = owner.accountId ? model.accounts.get(owner.accountId) : undefined
  if (!account) return {}
  const domain = model.domains.get(account.domainId)
  return {account: account.name, domainid: domain?.id, domain: domain?.name, domainpath: domain?.path}
}

function serializeDedicated(model: SimModel, range: DedicatedVlanRange): Record<string, unknown> {
  const pn = model.physicalNetworks.get(range.physicalNetworkId)
  const zone = pn ? model.zones.get(pn.zoneId) : undefined
  return {
    id: range.id,
    ...ownerFields(model, range),
    guestvlanrange: `${range.start}-${range.end}`,
    // The real response carries the internal numeric ids here (GuestVlanRangeResponse longs).
    physicalnetworkid: pn?.internalId,
    zoneid: zone?.internalId,
  }
}

function trafficTypeId(model: SimModel, pn: PhysicalNetwork, type: string): string {
  return deterministicUuid(model.state.seed, `traffictype:${pn.id}:${type}`)
}

// ----- the API commands -----------------------------------------------------------------------

const PHYSICAL_NETWORK_RESPONSE = [
  {name: 'broadcastdomainrange', type: 'string'},
  {name: 'domainid', type: 'string'},
  {name: 'id', type: 'string'},
  {name: 'isolationmethods', type: 'string'},
  {name: 'name', type: 'string'},
  {name: 'networkspeed', type: 'string'},
  {name: 'state', type: 'string'},
  {name: 'tags', type: 'string'},
  {name: 'vlan', type: 'string'},
  {name: 'zoneid', type: 'string'},
  {name: 'zonename', type: 'string'},
]

const DEDICATED_RANGE_RESPONSE = [
  {name: 'account', type: 'string'},
  {name: 'domain', type: 'string'},
  {name: 'domainid', type: 'string'},
  {name: 'guestvlanrange', type: 'string'},
  {name: 'id', type: 'string'},
  {name: 'physicalnetworkid', type: 'long'},
  {name: 'project', type: 'string'},
  {name: 'projectid', type: 'string'},
  {name: 'zoneid', type: 'long'},
]

function like(value: string, pattern: string): boolean {
  return value.toLowerCase().includes(pattern.toLowerCase())
}

export const networkApis: RegisteredApi[] = [
  defineApi({
    description: 'Lists physical networks',
    handler({model, paging, params}) {
      const networks = model.state.physicalNetworks
        .filter((pn) => params.id === undefined || pn.id === params.id)
        .filter((pn) => params.zoneid === undefined || pn.zoneId === params.zoneid)
        .filter((pn) => params.name === undefined || like(pn.name, params.name))
        .filter((pn) => params.keyword === undefined || like(pn.name, params.keyword))
        .sort((a, b) => a.internalId - b.internalId)
      return listBody('physicalnetwork', networks, paging, (pn) => serializePhysicalNetwork(model, pn))
    },
    isasync: false,
    name: 'listPhysicalNetworks',
    params: [
      idParam('physicalnetwork', 'list physical network by id'),
      nameParam('search by name'),
      zoneIdParam('the Zone ID for the physical network'),
      ...PAGING_PARAMS,
    ],
    response: PHYSICAL_NETWORK_RESPONSE,
    since: '3.0.0',
  }),

  defineApi({
    description: 'Updates a physical network',
    handler({jobs, model, params}) {
      const pn = model.physicalNetworks.get(params.id)!
      return jobs.submit({
        run() {
          const zone = model.zones.get(pn.zoneId)!
          if (params.vlan !== undefined && zone.networkType === 'Basic') {
            throw SimApiError.invalidParameter(
              "Can't add vnet range to the physical network in the Basic zone",
            )
          }

          if (params.tags && params.tags.length > 1) {
            throw SimApiError.invalidParameter('Unable to support more than one tag on network yet')
          }

          if (params.state && params.state !== 'Enabled' && params.state !== 'Disabled') {
            throw SimApiError.invalidParameter(
              `Unable to resolve state '${params.state}' to a supported value {Enabled or Disabled}`,
            )
          }

          const ranges = params.vlan === undefined ? undefined : updateVnets(model, pn, params.vlan)
          if (params.state) pn.state = params.state as PhysicalNetwork['state']
          if (params.tags) pn.tags = params.tags
          if (params.networkspeed !== undefined) pn.networkSpeed = params.networkspeed
          if (ranges) pn.vlanRanges = ranges
          return {physicalnetwork: serializePhysicalNetwork(model, pn)}
        },
      })
    },
    isasync: true,
    javaClass: 'org.apache.cloudstack.api.command.admin.network.UpdatePhysicalNetworkCmd',
    name: 'updatePhysicalNetwork',
    params: [
      idParam('physicalnetwork', 'physical network id', {required: true}),
      {description: 'the speed for the physical network[1G/10G]', name: 'networkspeed', type: 'string'},
      stateParam('Enabled/Disabled'),
      {collectionType: 'string', description: 'Tag the physical network', name: 'tags', type: 'list'},
      {description: 'the VLAN for the physical network', name: 'vlan', type: 'string'},
    ],
    response: PHYSICAL_NETWORK_RESPONSE,
    since: '3.0.0',
  }),

  defineApi({
    description: 'Lists traffic types of a given physical network.',
    handler({model, paging, params}) {
      const pn = model.physicalNetworks.get(params.physicalnetworkid)!
      return listBody('traffictype', pn.trafficTypes, paging, (type) => ({
        id: trafficTypeId(model, pn, type),
        traffictype: type,
        physicalnetworkid: pn.id,
      }))
    },
    isasync: false,
    name: 'listTrafficTypes',
    // keyword (BaseListCmd) is declared, but upstream's ListTrafficTypesCmd hands only the
    // physical network id to listTrafficTypes, so it changes nothing (apache/cloudstack
    // api/src/main/java/org/apache/cloudstack/api/command/admin/usage/ListTrafficTypesCmd.java).
    params: [physicalNetworkIdParam('the Physical Network ID', {required: true}), ...PAGING_PARAMS],
    response: [
      {name: 'id', type: 'string'},
      {name: 'traffictype', type: 'string'},
      {name: 'physicalnetworkid', type: 'string'},
    ],
    since: '3.0.0',
  }),

  // NetworkServiceImpl.listGuestVlans (apache/cloudstack server/src/main/java/com/cloud/network/
  // NetworkServiceImpl.java): vnet is an exact match, keyword a substring of the vnet (LIKE),
  // the rows ordered by vnet.
  defineApi({
    description: 'Lists all guest vlans',
    handler({model, paging, params}) {
      const rows: Array<Record<string, unknown>> = []
      const networks = model.state.physicalNetworks
        .filter((pn) => params.zoneid === undefined || pn.zoneId === params.zoneid)
        .filter((pn) => params.physicalnetworkid === undefined || pn.id === params.physicalnetworkid)
        .sort((a, b) => a.internalId - b.internalId)
      for (const pn of networks) {
        const zone = model.zones.get(pn.zoneId)
        const dedicated = model.state.dedicatedVlanRanges.filter((d) => d.physicalNetworkId === pn.id)
        const taken = new Map(pn.vnetsAllocated.map((a) => [a.vnet, a]))
        const vnets = params.allocatedonly
          ? [...taken.keys()].filter((v) => inPairs(pn.vlanRanges, v)).sort((a, b) => a - b)
          : mergePairs(pn.vlanRanges).flatMap(([s, e]) => Array.from({length: e - s + 1}, (_, i) => s + i))
        for (const vnet of vnets) {
          if (params.vnet !== undefined && String(vnet) !== params.vnet) continue
          if (params.keyword !== undefined && !String(vnet).includes(params.keyword)) continue
          const id = pn.internalId * 100_000_000 + vnet
          if (params.id !== undefined && id !== params.id) continue
          const allocation = taken.get(vnet)
          const dedication = dedicated.find((d) => vnet >= d.start && vnet <= d.end)
          rows.push({
            id,
            vlan: String(vnet),
            ...ownerFields(model, allocation ?? dedication ?? {}),
            zoneid: zone?.id,
            zonename: zone?.name,
            physicalnetworkid: pn.id,
            physicalnetworkname: pn.name,
            isdedicated: dedication !== undefined,
            allocationstate: allocation ? 'Allocated' : 'Free',
            taken: allocation ? formatApiDate(allocation.allocated) : undefined,
            network: [],
          })
        }
      }

      // Filter(DataCenterVnetVO.class, "vnet", true): ordered by the vnet column, a string, over
      // every physical network ("1000" before "500"); Array#sort is stable for equal vnets.
      rows.sort((a, b) => compareText(String(a.vlan), String(b.vlan)))
      return listBody('guestvlan', rows, paging, (row) => row)
    },
    isasync: false,
    name: 'listGuestVlans',
    params: [
      {description: 'list guest vlan by id', name: 'id', type: 'long'},
      zoneIdParam('list guest vlan by zone'),
      physicalNetworkIdParam('list guest vlan by physical network'),
      {description: 'list guest vlan by vnet', name: 'vnet', type: 'string'},
      {
        description: 'limits search results to allocated guest vlan. false by default.',
        name: 'allocatedonly',
        type: 'boolean',
      },
      ...PAGING_PARAMS,
    ],
    response: [
      {name: 'id', type: 'long'},
      {name: 'vlan', type: 'string'},
      {name: 'account', type: 'string'},
      {name: 'domainid', type: 'string'},
      {name: 'domain', type: 'string'},
      {name: 'domainpath', type: 'string'},
      {name: 'projectid', type: 'string'},
      {name: 'project', type: 'string'},
      {name: 'zoneid', type: 'string'},
      {name: 'zonename', type: 'string'},
      {name: 'physicalnetworkid', type: 'string'},
      {name: 'physicalnetworkname', type: 'string'},
      {name: 'isdedicated', type: 'boolean'},
      {name: 'allocationstate', type: 'string'},
      {name: 'taken', type: 'date'},
      {name: 'network', type: 'list'},
    ],
    since: '4.17.0',
  }),

  defineApi({
    description: 'Dedicates a guest vlan range to an account',
    handler({model, params}): ApiBody {
      const owner = dedicationOwnerFor(model, params)
      const pn = model.physicalNetworks.get(params.physicalnetworkid)!
      const record = dedicate(model, pn, owner, params.vlanrange)
      return {dedicatedguestvlanrange: serializeDedicated(model, record)}
    },
    isasync: false,
    javaClass: 'org.apache.cloudstack.api.command.admin.network.DedicateGuestVlanRangeCmd',
    name: 'dedicateGuestVlanRange',
    params: [
      accountParam('account who will own the VLAN'),
      domainIdParam('domain ID of the account owning a VLAN'),
      physicalNetworkIdParam('physical network ID of the vlan', {required: true}),
      projectIdParam('project who will own the VLAN'),
      {description: 'guest vlan range to be dedicated', name: 'vlanrange', required: true, type: 'string'},
    ],
    response: DEDICATED_RANGE_RESPONSE,
  }),

  defineApi({
    description: 'Lists dedicated guest vlan ranges',
    handler({model, paging, params}) {
      let accountKey: string | undefined
      if (params.account !== undefined && params.domainid !== undefined) {
        if (params.projectid !== undefined) {
          throw SimApiError.invalidParameter("Account and projectId can't be specified together")
        }

        const account = model.state.accounts.find(
          (a) => a.name === params.account && a.domainId === params.domainid,
        )
        if (!account) throw SimApiError.invalidParameter(`Unable to find account ${params.account}`)
        accountKey = `account:${account.id}`
      }

      if (params.projectid !== undefined) accountKey = `project:${params.projectid}`
      const ranges = model.state.dedicatedVlanRanges
        .filter((d) => params.id === undefined || d.id === params.id)
        .filter((d) => accountKey === undefined || dedicationOwner(d) === accountKey)
        .filter((d) => params.guestvlanrange === undefined || `${d.start}-${d.end}` === params.guestvlanrange)
        .filter(
          (d) => params.physicalnetworkid === undefined || d.physicalNetworkId === params.physicalnetworkid,
        )
        .filter(
          (d) =>
            params.zoneid === undefined ||
            model.physicalNetworks.get(d.physicalNetworkId)?.zoneId === params.zoneid,
        )
        .sort((a, b) => a.internalId - b.internalId)
      return listBody('dedicatedguestvlanrange', ranges, paging, (d) => serializeDedicated(model, d))
    },
    isasync: false,
    name: 'listDedicatedGuestVlanRanges',
    params: [
      accountParam(
        'the account with which the guest VLAN range is associated. Must be used with the domainId parameter.',
      ),
      domainIdParam(
        'the domain ID with which the guest VLAN range is associated.  If used with the account parameter, returns all guest VLAN ranges for that account in the specified domain.',
      ),
      {description: 'the dedicated guest vlan range', name: 'guestvlanrange', type: 'string'},
      idParam('dedicatedvlanrange', 'list dedicated guest vlan ranges by id'),
      physicalNetworkIdParam('physical network id of the guest VLAN range'),
      projectIdParam('project who will own the guest VLAN range'),
      zoneIdParam('zone of the guest VLAN range'),
      // keyword (BaseListCmd) is declared, but NetworkServiceImpl.listDedicatedGuestVlanRanges
      // searches only by id, owner, range, physical network and zone: it changes nothing.
      ...PAGING_PARAMS,
    ],
    response: DEDICATED_RANGE_RESPONSE,
  }),

  defineApi({
    description: 'Releases a dedicated guest vlan range to the system',
    handler({jobs, model, params}) {
      return jobs.submit({
        run() {
          const record = model.dedicatedVlanRanges.get(params.id)
          if (!record) {
            throw SimApiError.invalidParameter(
              "Dedicated guest vlan with specified id doesn't exist in the system",
            )
          }

          model.state.dedicatedVlanRanges = model.state.dedicatedVlanRanges.filter((d) => d.id !== record.id)
          model.dedicatedVlanRanges.delete(record.id)
          return {success: true}
        },
      })
    },
    isasync: true,
    javaClass: 'org.apache.cloudstack.api.command.admin.network.ReleaseDedicatedGuestVlanRangeCmd',
    name: 'releaseDedicatedGuestVlanRange',
    params: [idParam('dedicatedvlanrange', 'the ID of the dedicated guest vlan range', {required: true})],
    response: [
      {name: 'displaytext', type: 'string'},
      {name: 'success', type: 'boolean'},
    ],
  }),
]
