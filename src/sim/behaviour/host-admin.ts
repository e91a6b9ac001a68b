import type {Cluster, Host, Pod, SimModel} from '../state/model.js'
import type {SimClock} from './clock.js'

import {SimApiError} from '../catalog/registry.js'
import {formatApiDate} from '../state/format.js'
import {
  findMigrationTarget,
  isMaintenanceState,
  NoTransitionError,
  transitResourceState,
} from './maintenance.js'

/*
 * Host administration other than maintenance: Degraded, reconnecting, adding and deleting hosts.
 * Texts and codes follow the server (ResourceManagerImpl, AgentManagerImpl, the *Cmd classes).
 */

export function transitOrFail(
  host: Host,
  event: Parameters<typeof transitResourceState>[1],
  text: (e: NoTransitionError) => string,
): void {
  try {
    transitResourceState(host, event)
  } catch (error) {
    if (error instanceof NoTransitionError) throw SimApiError.internal(text(error))
    throw error
  }
}

/** declareHostAsDegraded's job: only from Disconnected or Alert, once. */
export function declareDegraded(host: Host): Host {
  if (host.resourceState === 'Degraded')
    throw SimApiError.internal(`Host [id:${host.internalId}] was already marked as Degraded.`)
  if (host.status !== 'Alert' && host.status !== 'Disconnected') {
    throw SimApiError.invalidParameter(
      `Cannot perform declare host [id=${host.internalId}, name=${host.name}] as 'Degraded' when host is in ${host.status} status`,
    )
  }

  transitOrFail(host, 'DeclareHostDegraded', (e) => e.message)
  return host
}

/** cancelHostAsDegraded's job: back to Enabled. */
export function cancelDegraded(host: Host): Host {
  if (host.resourceState !== 'Degraded') {
    throw SimApiError.internal(
      `Cannot perform cancelHostAsDegraded on host [id=${host.internalId}, name=${host.name}] when host is in ${host.resourceState} state`,
    )
  }

  transitOrFail(host, 'EnableDegradedHost', (e) => e.message)
  return host
}

/** Simulated seconds an agent takes to connect again. */
const RECONNECT_SECONDS = 10

/** reconnectHost's job: the agent disconnects and connects again on the simulated clock. */
export async function reconnect(clock: SimClock, host: Host): Promise<Host> {
  if (host.status === 'Disconnected') return host
  if (host.status !== 'Up' && host.status !== 'Alert' && host.status !== 'Rebalancing') {
    throw SimApiError.internal(
      `Unable to disconnect host because it is not in the correct state: host=${host.internalId}; Status=${host.status}`,
    )
  }

  host.status = 'Connecting'
  await clock.sleep(RECONNECT_SECONDS * 1000)
  if (host.status === 'Connecting') host.status = 'Up'
  host.lastPinged = clock.now().toISOString()
  return host
}

const SUPPORTED_HYPERVISORS = [
  'BareMetal',
  'Hyperv',
  'KVM',
  'LXC',
  'Ovm3',
  'Simulator',
  'VMware',
  'XenServer',
]

/** HypervisorType.getType's match: the canonical name of a supported hypervisor, any case. */
export function canonicalHypervisor(name: string): string | undefined {
  const lower = name.toLowerCase()
  return SUPPORTED_HYPERVISORS.find((h) => h.toLowerCase() === lower)
}

export interface AddHostParams {
  allocationstate?: string
  clusterid?: string
  clustername?: string
  hosttags?: string[]
  hypervisor: string
  password?: string
  podid: string
  url: string
  username?: string
  zoneid: string
}

/** discoverHosts' checks in the server's order; returns the hypervisor's canonical name and the address. */
export function checkAddHost(
  model: SimModel,
  params: AddHostParams,
): {address: string; hypervisor: string; pod: Pod} {
  const zone = model.zones.get(params.zoneid)!
  const pod = model.pods.get(params.podid)!
  if (pod.zoneId !== zone.id) {
    throw SimApiError.invalidParameter(
      `Pod with specified podId${pod.internalId} doesn't belong to the zone with specified zoneId${zone.internalId}`,
    )
  }

  if (params.clustername && params.clusterid)
    throw SimApiError.invalidParameter("Can't specify cluster by both id and name")
  const lower = params.hypervisor.toLowerCase()
  const hasUser = Boolean(params.username?.trim())
  if (lower === 'kvm' && !hasUser) throw SimApiError.invalidParameter('Username need to be provided.')
  if (lower !== 'kvm' && lower !== 'vmware' && (!hasUser || !params.password?.trim())) {
    throw SimApiError.invalidParameter('Username and Password need to be provided.')
  }

  if (!/^[a-z][\w+.-]*:/i.test(params.url)) {
    throw SimApiError.invalidParameter(
      `uri.scheme is null ${params.url}, add nfs:// (or cifs://) as a prefix`,
    )
  }

  const hypervisor = SUPPORTED_HYPERVISORS.find((h) => h.toLowerCase() === lower)
  if (!hypervisor)
    throw SimApiError.internal(`Do not support HypervisorType ${params.hypervisor} for ${params.url}`)
  let address: string
  try {
    address = new URL(params.url).hostname
  } catch {
    throw SimApiError.invalidParameter(`${params.url} is not a valid uri`)
  }

  // The discoverer skips an address it already knows, and then finds nothing.
  if (!address || model.state.hosts.some((h) => h.ipAddress === address || h.name === address)) {
    throw SimApiError.internal(`Unable to add the host: Cannot find the server resources at ${params.url}`)
  }

  return {address, hypervisor, pod}
}

