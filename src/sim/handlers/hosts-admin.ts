import type {SimClock} from '../behaviour/clock.js'
import type {AllocationState, Cluster, Host, Pod, SimModel} from '../state/model.js'

import {
  cancelMaintenance,
  enterMaintenance,
  findMigrationTarget,
  isMaintenanceState,
  NoTransitionError,
  transitResourceState,
} from '../behaviour/maintenance.js'
import {defineApi, SimApiError} from '../catalog/registry.js'
import {formatApiDate} from '../state/format.js'
import {hostResponse, listHostsApi} from './hosts.js'
import {
  clusterResponse,
  listClustersApi,
  listPodsApi,
  listZonesApi,
  podResponse,
  zoneResponse,
} from './infrastructure.js'

/*
 * Host administration: maintenance (prepare / cancel), updateHost, addHost, deleteHost,
 * reconnectHost, declare/cancel Degraded, and the allocation state of zones, pods and clusters.
 * Texts and codes follow the server (ResourceManagerImpl, AgentManagerImpl, the *Cmd classes).
 */

const HOST_FIELDS = listHostsApi.response

function hostBody(model: SimModel, host: Host): Record<string, unknown> {
  return hostResponse(model, host, model.hostCapacity(host))
}

function requireHost(model: SimModel, id: string): Host {
  const host = model.hosts.get(id)
  if (!host) throw SimApiError.invalidParameter(`Host with id ${id} doesn't exist`)
  return host
}

const HOST_ID_PARAM = {
  description: 'the host ID',
  entity: 'host',
  name: 'id',
  required: true,
  type: 'uuid',
} as const

