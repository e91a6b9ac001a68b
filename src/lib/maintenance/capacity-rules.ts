/**
 * Client-side capacity check before draining hosts: can the other Up and Enabled hosts of a
 * cluster take the VMs of the hosts about to enter maintenance?
 *
 * The server's allocator checks, for every candidate host, the CPU capability (enough cores,
 * each at least as fast as the VM's) and the free capacity, where a host's capacity is its raw
 * capacity multiplied by the cluster's overprovisioning factor (`cpuovercommitratio`,
 * `memoryovercommitratio`). We place the VMs the same way, first fit, biggest VMs first — the
 * order that packs best, so a "does not fit" answer is not an artefact of an unlucky order.
 * Hosts are drained one after another: a host that has been drained is in Maintenance and
 * takes no VMs, and the VMs it gave away count on their new hosts — and move again when such a
 * host is drained later in the same plan.
 */

import type {Host} from '../api/models.js'

export interface OvercommitFactors {
  cpu: number
  memory: number
}

export interface CandidateHost {
  /** Raw CPU MHz already promised to VMs on the host (cores × speed of each VM). */
  allocatedCpuMhz: number
  allocatedMemoryBytes: number
  cpuNumber: number
  cpuSpeedMhz: number
  id: string
  memoryTotalBytes: number
  name: string
  /** Resource state (`Enabled`, `Disabled`, `Maintenance`, …). */
  resourceState: string
  /** Agent status (`Up`, `Down`, `Alert`, …). */
  state: string
}

/** A host as the capacity check sees it, with what is already allocated on it. */
export function candidateOf(host: Host, allocated: {cpuMhz: number; memoryBytes: number}): CandidateHost {
  return {
    allocatedCpuMhz: allocated.cpuMhz,
    allocatedMemoryBytes: allocated.memoryBytes,
    cpuNumber: Number(host.cpunumber ?? 0),
    cpuSpeedMhz: Number(host.cpuspeed ?? 0),
    id: host.id,
    memoryTotalBytes: Number(host.memorytotal ?? 0),
    name: host.name,
    resourceState: host.resourcestate,
    state: host.state,
  }
}

export interface VmDemand {
  cpuNumber: number
  cpuSpeedMhz: number
  id: string
  memoryBytes: number
  name: string
}

export interface VmPlacement {
  targetHostId: string
  targetHostName: string
  vm: VmDemand
}

export interface UnplacedVm {
  reason: string
  vm: VmDemand
}

export interface HostDrainCheck {
  hostId: string
  hostName: string
  placements: VmPlacement[]
  /** The Up and Enabled hosts that could receive VMs when this host drains. */
  targetHostIds: string[]
  unplaced: UnplacedVm[]
}

export interface DrainCapacityInput {
  /** Every host of the cluster, including the ones to drain. */
  clusterHosts: CandidateHost[]
  clusterName: string
  /** Hosts to drain, in the order they will be drained; all must belong to `clusterHosts`. */
  drainOrder: string[]
  factors: OvercommitFactors
  /**
   * False when the cluster (or its pod or zone) is Disabled: the server then places no VMs in
   * it, so nothing can move.
   */
  placementAllowed?: boolean
  /** The running VMs on each host to drain, by host id. */
  vmsByHost: ReadonlyMap<string, readonly VmDemand[]>
}

export interface DrainCapacityResult {
  hosts: HostDrainCheck[]
  ok: boolean
}

const MIB = 1024 * 1024

/** Capacity a host offers after overprovisioning, minus what is already allocated. */
export function freeCapacity(
  host: Pick<
    CandidateHost,
    'allocatedCpuMhz' | 'allocatedMemoryBytes' | 'cpuNumber' | 'cpuSpeedMhz' | 'memoryTotalBytes'
  >,
  factors: OvercommitFactors,
): {cpuMhz: number; memoryBytes: number} {
  return {
    cpuMhz: host.cpuNumber * host.cpuSpeedMhz * factors.cpu - host.allocatedCpuMhz,
    memoryBytes: host.memoryTotalBytes * factors.memory - host.allocatedMemoryBytes,
  }
}

export function vmCpuMhz(vm: Pick<VmDemand, 'cpuNumber' | 'cpuSpeedMhz'>): number {
  return vm.cpuNumber * vm.cpuSpeedMhz
}

/** Why `vm` cannot go to `host`, or undefined when it fits. */
export function whyVmDoesNotFit(
  vm: VmDemand,
  host: CandidateHost,
  factors: OvercommitFactors,
): string | undefined {
  if (host.cpuNumber < vm.cpuNumber)
    return `${host.name} has ${host.cpuNumber} cores, the VM needs ${vm.cpuNumber}`
  if (host.cpuSpeedMhz < vm.cpuSpeedMhz)
    return `${host.name} runs at ${host.cpuSpeedMhz} MHz, the VM needs ${vm.cpuSpeedMhz} MHz`
  const free = freeCapacity(host, factors)
  if (free.cpuMhz < vmCpuMhz(vm)) return `${host.name} has ${formatMhz(free.cpuMhz)} CPU free`
  if (free.memoryBytes < vm.memoryBytes)
    return `${host.name} has ${formatBytes(free.memoryBytes)} memory free`
  return undefined
}

