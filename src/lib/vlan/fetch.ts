// Guest VLAN ranges: reading what a physical network holds (its ranges, the dedicated ranges and
// the allocated VLANs), and finding the physical network a command names.

import type {MoldClient} from '../api/client.js'
import type {GuestVlanRange} from '../api/models.js'
import type {ApiObject} from '../api/types.js'

import {ApiError, NotFoundError, UsageError} from '../core/errors.js'
import {suggest} from '../core/suggest.js'
import {resolveEntity, UUID_PATTERN} from '../infra/resolve.js'
import {type AllocatedVlan, type DedicatedVlanRange, type VlanOwner} from './plan.js'
import {
  countVlans,
  formatRanges,
  intersectRanges,
  parseServerVlanString,
  rangesFromVlans,
  type VlanRange,
} from './range-rules.js'

export interface PhysicalNetwork extends ApiObject {
  id: string
  isolationmethods?: string
  name: string
  vlan?: string
  zoneid?: string
  zonename?: string
}

/** Which physical network: named directly, or the guest one of a zone. */
export interface PhysicalNetworkTarget {
  physicalNetwork?: string
  zone?: string
}

/** One API call, as --dry-run prints it and the result records it. */
export interface ApiCall {
  command: string
  params: Record<string, string>
}

// ----- finding physical networks --------------------------------------------------------------

function describeNetwork(pn: PhysicalNetwork): string {
  return `${pn.name}  ${pn.id}  (zone ${pn.zonename ?? pn.zoneid ?? '?'})`
}

/** A physical network by UUID or exact name; unknown or ambiguous names are usage errors. */
export async function resolvePhysicalNetwork(client: MoldClient, ref: string): Promise<PhysicalNetwork> {
  const reference = ref.trim()
  if (!reference) throw new UsageError('an empty physical network name was given')
  if (UUID_PATTERN.test(reference)) {
    const [found] = await client.list<PhysicalNetwork>('listPhysicalNetworks', {id: reference.toLowerCase()})
    if (found) return found
    throw new NotFoundError(`no physical network has the id ${reference}`, [
      'list them with: moldctl vlan range list',
    ])
  }

  const candidates = await client.list<PhysicalNetwork>('listPhysicalNetworks', {name: reference})
  const exact = candidates.filter((pn) => pn.name === reference)
  if (exact.length === 1) return exact[0]
  if (exact.length > 1) {
    throw new UsageError(
      `"${reference}" matches ${exact.length} physical networks; use the id of one:`,
      exact.map((pn) => describeNetwork(pn)),
    )
  }

  // The suggestions come from every physical network, by similarity of name (not the server's filter).
  const everything = await client.list<PhysicalNetwork>('listPhysicalNetworks', {})
  const near = suggest(
    reference,
    everything.map((pn) => pn.name),
  )
  const similar = everything
    .filter((pn) => near.includes(pn.name))
    .sort((a, b) => near.indexOf(a.name) - near.indexOf(b.name))
  throw new NotFoundError(
    `no physical network is named "${reference}"`,
    similar.length > 0
      ? ['did you mean:', ...similar.map((pn) => describeNetwork(pn))]
      : ['list them with: moldctl vlan range list'],
  )
}

/** The zone's physical network that carries guest traffic (listTrafficTypes says which). */
export async function guestPhysicalNetworkOfZone(
  client: MoldClient,
  zoneRef: string,
): Promise<PhysicalNetwork> {
  const zone = await resolveEntity(client, 'zone', zoneRef)
  const networks = await client.list<PhysicalNetwork>('listPhysicalNetworks', {zoneid: zone.id})
  const traffic = await Promise.all(
    networks.map((pn) => client.list<ApiObject>('listTrafficTypes', {physicalnetworkid: pn.id})),
  )
  const guest = networks.filter((_, i) => traffic[i].some((t) => t.traffictype === 'Guest'))
  if (guest.length === 1) return guest[0]
  if (guest.length === 0) {
    throw new UsageError(`zone ${zone.name} has no physical network carrying guest traffic`, [
      networks.length > 0
        ? `its physical networks: ${networks.map((pn) => pn.name).join(', ')}`
        : 'it has no physical network',
    ])
  }

  throw new UsageError(
    `zone ${zone.name} has ${guest.length} physical networks carrying guest traffic; pick one with --physical-network:`,
    guest.map((pn) => describeNetwork(pn)),
  )
}

export async function selectPhysicalNetwork(
  client: MoldClient,
  target: PhysicalNetworkTarget,
): Promise<PhysicalNetwork> {
  if (target.physicalNetwork) return resolvePhysicalNetwork(client, target.physicalNetwork)
  if (target.zone) return guestPhysicalNetworkOfZone(client, target.zone)
  throw new UsageError('say which physical network: --physical-network PN or --zone Z')
}

// ----- what a physical network holds ----------------------------------------------------------

export interface DedicatedRangeRecord extends DedicatedVlanRange {
  /** The API object as listDedicatedGuestVlanRanges returned it. */
  raw: ApiObject
}

export interface GuestVlanUsage {
  /** Undefined when the server cannot list them (listGuestVlans came with CloudStack 4.17). */
  allocated?: AllocatedVlan[]
  dedicated: DedicatedRangeRecord[]
  ranges: VlanRange[]
}

export function ownerOf(item: ApiObject): VlanOwner {
  return {
    account: item.project ? undefined : (item.account as string | undefined),
    domain: item.domain as string | undefined,
    project: item.project as string | undefined,
  }
}

