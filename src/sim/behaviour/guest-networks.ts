import type {Account, GuestNetwork, NetworkOffering, PhysicalNetwork, SimModel, Zone} from '../state/model.js'

import {SimApiError} from '../catalog/registry.js'
import {defaultNetworkOfferings} from '../state/network-offerings.js'

/*
 * Network offerings and isolated guest networks with a chosen VLAN, following upstream:
 * - createNetworkOffering: ConfigurationManagerImpl.createNetworkOffering (traffic type, guest
 *   type, availability checks and texts);
 * - createNetwork (admin variant CreateNetworkCmdByAdmin adds `vlan`): NetworkServiceImpl.
 *   createGuestNetwork, NetworkOrchestrator.createGuestNetwork (offering state, physical network
 *   state) and NetworkOfferingVlanValidationServiceImpl.validateGuestNetworkOfferingVlan (VLAN vs
 *   specifyVlan, the physical network's dynamic VNET range, VLANs used by other networks of the
 *   zone, VLANs dedicated to another account);
 * - deleteNetwork: NetworkServiceImpl.deleteNetwork.
 * A VLAN inside the physical network's VNET ranges is refused: those are allocated dynamically
 * (DataCenterVnetDaoImpl.findVnet finds every row of op_dc_vnet_alloc, taken or not).
 */

/** The offerings (the defaults are in the state from the start, see state/network-offerings.ts). */
export function networkOfferings(model: SimModel): NetworkOffering[] {
  model.state.networkOfferings ??= defaultNetworkOfferings(model.state.seed)
  return model.state.networkOfferings
}

export function guestNetworks(model: SimModel): GuestNetwork[] {
  model.state.guestNetworks ??= []
  return model.state.guestNetworks
}

// ----- createNetworkOffering ---------------------------------------------------------------------

const TRAFFIC_TYPES = ['Public', 'Guest', 'Storage', 'Management', 'Control', 'Vpn']
const GUEST_TYPES = ['Isolated', 'Shared', 'L2'] as const
const AVAILABILITIES = ['Required', 'Optional', 'Unavailable'] as const

export interface OfferingInput {
  availability?: string
  conservemode?: boolean
  displaytext?: string
  egressdefaultpolicy?: boolean
  enable?: boolean
  guestiptype: string
  ispersistent?: boolean
  name: string
  serviceproviderlist?: Array<Record<string, string>>
  specifyipranges?: boolean
  specifyvlan?: boolean
  supportedservices?: string[]
  traffictype: string
}

function caseless<T extends string>(values: readonly T[], given: string | undefined): T | undefined {
  return values.find((v) => v.toLowerCase() === given?.toLowerCase())
}

export function createNetworkOffering(model: SimModel, input: OfferingInput, now: Date): NetworkOffering {
  const trafficType = caseless(TRAFFIC_TYPES, input.traffictype)
  if (!trafficType) {
    throw SimApiError.invalidParameter(
      'Invalid value for traffictype. Supported traffic types: Public, Management, Control, Guest, Vlan or Storage',
    )
  }

  if (trafficType !== 'Guest')
    throw SimApiError.invalidParameter('Only traffic type Guest is supported in the current release')
  const guestIpType = caseless(GUEST_TYPES, input.guestiptype)
  if (!guestIpType) {
    throw SimApiError.invalidParameter(
      'Invalid "type" parameter is given; can have Shared and Isolated values',
    )
  }

  const availability =
    input.availability === undefined ? 'Optional' : caseless(AVAILABILITIES, input.availability)
  if (!availability) {
    throw SimApiError.invalidParameter(
      'Invalid value for Availability. Supported types: Required, Optional, Unavailable',
    )
  }

  const services: Record<string, string[]> = {}
  for (const service of input.supportedservices ?? []) services[service] = []
  for (const entry of input.serviceproviderlist ?? []) {
    if (!entry.service || !entry.provider) continue
    if (!(entry.service in services)) {
      throw SimApiError.invalidParameter(
        `Service ${entry.service} is not enabled for the network offering, can't add a provider to it`,
      )
    }

    services[entry.service].push(entry.provider)
  }

  const offering: NetworkOffering = {
    availability,
    conserveMode: input.conservemode ?? true,
    created: now.toISOString(),
    displayText: input.displaytext ?? input.name,
    egressDefaultPolicy: input.egressdefaultpolicy ?? false,
    guestIpType,
    id: model.newId('networkoffering'),
    internalId: model.newInternalId(),
    isDefault: false,
    isPersistent: input.ispersistent ?? false,
    name: input.name,
    services,
    specifyIpRanges: input.specifyipranges ?? false,
    specifyVlan: input.specifyvlan ?? false,
    // Offerings are created Disabled unless `enable` (since 4.16) says otherwise.
    state: input.enable ? 'Enabled' : 'Disabled',
    trafficType,
  }
  networkOfferings(model).push(offering)
  return offering
}