export function isUpAndEnabled(host: Pick<CandidateHost, 'resourceState' | 'state'>): boolean {
  return host.state === 'Up' && host.resourceState === 'Enabled'
}

/** Biggest first: memory, then CPU, then name so that the order is stable. */
function biggestFirst(a: VmDemand, b: VmDemand): number {
  return b.memoryBytes - a.memoryBytes || vmCpuMhz(b) - vmCpuMhz(a) || a.name.localeCompare(b.name)
}

export function describeVmDemand(vm: VmDemand): string {
  return `${vm.cpuNumber}×${vm.cpuSpeedMhz} MHz, ${formatBytes(vm.memoryBytes)}`
}

/**
 * Simulates draining `drainOrder` one host after another and reports, per host, where each of
 * its VMs would go and which VMs fit nowhere (with the reason).
 */
export function checkDrainCapacity(input: DrainCapacityInput): DrainCapacityResult {
  const hosts = new Map(input.clusterHosts.map((h) => [h.id, {...h}]))
  const drained = new Set<string>()
  const pending = new Set(input.drainOrder)
  // VMs moved onto a host that drains later in the plan have to move again.
  const vmsOn = new Map(input.drainOrder.map((id) => [id, [...(input.vmsByHost.get(id) ?? [])]]))
  const results: HostDrainCheck[] = []
  for (const hostId of input.drainOrder) {
    const source = hosts.get(hostId)
    if (!source) throw new Error(`host ${hostId} is not in cluster ${input.clusterName}`)
    const targets =
      input.placementAllowed === false
        ? []
        : [...hosts.values()].filter((h) => h.id !== hostId && !drained.has(h.id) && isUpAndEnabled(h))
    const check: HostDrainCheck = {
      hostId,
      hostName: source.name,
      placements: [],
      targetHostIds: targets.map((t) => t.id),
      unplaced: [],
    }
    const vms = [...(vmsOn.get(hostId) ?? [])].sort(biggestFirst)
    for (const vm of vms) {
      const target = targets.find((t) => whyVmDoesNotFit(vm, t, input.factors) === undefined)
      if (target) {
        target.allocatedCpuMhz += vmCpuMhz(vm)
        target.allocatedMemoryBytes += vm.memoryBytes
        check.placements.push({targetHostId: target.id, targetHostName: target.name, vm})
        if (pending.has(target.id)) vmsOn.get(target.id)!.push(vm)
      } else {
        check.unplaced.push({reason: explainNoTarget(vm, targets, input), vm})
      }
    }

    drained.add(hostId)
    pending.delete(hostId)
    results.push(check)
  }

  return {hosts: results, ok: results.every((r) => r.unplaced.length === 0)}
}

function explainNoTarget(vm: VmDemand, targets: CandidateHost[], input: DrainCapacityInput): string {
  if (input.placementAllowed === false)
    return `cluster ${input.clusterName} (or its pod or zone) is Disabled, so no VM can be placed in it`
  if (targets.length === 0) return `no other host of cluster ${input.clusterName} is Up and Enabled`
  const why = targets.map((t) => whyVmDoesNotFit(vm, t, input.factors)).join('; ')
  return `needs ${describeVmDemand(vm)}; ${why}`
}

/** Human explanation of a failed check: one line per VM that fits nowhere. */
export function explainDrainCapacity(result: DrainCapacityResult, factors: OvercommitFactors): string[] {
  const lines: string[] = []
  for (const host of result.hosts) {
    for (const {reason, vm} of host.unplaced)
      lines.push(`${vm.name} on ${host.hostName} fits on no other host: ${reason}`)
  }

  if (lines.length > 0)
    lines.push(
      `(capacity counted with the cluster's overprovisioning factors: cpu ×${factors.cpu}, memory ×${factors.memory})`,
    )
  return lines
}

export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) >= 1024 * MIB) return `${round1(bytes / (1024 * MIB))} GiB`
  return `${round1(bytes / MIB)} MiB`
}

export function formatMhz(mhz: number): string {
  return Math.abs(mhz) >= 1000 ? `${round1(mhz / 1000)} GHz` : `${Math.round(mhz)} MHz`
}

function round1(n: number): number {
  return Math.round(n * 10) / 10
}

/**
 * Parses an overcommit ratio as listClusters returns it (a string such as "1.0"); anything
 * missing or not a positive number counts as 1 (no overprovisioning), the server's default.
 */
export function parseOvercommitRatio(value?: unknown): number {
  const n = typeof value === 'number' ? value : Number.parseFloat(String(value ?? ''))
  return Number.isFinite(n) && n > 0 ? n : 1
}
