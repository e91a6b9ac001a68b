import {readFileSync} from 'node:fs'

import {formatApiDate} from '../format.js'
import {deterministicUuid, randomApiKey} from '../ids.js'
import {
  type Account,
  type AllocationState,
  type BmcMode,
  type Host,
  type HostStatus,
  type OobmDriver,
  type OobmPowerState,
  type ResourceState,
  ROLLING_STAGES,
  type RollingStage,
  type RollingStageScript,
  type SimState,
  type Vm,
  type VmState,
} from '../model.js'

/*
 * Topologies: the shape of the simulated cloud. A topology is plain data (TopologySpec, also the
 * schema of `--topology FILE`, documented in docs/simulator.md) turned into a SimState by
 * buildState(). Built-ins: `small` (the demo cloud) and `large` (N hosts in clusters of 32).
 */

export interface VmSpec {
  account?: string
  cpunumber?: number
  cpuspeed?: number
  haenable?: boolean
  /** MiB. */
  memory?: number
  name: string
  serviceofferingname?: string
  state?: VmState
  templatename?: string
}

export interface StageSpec {
  duration?: number
  exitcode?: number
  output?: string
}

export interface HostSpec {
  bmc?: {latencyms?: number; mode?: BmcMode; power?: 'Off' | 'On'}
  /** `fail`: the agent's keystore scripts fail, so provisionCertificate answers success=false. */
  certificatesetup?: 'fail' | 'ok'
  cpunumber?: number
  cpusockets?: number
  cpuspeed?: number
  details?: Record<string, string>
  hahost?: boolean
  hosttags?: string[]
  hypervisorversion?: string
  ipaddress?: string
  /** Bytes, or a string with a unit: "256GiB", "512MiB". */
  memorytotal?: number | string
  name: string
  oobm?: {
    address?: string
    driver?: OobmDriver
    enabled?: boolean
    password?: string
    port?: string
    powerstate?: OobmPowerState
    username?: string
  }
  resourcestate?: ResourceState
  rollingmaintenance?: Partial<Record<RollingStage, StageSpec>>
  state?: HostStatus
  vms?: VmSpec[]
}

export interface ClusterSpec {
  allocationstate?: AllocationState
  details?: Record<string, string>
  /** Extra generated hosts named `<cluster>-hNNN`, like `hosttemplate`. */
  hostcount?: number
  hosts?: HostSpec[]
  hosttemplate?: Omit<HostSpec, 'name'>
  hypervisor?: string
  managedstate?: 'Managed' | 'Unmanaged'
  name: string
  outofbandmanagementenabled?: boolean
  /** VMs generated on each host made from `hostcount`. */
  vmsperhost?: number
}

export interface PodSpec {
  allocationstate?: AllocationState
  clusters?: ClusterSpec[]
  endip?: string
  gateway?: string
  name: string
  netmask?: string
  startip?: string
}

export interface PhysicalNetworkSpec {
  allocated?: Array<{account?: string; vnet: number}>
  dedicated?: Array<{account: string; range: string}>
  isolationmethods?: string[]
  name: string
  networkspeed?: string
  state?: AllocationState
  tags?: string[]
  traffictypes?: string[]
  /** "500-1000,1200-1300". */
  vlan?: string
}

export interface ZoneSpec {
  allocationstate?: AllocationState
  details?: Record<string, string>
  dns1?: string
  dns2?: string
  guestcidraddress?: string
  internaldns1?: string
  name: string
  networktype?: 'Advanced' | 'Basic'
  outofbandmanagementenabled?: boolean
  physicalnetworks?: PhysicalNetworkSpec[]
  pods?: PodSpec[]
}

export interface TopologySpec {
  accounts?: Array<{domain?: string; name: string; type?: number}>
  /** Domain paths below ROOT, e.g. "customers" or "customers/acme". */
  domains?: string[]
  managementserver?: {name?: string}
  projects?: Array<{account: string; name: string}>
  /** Seed of every generated UUID (same seed and topology ⇒ same ids). */
  seed?: string
  /** Global setting values. */
  settings?: Record<string, string>
  zones: ZoneSpec[]
}