/** updateNetworkOffering state=Enabled|Disabled (the one change moldctl makes). */
export function setOfferingState(offering: NetworkOffering, state: string | undefined): void {
  if (state === undefined) return
  const wanted = caseless(['Enabled', 'Disabled'] as const, state)
  if (!wanted) {
    throw SimApiError.invalidParameter(`Incorrect state value: ${state}`)
  }

  offering.state = wanted
}

// ----- createNetwork ------------------------------------------------------------------------------

export interface NetworkInput {
  account?: string
  displaytext?: string
  domainid?: string
  gateway?: string
  name: string
  netmask?: string
  networkofferingid: string
  projectid?: string
  vlan?: string
  zoneid: string
}

function zoneText(zone: Zone): string {
  return `Zone {"id": ${zone.internalId}, "name": "${zone.name}", "uuid": "${zone.id}"}`
}

function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')
}

function prefixOfNetmask(netmask: string): number | undefined {
  const n = ipToNumber(netmask)
  if (n === undefined) return undefined
  const bits = n.toString(2).padStart(32, '0')
  if (!/^1+0*$/.test(bits)) return undefined
  return bits.replace(/0+$/, '').length
}

/** The owner: account+domain or project (getOwningAccount), else the caller. */
function owningAccount(
  model: SimModel,
  input: NetworkInput,
  caller: Account,
): {account: Account; projectId?: string} {
  if (input.projectid !== undefined) {
    if (input.account !== undefined)
      throw SimApiError.invalidParameter("Account and projectId can't be specified together")
    const project = model.projects.get(input.projectid)!
    return {account: model.accounts.get(project.accountId)!, projectId: project.id}
  }

  if (input.account !== undefined && input.domainid !== undefined) {
    const account = model.state.accounts.find(
      (a) => a.name === input.account && a.domainId === input.domainid,
    )
    if (!account) {
      const domain = model.domains.get(input.domainid)!
      throw SimApiError.invalidParameter(`Unable to find account ${input.account} in domain id=${domain.id}`)
    }

    return {account}
  }

  return {account: caller}
}

/** findPhysicalNetworkId: the zone's one physical network carrying guest traffic. */
function guestPhysicalNetwork(model: SimModel, zone: Zone): PhysicalNetwork {
  const guest = model.state.physicalNetworks.filter(
    (pn) => pn.zoneId === zone.id && pn.trafficTypes.includes('Guest'),
  )
  if (guest.length === 0)
    throw SimApiError.invalidParameter(`Unable to find physical network in zone id=${zone.internalId}`)
  if (guest.length > 1) {
    throw SimApiError.invalidParameter(
      `More than one physical networks exist in zone id=${zone.internalId} and no tags are specified in order to make a choice`,
    )
  }

  return guest[0]
}

function inRanges(pn: PhysicalNetwork, vnet: number): boolean {
  return pn.vlanRanges.some(([s, e]) => s <= vnet && vnet <= e)
}

