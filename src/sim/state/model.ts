import {SETTING_DEFINITIONS, type SettingDefinition} from '../catalog/settings.js'
import {deterministicUuid} from './ids.js'
import {defaultNetworkOfferings} from './network-offerings.js'

/*
 * The simulator's state: plain JSON-serialisable records (saved as-is by --state), plus the
 * SimModel class that indexes them. Handlers mutate records in place and use the model's helpers
 * for derived values (capacity, effective settings).
 */

export type AllocationState = 'Disabled' | 'Enabled'
export type HostStatus =
  | 'Alert'
  | 'Connecting'
  | 'Creating'
  | 'Disconnected'
  | 'Down'
  | 'Error'
  | 'Rebalancing'
  | 'Removed'
  | 'Unknown'
  | 'Up'
export type ResourceState =
  | 'Creating'
  | 'Degraded'
  | 'Disabled'
  | 'Enabled'
  | 'Error'
  | 'ErrorInMaintenance'
  | 'ErrorInPrepareForMaintenance'
  | 'Maintenance'
  | 'PrepareForMaintenance'
export type VmState =
  | 'Destroyed'
  | 'Error'
  | 'Expunging'
  | 'Migrating'
  | 'Running'
  | 'Shutdown'
  | 'Starting'
  | 'Stopped'
  | 'Stopping'
  | 'Unknown'
export type OobmDriver = 'ipmitool' | 'nestedcloudstack' | 'redfish'
export type OobmPowerState = 'Disabled' | 'Off' | 'On' | 'Unknown'
export type BmcMode = 'ok' | 'unreachable' | 'wrong-credentials'
export type RollingStage = 'Maintenance' | 'PostMaintenance' | 'PreFlight' | 'PreMaintenance'
export const ROLLING_STAGES: RollingStage[] = [
  'PreFlight',
  'PreMaintenance',
  'Maintenance',
  'PostMaintenance',
]

export interface Domain {
  id: string
  internalId: number
  name: string
  parentId?: string
  /** ROOT is '/', others '/child/grandchild/' (the server's normalised form). */
  path: string
}

export interface Account {
  domainId: string
  id: string
  internalId: number
  name: string
  state: 'disabled' | 'enabled' | 'locked'
  /** 0 user, 1 root admin, 2 domain admin. */
  type: number
}

export interface User {
  accountId: string
  apiKey?: string
  firstname: string
  id: string
  lastname: string
  password: string
  secretKey?: string
  state: 'disabled' | 'enabled' | 'locked'
  timezone?: string
  username: string
}

export interface Project {
  accountId: string
  domainId: string
  id: string
  name: string
  state: 'Active' | 'Disabled' | 'Suspended'
}

export interface Zone {
  allocationState: AllocationState
  created: string
  /** data_center_details: zone-scoped setting values and `outOfBandManagementEnabled`. */
  details: Record<string, string>
  dns1?: string
  dns2?: string
  guestCidr?: string
  id: string
  internalDns1?: string
  internalDns2?: string
  internalId: number
  localStorageEnabled: boolean
  name: string
  networkType: 'Advanced' | 'Basic'
  securityGroupsEnabled: boolean
  type: 'Core' | 'Edge'
}

export interface Pod {
  allocationState: AllocationState
  endIp: string
  gateway: string
  id: string
  internalId: number
  name: string
  netmask: string
  startIp: string
  zoneId: string
}

export interface Cluster {
  allocationState: AllocationState
  clusterType: 'CloudManaged' | 'ExternalManaged'
  /**
   * cluster_details: cluster-scoped setting values (the overprovisioning factors as
   * `cpuOvercommitRatio` / `memoryOvercommitRatio`) and `outOfBandManagementEnabled`.
   */
  details: Record<string, string>
  hypervisor: string
  id: string
  internalId: number
  managedState: 'Managed' | 'Unmanaged'
  name: string
  podId: string
  zoneId: string
}

export interface OobmConfig {
  address: string
  driver: OobmDriver
  enabled: boolean
  password: string
  port: string
  powerState: OobmPowerState
  username: string
}

/** The simulated baseboard management controller answering OOBM actions for a host. */
export interface Bmc {
  latencyMs: number
  mode: BmcMode
  /** The machine's real power state (what STATUS reports when reachable). */
  power: 'Off' | 'On'
}

export interface RollingStageScript {
  /** Simulated seconds the script runs. */
  durationSeconds: number
  exitCode: number
  output: string
}

export interface HostCertificate {
  notAfter: string
  notBefore: string
  provider: string
  serial: string
}

export interface Host {
  /** Agent login used by updateHostPassword. */
  agentUsername: string
  annotation?: string
  bmc: Bmc
  capabilities: string
  /** The certificate provisionCertificate last deployed to the agent. */
  certificate?: HostCertificate
  /** The agent's keystore/certificate scripts fail: provisionCertificate answers success=false. */
  certificateSetupFails?: boolean
  clusterId: string
  cpuNumber: number
  cpuSockets: number
  /** MHz per core. */
  cpuSpeed: number
  created: string
  /** host_details rows (KVM hosts show them with details=all). */
  details: Record<string, string>
  disconnected?: string
  ha: {enabled: boolean; provider?: string; state: string}
  haHost: boolean
  hostTags: string[]
  hypervisor: string
  hypervisorVersion?: string
  id: string
  internalId: number
  ipAddress: string
  lastPinged: string
  managementServerId: string
  /** Bytes. */
  memoryTotal: number
  name: string
  oobm?: OobmConfig
  podId: string
  resourceState: ResourceState
  /** Stage scripts present on the host, keyed by stage; absent stage = no script. */
  rollingMaintenance: Partial<Record<RollingStage, RollingStageScript>>
  status: HostStatus
  type: string
  version: string
  zoneId: string
}