export interface BuildOptions {
  adminPassword?: string
  adminUsername?: string
  apiKey?: string
  /** Simulated "now" for created dates. */
  now?: Date
  secretKey?: string
}

const GIB = 1024 ** 3
const UNITS: Record<string, number> = {
  B: 1,
  GB: 1e9,
  GiB: GIB,
  KiB: 1024,
  MB: 1e6,
  MiB: 1024 ** 2,
  TiB: 1024 ** 4,
}

export function parseBytes(value: number | string): number {
  if (typeof value === 'number') return value
  const match = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value)
  const unit = match ? UNITS[match[2] || 'B'] : undefined
  if (!match || unit === undefined)
    throw new Error(`invalid size "${value}" (examples: 137438953472, "128GiB")`)
  return Math.round(Number(match[1]) * unit)
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

const DEFAULT_STAGES: Record<RollingStage, RollingStageScript> = {
  Maintenance: {durationSeconds: 60, exitCode: 0, output: 'Maintenance: packages updated'},
  PostMaintenance: {durationSeconds: 10, exitCode: 0, output: 'PostMaintenance: services verified'},
  PreFlight: {durationSeconds: 5, exitCode: 0, output: 'PreFlight: host ready for maintenance'},
  PreMaintenance: {durationSeconds: 10, exitCode: 0, output: 'PreMaintenance: agent drained'},
}

