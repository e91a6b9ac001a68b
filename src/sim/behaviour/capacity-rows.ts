import type {SimModel, VmState, Zone} from '../state/model.js'

/*
 * listCapacity's rows after the capacity DAO of the real server (op_host_capacity summed per
 * zone, pod or cluster): host totals multiplied by each cluster's current overprovisioning
 * factor while running VMs count the factor they were started with, zone-wide allocation and
 * VLAN rows, and the "top consumed" grouping of sortby=usage.
 */

export const CAPACITY_NAMES: Record<number, string> = {
  0: 'MEMORY',
  1: 'CPU',
  2: 'STORAGE',
  3: 'STORAGE_ALLOCATED',
  6: 'SECONDARY_STORAGE',
  7: 'VLAN',
  90: 'CPU_CORE',
}
/** Zone-level allocation counts every VM not Destroyed, Error or Expunging (stopped ones too). */
const NOT_ALLOCATED = new Set<VmState>(['Destroyed', 'Error', 'Expunging'])
/** VM states holding CPU cores on their host. */
const UP_STATES = new Set<VmState>(['Migrating', 'Running', 'Starting', 'Stopping'])

export interface CapacityRow {
  allocated?: number
  clusterId?: string
  podId?: string
  total: number
  type: number
  used: number
  zoneId: string
}

interface HostRow {
  clusterId: string
  podId: string
  total: number
  type: number
  used: number
  zoneId: string
}

/**
 * op_host_capacity rows of the hosts whose capacity is enabled (Enabled hosts in enabled
 * clusters, pods and zones): memory and CPU totals already multiplied by the cluster's factor.
 */
function hostRows(model: SimModel, filter: {clusterId?: string; podId?: string; zoneId?: string}): HostRow[] {
  const hosts = model.state.hosts.filter((host) => {
    if (filter.zoneId && host.zoneId !== filter.zoneId) return false
    if (filter.podId && host.podId !== filter.podId) return false
    if (filter.clusterId && host.clusterId !== filter.clusterId) return false
    return (
      host.type === 'Routing' &&
      host.resourceState === 'Enabled' &&
      model.clusters.get(host.clusterId)?.allocationState === 'Enabled' &&
      model.pods.get(host.podId)?.allocationState === 'Enabled' &&
      model.zones.get(host.zoneId)?.allocationState === 'Enabled'
    )
  })
  const capacities = model.hostCapacities(hosts)
  const cores = new Map<string, number>()
  for (const vm of model.state.vms) {
    if (vm.hostId && UP_STATES.has(vm.state)) cores.set(vm.hostId, (cores.get(vm.hostId) ?? 0) + vm.cpuNumber)
  }

  // A plain loop: flatMap with spread rows took seconds at 100,000 hosts.
  const rows: HostRow[] = []
  for (const host of hosts) {
    const c = capacities.get(host.id)!
    const {clusterId, podId, zoneId} = host
    for (const [type, total, used] of [
      [0, c.memoryWithOverprovisioning, c.memoryAllocated],
      [1, c.cpuWithOverprovisioning, c.cpuAllocated],
      [90, host.cpuNumber, cores.get(host.id) ?? 0],
    ]) {
      if (total > 0) rows.push({clusterId, podId, zoneId, total, type, used})
    }
  }

  return rows
}

/**
 * Storage rows (op_host_capacity of storage pools and image stores): per primary pool STORAGE
 * (2: bytes used of the pool's size) and STORAGE_ALLOCATED (3: bytes of its volumes of the size
 * times storage.overprovisioning.factor for NFS pools), in the pool's pod and cluster (zone-wide
 * pools in none); per image store SECONDARY_STORAGE (6), zone-wide. Pools that are not Up and
 * stores of disabled zones count nothing.
 */
function storageRows(
  model: SimModel,
  filter: {clusterId?: string; podId?: string; zoneId?: string},
): HostRow[] {
  const enabled = (zoneId: string) => model.zones.get(zoneId)?.allocationState === 'Enabled'
  const factor = Number(model.setting('storage.overprovisioning.factor')) || 1
  const pools = (model.state.storagePools ?? []).filter(
    (pool) =>
      (!filter.zoneId || pool.zoneId === filter.zoneId) &&
      (!filter.podId || pool.podId === filter.podId) &&
      (!filter.clusterId || pool.clusterId === filter.clusterId) &&
      pool.state === 'Up' &&
      enabled(pool.zoneId),
  )
  const rows = pools.flatMap((pool): HostRow[] => {
    const where = {clusterId: pool.clusterId ?? '', podId: pool.podId ?? '', zoneId: pool.zoneId}
    const total = pool.capacityBytes * (pool.type === 'NetworkFilesystem' ? factor : 1)
    return [
      {...where, total: pool.capacityBytes, type: 2, used: pool.usedBytes},
      {...where, total, type: 3, used: pool.allocatedBytes},
    ]
  })
  if (filter.podId || filter.clusterId) return rows
  const stores = (model.state.imageStores ?? []).filter(
    (store) => (!filter.zoneId || store.zoneId === filter.zoneId) && enabled(store.zoneId),
  )
  return [
    ...rows,
    ...stores.map((store) => ({
      clusterId: '',
      podId: '',
      total: store.capacityBytes,
      type: 6,
      used: store.usedBytes,
      zoneId: store.zoneId,
    })),
  ]
}

