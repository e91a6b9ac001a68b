import type {SimClock} from '../behaviour/clock.js'
import type {Host, SimModel} from '../state/model.js'

import {
  addHost,
  cancelDegraded,
  canonicalHypervisor,
  declareDegraded,
  reconnect,
  removeHost,
  transitOrFail,
} from '../behaviour/host-admin.js'
import {allocationStateOf, editPod, editZone} from '../behaviour/infrastructure-edit.js'
import {cancelMaintenance, enterMaintenance} from '../behaviour/maintenance.js'
import {
  allocationStateParam,
  clusterIdParam,
  hypervisorParam,
  idParam,
  nameParam,
  podIdParam,
  zoneIdParam,
} from '../catalog/params.js'
import {defineApi, type RegisteredApi, SimApiError} from '../catalog/registry.js'
import {hostResponse} from './host-response.js'
import {listHostsApi} from './hosts.js'
import {
  clusterResponse,
  listClustersApi,
  listPodsApi,
  listZonesApi,
  podResponse,
  zoneResponse,
} from './infrastructure.js'

/*
 * Host administration commands: maintenance (prepare / cancel), updateHost, addHost, deleteHost,
 * reconnectHost, declare/cancel Degraded, and the allocation state of zones, pods and clusters.
 * The rules are in behaviour/maintenance.ts and behaviour/host-admin.ts.
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

const HOST_ID_PARAM = idParam('host', 'the host ID', {required: true})

interface HostJobApi {
  description: string
  /** The listApis description of `id` when it is not "the host ID". */
  idDescription?: string
  /** Java class name below org.apache.cloudstack.api.command.admin.host. */
  javaClass: string
  name: string
  /** The job's work on the host; the job answers `{host}` with the host as it then is. */
  run: (ctx: {clock: SimClock; model: SimModel}, host: Host) => Host | Promise<Host>
  since?: string
}

/** An async command on one host (`id`): the host is looked up at once, the work runs as a job. */
function hostJobApi(spec: HostJobApi): RegisteredApi {
  return defineApi({
    description: spec.description,
    handler: ({clock, jobs, model, params}) =>
      jobs.submitFor('Host', requireHost(model, params.id), async (host) => ({
        host: hostBody(model, await spec.run({clock, model}, host)),
      })),
    isasync: true,
    javaClass: `org.apache.cloudstack.api.command.admin.host.${spec.javaClass}`,
    name: spec.name,
    params: [{...HOST_ID_PARAM, description: spec.idDescription ?? HOST_ID_PARAM.description}],
    response: HOST_FIELDS,
    since: spec.since,
  })
}

export const prepareHostForMaintenanceApi = hostJobApi({
  description: 'Prepares a host for maintenance.',
  javaClass: 'PrepareForMaintenanceCmd',
  name: 'prepareHostForMaintenance',
  run: ({clock, model}, host) => enterMaintenance(model, clock, host.id),
})

export const cancelHostMaintenanceApi = hostJobApi({
  description: 'Cancels host maintenance.',
  javaClass: 'CancelMaintenanceCmd',
  name: 'cancelHostMaintenance',
  run: ({model}, host) => cancelMaintenance(model, host.id),
})

export const declareHostAsDegradedApi = hostJobApi({
  description:
    "Declare host as 'Degraded'. Host must be on 'Disconnected' or 'Alert' state. The ADMIN must be sure that there are no VMs running on the respective host otherwise this command might corrupted VMs that were running on the 'Degraded' host.",
  idDescription: 'host ID',
  javaClass: 'DeclareHostAsDegradedCmd',
  name: 'declareHostAsDegraded',
  run: (_ctx, host) => declareDegraded(host),
  since: '4.16.0.0',
})

export const cancelHostAsDegradedApi = hostJobApi({
  description: "Cancel host status from 'Degraded'. Host will transit back to status 'Enabled'.",
  idDescription: 'host ID',
  javaClass: 'CancelHostAsDegradedCmd',
  name: 'cancelHostAsDegraded',
  run: (_ctx, host) => cancelDegraded(host),
  since: '4.16.0.0',
})

