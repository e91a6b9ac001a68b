import type {MoldClient} from '../api/client.js'
import type {ApiObject, Params} from '../api/types.js'
import type {Column} from '../output/columns.js'

import {MoldctlError, UsageError} from '../core/errors.js'
import {type PlannedCall} from '../infra/allocation.js'
import {resolveEntity, UUID_PATTERN} from '../infra/resolve.js'
import {guestPhysicalNetworkOfZone, type PhysicalNetwork} from '../vlan/fetch.js'
import {formatRanges, parseServerVlanString, rangesContain, vnetBoundsFor} from '../vlan/range-rules.js'
import {resolveDomainId, resolveProjectId} from '../vlan/run.js'
import {type NetworkOffering, offeringProblem, pickVlanOffering, resolveOffering} from './offerings.js'

/*
 * `network create|list|delete`: an isolated guest network with a VLAN the admin chooses (admin
 * guide, "VLAN provisioning": root admins can assign a VLAN to an isolated network at creation,
 * with a network offering whose "Specify VLAN" is on; a network's VLAN never changes).
 *
 * Before createNetwork is sent, the VLAN is checked the way the server checks it
 * (NetworkOfferingVlanValidationServiceImpl.validateGuestNetworkOfferingVlan in apache/cloudstack
 * engine/orchestration), so a refusal costs no call:
 * - a VLAN inside the physical network's own VNET ranges is refused: those VLANs are the pool the
 *   server allocates from dynamically ("...is already being used for dynamic vlan allocation");
 *   admin-chosen VLANs lie outside it (the guide's example keeps 800-899 for them);
 * - a VLAN another network of the zone uses is refused;
 * - a VLAN inside another physical network's range of the zone that is dedicated to someone
 *   else is refused ("Vlan N is dedicated to a different account").
 */

export interface GuestNetwork extends ApiObject {
  id: string
  name: string
  vlan?: string
  zonename?: string
}

export const NETWORK_COLUMNS: Column<GuestNetwork>[] = [
  {header: 'NAME', key: 'name', shrink: false},
  {header: 'VLAN', key: 'vlan'},
  {header: 'STATE', key: 'state'},
  {header: 'ZONE', key: 'zonename'},
  {get: (n) => n.project ?? n.account, header: 'OWNER', key: 'account'},
  {header: 'CIDR', key: 'cidr'},
  {header: 'OFFERING', key: 'networkofferingname'},
  {header: 'ID', key: 'id', shrink: false},
]

export interface CreateNetworkInput {
  account?: string
  displayText?: string
  domain?: string
  gateway?: string
  name: string
  netmask?: string
  offering?: string
  project?: string
  vlan: string
  zone: string
}

export interface CreateNetworkPlan {
  call: PlannedCall
  offering: NetworkOffering
  owner: string
  physicalNetwork: PhysicalNetwork
  vlan: number
  zone: {id: string; name: string}
}