/** Turns a topology description into a fresh simulator state. */
export function buildState(spec: TopologySpec, options: BuildOptions = {}): SimState {
  const seed = spec.seed ?? 'moldctl-sim'
  const id = (name: string) => deterministicUuid(seed, name)
  const created = formatApiDate(options.now ?? new Date())
  let internalId = 1
  const state: SimState = {
    accounts: [],
    ca: {caCertificate: '', provider: 'root'},
    clusters: [],
    dedicatedVlanRanges: [],
    domains: [],
    hosts: [],
    jobs: [],
    managementServer: {id: id('managementserver'), name: spec.managementserver?.name ?? 'mold-ms-1'},
    nextInternalId: 0,
    nextSeq: 1,
    physicalNetworks: [],
    pods: [],
    projects: [],
    seed,
    settings: {...spec.settings},
    users: [],
    version: 1,
    vms: [],
    zones: [],
  }

  // Domains and accounts.
  const domainByPath = new Map<string, string>()
  const root = {id: id('domain:ROOT'), internalId: internalId++, name: 'ROOT', path: '/'}
  state.domains.push(root)
  domainByPath.set('ROOT', root.id)
  for (const path of spec.domains ?? []) {
    const parts = path.split('/').filter(Boolean)
    for (let depth = 1; depth <= parts.length; depth++) {
      const key = ['ROOT', ...parts.slice(0, depth)].join('/')
      if (domainByPath.has(key)) continue
      const domain = {
        id: id(`domain:${key}`),
        internalId: internalId++,
        name: parts[depth - 1],
        parentId: domainByPath.get(['ROOT', ...parts.slice(0, depth - 1)].join('/')),
        path: `/${parts.slice(0, depth).join('/')}/`,
      }
      state.domains.push(domain)
      domainByPath.set(key, domain.id)
    }
  }

  const domainId = (path: string | undefined) => {
    const key = path ? ['ROOT', ...path.split('/').filter((p) => p && p !== 'ROOT')].join('/') : 'ROOT'
    const found = domainByPath.get(key)
    if (!found) throw new Error(`unknown domain "${path}" (declare it under domains:)`)
    return found
  }

  const adminAccount: Account = {
    domainId: root.id,
    id: id('account:admin'),
    internalId: internalId++,
    name: 'admin',
    state: 'enabled',
    type: 1,
  }
  state.accounts.push(adminAccount)
  state.users.push({
    accountId: adminAccount.id,
    apiKey: options.apiKey ?? randomApiKey(),
    firstname: 'admin',
    id: id('user:admin'),
    lastname: 'cloud',
    password: options.adminPassword ?? 'password',
    secretKey: options.secretKey ?? randomApiKey(),
    state: 'enabled',
    username: options.adminUsername ?? 'admin',
  })
  const accountByName = new Map([['admin', adminAccount]])
  for (const account of spec.accounts ?? []) {
    const record: Account = {
      domainId: domainId(account.domain),
      id: id(`account:${account.name}`),
      internalId: internalId++,
      name: account.name,
      state: 'enabled',
      type: account.type ?? 0,
    }
    state.accounts.push(record)
    accountByName.set(account.name, record)
  }

  const accountNamed = (name: string | undefined): Account => {
    const account = accountByName.get(name ?? 'admin')
    if (!account) throw new Error(`unknown account "${name}" (declare it under accounts:)`)
    return account
  }

  for (const project of spec.projects ?? []) {
    const owner = accountNamed(project.account)
    state.projects.push({
      accountId: owner.id,
      domainId: owner.domainId,
      id: id(`project:${project.name}`),
      name: project.name,
      state: 'Active',
    })
  }

  let ipCounter = 0
  for (const zoneSpec of spec.zones) {
    const zonePath = zoneSpec.name
    const zone = {
      allocationState: zoneSpec.allocationstate ?? 'Enabled',
      created,
      details: {...zoneSpec.details},
      dns1: zoneSpec.dns1 ?? '8.8.8.8',
      dns2: zoneSpec.dns2,
      guestCidr: zoneSpec.guestcidraddress ?? '10.1.1.0/24',
      id: id(`zone:${zonePath}`),
      internalDns1: zoneSpec.internaldns1 ?? '10.0.0.2',
      internalId: internalId++,
      localStorageEnabled: false,
      name: zoneSpec.name,
      networkType: zoneSpec.networktype ?? 'Advanced',
      securityGroupsEnabled: false,
      type: 'Core' as const,
    }
    if (zoneSpec.outofbandmanagementenabled !== undefined) {
      zone.details.outOfBandManagementEnabled = String(zoneSpec.outofbandmanagementenabled)
    }

    state.zones.push(zone)

    for (const pnSpec of zoneSpec.physicalnetworks ?? []) {
      const pnPath = `${zonePath}/${pnSpec.name}`
      const physicalNetwork = {
        broadcastDomainRange: 'ZONE' as const,
        id: id(`physicalnetwork:${pnPath}`),
        internalId: internalId++,
        isolationMethods: pnSpec.isolationmethods ?? ['VLAN'],
        name: pnSpec.name,
        networkSpeed: pnSpec.networkspeed,
        state: pnSpec.state ?? 'Enabled',
        tags: pnSpec.tags ?? [],
        trafficTypes: pnSpec.traffictypes ?? ['Guest'],
        vlanRanges: parseVlanRanges(pnSpec.vlan),
        vnetsAllocated: (pnSpec.allocated ?? []).map((a) => ({
          accountId: accountNamed(a.account).id,
          allocated: created,
          vnet: a.vnet,
        })),
        zoneId: zone.id,
      }
      state.physicalNetworks.push(physicalNetwork)
      for (const dedicated of pnSpec.dedicated ?? []) {
        const [[start, end]] = parseVlanRanges(dedicated.range)
        const owner = accountNamed(dedicated.account)
        state.dedicatedVlanRanges.push({
          accountId: owner.id,
          domainId: owner.domainId,
          end,
          id: id(`dedicatedvlanrange:${pnPath}/${dedicated.range}`),
          internalId: internalId++,
          physicalNetworkId: physicalNetwork.id,
          start,
        })
      }
    }

    for (const podSpec of zoneSpec.pods ?? []) {
      const podPath = `${zonePath}/${podSpec.name}`
      const pod = {
        allocationState: podSpec.allocationstate ?? 'Enabled',
        endIp: podSpec.endip ?? '10.0.0.250',
        gateway: podSpec.gateway ?? '10.0.0.1',
        id: id(`pod:${podPath}`),
        internalId: internalId++,
        name: podSpec.name,
        netmask: podSpec.netmask ?? '255.255.0.0',
        startIp: podSpec.startip ?? '10.0.0.100',
        zoneId: zone.id,
      }
      state.pods.push(pod)

      for (const clusterSpec of podSpec.clusters ?? []) {
        const clusterPath = `${podPath}/${clusterSpec.name}`
        const hypervisor = clusterSpec.hypervisor ?? 'KVM'
        const details: Record<string, string> = {
          cpuOvercommitRatio: state.settings['cpu.overprovisioning.factor'] ?? '1.0',
          memoryOvercommitRatio: state.settings['mem.overprovisioning.factor'] ?? '1.0',
          ...clusterSpec.details,
        }
        if (clusterSpec.outofbandmanagementenabled !== undefined) {
          details.outOfBandManagementEnabled = String(clusterSpec.outofbandmanagementenabled)
        }

        const cluster = {
          allocationState: clusterSpec.allocationstate ?? 'Enabled',
          clusterType: 'CloudManaged' as const,
          details,
          hypervisor,
          id: id(`cluster:${clusterPath}`),
          internalId: internalId++,
          managedState: clusterSpec.managedstate ?? 'Managed',
          name: clusterSpec.name,
          podId: pod.id,
          zoneId: zone.id,
        }
        state.clusters.push(cluster)

        const hostSpecs: HostSpec[] = [...(clusterSpec.hosts ?? [])]
        for (let i = 1; i <= (clusterSpec.hostcount ?? 0); i++) {
          const name = `${clusterSpec.name}-h${String(i).padStart(3, '0')}`
          const vms = Array.from({length: clusterSpec.vmsperhost ?? 0}, (_, v) => ({
            name: `${name}-vm${v + 1}`,
          }))
          hostSpecs.push({...clusterSpec.hosttemplate, name, vms})
        }

        for (const hostSpec of hostSpecs) {
          const hostPath = `${clusterPath}/${hostSpec.name}`
          ipCounter++
          const ipAddress =
            hostSpec.ipaddress ?? `10.${100 + (ipCounter >> 16)}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`
          const isKvm = hypervisor === 'KVM'
          const rolling: Host['rollingMaintenance'] = {}
          for (const stage of ROLLING_STAGES) {
            const stageSpec = hostSpec.rollingmaintenance?.[stage]
            if (!stageSpec) continue
            rolling[stage] = {
              durationSeconds: stageSpec.duration ?? DEFAULT_STAGES[stage].durationSeconds,
              exitCode: stageSpec.exitcode ?? 0,
              output: stageSpec.output ?? DEFAULT_STAGES[stage].output,
            }
          }

          const {oobm} = hostSpec
          const bmcPower = hostSpec.bmc?.power ?? 'On'
          const host: Host = {
            agentUsername: 'root',
            bmc: {
              latencyMs: hostSpec.bmc?.latencyms ?? 100,
              mode: hostSpec.bmc?.mode ?? 'ok',
              power: bmcPower,
            },
            capabilities: isKvm
              ? 'hvm,snapshot'
              : 'xen-3.0-x86_64 , xen-3.0-x86_32p , hvm-3.0-x86_32 , hvm-3.0-x86_32p , hvm-3.0-x86_64',
            clusterId: cluster.id,
            cpuNumber: hostSpec.cpunumber ?? 32,
            cpuSockets: hostSpec.cpusockets ?? 2,
            cpuSpeed: hostSpec.cpuspeed ?? 2400,
            created,
            details: isKvm
              ? {
                  'Host.OS': 'Rocky Linux',
                  'Host.OS.Kernel.Version': '5.14.0-427.13.1.el9_4.x86_64',
                  'Host.OS.Version': '9.4',
                  secured: 'true',
                  ...hostSpec.details,
                }
              : {...hostSpec.details},
            ha: {enabled: false, state: 'Disabled'},
            haHost: hostSpec.hahost ?? false,
            hostTags: hostSpec.hosttags ?? [],
            hypervisor,
            hypervisorVersion: hostSpec.hypervisorversion ?? (isKvm ? undefined : '8.2.1'),
            id: id(`host:${hostPath}`),
            internalId: internalId++,
            ipAddress,
            lastPinged: created,
            managementServerId: state.managementServer.id,
            memoryTotal: parseBytes(hostSpec.memorytotal ?? 256 * GIB),
            name: hostSpec.name,
            oobm: oobm
              ? {
                  address: oobm.address ?? ipAddress.replace(/^10\./, '172.'),
                  driver: oobm.driver ?? 'ipmitool',
                  enabled: oobm.enabled ?? true,
                  password: oobm.password ?? 'ipmi-password',
                  port: oobm.port ?? '623',
                  powerState: oobm.powerstate ?? (oobm.enabled === false ? 'Disabled' : bmcPower),
                  username: oobm.username ?? 'ADMIN',
                }
              : undefined,
            podId: pod.id,
            resourceState: hostSpec.resourcestate ?? 'Enabled',
            rollingMaintenance: rolling,
            status: hostSpec.state ?? 'Up',
            type: 'Routing',
            version: '4.22.0.0',
            zoneId: zone.id,
          }
          if (hostSpec.certificatesetup === 'fail') host.certificateSetupFails = true
          state.hosts.push(host)

          for (const vmSpec of hostSpec.vms ?? []) {
            const owner = accountNamed(vmSpec.account)
            const vmState = vmSpec.state ?? 'Running'
            const vmInternalId = internalId++
            const vm: Vm = {
              accountId: owner.id,
              cpuNumber: vmSpec.cpunumber ?? 2,
              cpuOvercommitRatio: cluster.details.cpuOvercommitRatio,
              cpuSpeed: vmSpec.cpuspeed ?? 2000,
              created,
              displayName: vmSpec.name,
              domainId: owner.domainId,
              haEnable: vmSpec.haenable ?? false,
              hostId: vmState === 'Stopped' ? undefined : host.id,
              hypervisor,
              id: id(`vm:${hostPath}/${vmSpec.name}`),
              instanceName: `i-${owner.internalId}-${vmInternalId}-VM`,
              internalId: vmInternalId,
              lastHostId: host.id,
              memory: vmSpec.memory ?? 4096,
              memoryOvercommitRatio: cluster.details.memoryOvercommitRatio,
              name: vmSpec.name,
              serviceOfferingName: vmSpec.serviceofferingname ?? 'Medium Instance',
              state: vmState,
              templateName: vmSpec.templatename ?? 'Rocky Linux 9.4',
              zoneId: zone.id,
            }
            state.vms.push(vm)
          }
        }
      }
    }
  }

  state.nextInternalId = internalId
  return state
}