export const reconnectHostApi = hostJobApi({
  description: 'Reconnects a host.',
  javaClass: 'ReconnectHostCmd',
  name: 'reconnectHost',
  run: ({clock}, host) => reconnect(clock, host),
})

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
    allocationStateParam(
      'Change resource state of host, valid values are [Enable, Disable]. Operation may failed if host in states not allowing Enable/Disable',
    ),
    {description: 'Add an annotation to this host', name: 'annotation', since: '4.11', type: 'string'},
    {
      collectionType: 'string',
      description: 'list of tags to be added to the host',
      name: 'hosttags',
      type: 'list',
    },
    idParam('host', 'the ID of the host to update', {required: true}),
    nameParam('Change the name of host', {since: '4.15'}),
  ],
  response: HOST_FIELDS,
})

export const addHostApi = defineApi({
  description: 'Adds a new host.',
  handler({clock, model, params}) {
    const host = addHost(model, clock, params)
    return {count: 1, host: [hostBody(model, host)]}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.AddHostCmd',
  name: 'addHost',
  params: [
    allocationStateParam('Allocation state of this Host for allocation of new resources'),
    clusterIdParam('the cluster ID for the host'),
    {description: 'the cluster name for the host', name: 'clustername', type: 'string'},
    {
      collectionType: 'string',
      description: 'list of tags to be added to the host',
      name: 'hosttags',
      type: 'list',
    },
    hypervisorParam('hypervisor type of the host', {required: true}),
    {
      description: 'the password for the host; required to be passed for hypervisors other than VMWare',
      name: 'password',
      type: 'string',
    },
    podIdParam('the Pod ID for the host', {required: true}),
    {description: 'the host URL', name: 'url', required: true, type: 'string'},
    {
      description: 'the username for the host; required to be passed for hypervisors other than VMWare',
      name: 'username',
      type: 'string',
    },
    zoneIdParam('the Zone ID for the host', {required: true}),
  ],
  response: HOST_FIELDS,
})

export const deleteHostApi = defineApi({
  description: 'Deletes a host.',
  handler({model, params}) {
    const host = requireHost(model, params.id)
    removeHost(model, host, params.forced ?? false)
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
    idParam('host', 'the host ID', {required: true}),
  ],
  response: [
    {description: 'any text associated with the success or failure', name: 'displaytext', type: 'string'},
    {description: 'true if operation is executed successfully', name: 'success', type: 'boolean'},
  ],
})

// ---------------------------------------------------------------------------------------------
// Zones, pods, clusters

const ALLOCATION_DESCRIPTION = 'Allocation state of this cluster for allocation of new resources'

export const updateZoneApi = defineApi({
  description: 'Updates a Zone.',
  handler: ({model, params}) => ({
    zone: zoneResponse(model, editZone(model, model.zones.get(params.id)!, params)),
  }),
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.zone.UpdateZoneCmd',
  name: 'updateZone',
  // UpdateZoneCmd's parameters, every one applied by behaviour/infrastructure-edit.ts.
  params: [
    allocationStateParam(ALLOCATION_DESCRIPTION),
    {description: 'the details for the Zone', name: 'details', type: 'map'},
    {description: 'the dhcp Provider for the Zone', name: 'dhcpprovider', type: 'string'},
    {description: 'the first DNS for the Zone', name: 'dns1', type: 'string'},
    {description: 'the second DNS for the Zone', name: 'dns2', type: 'string'},
    {
      collectionType: 'string',
      description: 'the dns search order list',
      name: 'dnssearchorder',
      type: 'list',
    },
    {
      description:
        'Network domain name for the networks in the zone; empty string will update domain with NULL value',
      name: 'domain',
      type: 'string',
    },
    {description: 'the guest CIDR address for the Zone', name: 'guestcidraddress', type: 'string'},
    idParam('zone', 'the ID of the Zone', {required: true}),
    {description: 'the first internal DNS for the Zone', name: 'internaldns1', type: 'string'},
    {description: 'the second internal DNS for the Zone', name: 'internaldns2', type: 'string'},
    {description: 'the first DNS for IPv6 network in the Zone', name: 'ip6dns1', type: 'string'},
    {description: 'the second DNS for IPv6 network in the Zone', name: 'ip6dns2', type: 'string'},
    {
      description: 'updates a private zone to public if set, but not vice-versa',
      name: 'ispublic',
      type: 'boolean',
    },
    {
      description: 'true if local storage offering enabled, false otherwise',
      name: 'localstorageenabled',
      type: 'boolean',
    },
    nameParam('the name of the Zone'),
    {description: 'sort key of the zone, integer', name: 'sortkey', type: 'integer'},
  ],
  response: listZonesApi.response,
})

export const updatePodApi = defineApi({
  description: 'Updates a Pod.',
  handler: ({model, params}) => ({
    pod: podResponse(model, editPod(model, model.pods.get(params.id)!, params)),
  }),
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.pod.UpdatePodCmd',
  name: 'updatePod',
  // UpdatePodCmd's parameters, every one applied by behaviour/infrastructure-edit.ts.
  params: [
    allocationStateParam(ALLOCATION_DESCRIPTION),
    {description: 'the ending IP address for the Pod', name: 'endip', type: 'string'},
    {description: 'the gateway for the Pod', name: 'gateway', type: 'string'},
    idParam('pod', 'the ID of the Pod', {required: true}),
    nameParam('the name of the Pod'),
    {description: 'the netmask of the Pod', name: 'netmask', type: 'string'},
    {description: 'the starting IP address for the Pod', name: 'startip', type: 'string'},
  ],
  response: listPodsApi.response,
})

export const updateClusterApi = defineApi({
  description: 'Updates an existing cluster',
  handler({model, params}) {
    const cluster = model.clusters.get(params.id)!
    // ResourceManagerImpl.updateCluster resolves hypervisor (HypervisorType.getType) and clustertype
    // (Cluster.ClusterType.valueOf) before it saves anything (apache/cloudstack
    // server/src/main/java/com/cloud/resource/ResourceManagerImpl.java).
    const hypervisor = params.hypervisor ? canonicalHypervisor(params.hypervisor) : undefined
    if (params.hypervisor && !hypervisor) {
      throw SimApiError.invalidParameter(`Unable to resolve ${params.hypervisor} to a supported type`)
    }

    const clusterType = params.clustertype || undefined
    if (clusterType !== undefined && clusterType !== 'CloudManaged' && clusterType !== 'ExternalManaged') {
      throw SimApiError.invalidParameter(`Unable to resolve ${clusterType} to a supported type`)
    }

    if (params.managedstate && params.managedstate !== 'Managed' && params.managedstate !== 'Unmanaged') {
      throw SimApiError.invalidParameter(
        `Unable to resolve Managed State '${params.managedstate}' to a supported state`,
      )
    }

    if (params.clustername) {
      if (cluster.hypervisor === 'VMware') {
        throw SimApiError.invalidParameter(
          'Renaming VMware cluster is not supported as it could cause problems if the updated  cluster name is not mapped on VCenter.',
        )
      }

      cluster.name = params.clustername
    }

    if (hypervisor) cluster.hypervisor = hypervisor
    if (clusterType) cluster.clusterType = clusterType

    const state = allocationStateOf(params.allocationstate)
    if (state) cluster.allocationState = state
    if (params.managedstate === 'Managed' || params.managedstate === 'Unmanaged') {
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
    hypervisorParam('hypervisor type of the cluster'),
    idParam('cluster', 'the ID of the Cluster', {required: true}),
    {description: 'whether this cluster is managed by cloudstack', name: 'managedstate', type: 'string'},
  ],
  response: listClustersApi.response,
})

export const hostAdminApis: RegisteredApi[] = [
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