/** validateGuestNetworkOfferingVlan and validateDedicatedGuestVlanOwnership, for isolated networks. */
function checkVlan(
  model: SimModel,
  request: {
    offering: NetworkOffering
    owner: Account
    pn: PhysicalNetwork
    vlan: string | undefined
    zone: Zone
  },
): void {
  const {offering, owner, pn, vlan, zone} = request
  if ((vlan !== undefined) !== offering.specifyVlan) {
    throw SimApiError.invalidParameter(
      vlan === undefined
        ? 'Vlan has to be specified; corresponding offering says specifyVlan=true'
        : "Can't specify vlan; corresponding offering says specifyVlan=false",
    )
  }

  if (vlan === undefined) return
  const vnet = Number(vlan.replace(/^vlan:\/\//, ''))
  if (Number.isInteger(vnet) && inRanges(pn, vnet)) {
    throw SimApiError.invalidParameter(
      `The VLAN tag to use for new guest network, ${vlan} is already being used for dynamic vlan allocation for the guest network in zone ${zone.name}`,
    )
  }

  const used = guestNetworks(model).some(
    (n) => n.zoneId === zone.id && n.state !== 'Destroy' && n.vlan !== undefined && Number(n.vlan) === vnet,
  )
  if (used) {
    throw SimApiError.invalidParameter(
      `Network with vlan ${vlan} already exists or overlaps with other network vlans in zone ${zoneText(zone)}`,
    )
  }

  // A VLAN of another physical network's range in the zone: its dedication decides.
  const other = model.state.physicalNetworks.find((p) => p.zoneId === zone.id && inRanges(p, vnet))
  if (!other) return
  const dedication = model.state.dedicatedVlanRanges.find(
    (d) => d.physicalNetworkId === other.id && d.start <= vnet && vnet <= d.end,
  )
  if (dedication) {
    const dedicatedTo = dedication.accountId ?? model.projects.get(dedication.projectId!)?.accountId
    if (dedicatedTo !== owner.id)
      throw SimApiError.invalidParameter(`Vlan ${vlan} is dedicated to a different account`)
  }
}

/** The CIDR of gateway/netmask, checked as createGuestNetwork checks them. */
function networkCidr(gatewayText: string | undefined, netmaskText: string | undefined): string | undefined {
  if (gatewayText !== undefined && ipToNumber(gatewayText) === undefined)
    throw SimApiError.invalidParameter('Gateway parameter is invalid')
  if (gatewayText === undefined || netmaskText === undefined) return undefined
  const prefix = prefixOfNetmask(netmaskText)
  const gateway = ipToNumber(gatewayText)!
  if (prefix === undefined) throw SimApiError.invalidParameter('Invalid netmask')
  const size = 2 ** (32 - prefix)
  const network = gateway - (gateway % size)
  if (prefix < 31 && (gateway === network || gateway === network + size - 1)) {
    throw SimApiError.invalidParameter(
      'Invalid gateway IP provided. Either the IP is broadcast or network IP.',
    )
  }

  return `${numberToIp(network)}/${prefix}`
}

export function createGuestNetwork(
  model: SimModel,
  input: NetworkInput,
  caller: Account,
  now: Date,
): GuestNetwork {
  const offering = networkOfferings(model).find((o) => o.id === input.networkofferingid)!
  const zone = model.zones.get(input.zoneid)!
  const {account, projectId} = owningAccount(model, input, caller)
  const pn = guestPhysicalNetwork(model, zone)
  if (offering.guestIpType === 'Isolated' || offering.guestIpType === 'L2') {
    const duplicate = guestNetworks(model).some(
      (n) => n.accountId === account.id && n.name === input.name && n.state !== 'Destroy',
    )
    if (duplicate) {
      throw SimApiError.invalidParameter(
        `Another network with same name already exists within account: ${account.name}`,
      )
    }
  }

  let cidr = networkCidr(input.gateway, input.netmask)
  if (offering.state !== 'Enabled')
    throw SimApiError.invalidParameter("Can't use specified network offering id as its stat is not Enabled")
  if (pn.state !== 'Enabled')
    throw SimApiError.invalidParameter(`Specified physical network id is in incorrect state:${pn.state}`)
  checkVlan(model, {offering, owner: account, pn, vlan: input.vlan, zone})

  // An isolated network without gateway/netmask takes the zone's guest CIDR (GuestNetworkGuru.design).
  if (!cidr && offering.guestIpType === 'Isolated') {
    cidr = zone.guestCidr ?? '10.1.1.0/24'
    const [base, prefix] = cidr.split('/')
    input = {
      ...input,
      gateway: numberToIp(ipToNumber(base)! + 1),
      netmask: numberToIp(2 ** 32 - 2 ** (32 - Number(prefix))),
    }
  }

  const network: GuestNetwork = {
    accountId: account.id,
    cidr,
    created: now.toISOString(),
    displayText: input.displaytext ?? input.name,
    domainId: projectId ? model.projects.get(projectId)!.domainId : account.domainId,
    gateway: input.gateway,
    id: model.newId('network'),
    internalId: model.newInternalId(),
    name: input.name,
    netmask: input.netmask,
    networkOfferingId: offering.id,
    physicalNetworkId: pn.id,
    projectId,
    state: 'Allocated',
    vlan: input.vlan?.replace(/^vlan:\/\//, ''),
    zoneId: zone.id,
  }
  guestNetworks(model).push(network)
  return network
}

/** deleteNetwork: the network is shut down and removed (no VMs are simulated on guest networks). */
export function deleteGuestNetwork(model: SimModel, id: string): void {
  const networks = guestNetworks(model)
  const index = networks.findIndex((n) => n.id === id)
  if (index === -1) throw SimApiError.invalidParameter('unable to find network with specified id')
  networks.splice(index, 1)
}