const KVM_STAGES: Partial<Record<RollingStage, StageSpec>> = {
  Maintenance: {},
  PostMaintenance: {},
  PreFlight: {},
  PreMaintenance: {},
}

function vm(name: string, cpunumber: number, memoryGiB: number, extra: Partial<VmSpec> = {}): VmSpec {
  return {cpunumber, cpuspeed: 2000, memory: memoryGiB * 1024, name, ...extra}
}

/**
 * The demo cloud: one zone and pod, a KVM cluster of 4 hosts (OOBM on, rolling-maintenance
 * scripts) and a XenServer cluster of 2, 20 VMs with room to drain any one KVM host, a guest
 * physical network with VLANs 500-1000 (some allocated, 900-949 dedicated).
 */
export function smallTopology(): TopologySpec {
  const kvmVms: VmSpec[][] = [
    [vm('web-01', 2, 4), vm('web-02', 2, 4), vm('db-01', 4, 16), vm('cache-01', 2, 8)],
    [
      vm('web-03', 2, 4),
      vm('app-01', 4, 8),
      vm('app-02', 4, 8, {account: 'tenant-a'}),
      vm('ci-runner-01', 4, 8),
    ],
    [vm('app-03', 2, 8, {account: 'tenant-a'}), vm('db-02', 4, 16, {haenable: true}), vm('mq-01', 2, 4)],
    [
      vm('mon-01', 2, 4),
      vm('app-04', 2, 8, {account: 'tenant-b'}),
      vm('build-01', 4, 8),
      vm('old-batch-01', 2, 4, {state: 'Stopped'}),
    ],
  ]
  const xenVms: VmSpec[][] = [
    [vm('legacy-erp-01', 4, 16), vm('legacy-erp-02', 2, 8), vm('win-ad-01', 2, 4)],
    [vm('win-file-01', 2, 8), vm('legacy-report-01', 2, 4)],
  ]
  return {
    accounts: [
      {domain: 'customers', name: 'tenant-a'},
      {domain: 'customers', name: 'tenant-b'},
    ],
    domains: ['customers'],
    projects: [{account: 'tenant-a', name: 'tenant-a-lab'}],
    seed: 'moldctl-small',
    zones: [
      {
        name: 'zone-1',
        physicalnetworks: [
          {
            allocated: [
              {account: 'admin', vnet: 500},
              {account: 'admin', vnet: 501},
              {account: 'tenant-a', vnet: 502},
              {account: 'tenant-b', vnet: 503},
              {account: 'tenant-a', vnet: 900},
            ],
            dedicated: [{account: 'tenant-a', range: '900-949'}],
            isolationmethods: ['VLAN'],
            name: 'physnet-guest',
            traffictypes: ['Guest', 'Management', 'Public', 'Storage'],
            vlan: '500-1000',
          },
        ],
        pods: [
          {
            clusters: [
              {
                hosts: kvmVms.map((vms, i) => ({
                  bmc: {latencyms: 100, mode: 'ok', power: 'On'},
                  cpunumber: 16,
                  cpuspeed: 2400,
                  ipaddress: `10.10.0.${11 + i}`,
                  memorytotal: '128GiB',
                  name: `kvm-host-0${i + 1}`,
                  oobm: {
                    address: `10.10.1.${11 + i}`,
                    driver: 'ipmitool',
                    enabled: true,
                    password: `ipmi-pass-0${i + 1}`,
                    port: '623',
                    powerstate: 'On',
                    username: 'ADMIN',
                  },
                  rollingmaintenance: KVM_STAGES,
                  vms,
                })),
                hypervisor: 'KVM',
                name: 'kvm-cluster-1',
                outofbandmanagementenabled: true,
              },
              {
                hosts: xenVms.map((vms, i) => ({
                  cpunumber: 16,
                  cpuspeed: 2200,
                  ipaddress: `10.10.0.${21 + i}`,
                  memorytotal: '96GiB',
                  name: `xen-host-0${i + 1}`,
                  vms,
                })),
                hypervisor: 'XenServer',
                name: 'xen-cluster-1',
              },
            ],
            endip: '10.10.0.250',
            gateway: '10.10.0.1',
            name: 'pod-1',
            netmask: '255.255.255.0',
            startip: '10.10.0.100',
          },
        ],
      },
    ],
  }
}

