import {randomUUID} from 'node:crypto'

import type {
  Account,
  Cluster,
  DedicatedVlanRange,
  Domain,
  Host,
  HostCapacity,
  JobRecord,
  PhysicalNetwork,
  Pod,
  Project,
  SimState,
  User,
  Vm,
  VmState,
  Zone,
} from './records.js'

import {SETTING_DEFINITIONS, type SettingDefinition} from '../catalog/settings.js'
import {deterministicUuid} from './ids.js'
import {defaultNetworkOfferings} from './network-offerings.js'

/*
 * The simulator's state: plain JSON-serialisable records (saved as-is by --state), plus the
 * SimModel class that indexes them. Handlers mutate records in place and use the model's helpers
 * for derived values (capacity, effective settings).
 */

export * from './records.js'

/** VM states whose capacity stays allocated on their host. */
const CAPACITY_STATES = new Set<VmState>(['Migrating', 'Running', 'Starting', 'Stopping'])

export const CPU_FACTOR_SETTING = 'cpu.overprovisioning.factor'
export const MEMORY_FACTOR_SETTING = 'mem.overprovisioning.factor'
/** Cluster-detail keys under which cluster-scoped settings are stored, when they differ. */
export const CLUSTER_DETAIL_KEYS: Record<string, string> = {
  [CPU_FACTOR_SETTING]: 'cpuOvercommitRatio',
  [MEMORY_FACTOR_SETTING]: 'memoryOvercommitRatio',
}

/**
 * Whether the server recorded the factors a VM started with in its details (user_vm_details):
 * it does when a factor above 1 is in force at start, and keeps them once written.
 */
export function vmStartFactorsRecorded(vm: Vm): boolean {
  return Number(vm.cpuOvercommitRatio) > 1 || Number(vm.memoryOvercommitRatio) > 1
}

/** Indexes over a SimState. Rebuild with reindex() after adding or removing records. */
export class SimModel {
  accounts = new Map<string, Account>()
  clusters = new Map<string, Cluster>()
  dedicatedVlanRanges = new Map<string, DedicatedVlanRange>()
  domains = new Map<string, Domain>()
  hosts = new Map<string, Host>()
  /** Hypervisor hosts per cluster, pod and zone id, in state order (rebuilt by reindex()). */
  hostsByScope = new Map<string, Host[]>()
  jobs = new Map<string, JobRecord>()
  physicalNetworks = new Map<string, PhysicalNetwork>()
  pods = new Map<string, Pod>()
  projects = new Map<string, Project>()
  readonly settingDefinitions: Map<string, SettingDefinition> = new Map(
    SETTING_DEFINITIONS.map((d) => [d.name, d]),
  )
  readonly state: SimState
  users = new Map<string, User>()
  vms = new Map<string, Vm>()
  zones = new Map<string, Zone>()
  private readonly memos = new Map<string, unknown>()
  private memosRevision = 0
  private revision = 0

  constructor(state: SimState) {
    this.state = state
    // States saved before network offerings were simulated get the defaults.
    state.networkOfferings ??= defaultNetworkOfferings(state.seed)
    state.imageStores ??= []
    state.storagePools ??= []
    state.systemVmHosts ??= []
    this.reindex()
  }

  /**
   * Marks the records as possibly changed, so that what memo() keeps is computed again. The
   * server calls it for every mutating API call, simulator hook and clock timer (every delayed
   * change of a job or behaviour runs after one), and reindex() does.
   */
  changed(): void {
    this.revision++
  }

  /** Cluster factor (string as stored) for cpu or memory, falling back to the global value. */
  clusterFactor(cluster: Cluster, kind: 'cpu' | 'memory'): string {
    const setting = kind === 'cpu' ? CPU_FACTOR_SETTING : MEMORY_FACTOR_SETTING
    return cluster.details[CLUSTER_DETAIL_KEYS[setting]] ?? this.setting(setting)
  }

  /**
   * Capacity of every host, from the VMs placed on them, in one pass over the VMs (or over the
   * hosts' own VMs, given vmsByHost()). A VM counts size / (factor at its start) × (cluster
   * factor now), as CapacityManagerImpl.updateCapacityForHost does; without a recorded start
   * factor it counts its plain size.
   */
  hostCapacities(hosts: Iterable<Host>, vmsByHost?: ReadonlyMap<string, Vm[]>): Map<string, HostCapacity> {
    const result = new Map<string, HostCapacity>()
    const factorCache = new Map<string, [number, number]>()
    const hostFactors = new Map<string, [number, number]>()
    for (const host of hosts) {
      let factors = factorCache.get(host.clusterId)
      if (!factors) {
        const cluster = this.clusters.get(host.clusterId)
        factors = cluster
          ? [Number(this.clusterFactor(cluster, 'cpu')), Number(this.clusterFactor(cluster, 'memory'))]
          : [1, 1]
        factorCache.set(host.clusterId, factors)
      }

      hostFactors.set(host.id, factors)
      const cpuTotal = host.cpuNumber * host.cpuSpeed
      result.set(host.id, {
        cpuAllocated: 0,
        cpuTotal,
        cpuWithOverprovisioning: cpuTotal * factors[0],
        memoryAllocated: 0,
        memoryTotal: host.memoryTotal,
        memoryWithOverprovisioning: host.memoryTotal * factors[1],
      })
    }

    let {vms}: {vms: Iterable<Vm>} = this.state
    if (vmsByHost) {
      const own: Vm[] = []
      for (const id of result.keys()) own.push(...(vmsByHost.get(id) ?? []))
      vms = own
    }

    for (const vm of vms) {
      if (!vm.hostId || !CAPACITY_STATES.has(vm.state)) continue
      const capacity = result.get(vm.hostId)
      if (!capacity) continue
      const [cpuFactor, memoryFactor] = hostFactors.get(vm.hostId)!
      const recorded = vmStartFactorsRecorded(vm)
      const cpu = vm.cpuNumber * vm.cpuSpeed
      const memory = vm.memory * 1024 * 1024
      capacity.cpuAllocated += recorded ? (cpu / Number(vm.cpuOvercommitRatio)) * cpuFactor : cpu
      capacity.memoryAllocated += recorded
        ? (memory / Number(vm.memoryOvercommitRatio)) * memoryFactor
        : memory
    }

    for (const capacity of result.values()) {
      capacity.cpuAllocated = Math.round(capacity.cpuAllocated)
      capacity.memoryAllocated = Math.round(capacity.memoryAllocated)
    }

    return result
  }

