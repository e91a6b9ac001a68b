import {formatApiDate} from '../format.js'
import {deterministicUuid, randomApiKey} from '../ids.js'
import {
  type Account,
  type Cluster,
  type Domain,
  type Host,
  type ImageStore,
  type OobmConfig,
  type PhysicalNetwork,
  type Pod,
  ROLLING_STAGES,
  type RollingStage,
  type RollingStageScript,
  type SimState,
  type StoragePool,
  type SystemVmHost,
  type Vm,
  type Zone,
} from '../model.js'
import {
  type ClusterSpec,
  GIB,
  type HostSpec,
  parseBytes,
  type PhysicalNetworkSpec,
  type PodSpec,
  type StoragePoolSpec,
  type TopologySpec,
  type VmSpec,
  type ZoneSpec,
} from './spec.js'

/*
 * buildState(): a topology description turned into a fresh simulator state. One builder per kind
 * of object; they run in the topology's order, which fixes the internal ids (and so the VMs'
 * instance names) and the seeded UUIDs.
 */

export interface BuildOptions {
  adminPassword?: string
  adminUsername?: string
  apiKey?: string
  /** Simulated "now" for created dates. */
  now?: Date
  secretKey?: string
}

const DEFAULT_STAGES: Record<RollingStage, RollingStageScript> = {
  Maintenance: {durationSeconds: 60, exitCode: 0, output: 'Maintenance: packages updated'},
  PostMaintenance: {durationSeconds: 10, exitCode: 0, output: 'PostMaintenance: services verified'},
  PreFlight: {durationSeconds: 5, exitCode: 0, output: 'PreFlight: host ready for maintenance'},
  PreMaintenance: {durationSeconds: 10, exitCode: 0, output: 'PreMaintenance: agent drained'},
}

function parseVlanRanges(vlan: string | undefined): Array<[number, number]> {
  if (!vlan) return []
  const ranges = vlan.split(',').map((part): [number, number] => {
    const [start, end = start] = part.split('-').map((n) => Number(n.trim()))
    if (!Number.isInteger(start) || !Number.isInteger(end) || start > end) {
      throw new Error(`invalid VLAN range "${part}"`)
    }

    return [start, end]
  })
  ranges.sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const range of ranges) {
    const last = merged.at(-1)
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1])
    else merged.push([...range])
  }

  return merged
}

/** What every builder shares: the state being filled, seeded ids and the running counters. */
class Builder {
  readonly accountByName = new Map<string, Account>()
  readonly created: string
  readonly domainByPath = new Map<string, string>()
  private internalId = 1
  private ipCounter = 0
  private readonly seed: string

  constructor(
    readonly state: SimState,
    now: Date,
  ) {
    this.seed = state.seed
    this.created = formatApiDate(now)
  }

  /** The owner account of a topology object (admin when none is named). */
  accountNamed(name: string | undefined): Account {
    const account = this.accountByName.get(name ?? 'admin')
    if (!account) throw new Error(`unknown account "${name}" (declare it under accounts:)`)
    return account
  }

  /** The domain of a path below ROOT ("customers/acme"), ROOT when none is given. */
  domainId(path?: string): string {
    const key = path ? ['ROOT', ...path.split('/').filter((p) => p && p !== 'ROOT')].join('/') : 'ROOT'
    const found = this.domainByPath.get(key)
    if (!found) throw new Error(`unknown domain "${path}" (declare it under domains:)`)
    return found
  }

  finish(): SimState {
    this.state.nextInternalId = this.internalId
    return this.state
  }

  /** The seeded UUID of a topology path. */
  id(name: string): string {
    return deterministicUuid(this.seed, name)
  }

  /** The next host address `10.100.x.y` (for hosts without one). */
  nextHostAddress(): string {
    this.ipCounter++
    const n = this.ipCounter
    return `10.${100 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`
  }