/** Zone-wide VLAN capacity: the VNETs of the zone's physical networks and how many are taken. */
function vlanRow(model: SimModel, zone: Zone): CapacityRow | undefined {
  if (zone.allocationState !== 'Enabled') return undefined
  let total = 0
  let used = 0
  for (const network of model.state.physicalNetworks) {
    if (network.zoneId !== zone.id) continue
    for (const [start, end] of network.vlanRanges) total += end - start + 1
    used += network.vnetsAllocated.length
  }

  return total > 0 ? {total, type: 7, used, zoneId: zone.id} : undefined
}

/** Allocation of a zone from its VMs' sizes (findFilteredCapacityBy at zone level). */
function zoneAllocated(model: SimModel, zoneId: string): Record<number, number> {
  const sums: Record<number, number> = {0: 0, 1: 0, 90: 0}
  for (const vm of model.state.vms) {
    if (vm.zoneId !== zoneId || NOT_ALLOCATED.has(vm.state)) continue
    sums[0] += vm.memory * 1024 * 1024
    sums[1] += vm.cpuNumber * vm.cpuSpeed
    sums[90] += vm.cpuNumber
  }

  return sums
}

function addTo(groups: Map<string, CapacityRow>, key: string, row: CapacityRow): void {
  const existing = groups.get(key)
  if (existing) {
    existing.total += row.total
    existing.used += row.used
  } else {
    groups.set(key, {...row})
  }
}

/** DecimalFormat("##.##"): at most two decimals, half-even, no trailing zeros. */
export function formatPercentUsed(percent: number): string {
  const scaled = Math.round(percent * 100 * 1e6) / 1e6
  const floor = Math.floor(scaled)
  const rounded = scaled - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(scaled)
  return String(rounded / 100)
}

export interface CapacityFilter {
  clusterId?: string
  podId?: string
  type?: number
  zoneId?: string
}

/** listCapacities: per zone and type, or one row per type for the pod or cluster asked for. */
export function listCapacities(model: SimModel, filter: CapacityFilter): CapacityRow[] {
  const perZone = !filter.podId && !filter.clusterId
  const groups = new Map<string, CapacityRow>()
  for (const row of [...hostRows(model, filter), ...storageRows(model, filter)]) {
    if (filter.type !== undefined && row.type !== filter.type) continue
    addTo(groups, perZone ? `${row.zoneId}:${row.type}` : String(row.type), {
      clusterId: filter.clusterId,
      podId: filter.podId,
      total: row.total,
      type: row.type,
      used: row.used,
      zoneId: row.zoneId,
    })
  }

  const rows = [...groups.values()]
  if (!perZone) return rows
  const zones = filter.zoneId ? [model.zones.get(filter.zoneId)!] : model.state.zones
  for (const zone of zones) {
    const allocated = zoneAllocated(model, zone.id)
    for (const row of rows)
      if (row.zoneId === zone.id && row.type in allocated) row.allocated = allocated[row.type]
    const vlan = vlanRow(model, zone)
    if (vlan && (filter.type === undefined || filter.type === vlan.type)) rows.push(vlan)
  }

  return rows
}

/** sortby=usage (listTopConsumedResources): grouped one level below the filter, busiest first. */
export function listTopConsumed(
  model: SimModel,
  filter: CapacityFilter,
): Array<{percent: number; row: CapacityRow}> {
  const level = filter.podId ? 'cluster' : filter.zoneId ? 'pod' : 'zone'
  const groups = new Map<string, CapacityRow>()
  for (const row of [...hostRows(model, filter), ...storageRows(model, filter)]) {
    if (filter.type !== undefined && row.type !== filter.type) continue
    const group = level === 'zone' ? row.zoneId : level === 'pod' ? row.podId : row.clusterId
    // Rows without a pod (or cluster) have no place one level below the zone (or pod).
    if (!group) continue
    addTo(groups, `${group}:${row.type}`, {
      clusterId: level === 'cluster' ? row.clusterId : undefined,
      podId: level === 'zone' ? undefined : row.podId,
      total: row.total,
      type: row.type,
      used: row.used,
      zoneId: row.zoneId,
    })
  }

  return [...groups.values()]
    .map((row) => ({percent: row.total > 0 ? (row.used / Math.trunc(row.total)) * 100 : 0, row}))
    .sort((a, b) => b.percent - a.percent)
}
