/*
 * The simulator's records: plain JSON-serialisable objects, saved as-is by --state. The SimModel
 * class (model.ts) indexes them.
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
  dhcpProvider?: string
  dns1?: string
  dns2?: string
  domain?: string
  guestCidr?: string
  id: string
  internalDns1?: string
  internalDns2?: string
  internalId: number
  ip6Dns1?: string
  ip6Dns2?: string
  localStorageEnabled: boolean
  name: string
  networkType: 'Advanced' | 'Basic'
  securityGroupsEnabled: boolean
  sortKey?: number
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

/**
 * The host row of a system VM (secondary storage VM or console proxy): its agent registers as a
 * host of type SecondaryStorageVM or ConsoleProxy, in a pod but in no cluster and with no
 * hypervisor (listHosts shows them; upstream's host-admin commands are for Routing hosts).
 */
export interface SystemVmHost {
  created: string
  id: string
  internalId: number
  ipAddress: string
  lastPinged: string
  managementServerId: string
  /** s-<vm id>-VM or v-<vm id>-VM, the system VM's instance name. */
  name: string
  podId: string
  resourceState: 'Enabled'
  status: HostStatus
  type: 'ConsoleProxy' | 'SecondaryStorageVM'
  version: string
  zoneId: string
}

/** A primary storage pool (storage_pool): cluster-wide, or zone-wide for one hypervisor. */
export interface StoragePool {
  /** Bytes of the volumes on it (STORAGE_ALLOCATED capacity). */
  allocatedBytes: number
  /** Bytes. */
  capacityBytes: number
  clusterId?: string
  created: string
  /** The hypervisor of a zone-wide pool. */
  hypervisor?: string
  id: string
  internalId: number
  ipAddress: string
  name: string
  path: string
  podId?: string
  provider: string
  scope: 'CLUSTER' | 'ZONE'
  state: 'Disabled' | 'Maintenance' | 'Up'
  tags: string[]
  /** StoragePoolType, e.g. NetworkFilesystem. */
  type: string
  /** Bytes in use on the pool (STORAGE capacity). */
  usedBytes: number
  zoneId: string
}

/** A secondary storage (image store) of a zone. */
export interface ImageStore {
  capacityBytes: number
  id: string
  internalId: number
  name: string
  protocol: string
  providerName: string
  readOnly: boolean
  url: string
  usedBytes: number
  zoneId: string
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
  /** Secondary storages (absent in states saved before they were simulated, as the next two). */
  imageStores?: ImageStore[]
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
  /** Primary storage pools. */
  storagePools?: StoragePool[]
  /** Host rows of the system VMs. */
  systemVmHosts?: SystemVmHost[]
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
