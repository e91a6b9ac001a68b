import type {GuestNetwork, NetworkOffering, SimModel} from '../state/model.js'

import {
  createGuestNetwork,
  createNetworkOffering,
  deleteGuestNetwork,
  guestNetworks,
  networkOfferings,
  setOfferingState,
} from '../behaviour/guest-networks.js'
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
import {defineApi, type RegisteredApi, responseFields, SimApiError} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'
import {formatApiDate} from '../state/format.js'

/*
 * Network offerings and guest networks. Parameters as upstream declares them in
 * api/.../admin/network/CreateNetworkOfferingCmd.java, user/network/ListNetworkOfferingsCmd.java,
 * admin/network/UpdateNetworkOfferingCmd.java, user/network/CreateNetworkCmd.java with
 * admin/network/CreateNetworkCmdByAdmin.java (`vlan`), user/network/ListNetworksCmd.java and
 * user/network/DeleteNetworkCmd.java; those not simulated are left out of listApis and listed in
 * docs/simulator.md. The rules are in behaviour/guest-networks.ts.
 */

function like(value: string, keyword: string | undefined): boolean {
  return keyword === undefined || value.toLowerCase().includes(keyword.toLowerCase())
}

function serializeOffering(offering: NetworkOffering): Record<string, unknown> {
  return {
    id: offering.id,
    name: offering.name,
    displaytext: offering.displayText,
    traffictype: offering.trafficType,
    isdefault: offering.isDefault,
    specifyvlan: offering.specifyVlan,
    conservemode: offering.conserveMode,
    specifyipranges: offering.specifyIpRanges,
    availability: offering.availability,
    state: offering.state,
    guestiptype: offering.guestIpType,
    ispersistent: offering.isPersistent,
    egressdefaultpolicy: offering.egressDefaultPolicy,
    forvpc: false,
    fornsx: false,
    created: formatApiDate(offering.created),
    service: Object.entries(offering.services).map(([name, providers]) => ({
      name,
      provider: providers.map((provider) => ({name: provider})),
    })),
  }
}

function serializeNetwork(model: SimModel, network: GuestNetwork): Record<string, unknown> {
  const zone = model.zones.get(network.zoneId)
  const offering = networkOfferings(model).find((o) => o.id === network.networkOfferingId)
  const account = model.accounts.get(network.accountId)
  const project = network.projectId ? model.projects.get(network.projectId) : undefined
  const domain = model.domains.get(network.domainId)
  return {
    id: network.id,
    name: network.name,
    displaytext: network.displayText,
    broadcastdomaintype: 'Vlan',
    traffictype: 'Guest',
    gateway: network.gateway,
    netmask: network.netmask,
    cidr: network.cidr,
    zoneid: zone?.id,
    zonename: zone?.name,
    networkofferingid: offering?.id,
    networkofferingname: offering?.name,
    networkofferingdisplaytext: offering?.displayText,
    networkofferingconservemode: offering?.conserveMode,
    networkofferingavailability: offering?.availability,
    issystem: false,
    state: network.state,
    related: network.id,
    broadcasturi: network.vlan === undefined ? undefined : `vlan://${network.vlan}`,
    vlan: network.vlan,
    acltype: 'Account',
    ...(project ? {projectid: project.id, project: project.name} : {account: account?.name}),
    domainid: domain?.id,
    domain: domain?.name,
    domainpath: domain ? (domain.path === '/' ? 'ROOT' : `ROOT${domain.path.replace(/\/$/, '')}`) : undefined,
    physicalnetworkid: network.physicalNetworkId,
    restartrequired: false,
    specifyipranges: offering?.specifyIpRanges,
    canusefordeploy: true,
    ispersistent: offering?.isPersistent,
    created: formatApiDate(network.created),
    guestiptype: offering?.guestIpType,
  }
}

const OFFERING_RESPONSE = responseFields(
  'network offering',
  'id:string name:string displaytext:string traffictype:string isdefault:boolean specifyvlan:boolean conservemode:boolean specifyipranges:boolean availability:string state:string guestiptype:string ispersistent:boolean egressdefaultpolicy:boolean forvpc:boolean fornsx:boolean created:date service:list',
)

const NETWORK_RESPONSE = responseFields(
  'network',
  'id:string name:string displaytext:string broadcastdomaintype:string traffictype:string gateway:string netmask:string cidr:string zoneid:string zonename:string networkofferingid:string networkofferingname:string networkofferingdisplaytext:string networkofferingconservemode:boolean networkofferingavailability:string issystem:boolean state:string related:string broadcasturi:string vlan:string acltype:string account:string projectid:string project:string domainid:string domain:string domainpath:string physicalnetworkid:string restartrequired:boolean specifyipranges:boolean canusefordeploy:boolean ispersistent:boolean created:date guestiptype:string',
)