export interface Vm {
  accountId: string
  cpuNumber: number
  /** Cluster factors in force when the VM was started (user_vm_details). */
  cpuOvercommitRatio: string
  cpuSpeed: number
  created: string
  displayName: string
  domainId: string
  haEnable: boolean
  hostId?: string
  hypervisor: string
  id: string
  instanceName: string
  internalId: number
  lastHostId?: string
  /** MiB. */
  memory: number
  memoryOvercommitRatio: string
  name: string
  serviceOfferingName: string
  state: VmState
  templateName: string
  zoneId: string
}

export interface AllocatedVnet {
  accountId: string
  allocated: string
  vnet: number
}

export interface PhysicalNetwork {
  broadcastDomainRange: 'POD' | 'ZONE'
  domainId?: string
  id: string
  internalId: number
  isolationMethods: string[]
  name: string
  networkSpeed?: string
  state: AllocationState
  tags: string[]
  trafficTypes: string[]
  /** VNET ranges as [start, end] pairs, sorted and merged. */
  vlanRanges: Array<[number, number]>
  vnetsAllocated: AllocatedVnet[]
  zoneId: string
}

export interface DedicatedVlanRange {
  accountId?: string
  domainId: string
  end: number
  id: string
  internalId: number
  physicalNetworkId: string
  projectId?: string
  start: number
}

/** A network offering (network_offerings); the defaults are made on first use (behaviour/guest-networks.ts). */
export interface NetworkOffering {
  availability: 'Optional' | 'Required' | 'Unavailable'
  conserveMode: boolean
  created: string
  displayText: string
  egressDefaultPolicy: boolean
  guestIpType: 'Isolated' | 'L2' | 'Shared'
  id: string
  internalId: number
  isDefault: boolean
  isPersistent: boolean
  name: string
  /** Services with their providers, e.g. {Dhcp: ['VirtualRouter']}. */
  services: Record<string, string[]>
  specifyIpRanges: boolean
  specifyVlan: boolean
  state: 'Disabled' | 'Enabled'
  trafficType: string
}

/** A guest network (networks table) created through createNetwork. */
export interface GuestNetwork {
  accountId: string
  cidr?: string
  created: string
  displayText: string
  domainId: string
  gateway?: string
  id: string
  internalId: number
  name: string
  netmask?: string
  networkOfferingId: string
  physicalNetworkId: string
  projectId?: string
  state: 'Allocated' | 'Destroy' | 'Implemented'
  /** The VLAN given at creation (broadcast URI vlan://N); never changes afterwards. */
  vlan?: string
  zoneId: string
}

export interface JobRecord {
  accountId: string
  cmd: string
  command: string
  completed?: string
  created: string
  instanceId?: string
  instanceType?: string
  jobid: string
  result?: Record<string, unknown>
  resultCode: number
  /** 0 in progress, 1 succeeded, 2 failed. */
  status: 0 | 1 | 2
  userId: string
}

export interface SimState {
  accounts: Account[]
  /** The root CA (PEM; made on first use, see handlers/ca.ts). */
  ca: {caCertificate: string; caPrivateKey?: string; provider: string}
  clusters: Cluster[]
  dedicatedVlanRanges: DedicatedVlanRange[]
  domains: Domain[]
  /** Guest networks (absent in states saved before they were simulated). */
  guestNetworks?: GuestNetwork[]
  hosts: Host[]
  jobs: JobRecord[]
  managementServer: {id: string; name: string}
  /** Network offerings (absent until first used; the defaults are made then). */
  networkOfferings?: NetworkOffering[]
  /** Next internal (numeric) id to hand out. */
  nextInternalId: number
  /** Counter for new deterministic ids. */
  nextSeq: number
  physicalNetworks: PhysicalNetwork[]
  pods: Pod[]
  projects: Project[]
  seed: string
  /** Global setting values that differ from the defaults. */
  settings: Record<string, string>
  users: User[]
  version: 1
  vms: Vm[]
  zones: Zone[]
}

export interface HostCapacity {
  cpuAllocated: number
  /** cpunumber × cpuspeed. */
  cpuTotal: number
  cpuWithOverprovisioning: number
  memoryAllocated: number
  memoryTotal: number
  memoryWithOverprovisioning: number
}

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

  constructor(state: SimState) {
    this.state = state
    // States saved before network offerings were simulated get the defaults.
    state.networkOfferings ??= defaultNetworkOfferings(state.seed)
    this.reindex()
  }

  /** Cluster factor (string as stored) for cpu or memory, falling back to the global value. */
  clusterFactor(cluster: Cluster, kind: 'cpu' | 'memory'): string {
    const setting = kind === 'cpu' ? CPU_FACTOR_SETTING : MEMORY_FACTOR_SETTING
    return cluster.details[CLUSTER_DETAIL_KEYS[setting]] ?? this.setting(setting)
  }

  /**
   * Capacity of every host, from the VMs placed on them, in one pass over the VMs. A VM counts
   * size / (factor at its start) × (cluster factor now), as CapacityManagerImpl.updateCapacityForHost
   * does; without a recorded start factor it counts its plain size.
   */
  hostCapacities(hosts: Iterable<Host>): Map<string, HostCapacity> {
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

    for (const vm of this.state.vms) {
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

  /** A new deterministic id (continues the topology's seed). */
  newId(kind: string): string {
    const seq = this.state.nextSeq++
    return deterministicUuid(this.state.seed, `${kind}:runtime:${seq}`)
  }

  newInternalId(): number {
    return this.state.nextInternalId++
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

  vmsOnHost(hostId: string): Vm[] {
    return this.state.vms.filter((vm) => vm.hostId === hostId)
  }
}
