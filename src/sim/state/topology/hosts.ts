import type {Builder} from './builder.js'

import {
  type Cluster,
  type Host,
  type OobmConfig,
  type Pod,
  ROLLING_STAGES,
  type RollingStage,
  type RollingStageScript,
  type Vm,
} from '../model.js'
import {type ClusterSpec, GIB, type HostSpec, parseBytes, type VmSpec} from './spec.js'

/* Clusters, their hypervisor hosts (agent details, BMC, rolling-maintenance scripts) and VMs. */

const DEFAULT_STAGES: Record<RollingStage, RollingStageScript> = {
  Maintenance: {durationSeconds: 60, exitCode: 0, output: 'Maintenance: packages updated'},
  PostMaintenance: {durationSeconds: 10, exitCode: 0, output: 'PostMaintenance: services verified'},
  PreFlight: {durationSeconds: 5, exitCode: 0, output: 'PreFlight: host ready for maintenance'},
  PreMaintenance: {durationSeconds: 10, exitCode: 0, output: 'PreMaintenance: agent drained'},
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

export function buildCluster(b: Builder, parent: {path: string; pod: Pod}, spec: ClusterSpec): void {
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