/** No enabled isolated offering with Specify VLAN exists: the command may offer to create one. */
export class NoVlanOfferingError extends UsageError {
  constructor() {
    super(
      'no enabled isolated network offering has "Specify VLAN" on, and the VLAN can only be chosen with one',
      [
        'create one: moldctl network offering create NAME --specify-vlan',
        'see which offerings have it: moldctl network offering list',
      ],
    )
    this.name = 'NoVlanOfferingError'
  }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

function ipv4Number(text: string): number | undefined {
  const match = IPV4.exec(text)
  if (!match || match.slice(1).some((p) => Number(p) > 255)) return undefined
  return match.slice(1).reduce((n, p) => n * 256 + Number(p), 0)
}

/** Checks --gateway/--netmask as the server does (valid IPv4, contiguous mask, not network/broadcast). */
export function checkGatewayNetmask(gateway?: string, netmask?: string): void {
  if ((gateway === undefined) !== (netmask === undefined))
    throw new UsageError('give --gateway and --netmask together (or neither: the zone guest CIDR is used)')
  if (gateway === undefined || netmask === undefined) return
  const gw = ipv4Number(gateway)
  if (gw === undefined) throw new UsageError(`--gateway ${gateway} is not an IPv4 address`)
  const mask = ipv4Number(netmask)
  const bits = mask === undefined ? '' : mask.toString(2).padStart(32, '0')
  if (!/^1+0*$/.test(bits)) throw new UsageError(`--netmask ${netmask} is not a netmask (e.g. 255.255.255.0)`)
  const prefix = bits.replace(/0+$/, '').length
  const size = 2 ** (32 - prefix)
  const base = gw - (gw % size)
  if (prefix < 31 && (gw === base || gw === base + size - 1)) {
    throw new UsageError(
      `--gateway ${gateway} is the network or broadcast address of ${gateway}/${prefix} (the server refuses it: "Invalid gateway IP provided. Either the IP is broadcast or network IP.")`,
    )
  }
}

function parseVlan(text: string, pn: PhysicalNetwork): number {
  const bounds = vnetBoundsFor(pn.isolationmethods)
  const value = text.trim().replace(/^vlan:\/\//, '')
  if (!/^\d+$/.test(value)) throw new UsageError(`--vlan ${text} is not a VLAN number`)
  const vlan = Number(value)
  if (vlan < bounds.min || vlan > bounds.max)
    throw new UsageError(`--vlan ${text} is outside ${bounds.min}-${bounds.max} (${bounds.method} ids)`)
  return vlan
}

interface Owner {
  account?: string
  domainid?: string
  projectid?: string
  text: string
}

async function resolveOwner(client: MoldClient, input: CreateNetworkInput): Promise<Owner> {
  if (input.project) {
    return {projectid: await resolveProjectId(client, input.project), text: `project ${input.project}`}
  }

  if (input.account || input.domain) {
    if (!input.account || !input.domain) throw new UsageError('give --account and --domain together')
    return {
      account: input.account,
      domainid: await resolveDomainId(client, input.domain),
      text: `account ${input.account} (domain ${input.domain})`,
    }
  }

  return {text: 'you (the calling account)'}
}

/** The zone's physical networks with the VLAN in their ranges, and their dedications. */
async function checkVlanUse(
  client: MoldClient,
  plan: {owner: Owner; pn: PhysicalNetwork; vlan: number; zone: {id: string; name: string}},
): Promise<void> {
  const {owner, pn, vlan, zone} = plan
  const ranges = parseServerVlanString(pn.vlan)
  if (rangesContain(ranges, vlan)) {
    throw new UsageError(
      `VLAN ${vlan} lies in ${pn.name}'s VLAN range (${formatRanges(ranges)}), the pool the server allocates guest VLANs from; the server refuses it: "The VLAN tag to use for new guest network, ${vlan} is already being used for dynamic vlan allocation for the guest network in zone ${zone.name}"`,
      [
        `choose a VLAN outside ${formatRanges(ranges)} (the guide's example keeps 800-899 for VLANs the admin assigns)`,
        `or take it out of the range first: moldctl vlan range remove ${vlan} --physical-network ${pn.name}`,
      ],
    )
  }

  const networks = await client.list<GuestNetwork>('listNetworks', {listall: true, zoneid: zone.id})
  const user = networks.find((n) => n.vlan !== undefined && Number(n.vlan) === vlan)
  if (user) {
    throw new UsageError(
      `VLAN ${vlan} is already used by network ${user.name} (${user.id}) in zone ${zone.name}; the server refuses a second network on it`,
      ['list the networks with: moldctl network list --zone ' + zone.name],
    )
  }

  const others = (await client.list<PhysicalNetwork>('listPhysicalNetworks', {zoneid: zone.id})).filter(
    (p) => p.id !== pn.id && rangesContain(parseServerVlanString(p.vlan), vlan),
  )
  for (const other of others) {
    // eslint-disable-next-line no-await-in-loop
    const dedications = await client.list<ApiObject>('listDedicatedGuestVlanRanges', {
      physicalnetworkid: other.id,
    })
    const dedication = dedications.find((d) => {
      const [range] = parseServerVlanString(String(d.guestvlanrange))
      return range && range.start <= vlan && vlan <= range.end
    })
    if (!dedication || (!owner.account && !owner.projectid)) continue
    const same = owner.projectid
      ? dedication.projectid === owner.projectid
      : !dedication.projectid &&
        dedication.account === owner.account &&
        dedication.domainid === owner.domainid
    if (!same) {
      const holder = dedication.project ? `project ${dedication.project}` : `account ${dedication.account}`
      throw new UsageError(
        `VLAN ${vlan} is dedicated to ${holder} (range ${dedication.guestvlanrange} of ${other.name}), not to ${owner.text}; the server refuses it: "Vlan ${vlan} is dedicated to a different account"`,
      )
    }
  }
}

/** Reads what is needed and checks everything the server would, then builds the createNetwork call. */
export async function planCreateNetwork(
  client: MoldClient,
  input: CreateNetworkInput,
): Promise<CreateNetworkPlan> {
  const name = input.name.trim()
  if (!name) throw new UsageError('the network needs a name')
  checkGatewayNetmask(input.gateway, input.netmask)
  const zone = await resolveEntity(client, 'zone', input.zone)
  const pn = await guestPhysicalNetworkOfZone(client, zone.id)
  const vlan = parseVlan(input.vlan, pn)
  const offering = input.offering
    ? await resolveOffering(client, input.offering)
    : await pickVlanOffering(client)
  if (!offering) throw new NoVlanOfferingError()
  const problem = offeringProblem(offering)
  if (problem) throw new UsageError(problem, ['see which offerings have it: moldctl network offering list'])
  const owner = await resolveOwner(client, input)
  await checkVlanUse(client, {owner, pn, vlan, zone})
  const params: Params = {
    account: owner.account,
    displaytext: input.displayText ?? name,
    domainid: owner.domainid,
    gateway: input.gateway,
    name,
    netmask: input.netmask,
    networkofferingid: offering.id,
    projectid: owner.projectid,
    vlan: String(vlan),
    zoneid: zone.id,
  }
  return {
    call: {command: 'createNetwork', params},
    offering,
    owner: owner.text,
    physicalNetwork: pn,
    vlan,
    zone: {id: zone.id, name: zone.name},
  }
}

export async function createNetwork(client: MoldClient, plan: CreateNetworkPlan): Promise<GuestNetwork> {
  const answer = await client.request(plan.call.command, plan.call.params)
  const network = answer.network as GuestNetwork | undefined
  if (!network) throw new MoldctlError('createNetwork answered without a network')
  return network
}

export async function listGuestNetworks(
  client: MoldClient,
  filter: {project?: string; zone?: string} = {},
): Promise<GuestNetwork[]> {
  const zoneid = filter.zone ? (await resolveEntity(client, 'zone', filter.zone)).id : undefined
  const projectid = filter.project ? await resolveProjectId(client, filter.project) : undefined
  return client.list<GuestNetwork>('listNetworks', {listall: true, projectid, zoneid})
}

/** A network by id or exact name (any owner). */
export async function resolveNetwork(client: MoldClient, ref: string): Promise<GuestNetwork> {
  const wanted = ref.trim()
  if (!wanted) throw new UsageError('an empty network name was given')
  const networks = await client.list<GuestNetwork>('listNetworks', {listall: true})
  const found = UUID_PATTERN.test(wanted)
    ? networks.filter((n) => n.id === wanted.toLowerCase())
    : networks.filter((n) => n.name === wanted)
  if (found.length === 1) return found[0]
  if (found.length > 1) {
    throw new UsageError(
      `"${wanted}" matches ${found.length} networks; use the id of one:`,
      found.map(
        (n) => `${n.name}  ${n.id}  (${n.project ? `project ${n.project}` : `account ${n.account}`})`,
      ),
    )
  }

  throw new UsageError(`no network is named "${wanted}"`, ['list them with: moldctl network list'])
}

export function planDeleteNetwork(network: GuestNetwork, forced: boolean): PlannedCall {
  return {command: 'deleteNetwork', params: {forced: forced ? true : undefined, id: network.id}}
}

export async function deleteNetwork(client: MoldClient, call: PlannedCall): Promise<void> {
  const result = await client.call(call.command, call.params)
  if (result.success === false) throw new MoldctlError('deleteNetwork answered success=false')
}
