import type {Account, DedicatedVlanRange, PhysicalNetwork, SimModel, Zone} from '../state/model.js'

import {type ApiBody, defineApi, PAGING_PARAMS, type RegisteredApi, SimApiError} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'
import {formatApiDate} from '../state/format.js'
import {deterministicUuid} from '../state/ids.js'

/*
 * Physical networks and guest VLANs, as NetworkServiceImpl and DedicatedGuestVlanRangeServiceImpl
 * do it. updatePhysicalNetwork's `vlan` REPLACES the whole set of VNET ranges (addOrRemoveVnets):
 * VNETs not listed are removed, refused if allocated or (by the server's own endpoint test)
 * overlapping a dedicated range; the stored string is sorted and merged (generateVnetString).
 * This file keeps its own range helpers: the simulator must not share the client's arithmetic.
 */

type Pair = [number, number]

const MIN_VNET = 0
const MAX_VLAN = 4095
const MAX_GRE_KEY = 4_294_967_295
const MAX_VXLAN_VNI = 16_777_214
const INT_MAX = 2_147_483_647

// ----- Java semantics the server's parsing relies on ------------------------------------------

/** String.split(literal): trailing empty strings dropped; "" gives [""]. */
function javaSplit(text: string, separator: string): string[] {
  if (text === '') return ['']
  const parts = text.split(separator)
  while (parts.length > 0 && parts.at(-1) === '') parts.pop()
  return parts
}

/** Integer.parseInt: optional sign, decimal digits, 32-bit; undefined where Java throws. */
function javaParseInt(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined
  const n = Number(text)
  return n > INT_MAX || n < -INT_MAX - 1 ? undefined : n
}

// ----- ranges (merged, sorted [start, end] pairs) ---------------------------------------------