/** A new connected host shaped like the cluster's first host (or a default machine). */
export function newHost(
  model: SimModel,
  clock: SimClock,
  cluster: Cluster,
  found: {address: string; hypervisor: string; params: AddHostParams},
): Host {
  const template = model.hostsInCluster(cluster.id)[0]
  return {
    agentUsername: found.params.username ?? 'root',
    bmc: {latencyMs: 100, mode: 'ok', power: 'On'},
    capabilities: template?.capabilities ?? 'hvm',
    clusterId: cluster.id,
    cpuNumber: template?.cpuNumber ?? 16,
    cpuSockets: template?.cpuSockets ?? 2,
    cpuSpeed: template?.cpuSpeed ?? 2400,
    created: formatApiDate(clock.now()),
    details:
      found.hypervisor === 'KVM' ? {'Host.OS': 'Rocky Linux', 'Host.OS.Version': '9.4', secured: 'true'} : {},
    ha: {enabled: false, state: 'Disabled'},
    haHost: false,
    hostTags: found.params.hosttags ?? [],
    hypervisor: found.hypervisor,
    hypervisorVersion: template?.hypervisorVersion,
    id: model.newId('host'),
    internalId: model.newInternalId(),
    ipAddress: found.address,
    lastPinged: clock.now().toISOString(),
    managementServerId: model.state.managementServer.id,
    memoryTotal: template?.memoryTotal ?? 128 * 1024 ** 3,
    name: found.address,
    podId: cluster.podId,
    resourceState: found.params.allocationstate === 'Disabled' ? 'Disabled' : 'Enabled',
    rollingMaintenance: {},
    status: 'Up',
    type: 'Routing',
    version: template?.version ?? model.state.hosts[0]?.version ?? '4.22.0.0',
    zoneId: cluster.zoneId,
  }
}

/** The cluster of that name in the pod, created (with factors 1) when missing, as addHost does. */
export function clusterNamed(model: SimModel, name: string, pod: Pod, hypervisor: string): Cluster {
  const existing = model.state.clusters.find((c) => c.name === name && c.podId === pod.id)
  if (existing) return existing
  const cluster: Cluster = {
    allocationState: 'Enabled',
    clusterType: 'CloudManaged',
    details: {cpuOvercommitRatio: '1', memoryOvercommitRatio: '1'},
    hypervisor,
    id: model.newId('cluster'),
    internalId: model.newInternalId(),
    managedState: 'Managed',
    name,
    podId: pod.id,
    zoneId: pod.zoneId,
  }
  model.state.clusters.push(cluster)
  model.reindex()
  return cluster
}

/** addHost: the discoverer's checks, the cluster (found or made), then the new connected host. */
export function addHost(model: SimModel, clock: SimClock, params: AddHostParams): Host {
  const found = checkAddHost(model, params)
  const cluster = params.clusterid
    ? model.clusters.get(params.clusterid)!
    : clusterNamed(model, params.clustername ?? `Standalone-${params.url}`, found.pod, found.hypervisor)
  const host = newHost(model, clock, cluster, {...found, params})
  model.state.hosts.push(host)
  model.reindex()
  return host
}

/** deleteHost: only in maintenance or Degraded unless forced; its VMs restarted elsewhere (HA) or stopped. */
export function removeHost(model: SimModel, host: Host, forced: boolean): void {
  const deletable = host.resourceState === 'Maintenance' || host.resourceState === 'Degraded'
  if (!deletable && !forced) {
    throw SimApiError.internal(
      `Host ${host.id} cannot be deleted as it is not in maintenance mode. Either put the host into maintenance or perform a forced deletion.`,
    )
  }

  for (const vm of model.vmsOnHost(host.id)) {
    // Forced: HA-enabled VMs are restarted elsewhere by HA, the others stopped.
    const target = vm.haEnable && vm.state === 'Running' ? findMigrationTarget(model, vm, host) : undefined
    vm.lastHostId = host.id
    if (target) {
      vm.hostId = target.id
      vm.state = 'Running'
    } else {
      vm.hostId = undefined
      vm.state = 'Stopped'
    }
  }

  if (isMaintenanceState(host.resourceState) || host.resourceState === 'Degraded')
    host.resourceState = 'Disabled'
  model.state.hosts.splice(model.state.hosts.indexOf(host), 1)
  model.reindex()
}