  nextInternalId(): number {
    return this.internalId++
  }
}

function emptyState(spec: TopologySpec, seed: string): SimState {
  return {
    accounts: [],
    ca: {caCertificate: '', provider: 'root'},
    clusters: [],
    dedicatedVlanRanges: [],
    domains: [],
    hosts: [],
    imageStores: [],
    jobs: [],
    managementServer: {
      id: deterministicUuid(seed, 'managementserver'),
      name: spec.managementserver?.name ?? 'mold-ms-1',
    },
    nextInternalId: 0,
    nextSeq: 1,
    physicalNetworks: [],
    pods: [],
    projects: [],
    seed,
    settings: {...spec.settings},
    storagePools: [],
    systemVmHosts: [],
    users: [],
    version: 1,
    vms: [],
    zones: [],
  }
}

/** ROOT and every domain on the declared paths (parents first). */
function buildDomains(b: Builder, paths: string[]): void {
  const root: Domain = {id: b.id('domain:ROOT'), internalId: b.nextInternalId(), name: 'ROOT', path: '/'}
  b.state.domains.push(root)
  b.domainByPath.set('ROOT', root.id)
  for (const path of paths) {
    const parts = path.split('/').filter(Boolean)
    for (let depth = 1; depth <= parts.length; depth++) {
      const key = ['ROOT', ...parts.slice(0, depth)].join('/')
      if (b.domainByPath.has(key)) continue
      const domain: Domain = {
        id: b.id(`domain:${key}`),
        internalId: b.nextInternalId(),
        name: parts[depth - 1],
        parentId: b.domainByPath.get(['ROOT', ...parts.slice(0, depth - 1)].join('/')),
        path: `/${parts.slice(0, depth).join('/')}/`,
      }
      b.state.domains.push(domain)
      b.domainByPath.set(key, domain.id)
    }
  }
}

/** The root admin (account and user with its keys), then the declared accounts. */
function buildAccounts(b: Builder, spec: TopologySpec, options: BuildOptions): void {
  const admin: Account = {
    domainId: b.domainId(),
    id: b.id('account:admin'),
    internalId: b.nextInternalId(),
    name: 'admin',
    state: 'enabled',
    type: 1,
  }
  b.state.accounts.push(admin)
  b.state.users.push({
    accountId: admin.id,
    apiKey: options.apiKey ?? randomApiKey(),
    firstname: 'admin',
    id: b.id('user:admin'),
    lastname: 'cloud',
    password: options.adminPassword ?? 'password',
    secretKey: options.secretKey ?? randomApiKey(),
    state: 'enabled',
    username: options.adminUsername ?? 'admin',
  })
  b.accountByName.set('admin', admin)
  for (const account of spec.accounts ?? []) {
    const record: Account = {
      domainId: b.domainId(account.domain),
      id: b.id(`account:${account.name}`),
      internalId: b.nextInternalId(),
      name: account.name,
      state: 'enabled',
      type: account.type ?? 0,
    }
    b.state.accounts.push(record)
    b.accountByName.set(account.name, record)
  }
}

function buildProjects(b: Builder, projects: TopologySpec['projects']): void {
  for (const project of projects ?? []) {
    const owner = b.accountNamed(project.account)
    b.state.projects.push({
      accountId: owner.id,
      domainId: owner.domainId,
      id: b.id(`project:${project.name}`),
      name: project.name,
      state: 'Active',
    })
  }
}