/** N KVM hosts in clusters of 32 (10 clusters per pod), one VM per host, OOBM on everywhere. */
export function largeTopology(hostCount: number): TopologySpec {
  if (!Number.isInteger(hostCount) || hostCount < 1) throw new Error(`invalid host count: ${hostCount}`)
  const clusters: ClusterSpec[] = []
  for (let c = 1, start = 0; start < hostCount; start += 32, c++) {
    clusters.push({
      hostcount: Math.min(32, hostCount - start),
      hosttemplate: {
        cpunumber: 64,
        cpuspeed: 2400,
        memorytotal: '512GiB',
        oobm: {
          driver: 'ipmitool',
          enabled: true,
          password: 'ipmi-password',
          powerstate: 'On',
          username: 'ADMIN',
        },
        rollingmaintenance: KVM_STAGES,
      },
      hypervisor: 'KVM',
      name: `cl${String(c).padStart(4, '0')}`,
      outofbandmanagementenabled: true,
      vmsperhost: 1,
    })
  }

  const pods: PodSpec[] = []
  for (let i = 0; i < clusters.length; i += 10) {
    pods.push({clusters: clusters.slice(i, i + 10), name: `pod-${String(i / 10 + 1).padStart(3, '0')}`})
  }

  return {
    seed: `moldctl-large-${hostCount}`,
    zones: [
      {
        name: 'zone-large',
        physicalnetworks: [{name: 'physnet-guest', traffictypes: ['Guest', 'Management'], vlan: '1000-3999'}],
        pods,
      },
    ],
  }
}

/** Reads a topology file (YAML or JSON). */
export async function readTopologyFile(file: string): Promise<TopologySpec> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    throw new Error(`cannot read topology file ${file}${code === 'ENOENT' ? ': no such file' : `: ${code}`}`)
  }

  const {parse} = await import('yaml')
  const spec = parse(text) as TopologySpec
  if (!spec || typeof spec !== 'object' || !Array.isArray(spec.zones)) {
    throw new Error(`topology file ${file} must have a "zones" list (see docs/simulator.md)`)
  }

  return spec
}