function mergePairs(pairs: readonly Pair[]): Pair[] {
  const sorted = pairs.map((p): Pair => [p[0], p[1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const out: Pair[] = []
  for (const [start, end] of sorted) {
    const last = out.at(-1)
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end)
    else out.push([start, end])
  }

  return out
}

function subtractPairs(from: readonly Pair[], cut: readonly Pair[]): Pair[] {
  let rest = mergePairs(from)
  for (const [cs, ce] of mergePairs(cut)) {
    rest = rest.flatMap(([s, e]): Pair[] => {
      if (ce < s || cs > e) return [[s, e]]
      const pieces: Pair[] = []
      if (cs > s) pieces.push([s, cs - 1])
      if (ce < e) pieces.push([ce + 1, e])
      return pieces
    })
  }

  return rest
}

/** generateVnetString: "500-1000,1200-1300", a single VNET as "700-700"; undefined when empty. */
function vnetString(pairs: readonly Pair[]): string | undefined {
  const merged = mergePairs(pairs)
  return merged.length > 0 ? merged.map(([s, e]) => `${s}-${e}`).join(',') : undefined
}

function inPairs(pairs: readonly Pair[], vnet: number): boolean {
  return pairs.some(([s, e]) => s <= vnet && vnet <= e)
}

// ----- entity text as the server's toString() writes it in messages ----------------------------

function physicalNetworkText(pn: PhysicalNetwork): string {
  return `PhysicalNetwork ${JSON.stringify({id: pn.internalId, uuid: pn.id, name: pn.name})}.`
}

function zoneText(zone: Zone): string {
  return `Zone ${JSON.stringify({id: zone.internalId, uuid: zone.id, name: zone.name})}`
}

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

/** The owner a dedicated range is compared with: the project, or the account. */
function dedicationOwner(range: DedicatedVlanRange): string {
  return range.projectId ? `project:${range.projectId}` : `account:${range.accountId}`
}

// ----- updatePhysicalNetwork's vnet rules -----------------------------------------------------

function boundsFor(pn: PhysicalNetwork): {max: number; vxlan: boolean} {
  if (pn.isolationMethods.includes('GRE')) return {max: MAX_GRE_KEY, vxlan: false}
  if (pn.isolationMethods.includes('VXLAN') || pn.isolationMethods.includes('Netris')) {
    return {max: MAX_VXLAN_VNI, vxlan: true}
  }

  return {max: MAX_VLAN, vxlan: false}
}

/** validateVlanRange: the ranges given, in order (an empty element ends the list, as on the server). */
function validateVlanRanges(model: SimModel, pn: PhysicalNetwork, elements: string[]): Pair[] {
  const {max, vxlan} = boundsFor(pn)
  const rangeMessage = ` between ${MIN_VNET} and ${max}`
  const tokens: Pair[] = []
  for (const element of elements) {
    const parts = javaSplit(element, '-')
    if (vxlan) checkVniUnique(model, pn, parts)
    if (parts.length === 1 && parts[0] === '') return tokens
    if (parts.length < 2) {
      throw SimApiError.invalidParameter(
        `Please provide valid vnet range. vnet range should be a comma separated list of vlan ranges. example 500-500,600-601${rangeMessage}`,
      )
    }

    const start = javaParseInt(parts[0])
    const end = javaParseInt(parts[1])
    if (start === undefined || end === undefined) {
      throw SimApiError.invalidParameter(
        `Please provide valid vnet range. The vnet range should be a comma separated list example 2001-2012,3000-3005.${rangeMessage}`,
      )
    }

    if (start < MIN_VNET || end > max)
      throw SimApiError.invalidParameter(`Vnet range has to be${rangeMessage}`)
    if (start > end) {
      throw SimApiError.invalidParameter(
        `Vnet range has to be${rangeMessage} and start range should be lesser than or equal to stop range`,
      )
    }

    tokens.push([start, end])
  }

  return tokens
}

/** VXLAN: each VNI written in the range (its ends) must not exist on another physical network of the zone. */
function checkVniUnique(model: SimModel, pn: PhysicalNetwork, parts: string[]): void {
  for (const text of parts) {
    const vni = javaParseInt(text)
    if (vni === undefined) continue
    const other = model.state.physicalNetworks.find(
      (p) => p.id !== pn.id && p.zoneId === pn.zoneId && inPairs(p.vlanRanges, vni),
    )
    if (other) {
      const zone = model.zones.get(pn.zoneId)!
      throw SimApiError.invalidParameter(
        `VNI ${text} already exists on another network in zone (${zoneText(zone)}), please specify a unique range`,
      )
    }
  }
}

/** getVnetsToremove: refuses removals of allocated VNETs or of ranges touching a dedicated one. */
function checkRemovals(model: SimModel, pn: PhysicalNetwork, wanted: Pair[]): void {
  const allocated = pn.vnetsAllocated.map((a) => a.vnet)
  if (wanted.length === 0) {
    if (allocated.length > 0 && pn.vlanRanges.length > 0) {
      throw SimApiError.invalidParameter(
        `physicalnetwork ${physicalNetworkText(pn)} has ${allocated.length} vnets in use`,
      )
    }

    return
  }

  const dedicated = model.state.dedicatedVlanRanges.filter((d) => d.physicalNetworkId === pn.id)
  for (const [start, end] of subtractPairs(pn.vlanRanges, wanted)) {
    if (allocated.some((v) => v >= start && v <= end)) {
      throw SimApiError.invalidParameter(
        `physicalnetwork ${physicalNetworkText(pn)} has allocated vnets in the range ${start}-${end}`,
      )
    }

    for (const d of dedicated) {
      // The server tests only the ends of the removed range against each dedicated range.
      if ((start >= d.start && start <= d.end) || (end >= d.start && end <= d.end)) {
        throw SimApiError.invalidParameter(
          `Vnet range ${d.start}-${d.end} is dedicated to an account. The specified range ${start}-${end} overlaps with the dedicated range  Please release the overlapping dedicated range before deleting the range`,
        )
      }
    }
  }
}

function updateVnets(model: SimModel, pn: PhysicalNetwork, vlan: string): Pair[] | undefined {
  const elements = javaSplit(vlan, ',')
  if (elements.length === 0) return undefined
  const wanted = validateVlanRanges(model, pn, elements)
  checkRemovals(model, pn, wanted)
  return mergePairs(wanted)
}

// ----- dedicateGuestVlanRange's rules ---------------------------------------------------------

interface Owner {
  account?: Account
  key: string
  projectId?: string
}

function dedicationOwnerFor(
  model: SimModel,
  params: {account?: string; domainid?: string; projectid?: string},
): Owner {
  let owner: Owner | undefined
  if (params.projectid !== undefined) {
    if (params.account !== undefined)
      throw SimApiError.invalidParameter('accountName and projectId are mutually exclusive')
    owner = {key: `project:${params.projectid}`, projectId: params.projectid}
  }

  if (params.account !== undefined && params.domainid !== undefined) {
    const account = model.state.accounts.find(
      (a) => a.name === params.account && a.domainId === params.domainid,
    )
    owner = account ? {account, key: `account:${account.id}`} : undefined
  }

  if (!owner) throw SimApiError.invalidParameter(`Unable to find account by name ${params.account ?? 'null'}`)
  return owner
}

/** The range asked for, checked as the server checks it before looking at VNETs and dedications. */
function parseDedicationRange(pn: PhysicalNetwork, vlanrange: string): Pair {
  const isolation = pn.isolationMethods
  if (isolation.length > 0 && !isolation.includes('VLAN') && !isolation.includes('VXLAN')) {
    throw SimApiError.invalidParameter(
      `Cannot dedicate guest VLAN range. Physical isolation type of Network ${physicalNetworkText(pn)} is not VLAN nor VXLAN`,
    )
  }

  const parts = javaSplit(vlanrange, '-')
  if (parts.length !== 2) {
    throw SimApiError.invalidParameter(
      `Invalid format for parameter value vlan ${vlanrange} .VLAN should be specified as 'startvlan-endvlan'`,
    )
  }

  const start = javaParseInt(parts[0])
  const end = javaParseInt(parts[1])
  if (start === undefined || end === undefined) {
    throw SimApiError.invalidParameter('Please provide valid guest vlan range')
  }

  if (pn.vlanRanges.length > 0 && !pn.vlanRanges.some(([s, e]) => start <= end && start >= s && end <= e)) {
    throw SimApiError.invalidParameter(`Unable to find guest vlan by range ${vlanrange}`)
  }

  return [start, end]
}

/** Every VNET must exist and be free or the owner's; the range must not touch a dedicated one. */
function checkDedicationVnets(
  model: SimModel,
  pn: PhysicalNetwork,
  owner: Owner,
  request: {range: Pair; text: string},
): void {
  const [start, end] = request.range
  for (let vnet = start; vnet <= end; vnet++) {
    if (!inPairs(pn.vlanRanges, vnet)) {
      throw SimApiError.invalidParameter(
        `Guest VLAN ${vnet} from this range ${start}-${end} is not present in the system for physical network ID: ${pn.id}`,
      )
    }

    const taken = pn.vnetsAllocated.find((a) => a.vnet === vnet)
    if (taken && `account:${taken.accountId}` !== owner.key) {
      throw SimApiError.invalidParameter(
        `Guest VLAN from this range ${vnet} is allocated to a different Account. Can only dedicate a range which has no allocated VLANs or has VLANs allocated to the same Account `,
      )
    }
  }

  for (const d of model.state.dedicatedVlanRanges) {
    if (d.physicalNetworkId !== pn.id) continue
    if ((start < d.start && end >= d.start) || (start >= d.start && start <= d.end)) {
      throw SimApiError.invalidParameter(
        `Vlan range is already dedicated. Cannot dedicate guest vlan range ${request.text}`,
      )
    }
  }
}

function dedicate(model: SimModel, pn: PhysicalNetwork, owner: Owner, vlanrange: string): DedicatedVlanRange {
  const [start, end] = parseDedicationRange(pn, vlanrange)
  checkDedicationVnets(model, pn, owner, {range: [start, end], text: vlanrange})
  const maps = model.state.dedicatedVlanRanges.filter((d) => d.physicalNetworkId === pn.id)
  // Extend an adjacent range of the same owner (to the left, the right, or both), as the server does.
  const sorted = [...maps].sort((a, b) => a.start - b.start)
  for (const [i, d] of sorted.entries()) {
    if (end === d.start - 1) {
      if (dedicationOwner(d) === owner.key) {
        d.start = start
        return d
      }

      break
    }

    if (start === d.end + 1 && dedicationOwner(d) === owner.key) {
      const next = sorted[i + 1]
      if (next && end === next.start - 1 && dedicationOwner(next) === owner.key) {
        model.state.dedicatedVlanRanges = model.state.dedicatedVlanRanges.filter((x) => x.id !== next.id)
        model.dedicatedVlanRanges.delete(next.id)
        d.end = next.end
        return d
      }

      d.end = end
      return d
    }
  }

  const record: DedicatedVlanRange = {
    accountId: owner.account?.id,
    domainId: owner.account?.domainId ?? model.projects.get(owner.projectId!)!.domainId,
    end,
    id: model.newId('dedicatedvlanrange'),
    internalId: model.newInternalId(),
    physicalNetworkId: pn.id,
    projectId: owner.projectId,
    start,
  }
  model.state.dedicatedVlanRanges.push(record)
  model.dedicatedVlanRanges.set(record.id, record)
  return record
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
      {description: 'list physical network by id', entity: 'physicalnetwork', name: 'id', type: 'uuid'},
      {description: 'search by name', name: 'name', type: 'string'},
      {description: 'the Zone ID for the physical network', entity: 'zone', name: 'zoneid', type: 'uuid'},
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
      {
        description: 'physical network id',
        entity: 'physicalnetwork',
        name: 'id',
        required: true,
        type: 'uuid',
      },
      {description: 'the speed for the physical network[1G/10G]', name: 'networkspeed', type: 'string'},
      {description: 'Enabled/Disabled', name: 'state', type: 'string'},
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
    params: [
      {
        description: 'the Physical Network ID',
        entity: 'physicalnetwork',
        name: 'physicalnetworkid',
        required: true,
        type: 'uuid',
      },
      ...PAGING_PARAMS,
    ],
    response: [
      {name: 'id', type: 'string'},
      {name: 'traffictype', type: 'string'},
      {name: 'physicalnetworkid', type: 'string'},
    ],
    since: '3.0.0',
  }),

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

      return listBody('guestvlan', rows, paging, (row) => row)
    },
    isasync: false,
    name: 'listGuestVlans',
    params: [
      {description: 'list guest vlan by id', name: 'id', type: 'long'},
      {description: 'list guest vlan by zone', entity: 'zone', name: 'zoneid', type: 'uuid'},
      {
        description: 'list guest vlan by physical network',
        entity: 'physicalnetwork',
        name: 'physicalnetworkid',
        type: 'uuid',
      },
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
      {description: 'account who will own the VLAN', name: 'account', type: 'string'},
      {
        description: 'domain ID of the account owning a VLAN',
        entity: 'domain',
        name: 'domainid',
        type: 'uuid',
      },
      {
        description: 'physical network ID of the vlan',
        entity: 'physicalnetwork',
        name: 'physicalnetworkid',
        required: true,
        type: 'uuid',
      },
      {description: 'project who will own the VLAN', entity: 'project', name: 'projectid', type: 'uuid'},
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
      {
        description:
          'the account with which the guest VLAN range is associated. Must be used with the domainId parameter.',
        name: 'account',
        type: 'string',
      },
      {
        description:
          'the domain ID with which the guest VLAN range is associated.  If used with the account parameter, returns all guest VLAN ranges for that account in the specified domain.',
        entity: 'domain',
        name: 'domainid',
        type: 'uuid',
      },
      {description: 'the dedicated guest vlan range', name: 'guestvlanrange', type: 'string'},
      {
        description: 'list dedicated guest vlan ranges by id',
        entity: 'dedicatedvlanrange',
        name: 'id',
        type: 'uuid',
      },
      {
        description: 'physical network id of the guest VLAN range',
        entity: 'physicalnetwork',
        name: 'physicalnetworkid',
        type: 'uuid',
      },
      {
        description: 'project who will own the guest VLAN range',
        entity: 'project',
        name: 'projectid',
        type: 'uuid',
      },
      {description: 'zone of the guest VLAN range', entity: 'zone', name: 'zoneid', type: 'uuid'},
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
    params: [
      {
        description: 'the ID of the dedicated guest vlan range',
        entity: 'dedicatedvlanrange',
        name: 'id',
        required: true,
        type: 'uuid',
      },
    ],
    response: [
      {name: 'displaytext', type: 'string'},
      {name: 'success', type: 'boolean'},
    ],
  }),
]
