import type {Cluster, Host, Vm} from '../api/models.js'

/** API objects as listHosts / listClusters / listVirtualMachines return them (fields we use). */
/** The listHosts fields the plan reads. */
export type PlanHost = Partial<
  Pick<
    Host,
    | 'clusterid'
    | 'clustername'
    | 'cpuallocatedvalue'
    | 'cpunumber'
    | 'cpuspeed'
    | 'cpuwithoverprovisioning'
    | 'hypervisor'
    | 'memoryallocatedbytes'
    | 'memorywithoverprovisioning'
    | 'resourcestate'
    | 'state'
  >
> &
  Pick<Host, 'id' | 'name'>

/** The listClusters fields the plan reads. */
export type PlanCluster = Partial<
  Pick<Cluster, 'allocationstate' | 'cpuovercommitratio' | 'memoryovercommitratio'>
> &
  Pick<Cluster, 'id' | 'name'>

/** The listVirtualMachines fields the plan reads. */
export type PlanVm = Partial<Pick<Vm, 'cpunumber' | 'cpuspeed' | 'hostid' | 'instancename' | 'memory'>> &
  Pick<Vm, 'id' | 'name' | 'state'>

/** VM states that stop rolling maintenance of a whole cluster (isMaintenanceAllowedByVMStates). */
export const BLOCKING_VM_STATES = ['Starting', 'Stopping', 'Migrating', 'Error', 'Unknown']
/** VMs that do not sit on a host for the capacity check. */
const OFF_HOST_VM_STATES = new Set(['Destroyed', 'Expunging', 'Stopped'])

export interface CapacityCheck {
  /** Present when the server would stop the whole run whatever --forced says. */
  fatal?: string
  /** The VM that fits nowhere, when one does not. */
  message: string
  ok: boolean
}

const num = (value: number | string | undefined): number => Number(value ?? 0) || 0

/** checkIfHostHasCpuCapability: enough cores and a fast enough clock. */
function hasCpuCapability(target: PlanHost, vm: PlanVm): boolean {
  return num(target.cpunumber) >= num(vm.cpunumber) && num(target.cpuspeed) >= num(vm.cpuspeed)
}

/** checkIfHostHasCapacity with the cluster's overcommit ratios (already in the *withoverprovisioning totals). */
function hasFreeCapacity(target: PlanHost, vm: PlanVm): boolean {
  const cpuFree = num(target.cpuwithoverprovisioning) - num(target.cpuallocatedvalue)
  const memoryFree = num(target.memorywithoverprovisioning) - num(target.memoryallocatedbytes)
  return cpuFree >= num(vm.cpunumber) * num(vm.cpuspeed) && memoryFree >= num(vm.memory) * 1024 * 1024
}

/**
 * The server's capacity check before a host enters maintenance
 * (performCapacityChecksBeforeHostInMaintenance): another Up + Enabled host must exist in the
 * cluster, and each VM on the host must fit on one of them on its own (VMs are not added up,
 * as on the server). Host tags, affinity groups and the max-guests limit are left to the server.
 */
export function capacityCheck(
  host: PlanHost,
  cluster: PlanCluster,
  clusterHosts: PlanHost[],
  vms: PlanVm[],
): CapacityCheck {
  const targets = clusterHosts.filter(
    (h) => h.id !== host.id && h.resourcestate === 'Enabled' && h.state === 'Up',
  )
  if (targets.length === 0) {
    const fatal = `No host available in cluster ${cluster.id} (${cluster.name}) to support host ${host.id} (${host.name}) in maintenance`
    return {fatal, message: fatal, ok: false}
  }

  const onHost = vms.filter((vm) => vm.hostid === host.id && !OFF_HOST_VM_STATES.has(vm.state))
  for (const vm of onHost) {
    if (!targets.some((target) => hasCpuCapability(target, vm) && hasFreeCapacity(target, vm))) {
      return {
        message: `${vm.name} cannot be migrated away from ${host.name} to any other host in the cluster`,
        ok: false,
      }
    }
  }

  return {
    message:
      onHost.length === 0
        ? 'ok (no VMs)'
        : `ok (${onHost.length} VM${onHost.length === 1 ? '' : 's'} fit elsewhere)`,
    ok: true,
  }
}

export interface PlannedHost {
  blockingvms: {name: string; state: string}[]
  capacity: CapacityCheck
  id: string
  name: string
  resourcestate: string
  state: string
  /** Why the state check would refuse the host (not Up / not Enabled), if it would. */
  statecheck: null | string
  vms: number
}

export interface PlannedCluster {
  allocationstate: string
  hosts: PlannedHost[]
  id: string
  name: string
  /** startRollingMaintenance disables the cluster while it works on it, if it is Enabled. */
  willdisable: boolean
}

export interface RollingPlan {
  clusters: PlannedCluster[]
  /** What the server is expected to do with this plan: succeed, skip, or stop the run. */
  expectations: string[]
  forced: boolean
  ignoredhosts: {hypervisor: string; id: string; name: string}[]
  payload: null | string
  pinginterval: number
  stagetimeout: number
  /** true when the run is expected to stop with success=false. */
  willfail: boolean
}