export const prepareHostForMaintenanceApi = defineApi({
  description: 'Prepares a host for maintenance.',
  handler({clock, jobs, model, params}) {
    const host = requireHost(model, params.id)
    return jobs.submit({
      instanceId: host.id,
      instanceType: 'Host',
      run: () => ({host: hostBody(model, enterMaintenance(model, clock, host.id))}),
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.PrepareForMaintenanceCmd',
  name: 'prepareHostForMaintenance',
  params: [HOST_ID_PARAM],
  response: HOST_FIELDS,
})

export const cancelHostMaintenanceApi = defineApi({
  description: 'Cancels host maintenance.',
  handler({jobs, model, params}) {
    const host = requireHost(model, params.id)
    return jobs.submit({
      instanceId: host.id,
      instanceType: 'Host',
      run: () => ({host: hostBody(model, cancelMaintenance(model, host.id))}),
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.CancelMaintenanceCmd',
  name: 'cancelHostMaintenance',
  params: [HOST_ID_PARAM],
  response: HOST_FIELDS,
})

export const declareHostAsDegradedApi = defineApi({
  description:
    "Declare host as 'Degraded'. Host must be on 'Disconnected' or 'Alert' state. The ADMIN must be sure that there are no VMs running on the respective host otherwise this command might corrupted VMs that were running on the 'Degraded' host.",
  handler({jobs, model, params}) {
    const host = requireHost(model, params.id)
    return jobs.submit({
      instanceId: host.id,
      instanceType: 'Host',
      run() {
        if (host.resourceState === 'Degraded')
          throw SimApiError.internal(`Host [id:${host.internalId}] was already marked as Degraded.`)
        if (host.status !== 'Alert' && host.status !== 'Disconnected') {
          throw SimApiError.invalidParameter(
            `Cannot perform declare host [id=${host.internalId}, name=${host.name}] as 'Degraded' when host is in ${host.status} status`,
          )
        }

        transitOrFail(host, 'DeclareHostDegraded', (e) => e.message)
        return {host: hostBody(model, host)}
      },
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.DeclareHostAsDegradedCmd',
  name: 'declareHostAsDegraded',
  params: [{...HOST_ID_PARAM, description: 'host ID'}],
  response: HOST_FIELDS,
  since: '4.16.0.0',
})

export const cancelHostAsDegradedApi = defineApi({
  description: "Cancel host status from 'Degraded'. Host will transit back to status 'Enabled'.",
  handler({jobs, model, params}) {
    const host = requireHost(model, params.id)
    return jobs.submit({
      instanceId: host.id,
      instanceType: 'Host',
      run() {
        if (host.resourceState !== 'Degraded') {
          throw SimApiError.internal(
            `Cannot perform cancelHostAsDegraded on host [id=${host.internalId}, name=${host.name}] when host is in ${host.resourceState} state`,
          )
        }

        transitOrFail(host, 'EnableDegradedHost', (e) => e.message)
        return {host: hostBody(model, host)}
      },
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.CancelHostAsDegradedCmd',
  name: 'cancelHostAsDegraded',
  params: [{...HOST_ID_PARAM, description: 'host ID'}],
  response: HOST_FIELDS,
  since: '4.16.0.0',
})

function transitOrFail(
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

export const updateHostApi = defineApi({
  description: 'Updates a host.',
  handler({model, params}) {
    const host = requireHost(model, params.id)
    // UpdateHostCmd wraps every failure: "Failed to update host:<id>,<message>".
    const fail = (message: string) =>
      SimApiError.internal(`Failed to update host:${host.internalId},${message}`)
    if (params.allocationstate) {
      const event = params.allocationstate
      if (event !== 'Enable' && event !== 'Disable') {
        throw fail(`Invalid allocation state: ${event}, only Enable/Disable are allowed`)
      }

      const already =
        (host.resourceState === 'Enabled' && event === 'Enable') ||
        (host.resourceState === 'Disabled' && event === 'Disable')
      if (!already) transitOrFail(host, event, (e) => `Failed to update host:${host.internalId},${e.message}`)
    }

    if (params.name) host.name = params.name
    if (params.hosttags) host.hostTags = [...new Set(params.hosttags)]
    if (params.annotation) host.annotation = params.annotation
    return {host: hostBody(model, host)}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.UpdateHostCmd',
  name: 'updateHost',
  params: [
    {
      description:
        'Change resource state of host, valid values are [Enable, Disable]. Operation may failed if host in states not allowing Enable/Disable',
      name: 'allocationstate',
      type: 'string',
    },
    {description: 'Add an annotation to this host', name: 'annotation', since: '4.11', type: 'string'},
    {
      collectionType: 'string',
      description: 'list of tags to be added to the host',
      name: 'hosttags',
      type: 'list',
    },
    {description: 'the ID of the host to update', entity: 'host', name: 'id', required: true, type: 'uuid'},
    {description: 'Change the name of host', name: 'name', since: '4.15', type: 'string'},
    {description: 'the id of Os category to update the host with', name: 'oscategoryid', type: 'uuid'},
    {description: 'the new uri for the secondary storage: nfs://host/path', name: 'url', type: 'string'},
  ],
  response: HOST_FIELDS,
})

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

interface AddHostParams {
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
function checkAddHost(
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
function newHost(
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

export const addHostApi = defineApi({
  description: 'Adds a new host.',
  handler({clock, model, params}) {
    const found = checkAddHost(model, params)
    const cluster = params.clusterid
      ? model.clusters.get(params.clusterid)!
      : clusterNamed(model, params.clustername ?? `Standalone-${params.url}`, found.pod, found.hypervisor)
    const host = newHost(model, clock, cluster, {...found, params})
    model.state.hosts.push(host)
    model.reindex()
    return {count: 1, host: [hostBody(model, host)]}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.AddHostCmd',
  name: 'addHost',
  params: [
    {
      description: 'Allocation state of this Host for allocation of new resources',
      name: 'allocationstate',
      type: 'string',
    },
    {description: 'the cluster ID for the host', entity: 'cluster', name: 'clusterid', type: 'uuid'},
    {description: 'the cluster name for the host', name: 'clustername', type: 'string'},
    {
      collectionType: 'string',
      description: 'list of tags to be added to the host',
      name: 'hosttags',
      type: 'list',
    },
    {description: 'hypervisor type of the host', name: 'hypervisor', required: true, type: 'string'},
    {
      description: 'the password for the host; required to be passed for hypervisors other than VMWare',
      name: 'password',
      type: 'string',
    },
    {description: 'the Pod ID for the host', entity: 'pod', name: 'podid', required: true, type: 'uuid'},
    {description: 'the host URL', name: 'url', required: true, type: 'string'},
    {
      description: 'the username for the host; required to be passed for hypervisors other than VMWare',
      name: 'username',
      type: 'string',
    },
    {description: 'the Zone ID for the host', entity: 'zone', name: 'zoneid', required: true, type: 'uuid'},
  ],
  response: HOST_FIELDS,
})

/** The cluster of that name in the pod, created (with factors 1) when missing, as addHost does. */
function clusterNamed(model: SimModel, name: string, pod: Pod, hypervisor: string): Cluster {
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

export const deleteHostApi = defineApi({
  description: 'Deletes a host.',
  handler({model, params}) {
    const host = requireHost(model, params.id)
    const deletable = host.resourceState === 'Maintenance' || host.resourceState === 'Degraded'
    if (!deletable && !params.forced) {
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
    return {success: true}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.DeleteHostCmd',
  name: 'deleteHost',
  params: [
    {
      description:
        'Force delete the host. All HA enabled vms running on the host will be put to HA; HA disabled ones will be stopped',
      name: 'forced',
      type: 'boolean',
    },
    {
      description:
        'Force destroy local storage on this host. All VMs created on this local storage will be destroyed',
      name: 'forcedestroylocalstorage',
      type: 'boolean',
    },
    {description: 'the host ID', entity: 'host', name: 'id', required: true, type: 'uuid'},
  ],
  response: [
    {description: 'any text associated with the success or failure', name: 'displaytext', type: 'string'},
    {description: 'true if operation is executed successfully', name: 'success', type: 'boolean'},
  ],
})

/** Simulated seconds an agent takes to connect again. */
const RECONNECT_SECONDS = 10

export const reconnectHostApi = defineApi({
  description: 'Reconnects a host.',
  handler({clock, jobs, model, params}) {
    const host = requireHost(model, params.id)
    return jobs.submit({
      instanceId: host.id,
      instanceType: 'Host',
      async run() {
        if (host.status === 'Disconnected') return {host: hostBody(model, host)}
        if (host.status !== 'Up' && host.status !== 'Alert' && host.status !== 'Rebalancing') {
          throw SimApiError.internal(
            `Unable to disconnect host because it is not in the correct state: host=${host.internalId}; Status=${host.status}`,
          )
        }

        host.status = 'Connecting'
        await clock.sleep(RECONNECT_SECONDS * 1000)
        if (host.status === 'Connecting') host.status = 'Up'
        host.lastPinged = clock.now().toISOString()
        return {host: hostBody(model, host)}
      },
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.ReconnectHostCmd',
  name: 'reconnectHost',
  params: [HOST_ID_PARAM],
  response: HOST_FIELDS,
})

// ---------------------------------------------------------------------------------------------
// Zones, pods, clusters

const ALLOCATION_DESCRIPTION = 'Allocation state of this cluster for allocation of new resources'

/** Grouping.AllocationState.valueOf as updatePod/updateCluster use it. */
function allocationStateOf(value: string | undefined): AllocationState | undefined {
  if (!value) return undefined
  if (value === 'Enabled' || value === 'Disabled') return value
  throw SimApiError.invalidParameter(`Unable to resolve Allocation State '${value}' to a supported state`)
}

export const updateZoneApi = defineApi({
  description: 'Updates a Zone.',
  handler({model, params}) {
    const zone = model.zones.get(params.id)!
    if (params.allocationstate) {
      // editZone calls valueOf without a catch: the IllegalArgumentException text comes through.
      if (params.allocationstate !== 'Enabled' && params.allocationstate !== 'Disabled') {
        throw SimApiError.invalidParameter(
          `No enum constant com.cloud.org.Grouping.AllocationState.${params.allocationstate}`,
        )
      }

      zone.allocationState = params.allocationstate
    }

    if (params.name) zone.name = params.name
    if (params.dns1) zone.dns1 = params.dns1
    if (params.dns2) zone.dns2 = params.dns2
    return {zone: zoneResponse(model, zone)}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.zone.UpdateZoneCmd',
  name: 'updateZone',
  params: [
    {description: ALLOCATION_DESCRIPTION, name: 'allocationstate', type: 'string'},
    {description: 'the first DNS for the Zone', name: 'dns1', type: 'string'},
    {description: 'the second DNS for the Zone', name: 'dns2', type: 'string'},
    {description: 'the ID of the Zone', entity: 'zone', name: 'id', required: true, type: 'uuid'},
    {description: 'the name of the Zone', name: 'name', type: 'string'},
  ],
  response: listZonesApi.response,
})

export const updatePodApi = defineApi({
  description: 'Updates a Pod.',
  handler({model, params}) {
    const pod = model.pods.get(params.id)!
    const state = allocationStateOf(params.allocationstate)
    if (state) pod.allocationState = state
    if (params.name) pod.name = params.name
    return {pod: podResponse(model, pod)}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.pod.UpdatePodCmd',
  name: 'updatePod',
  params: [
    {description: ALLOCATION_DESCRIPTION, name: 'allocationstate', type: 'string'},
    {description: 'the ID of the Pod', entity: 'pod', name: 'id', required: true, type: 'uuid'},
    {description: 'the name of the Pod', name: 'name', type: 'string'},
  ],
  response: listPodsApi.response,
})

export const updateClusterApi = defineApi({
  description: 'Updates an existing cluster',
  handler({model, params}) {
    const cluster = model.clusters.get(params.id)!
    if (params.clustername) {
      if (cluster.hypervisor === 'VMware') {
        throw SimApiError.invalidParameter(
          'Renaming VMware cluster is not supported as it could cause problems if the updated  cluster name is not mapped on VCenter.',
        )
      }

      cluster.name = params.clustername
    }

    const state = allocationStateOf(params.allocationstate)
    if (state) cluster.allocationState = state
    if (params.managedstate) {
      if (params.managedstate !== 'Managed' && params.managedstate !== 'Unmanaged') {
        throw SimApiError.invalidParameter(
          `Unable to resolve Managed State '${params.managedstate}' to a supported state`,
        )
      }

      cluster.managedState = params.managedstate
    }

    return {cluster: clusterResponse(model, cluster)}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.cluster.UpdateClusterCmd',
  name: 'updateCluster',
  params: [
    {description: ALLOCATION_DESCRIPTION, name: 'allocationstate', type: 'string'},
    {description: 'the cluster name', name: 'clustername', type: 'string'},
    {description: 'hypervisor type of the cluster', name: 'clustertype', type: 'string'},
    {description: 'hypervisor type of the cluster', name: 'hypervisor', type: 'string'},
    {description: 'the ID of the Cluster', entity: 'cluster', name: 'id', required: true, type: 'uuid'},
    {description: 'whether this cluster is managed by cloudstack', name: 'managedstate', type: 'string'},
  ],
  response: listClustersApi.response,
})

export const HOSTS_ADMIN_APIS = [
  addHostApi,
  cancelHostAsDegradedApi,
  cancelHostMaintenanceApi,
  declareHostAsDegradedApi,
  deleteHostApi,
  prepareHostForMaintenanceApi,
  reconnectHostApi,
  updateClusterApi,
  updateHostApi,
  updatePodApi,
  updateZoneApi,
]