function buildZone(b: Builder, spec: ZoneSpec): void {
  const zone: Zone = {
    allocationState: spec.allocationstate ?? 'Enabled',
    created: b.created,
    details: {...spec.details},
    dns1: spec.dns1 ?? '8.8.8.8',
    dns2: spec.dns2,
    guestCidr: spec.guestcidraddress ?? '10.1.1.0/24',
    id: b.id(`zone:${spec.name}`),
    internalDns1: spec.internaldns1 ?? '10.0.0.2',
    internalId: b.nextInternalId(),
    localStorageEnabled: false,
    name: spec.name,
    networkType: spec.networktype ?? 'Advanced',
    securityGroupsEnabled: false,
    type: 'Core',
  }
  if (spec.outofbandmanagementenabled !== undefined) {
    zone.details.outOfBandManagementEnabled = String(spec.outofbandmanagementenabled)
  }

  b.state.zones.push(zone)
  for (const network of spec.physicalnetworks ?? []) buildPhysicalNetwork(b, zone, network)
  for (const pod of spec.pods ?? []) buildPod(b, zone, pod)
}

function buildPhysicalNetwork(b: Builder, zone: Zone, spec: PhysicalNetworkSpec): void {
  const path = `${zone.name}/${spec.name}`
  const network: PhysicalNetwork = {
    broadcastDomainRange: 'ZONE',
    id: b.id(`physicalnetwork:${path}`),
    internalId: b.nextInternalId(),
    isolationMethods: spec.isolationmethods ?? ['VLAN'],
    name: spec.name,
    networkSpeed: spec.networkspeed,
    state: spec.state ?? 'Enabled',
    tags: spec.tags ?? [],
    trafficTypes: spec.traffictypes ?? ['Guest'],
    vlanRanges: parseVlanRanges(spec.vlan),
    vnetsAllocated: (spec.allocated ?? []).map((a) => ({
      accountId: b.accountNamed(a.account).id,
      allocated: b.created,
      vnet: a.vnet,
    })),
    zoneId: zone.id,
  }
  b.state.physicalNetworks.push(network)
  for (const dedicated of spec.dedicated ?? []) {
    const [[start, end]] = parseVlanRanges(dedicated.range)
    const owner = b.accountNamed(dedicated.account)
    b.state.dedicatedVlanRanges.push({
      accountId: owner.id,
      domainId: owner.domainId,
      end,
      id: b.id(`dedicatedvlanrange:${path}/${dedicated.range}`),
      internalId: b.nextInternalId(),
      physicalNetworkId: network.id,
      start,
    })
  }
}

function buildPod(b: Builder, zone: Zone, spec: PodSpec): void {
  const path = `${zone.name}/${spec.name}`
  const pod: Pod = {
    allocationState: spec.allocationstate ?? 'Enabled',
    endIp: spec.endip ?? '10.0.0.250',
    gateway: spec.gateway ?? '10.0.0.1',
    id: b.id(`pod:${path}`),
    internalId: b.nextInternalId(),
    name: spec.name,
    netmask: spec.netmask ?? '255.255.0.0',
    startIp: spec.startip ?? '10.0.0.100',
    zoneId: zone.id,
  }
  b.state.pods.push(pod)
  for (const cluster of spec.clusters ?? []) buildCluster(b, {path, pod}, cluster)
}

/** The declared hosts, then `hostcount` generated ones named `<cluster>-hNNN`. */
function clusterHostSpecs(spec: ClusterSpec): HostSpec[] {
  const hosts: HostSpec[] = [...(spec.hosts ?? [])]
  for (let i = 1; i <= (spec.hostcount ?? 0); i++) {
    const name = `${spec.name}-h${String(i).padStart(3, '0')}`
    const vms = Array.from({length: spec.vmsperhost ?? 0}, (_, v) => ({name: `${name}-vm${v + 1}`}))
    hosts.push({...spec.hosttemplate, name, vms})
  }

  return hosts
}