export interface PlanInput {
  /** All hosts of the clusters involved (the capacity check looks beyond the scope). */
  clusterHosts: PlanHost[]
  clusters: PlanCluster[]
  forced: boolean
  payload?: string
  pingInterval: number
  /** Hosts in the scope, any hypervisor, in the order the server lists them. */
  scopeHosts: PlanHost[]
  stageTimeout: number
  vms: PlanVm[]
}

function planHost(host: PlanHost, cluster: PlanCluster, input: PlanInput): PlannedHost {
  const onHost = input.vms.filter((vm) => vm.hostid === host.id)
  const state = host.state ?? 'Unknown'
  const resourcestate = host.resourcestate ?? 'Unknown'
  let statecheck: null | string = null
  if (state !== 'Up') statecheck = `Host ${host.id} is not connected, state = ${state}`
  else if (resourcestate !== 'Enabled')
    statecheck = `Host ${host.id} is not enabled, state = ${resourcestate}`
  const peers = input.clusterHosts.filter((h) => h.clusterid === cluster.id)
  return {
    blockingvms: onHost
      .filter((vm) => BLOCKING_VM_STATES.includes(vm.state))
      .map((vm) => ({name: vm.name, state: vm.state})),
    capacity: capacityCheck(host, cluster, peers, input.vms),
    id: host.id,
    name: host.name,
    resourcestate,
    state,
    statecheck,
    vms: onHost.filter((vm) => !OFF_HOST_VM_STATES.has(vm.state)).length,
  }
}

/** What the server would find, cluster by cluster, and how the run is expected to go. */
function expectationsFor(cluster: PlannedCluster, forced: boolean): {fails: boolean; lines: string[]} {
  const lines: string[] = []
  const blocked = cluster.hosts.find((host) => host.blockingvms.length > 0)
  if (blocked) {
    if (!forced)
      return {fails: true, lines: [`the run stops: VMs in invalid states in cluster: ${cluster.id}`]}
    return {
      fails: false,
      lines: [`cluster ${cluster.name} is skipped (VMs in blocking states on ${blocked.name})`],
    }
  }

  for (const host of cluster.hosts) {
    if (host.statecheck && !forced) return {fails: true, lines: [`the run stops: ${host.statecheck}`]}
    if (host.statecheck) lines.push(`${host.name} is skipped: ${host.statecheck}`)
  }

  for (const host of cluster.hosts.filter((h) => !h.statecheck)) {
    if (host.capacity.fatal) return {fails: true, lines: [...lines, `the run stops: ${host.capacity.fatal}`]}
    if (!host.capacity.ok && !forced) {
      return {
        fails: true,
        lines: [...lines, `the run stops: capacity check failed for ${host.name}: ${host.capacity.message}`],
      }
    }

    if (!host.capacity.ok)
      lines.push(`${host.name} is likely skipped: capacity check failed: ${host.capacity.message}`)
  }

  return {fails: false, lines}
}

/** The dry-run plan: clusters in the server's order, each with its KVM hosts and their checks. */
export function buildRollingPlan(input: PlanInput): RollingPlan {
  const kvm = input.scopeHosts.filter((host) => host.hypervisor === 'KVM')
  const ignoredhosts = input.scopeHosts
    .filter((host) => host.hypervisor !== 'KVM')
    .map((host) => ({hypervisor: host.hypervisor ?? 'unknown', id: host.id, name: host.name}))
  // The server walks clusters by internal id, which is the order listClusters gives.
  const listed = (id: string) => {
    const index = input.clusters.findIndex((c) => c.id === id)
    return index === -1 ? Number.MAX_SAFE_INTEGER : index
  }

  const clusterIds = [...new Set(kvm.map((host) => host.clusterid ?? ''))].sort(
    (a, b) => listed(a) - listed(b),
  )
  const clusters = clusterIds.map((id) => {
    const cluster = input.clusters.find((c) => c.id === id) ?? {id, name: id}
    const allocationstate = cluster.allocationstate ?? 'Enabled'
    return {
      allocationstate,
      hosts: kvm
        .filter((host) => (host.clusterid ?? '') === id)
        .map((host) => planHost(host, cluster, input)),
      id,
      name: cluster.name,
      willdisable: allocationstate === 'Enabled',
    }
  })
  const expectations: string[] = []
  let willfail = false
  for (const cluster of clusters) {
    const result = expectationsFor(cluster, input.forced)
    expectations.push(...result.lines)
    if (result.fails) {
      willfail = true
      break
    }
  }

  if (kvm.length === 0) expectations.push('no KVM host in scope: the run does nothing')
  return {
    clusters,
    expectations,
    forced: input.forced,
    ignoredhosts,
    payload: input.payload ?? null,
    pinginterval: input.pingInterval,
    stagetimeout: input.stageTimeout,
    willfail,
  }
}