/** The allocated VLANs with their owners, or undefined when the server has no listGuestVlans. */
async function listAllocatedVlans(
  client: MoldClient,
  pn: PhysicalNetwork,
): Promise<AllocatedVlan[] | undefined> {
  let items: ApiObject[]
  try {
    items = await client.list<ApiObject>('listGuestVlans', {allocatedonly: true, physicalnetworkid: pn.id})
  } catch (error) {
    // Servers before 4.17 (or roles without the command) answer an unknown command with 401 or 432.
    if (error instanceof ApiError && (error.errorcode === 401 || error.errorcode === 432)) return undefined
    throw error
  }

  return items.map((item) => ({
    networks: Array.isArray(item.network) ? item.network.map((n: ApiObject) => String(n.name ?? n.id)) : [],
    owner: ownerOf(item),
    vlan: Number(item.vlan),
  }))
}

/** The physical network's ranges, its allocated VLANs (with owners) and its dedicated ranges. */
export async function readGuestVlanUsage(client: MoldClient, pn: PhysicalNetwork): Promise<GuestVlanUsage> {
  const [allocated, dedicated] = await Promise.all([
    listAllocatedVlans(client, pn),
    client.list<ApiObject>('listDedicatedGuestVlanRanges', {physicalnetworkid: pn.id}),
  ])
  return {
    allocated,
    dedicated: dedicated.map((item) => ({
      id: String(item.id),
      owner: ownerOf(item),
      range: parseServerVlanString(String(item.guestvlanrange))[0],
      raw: item,
    })),
    ranges: parseServerVlanString(pn.vlan),
  }
}

// ----- vlan range list ------------------------------------------------------------------------

export interface VlanRangeRow {
  /** Null when the server cannot list allocated VLANs. */
  allocated: null | number
  dedicated: Array<{account?: string; domain?: string; guestvlanrange: string; id: string; project?: string}>
  isolationmethods?: string
  physicalnetwork: string
  physicalnetworkid: string
  vlanrange: string
  vlans: number
  zonename?: string
}

/** The physical networks a --physical-network / --zone filter names (all of them without one). */
async function physicalNetworksInScope(
  client: MoldClient,
  filter: PhysicalNetworkTarget,
): Promise<PhysicalNetwork[]> {
  if (filter.physicalNetwork) return [await resolvePhysicalNetwork(client, filter.physicalNetwork)]
  if (filter.zone) {
    const zone = await resolveEntity(client, 'zone', filter.zone)
    return client.list<PhysicalNetwork>('listPhysicalNetworks', {zoneid: zone.id})
  }

  return client.list<PhysicalNetwork>('listPhysicalNetworks')
}

/** One row per range of each physical network in scope (a network without ranges gets one empty row). */
export async function listVlanRanges(
  client: MoldClient,
  filter: PhysicalNetworkTarget,
): Promise<VlanRangeRow[]> {
  const networks = await physicalNetworksInScope(client, filter)

  const usages = await Promise.all(networks.map((pn) => readGuestVlanUsage(client, pn)))
  return networks.flatMap((pn, i) => {
    const usage = usages[i]
    const base = {
      isolationmethods: pn.isolationmethods,
      physicalnetwork: pn.name,
      physicalnetworkid: pn.id,
      zonename: pn.zonename,
    }
    if (usage.ranges.length === 0) return [{...base, allocated: 0, dedicated: [], vlanrange: '', vlans: 0}]
    const taken = usage.allocated && rangesFromVlans(usage.allocated.map((a) => a.vlan))
    return usage.ranges.map((range) => ({
      ...base,
      allocated: taken ? countVlans(intersectRanges(taken, [range])) : null,
      dedicated: usage.dedicated
        .filter((d) => intersectRanges([d.range], [range]).length > 0)
        .map((d) => ({...d.owner, guestvlanrange: formatRanges([d.range]), id: d.id})),
      vlanrange: formatRanges([range]),
      vlans: countVlans([range]),
    }))
  })
}

/** Dedicated ranges of every physical network in scope, each with its physical network's name. */
export async function listDedicatedRanges(
  client: MoldClient,
  filter: PhysicalNetworkTarget,
): Promise<ApiObject[]> {
  const networks = await physicalNetworksInScope(client, filter)

  const lists = await Promise.all(
    networks.map((pn) => client.list<ApiObject>('listDedicatedGuestVlanRanges', {physicalnetworkid: pn.id})),
  )
  return networks.flatMap((pn, i) =>
    lists[i].map((item) => ({...item, physicalnetwork: pn.name, zonename: pn.zonename})),
  )
}

/** The dedicated range with this id, or a usage error. */
export async function findDedicatedRange(client: MoldClient, id: string): Promise<GuestVlanRange> {
  if (!UUID_PATTERN.test(id)) {
    throw new UsageError(`"${id}" is not a dedicated range id (a UUID)`, [
      'list them with: moldctl vlan dedicated list',
    ])
  }

  // Listing them all (there are few) rather than by id: an unknown id is a 431 error, not an empty list.
  const wanted = id.toLowerCase()
  const found = (await client.list<GuestVlanRange>('listDedicatedGuestVlanRanges')).find(
    (d) => d.id === wanted,
  )
  if (!found)
    throw new NotFoundError(`no dedicated VLAN range has the id ${id}`, [
      'list them with: moldctl vlan dedicated list',
    ])
  return found
}