function buildCluster(b: Builder, parent: {path: string; pod: Pod}, spec: ClusterSpec): void {
  const path = `${parent.path}/${spec.name}`
  const details: Record<string, string> = {
    cpuOvercommitRatio: b.state.settings['cpu.overprovisioning.factor'] ?? '1.0',
    memoryOvercommitRatio: b.state.settings['mem.overprovisioning.factor'] ?? '1.0',
    ...spec.details,
  }
  if (spec.outofbandmanagementenabled !== undefined) {
    details.outOfBandManagementEnabled = String(spec.outofbandmanagementenabled)
  }

  const cluster: Cluster = {
    allocationState: spec.allocationstate ?? 'Enabled',
    clusterType: 'CloudManaged',
    details,
    hypervisor: spec.hypervisor ?? 'KVM',
    id: b.id(`cluster:${path}`),
    internalId: b.nextInternalId(),
    managedState: spec.managedstate ?? 'Managed',
    name: spec.name,
    podId: parent.pod.id,
    zoneId: parent.pod.zoneId,
  }
  b.state.clusters.push(cluster)
  for (const host of clusterHostSpecs(spec)) buildHost(b, {cluster, path}, host)
}

/** The rolling-maintenance scripts declared for the host, with the stages' defaults. */
function rollingScripts(spec: HostSpec): Host['rollingMaintenance'] {
  const rolling: Host['rollingMaintenance'] = {}
  for (const stage of ROLLING_STAGES) {
    const stageSpec = spec.rollingmaintenance?.[stage]
    if (!stageSpec) continue
    rolling[stage] = {
      durationSeconds: stageSpec.duration ?? DEFAULT_STAGES[stage].durationSeconds,
      exitCode: stageSpec.exitcode ?? 0,
      output: stageSpec.output ?? DEFAULT_STAGES[stage].output,
    }
  }

  return rolling
}

function oobmConfig(spec: HostSpec, ipAddress: string, bmcPower: 'Off' | 'On'): OobmConfig | undefined {
  const {oobm} = spec
  if (!oobm) return undefined
  return {
    address: oobm.address ?? ipAddress.replace(/^10\./, '172.'),
    driver: oobm.driver ?? 'ipmitool',
    enabled: oobm.enabled ?? true,
    password: oobm.password ?? 'ipmi-password',
    port: oobm.port ?? '623',
    powerState: oobm.powerstate ?? (oobm.enabled === false ? 'Disabled' : bmcPower),
    username: oobm.username ?? 'ADMIN',
  }
}

const KVM_CAPABILITIES = 'hvm,snapshot'
const XEN_CAPABILITIES =
  'xen-3.0-x86_64 , xen-3.0-x86_32p , hvm-3.0-x86_32 , hvm-3.0-x86_32p , hvm-3.0-x86_64'

function bmcOf(spec: HostSpec, power: 'Off' | 'On'): Host['bmc'] {
  return {latencyMs: spec.bmc?.latencyms ?? 100, mode: spec.bmc?.mode ?? 'ok', power}
}

/**
 * host_details as the agent reports them at connection: the KVM agent (LibvirtComputingResource)
 * its distribution and kernel, UEFI and volume-encryption support, and the CA framework `secured`;
 * the XenServer discoverer (XcpServerDiscoverer) the product brand, version and dom0 kernel. Only
 * KVM hosts show them in listHosts `details` (HostJoinDaoImpl returns details for KVM only).
 */
function hostDetails(spec: HostSpec, hypervisor: string): Record<string, string> {
  if (hypervisor === 'XenServer') {
    return {
      'Host.OS': 'XenServer',
      'Host.OS.Kernel.Version': '4.19.0+1',
      'Host.OS.Version': spec.hypervisorversion ?? '8.2.1',
      'Hypervisor.Version': '4.13.4',
      ...spec.details,
    }
  }

  if (hypervisor !== 'KVM') return {...spec.details}
  return {
    'Host.OS': 'Rocky Linux',
    'Host.OS.Kernel.Version': '5.14.0-427.13.1.el9_4.x86_64',
    'Host.OS.Version': '9.4',
    'host.uefi.enable': 'true',
    'host.volume.encryption': 'true',
    secured: 'true',
    ...spec.details,
  }
}