  hostCapacity(host: Host): HostCapacity {
    return this.hostCapacities([host]).get(host.id)!
  }

  /** Hosts that belong to the cluster (linear scan; fine for per-request use). */
  hostsInCluster(clusterId: string): Host[] {
    return this.state.hosts.filter((host) => host.clusterId === clusterId)
  }

  /**
   * A value derived from the records, kept until they change (see changed()). `fresh` computes
   * it again anyway: the first page of a listing reads the records as they are now, also when
   * code in the same process edited them directly (tests do), and later pages reuse it.
   */
  memo<T>(key: string, fresh: boolean, compute: () => T): T {
    if (this.memosRevision !== this.revision || this.memos.size > 64) {
      this.memos.clear()
      this.memosRevision = this.revision
    }

    if (!fresh && this.memos.has(key)) return this.memos.get(key) as T
    const value = compute()
    this.memos.set(key, value)
    return value
  }

  /** A new deterministic id for an object made at run time (continues the topology's seed). */
  newId(kind: string): string {
    const seq = this.state.nextSeq++
    return deterministicUuid(this.state.seed, `${kind}:runtime:${seq}`)
  }

  newInternalId(): number {
    return this.state.nextInternalId++
  }

  /** A random job id: the seed shapes only the topology, so two simulators never share a job id. */
  newJobId(): string {
    // Still counts in the sequence, so the ids made after it stay those of earlier versions.
    this.state.nextSeq++
    return randomUUID()
  }

  reindex(): void {
    const index = <T extends {id: string}>(items: T[]) => new Map(items.map((item) => [item.id, item]))
    this.accounts = index(this.state.accounts)
    this.clusters = index(this.state.clusters)
    this.dedicatedVlanRanges = index(this.state.dedicatedVlanRanges)
    this.domains = index(this.state.domains)
    this.hosts = index(this.state.hosts)
    this.physicalNetworks = index(this.state.physicalNetworks)
    this.pods = index(this.state.pods)
    this.projects = index(this.state.projects)
    this.users = index(this.state.users)
    this.vms = index(this.state.vms)
    this.zones = index(this.state.zones)
    this.jobs = new Map(this.state.jobs.map((job) => [job.jobid, job]))
    this.hostsByScope = new Map()
    for (const host of this.state.hosts) {
      for (const scope of [host.clusterId, host.podId, host.zoneId]) {
        const list = this.hostsByScope.get(scope)
        if (list) list.push(host)
        else this.hostsByScope.set(scope, [host])
      }
    }

    this.changed()
  }

  /** The root admin user (first user of the ROOT admin account). */
  rootAdmin(): User {
    const admin = this.state.users.find((user) => this.accounts.get(user.accountId)?.type === 1)
    if (!admin) throw new Error('the simulator model has no root admin user')
    return admin
  }

  /** The global value of a setting (its default unless changed). */
  setting(name: string): string {
    return this.state.settings[name] ?? this.settingDefinitions.get(name)?.defaultValue ?? ''
  }

  /** A setting's value as seen from a cluster (cluster detail, else global). */
  settingForCluster(name: string, cluster: Cluster): string {
    return cluster.details[CLUSTER_DETAIL_KEYS[name] ?? name] ?? this.setting(name)
  }

  /** A setting's value as seen from a zone (zone detail, else global). */
  settingForZone(name: string, zone: Zone): string {
    return zone.details[name] ?? this.setting(name)
  }

  settingNumber(name: string): number {
    return Number(this.setting(name))
  }

  userByApiKey(apiKey: string): undefined | User {
    return this.state.users.find((user) => user.apiKey === apiKey)
  }

  /** The VMs placed on each host (by hostId), in state order, kept until the records change. */
  vmsByHost(fresh: boolean): ReadonlyMap<string, Vm[]> {
    return this.memo('vmsByHost', fresh, () => {
      const byHost = new Map<string, Vm[]>()
      for (const vm of this.state.vms) {
        if (!vm.hostId) continue
        const list = byHost.get(vm.hostId)
        if (list) list.push(vm)
        else byHost.set(vm.hostId, [vm])
      }

      return byHost
    })
  }

  vmsOnHost(hostId: string): Vm[] {
    return this.state.vms.filter((vm) => vm.hostId === hostId)
  }
}