export const guestNetworkApis: RegisteredApi[] = [
  defineApi({
    description: 'Creates a network offering.',
    handler({clock, model, params}) {
      return {networkoffering: serializeOffering(createNetworkOffering(model, params, clock.now()))}
    },
    isasync: false,
    javaClass: 'org.apache.cloudstack.api.command.admin.network.CreateNetworkOfferingCmd',
    name: 'createNetworkOffering',
    params: [
      nameParam('the name of the network offering', {required: true}),
      {
        description: "the display text of the network offering, defaults to the value of 'name'.",
        name: 'displaytext',
        type: 'string',
      },
      {
        description:
          'the traffic type for the network offering. Supported type in current release is GUEST only',
        name: 'traffictype',
        required: true,
        type: 'string',
      },
      {
        description: 'guest type of the network offering: Shared or Isolated',
        name: 'guestiptype',
        required: true,
        type: 'string',
      },
      {description: 'true if network offering supports vlans', name: 'specifyvlan', type: 'boolean'},
      {
        description:
          'true if network offering supports specifying ip ranges; defaulted to false if not specified',
        name: 'specifyipranges',
        type: 'boolean',
      },
      {
        collectionType: 'string',
        description: 'services supported by the network offering',
        name: 'supportedservices',
        type: 'list',
      },
      {
        description:
          'provider to service mapping. If not specified, the provider for the service will be mapped to the default provider on the physical network',
        name: 'serviceproviderlist',
        type: 'map',
      },
      {
        description:
          'the availability of network offering. The default value is Optional.  Another value is Required, which will make it as the default network offering for new networks ',
        name: 'availability',
        type: 'string',
      },
      {
        description: 'true if the network offering is IP conserve mode enabled',
        name: 'conservemode',
        type: 'boolean',
      },
      {
        description:
          'true if network offering supports persistent networks; defaulted to false if not specified',
        name: 'ispersistent',
        type: 'boolean',
      },
      {
        description:
          'true if guest network default egress policy is allow; false if default egress policy is deny',
        name: 'egressdefaultpolicy',
        type: 'boolean',
      },
      {
        description: 'set to true if the offering is to be enabled during creation. Default is false',
        name: 'enable',
        since: '4.16',
        type: 'boolean',
      },
    ],
    response: OFFERING_RESPONSE,
    since: '3.0.0',
  }),

  defineApi({
    description: 'Lists all available network offerings.',
    handler({model, paging, params}) {
      const offerings = networkOfferings(model)
        .filter((o) => params.id === undefined || o.id === params.id)
        .filter((o) => params.name === undefined || o.name === params.name)
        .filter((o) => params.state === undefined || o.state.toLowerCase() === params.state.toLowerCase())
        .filter(
          (o) =>
            params.guestiptype === undefined ||
            o.guestIpType.toLowerCase() === params.guestiptype.toLowerCase(),
        )
        .filter((o) => params.specifyvlan === undefined || o.specifyVlan === params.specifyvlan)
        .filter(
          (o) =>
            params.traffictype === undefined ||
            o.trafficType.toLowerCase() === params.traffictype.toLowerCase(),
        )
        .filter((o) => like(o.name, params.keyword) || like(o.displayText, params.keyword))
        .sort((a, b) => a.internalId - b.internalId)
      return listBody('networkoffering', offerings, paging, serializeOffering)
    },
    isasync: false,
    javaClass: 'org.apache.cloudstack.api.command.user.network.ListNetworkOfferingsCmd',
    name: 'listNetworkOfferings',
    params: [
      idParam('networkoffering', 'list network offerings by ID'),
      nameParam('list network offerings by name'),
      stateParam('list network offerings by state'),
      {
        description: 'list network offerings by guest type: shared or isolated',
        name: 'guestiptype',
        type: 'string',
      },
      {description: 'the tags for the network offering.', name: 'specifyvlan', type: 'boolean'},
      {description: 'list by traffic type', name: 'traffictype', type: 'string'},
      ...PAGING_PARAMS,
    ],
    response: OFFERING_RESPONSE,
    since: '3.0.0',
  }),

  defineApi({
    description: 'Updates a network offering.',
    handler({model, params}) {
      // UpdateNetworkOfferingCmd declares id optional; ConfigurationManagerImpl.updateNetworkOffering
      // then finds no offering for it and says so.
      const offering = networkOfferings(model).find((o) => o.id === params.id)
      if (!offering)
        throw SimApiError.invalidParameter(`unable to find network offering ${params.id ?? 'null'}`)
      setOfferingState(offering, params.state)
      if (params.displaytext !== undefined) offering.displayText = params.displaytext
      if (params.name !== undefined) offering.name = params.name
      return {networkoffering: serializeOffering(offering)}
    },
    isasync: false,
    javaClass: 'org.apache.cloudstack.api.command.admin.network.UpdateNetworkOfferingCmd',
    name: 'updateNetworkOffering',
    params: [
      idParam('networkoffering', 'the id of the network offering'),
      nameParam('the name of the network offering'),
      {description: 'the display text of the network offering', name: 'displaytext', type: 'string'},
      stateParam('update state for the network offering'),
    ],
    response: OFFERING_RESPONSE,
    since: '3.0.0',
  }),

  defineApi({
    description: 'Creates a network',
    handler({caller, clock, model, params}) {
      const network = createGuestNetwork(model, params, caller.account, clock.now())
      return {network: serializeNetwork(model, network)}
    },
    isasync: false,
    javaClass: 'org.apache.cloudstack.api.command.admin.network.CreateNetworkCmdByAdmin',
    name: 'createNetwork',
    params: [
      nameParam('the name of the network', {required: true}),
      {description: 'the display text of the network', name: 'displaytext', type: 'string'},
      {
        description: 'the network offering ID',
        entity: 'networkoffering',
        name: 'networkofferingid',
        required: true,
        type: 'uuid',
      },
      zoneIdParam('the zone ID for the network', {required: true}),
      {
        description:
          'the gateway of the network. Required for shared networks and isolated networks when it belongs to VPC',
        name: 'gateway',
        type: 'string',
      },
      {
        description:
          'the netmask of the network. Required for shared networks and isolated networks when it belongs to VPC',
        name: 'netmask',
        type: 'string',
      },
      accountParam('account that will own the network'),
      domainIdParam('domain ID of the account owning a network'),
      projectIdParam('an optional project for the network'),
      {description: 'the ID or VID of the network', name: 'vlan', type: 'string'},
    ],
    response: NETWORK_RESPONSE,
    since: '3.0.0',
  }),

  defineApi({
    description: 'Lists all available networks.',
    handler({caller, model, paging, params}) {
      const networks = guestNetworks(model)
        .filter((n) => params.id === undefined || n.id === params.id)
        .filter((n) => params.zoneid === undefined || n.zoneId === params.zoneid)
        .filter(
          (n) => params.physicalnetworkid === undefined || n.physicalNetworkId === params.physicalnetworkid,
        )
        .filter(
          (n) => params.networkofferingid === undefined || n.networkOfferingId === params.networkofferingid,
        )
        .filter((n) =>
          params.projectid === undefined ? n.projectId === undefined : n.projectId === params.projectid,
        )
        .filter((n) => params.domainid === undefined || n.domainId === params.domainid)
        .filter(
          (n) => params.account === undefined || model.accounts.get(n.accountId)?.name === params.account,
        )
        // Without listall (or an owner filter) the caller sees its own networks only.
        .filter(
          (n) =>
            params.listall === true ||
            params.projectid !== undefined ||
            params.account !== undefined ||
            n.accountId === caller.account.id,
        )
        .filter((n) => like(n.name, params.keyword))
        .sort((a, b) => a.internalId - b.internalId)
      return listBody('network', networks, paging, (n) => serializeNetwork(model, n))
    },
    isasync: false,
    javaClass: 'org.apache.cloudstack.api.command.admin.network.ListNetworksCmdByAdmin',
    name: 'listNetworks',
    params: [
      idParam('network', 'list networks by ID'),
      zoneIdParam('the zone ID of the network'),
      physicalNetworkIdParam('list networks by physical network id'),
      {
        description: 'list networks by network offering ID',
        entity: 'networkoffering',
        name: 'networkofferingid',
        type: 'uuid',
      },
      accountParam('list resources by account. Must be used with the domainId parameter.'),
      domainIdParam('list only resources belonging to the domain specified'),
      projectIdParam('list objects by project'),
      {
        description:
          "If set to false, list only resources belonging to the command's caller; if set to true - list resources that the caller is authorized to see. Default value is false",
        name: 'listall',
        type: 'boolean',
      },
      ...PAGING_PARAMS,
    ],
    response: NETWORK_RESPONSE,
    since: '3.0.0',
  }),

  defineApi({
    description: 'Deletes a network',
    handler({jobs, model, params}) {
      return jobs.submit({
        instanceId: params.id,
        instanceType: 'Network',
        run() {
          deleteGuestNetwork(model, params.id)
          return {success: true}
        },
      })
    },
    isasync: true,
    javaClass: 'org.apache.cloudstack.api.command.user.network.DeleteNetworkCmd',
    name: 'deleteNetwork',
    params: [idParam('network', 'the ID of the network', {required: true})],
    response: responseFields('success', 'displaytext:string success:boolean'),
    since: '3.0.0',
  }),
]