function buildHost(b: Builder, parent: {cluster: Cluster; path: string}, spec: HostSpec): void {
  const {cluster} = parent
  const path = `${parent.path}/${spec.name}`
  const generatedAddress = b.nextHostAddress()
  const ipAddress = spec.ipaddress ?? generatedAddress
  const isKvm = cluster.hypervisor === 'KVM'
  const bmcPower = spec.bmc?.power ?? 'On'
  const host: Host = {
    agentUsername: 'root',
    bmc: bmcOf(spec, bmcPower),
    capabilities: isKvm ? KVM_CAPABILITIES : XEN_CAPABILITIES,
    clusterId: cluster.id,
    cpuNumber: spec.cpunumber ?? 32,
    cpuSockets: spec.cpusockets ?? 2,
    cpuSpeed: spec.cpuspeed ?? 2400,
    created: b.created,
    details: hostDetails(spec, cluster.hypervisor),
    ha: {enabled: false, state: 'Disabled'},
    haHost: spec.hahost ?? false,
    hostTags: spec.hosttags ?? [],
    hypervisor: cluster.hypervisor,
    hypervisorVersion: spec.hypervisorversion ?? (isKvm ? undefined : '8.2.1'),
    id: b.id(`host:${path}`),
    internalId: b.nextInternalId(),
    ipAddress,
    lastPinged: b.created,
    managementServerId: b.state.managementServer.id,
    memoryTotal: parseBytes(spec.memorytotal ?? 256 * GIB),
    name: spec.name,
    oobm: oobmConfig(spec, ipAddress, bmcPower),
    podId: cluster.podId,
    resourceState: spec.resourcestate ?? 'Enabled',
    rollingMaintenance: rollingScripts(spec),
    status: spec.state ?? 'Up',
    type: 'Routing',
    version: '4.22.0.0',
    zoneId: cluster.zoneId,
  }
  if (spec.certificatesetup === 'fail') host.certificateSetupFails = true
  b.state.hosts.push(host)
  for (const vm of spec.vms ?? []) buildVm(b, {cluster, host, path}, vm)
}

function buildVm(b: Builder, parent: {cluster: Cluster; host: Host; path: string}, spec: VmSpec): void {
  const {cluster, host} = parent
  const owner = b.accountNamed(spec.account)
  const state = spec.state ?? 'Running'
  const internalId = b.nextInternalId()
  const vm: Vm = {
    accountId: owner.id,
    cpuNumber: spec.cpunumber ?? 2,
    cpuOvercommitRatio: cluster.details.cpuOvercommitRatio,
    cpuSpeed: spec.cpuspeed ?? 2000,
    created: b.created,
    displayName: spec.name,
    domainId: owner.domainId,
    haEnable: spec.haenable ?? false,
    hostId: state === 'Stopped' ? undefined : host.id,
    hypervisor: cluster.hypervisor,
    id: b.id(`vm:${parent.path}/${spec.name}`),
    instanceName: `i-${owner.internalId}-${internalId}-VM`,
    internalId,
    lastHostId: host.id,
    memory: spec.memory ?? 4096,
    memoryOvercommitRatio: cluster.details.memoryOvercommitRatio,
    name: spec.name,
    serviceOfferingName: spec.serviceofferingname ?? 'Medium Instance',
    state,
    templateName: spec.templatename ?? 'Rocky Linux 9.4',
    zoneId: cluster.zoneId,
  }
  b.state.vms.push(vm)
}

function buildStoragePool(b: Builder, where: {cluster?: Cluster; zone: Zone}, spec: StoragePoolSpec): void {
  const {cluster, zone} = where
  const used = parseBytes(spec.used ?? 0)
  const pool: StoragePool = {
    allocatedBytes: parseBytes(spec.allocated ?? used),
    capacityBytes: parseBytes(spec.capacity ?? 2 * 1024 * GIB),
    clusterId: cluster?.id,
    created: b.created,
    hypervisor: cluster ? undefined : (spec.hypervisor ?? 'KVM'),
    id: b.id(`storagepool:${zone.name}/${cluster?.name ?? ''}/${spec.name}`),
    internalId: b.nextInternalId(),
    ipAddress: spec.ipaddress ?? '10.10.0.5',
    name: spec.name,
    path: spec.path ?? `/export/primary/${spec.name}`,
    podId: cluster?.podId,
    provider: 'DefaultPrimary',
    scope: cluster ? 'CLUSTER' : 'ZONE',
    state: spec.state ?? 'Up',
    tags: spec.tags ?? [],
    type: spec.type ?? 'NetworkFilesystem',
    usedBytes: used,
    zoneId: zone.id,
  }
  b.state.storagePools!.push(pool)
}

/** The next address after `ip` by `n` (pod IP ranges hand the system VMs their addresses). */
function addressAfter(ip: string, n: number): string {
  const parts = ip.split('.').map(Number)
  parts[3] += n
  return parts.join('.')
}

/**
 * Storage and system VMs, built after everything else so that the internal ids (and the VMs'
 * instance names) of the other objects stay those of topologies without them.
 */
function buildZoneStorageAndSystemVms(b: Builder, spec: ZoneSpec): void {
  const zone = b.state.zones.find((z) => z.name === spec.name)!
  for (const pool of spec.storagepools ?? []) buildStoragePool(b, {zone}, pool)
  for (const podSpec of spec.pods ?? []) {
    for (const clusterSpec of podSpec.clusters ?? []) {
      const cluster = b.state.clusters.find((c) => c.zoneId === zone.id && c.name === clusterSpec.name)!
      for (const pool of clusterSpec.storagepools ?? []) buildStoragePool(b, {cluster, zone}, pool)
    }
  }

  for (const store of spec.imagestores ?? []) {
    const imageStore: ImageStore = {
      capacityBytes: parseBytes(store.capacity ?? 4 * 1024 * GIB),
      id: b.id(`imagestore:${zone.name}/${store.name}`),
      internalId: b.nextInternalId(),
      name: store.name,
      protocol: 'nfs',
      providerName: 'NFS',
      readOnly: false,
      url: store.url ?? `nfs://10.10.0.5/export/secondary/${store.name}`,
      usedBytes: parseBytes(store.used ?? 0),
      zoneId: zone.id,
    }
    b.state.imageStores!.push(imageStore)
  }

  const pod = b.state.pods.find((p) => p.zoneId === zone.id)
  if (!spec.systemvms || !pod) return
  for (const [i, [type, prefix]] of (
    [
      ['SecondaryStorageVM', 's'],
      ['ConsoleProxy', 'v'],
    ] as const
  ).entries()) {
    const internalId = b.nextInternalId()
    const host: SystemVmHost = {
      created: b.created,
      id: b.id(`systemvm:${zone.name}/${type}`),
      internalId,
      ipAddress: addressAfter(pod.startIp, i + 1),
      lastPinged: b.created,
      managementServerId: b.state.managementServer.id,
      name: `${prefix}-${internalId}-VM`,
      podId: pod.id,
      resourceState: 'Enabled',
      status: 'Up',
      type,
      version: '4.22.0.0',
      zoneId: zone.id,
    }
    b.state.systemVmHosts!.push(host)
  }
}

/** Turns a topology description into a fresh simulator state. */
export function buildState(spec: TopologySpec, options: BuildOptions = {}): SimState {
  const b = new Builder(emptyState(spec, spec.seed ?? 'moldctl-sim'), options.now ?? new Date())
  buildDomains(b, spec.domains ?? [])
  buildAccounts(b, spec, options)
  buildProjects(b, spec.projects)
  for (const zone of spec.zones) buildZone(b, zone)
  for (const zone of spec.zones) buildZoneStorageAndSystemVms(b, zone)
  return b.finish()
}
