import type {Host, HostCapacity, HostStatus, SimModel, SystemVmHost} from '../state/model.js'

import {
  clusterIdParam,
  hypervisorParam,
  idParam,
  nameParam,
  PAGING_PARAMS,
  podIdParam,
  stateParam,
  zoneIdParam,
} from '../catalog/params.js'
import {defineApi, type RegisteredApi, responseFields, SimApiError} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'
import {formatApiDate, formatPercent} from '../state/format.js'

/* listHosts and the host response object (HostJoinDaoImpl's field rules). */

export type HostDetail = 'all' | 'capacity' | 'events' | 'min' | 'stats'
const HOST_DETAILS = new Set<HostDetail>(['all', 'capacity', 'events', 'min', 'stats'])

/** Events the Status state machine accepts from each status (shown in the `events` field). */
const STATUS_EVENTS: Partial<Record<HostStatus, string[]>> = {
  Alert: [
    'AgentConnected',
    'Ping',
    'Remove',
    'ManagementServerDown',
    'AgentDisconnected',
    'PingTimeout',
    'HostDown',
  ],
  Connecting: [
    'AgentConnected',
    'Ready',
    'Ping',
    'ManagementServerDown',
    'AgentDisconnected',
    'PingTimeout',
    'HostDown',
    'Remove',
  ],
  Disconnected: [
    'AgentConnected',
    'Ping',
    'WaitedTooLong',
    'ManagementServerDown',
    'AgentDisconnected',
    'PingTimeout',
    'HostDown',
    'Remove',
  ],
  Down: ['AgentConnected', 'Ping', 'Remove', 'ManagementServerDown', 'AgentDisconnected', 'PingTimeout'],
  Up: [
    'StartAgentRebalance',
    'AgentConnected',
    'ManagementServerDown',
    'PingTimeout',
    'ShutdownRequested',
    'HostDown',
    'AgentDisconnected',
    'Ping',
    'Remove',
  ],
}

/** The `outofbandmanagement` object of a host (password masked as first char + `****`). */
export function oobmSummary(host: Host): Record<string, unknown> {
  const {oobm} = host
  if (!oobm) return {enabled: false, powerstate: 'Disabled'}
  return {
    enabled: oobm.enabled,
    powerstate: oobm.enabled ? oobm.powerState : 'Disabled',
    driver: oobm.driver,
    address: oobm.address,
    port: oobm.port,
    username: oobm.username,
    password: oobm.password ? `${oobm.password.charAt(0)}****` : undefined,
  }
}

/** The server's `lastpinged` quirk: seconds-ish values shown as a date near 1970. */
function lastPingedDate(isoDate: string): string {
  return formatApiDate(Math.floor(Date.parse(isoDate) / 1024))
}

/** The capacity group of a HostResponse (details=capacity). */
function capacityFields(host: Host, capacity: HostCapacity): Record<string, unknown> {
  return {
    cpusockets: host.cpuSockets,
    cpunumber: host.cpuNumber,
    cpuspeed: host.cpuSpeed,
    cpuallocated: formatPercent(capacity.cpuAllocated, capacity.cpuWithOverprovisioning),
    cpuallocatedvalue: capacity.cpuAllocated,
    cpuallocatedpercentage: formatPercent(capacity.cpuAllocated, capacity.cpuWithOverprovisioning),
    cpuallocatedwithoverprovisioning: formatPercent(capacity.cpuAllocated, capacity.cpuWithOverprovisioning),
    cpuwithoverprovisioning: String(Number(capacity.cpuWithOverprovisioning.toFixed(2))),
    memorytotal: capacity.memoryTotal,
    memorywithoverprovisioning: String(Math.round(capacity.memoryWithOverprovisioning)),
    memoryallocated: capacity.memoryAllocated,
    memoryallocatedpercentage: formatPercent(capacity.memoryAllocated, capacity.memoryWithOverprovisioning),
    memoryallocatedbytes: capacity.memoryAllocated,
    gputotal: 0,
    gpuused: 0,
  }
}

/** The statistics group of a HostResponse (details=stats), for hosts that are Up. */
function statsFields(host: Host, capacity: HostCapacity): Record<string, unknown> {
  return {
    cpuused: formatPercent(capacity.cpuAllocated * 0.4, capacity.cpuTotal),
    cpuloadaverage: Number(((capacity.cpuAllocated / Math.max(1, host.cpuSpeed)) * 0.4).toFixed(2)),
    networkkbsread: Math.round(capacity.memoryAllocated / 65_536),
    networkkbswrite: Math.round(capacity.memoryAllocated / 131_072),
    memoryused: Math.round(capacity.memoryAllocated * 0.8),
  }
}

function statusEvents(status: HostStatus): string {
  return (STATUS_EVENTS[status] ?? ['AgentConnected', 'Remove']).join('; ')
}

/** The names of the zone, pod and cluster a host is in. */
function scopeNames(model: SimModel, host: Host): Record<string, unknown> {
  const cluster = model.clusters.get(host.clusterId)
  return {
    clustername: cluster?.name,
    clustertype: cluster?.clusterType,
    podname: model.pods.get(host.podId)?.name,
    zonename: model.zones.get(host.zoneId)?.name,
  }
}

/**
 * A HostResponse. `details` selects field groups like the API's `details` parameter;
 * `capacity` must be given for `all`/`capacity` (see SimModel.hostCapacities).
 */
export function hostResponse(
  model: SimModel,
  host: Host,
  capacity: HostCapacity | undefined,
  details: ReadonlySet<HostDetail> = new Set(['all']),
): Record<string, unknown> {
  const all = details.has('all')
  const withCapacity = all || details.has('capacity')
  const withStats = all || details.has('stats')
  const withNames = all || withCapacity || withStats || details.has('events')
  const response: Record<string, unknown> = {
    id: host.id,
    name: host.name,
    state: host.status,
    disconnected: host.disconnected,
    type: host.type,
    ipaddress: host.ipAddress,
    zoneid: host.zoneId,
    zonename: undefined,
    podid: host.podId,
    podname: undefined,
    version: host.version,
    hypervisor: host.hypervisor,
  }
  if (withCapacity && capacity) Object.assign(response, capacityFields(host, capacity))
  if (withStats && capacity && host.status === 'Up') Object.assign(response, statsFields(host, capacity))

  const tags = host.hostTags.length > 0 ? host.hostTags.join(',') : undefined
  Object.assign(response, {
    capabilities: host.capabilities,
    lastpinged: lastPingedDate(host.lastPinged),
    managementserverid: host.managementServerId,
    managementservername: model.state.managementServer.name,
    clusterid: host.clusterId,
    clustername: undefined,
    clustertype: undefined,
    islocalstorageactive: false,
    created: host.created,
    events: all || details.has('events') ? statusEvents(host.status) : undefined,
    hosttags: tags,
    explicithosttags: tags,
    hahost: host.haHost,
    hostha: {haenable: host.ha.enabled, hastate: host.ha.state, haprovider: host.ha.provider},
    outofbandmanagement: oobmSummary(host),
    resourcestate: host.resourceState,
    hypervisorversion: host.hypervisorVersion,
    details: all && host.hypervisor === 'KVM' ? {...host.details} : undefined,
    annotation: host.annotation,
    hasannotations: host.annotation !== undefined,
    ueficapability: host.hypervisor === 'KVM',
    encryptionsupported: host.hypervisor === 'KVM',
    instanceconversionsupported: false,
    arch: 'x86_64',
  })
  if (withNames) Object.assign(response, scopeNames(model, host))
  return response
}

/**
 * The HostResponse of a system VM's host row: no cluster, hypervisor, capacity or statistics
 * (HostJoinDaoImpl fills those for Routing hosts only).
 */
export function systemVmHostResponse(
  model: SimModel,
  host: SystemVmHost,
  details: ReadonlySet<HostDetail> = new Set(['all']),
): Record<string, unknown> {
  const all = details.has('all')
  const withNames = all || details.has('capacity') || details.has('stats') || details.has('events')
  return {
    id: host.id,
    name: host.name,
    state: host.status,
    type: host.type,
    ipaddress: host.ipAddress,
    zoneid: host.zoneId,
    zonename: withNames ? model.zones.get(host.zoneId)?.name : undefined,
    podid: host.podId,
    podname: withNames ? model.pods.get(host.podId)?.name : undefined,
    version: host.version,
    lastpinged: lastPingedDate(host.lastPinged),
    managementserverid: host.managementServerId,
    managementservername: model.state.managementServer.name,
    islocalstorageactive: false,
    created: host.created,
    events: all || details.has('events') ? statusEvents(host.status) : undefined,
    hahost: false,
    hostha: {haenable: false, hastate: 'Disabled'},
    outofbandmanagement: {enabled: false, powerstate: 'Disabled'},
    resourcestate: host.resourceState,
    hasannotations: false,
    ueficapability: false,
    encryptionsupported: false,
    instanceconversionsupported: false,
    arch: 'x86_64',
  }
}

/** Filters only hypervisor hosts can pass (cluster, hypervisor, VM, HA tag, OOBM). */
function filtersOnlyHypervisorHosts(params: {
  clusterid?: string
  hahost?: boolean
  hypervisor?: string
  outofbandmanagementenabled?: boolean
  outofbandmanagementpowerstate?: string
  virtualmachineid?: string
}): boolean {
  const powerState = params.outofbandmanagementpowerstate
  return Boolean(
    params.clusterid ||
    params.hypervisor ||
    params.virtualmachineid ||
    params.hahost ||
    params.outofbandmanagementenabled ||
    (powerState !== undefined && powerState !== 'Disabled'),
  )
}

/** listHosts' keyword: a part of the name, status or type. */
function matchesKeyword(
  host: {name: string; status: string; type: string},
  keyword: string | undefined,
): boolean {
  return (
    keyword === undefined ||
    icontains(host.name, keyword) ||
    icontains(host.status, keyword) ||
    icontains(host.type, keyword)
  )
}

/**
 * Whether a system VM's host row passes listHosts' filters: it has no cluster, hypervisor, HA
 * tag, OOBM or VMs to match, so any of those filters leaves it out.
 */
function systemVmHostListed(
  host: SystemVmHost,
  params: {
    clusterid?: string
    hahost?: boolean
    hypervisor?: string
    id?: string
    keyword?: string
    name?: string
    outofbandmanagementenabled?: boolean
    outofbandmanagementpowerstate?: string
    podid?: string
    resourcestate?: string
    state?: string
    type?: string
    virtualmachineid?: string
    zoneid?: string
  },
): boolean {
  if (filtersOnlyHypervisorHosts(params)) return false
  return (
    (params.id === undefined || host.id === params.id) &&
    (params.zoneid === undefined || host.zoneId === params.zoneid) &&
    (params.podid === undefined || host.podId === params.podid) &&
    ieq(host.name, params.name) &&
    ieq(host.status, params.state) &&
    ieq(host.resourceState, params.resourcestate) &&
    icontains(host.type, params.type) &&
    matchesKeyword(host, params.keyword)
  )
}

function parseDetails(values: string[] | undefined): Set<HostDetail> {
  if (!values || values.length === 0) return new Set(['all'])
  const result = new Set<HostDetail>()
  for (const value of values) {
    const detail = value.trim().toLowerCase() as HostDetail
    if (!HOST_DETAILS.has(detail)) {
      throw SimApiError.invalidParameter(
        'The details parameter contains a non permitted value. The allowed values are [min, all, capacity, events, stats]',
      )
    }

    result.add(detail)
  }

  return result
}

const ieq = (a: string, b: string | undefined) => b === undefined || a.toLowerCase() === b.toLowerCase()
const icontains = (a: string, b: string | undefined) =>
  b === undefined || a.toLowerCase().includes(b.toLowerCase())

export const listHostsApi = defineApi({
  description: 'Lists hosts.',
  handler({model, paging, params}) {
    const details = parseDetails(params.details)
    const vm = params.virtualmachineid ? model.vms.get(params.virtualmachineid) : undefined
    const vmHost = vm?.hostId ? model.hosts.get(vm.hostId) : undefined
    const hostsChecks = [
      (host: Host) => params.id === undefined || host.id === params.id,
      (host: Host) => params.zoneid === undefined || host.zoneId === params.zoneid,
      (host: Host) => params.podid === undefined || host.podId === params.podid,
      (host: Host) => params.clusterid === undefined || host.clusterId === params.clusterid,
      (host: Host) => ieq(host.name, params.name),
      (host: Host) => ieq(host.status, params.state),
      (host: Host) => ieq(host.resourceState, params.resourcestate),
      (host: Host) => ieq(host.hypervisor, params.hypervisor),
      (host: Host) => icontains(host.type, params.type),
      (host: Host) => params.hahost === undefined || host.haHost === params.hahost,
      (host: Host) =>
        params.outofbandmanagementenabled === undefined ||
        (host.oobm?.enabled ?? false) === params.outofbandmanagementenabled,
      (host: Host) =>
        params.outofbandmanagementpowerstate === undefined ||
        (host.oobm?.enabled ? host.oobm.powerState : 'Disabled') === params.outofbandmanagementpowerstate,
      (host: Host) =>
        params.keyword === undefined ||
        icontains(host.name, params.keyword) ||
        icontains(host.status, params.keyword) ||
        icontains(host.type, params.keyword),
      (host: Host) => !vmHost || (host.clusterId === vmHost.clusterId && host.id !== vmHost.id),
    ]
    const hosts = model.state.hosts.filter((host) => hostsChecks.every((check) => check(host)))
    // System VMs' host rows come after the hypervisor hosts (their ids are higher).
    const systemHosts = (model.state.systemVmHosts ?? []).filter((host) => systemVmHostListed(host, params))
    const listed: Array<Host | SystemVmHost> = [...hosts, ...systemHosts]
    const page = hosts.slice(paging.startIndex, paging.startIndex + paging.pageSize)
    const capacities = model.hostCapacities(page)
    return listBody('host', listed, paging, (item) => {
      if (!('clusterId' in item)) return systemVmHostResponse(model, item, details)
      const host = item
      const capacity = capacities.get(host.id)
      const response = hostResponse(model, host, capacity, details)
      if (vm && capacity) {
        const fits =
          capacity.cpuAllocated + vm.cpuNumber * vm.cpuSpeed <= capacity.cpuWithOverprovisioning &&
          capacity.memoryAllocated + vm.memory * 1024 * 1024 <= capacity.memoryWithOverprovisioning
        response.hasenoughcapacity = fits
        response.suitableformigration = fits && host.status === 'Up' && host.resourceState === 'Enabled'
      }

      return response
    })
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.ListHostsCmd',
  name: 'listHosts',
  params: [
    clusterIdParam('lists hosts existing in particular cluster'),
    {
      description:
        'comma separated list of host details requested, value can be a list of [ min, all, capacity, events, stats]',
      name: 'details',
      type: 'list',
    },
    {description: 'if true, list only hosts dedicated to HA', name: 'hahost', type: 'boolean'},
    hypervisorParam('hypervisor type of host: XenServer,KVM,VMware,Hyperv,BareMetal,Simulator'),
    idParam('anyhost', 'the id of the host'),
    nameParam('the name of the host'),
    {
      description: 'list hosts for which out-of-band management is enabled',
      name: 'outofbandmanagementenabled',
      type: 'boolean',
    },
    {
      description:
        "list hosts by its out-of-band management interface's power state. Its value can be one of [On, Off, Unknown]",
      name: 'outofbandmanagementpowerstate',
      type: 'string',
    },
    podIdParam('the Pod ID for the host'),
    {
      description:
        'list hosts by resource state. Resource state represents current state determined by admin of host, value can be one of [Enabled, Disabled, Unmanaged, PrepareForMaintenance, ErrorInMaintenance, Maintenance, Error]',
      name: 'resourcestate',
      type: 'string',
    },
    stateParam('the state of the host'),
    {description: 'the host type', name: 'type', type: 'string'},
    {
      description:
        'lists hosts in the same cluster as this VM and flag hosts with enough CPU/RAm to host this VM',
      entity: 'vm',
      name: 'virtualmachineid',
      type: 'uuid',
    },
    zoneIdParam('the Zone ID for the host'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'host',
    'annotation:string arch:string capabilities:string clusterid:string clustername:string clustertype:string cpuallocated:string cpuallocatedpercentage:string cpuallocatedvalue:long cpuallocatedwithoverprovisioning:string cpuloadaverage:double cpunumber:integer cpusockets:integer cpuspeed:long cpuused:string cpuwithoverprovisioning:string created:date details:map disconnected:date encryptionsupported:boolean events:string explicithosttags:string gputotal:long gpuused:long hahost:boolean hasannotations:boolean hasenoughcapacity:boolean hostha:hostharesponse hosttags:string hypervisor:string hypervisorversion:string id:string instanceconversionsupported:boolean ipaddress:string islocalstorageactive:boolean lastpinged:date managementserverid:string managementservername:string memoryallocated:long memoryallocatedbytes:long memoryallocatedpercentage:string memorytotal:long memoryused:long memorywithoverprovisioning:string name:string networkkbsread:long networkkbswrite:long outofbandmanagement:outofbandmanagementresponse podid:string podname:string resourcestate:string state:status suitableformigration:boolean type:type ueficapability:boolean version:string zoneid:string zonename:string',
    {
      hostha: responseFields('HA configuration', 'haenable:boolean haprovider:string hastate:hastate'),
      outofbandmanagement: responseFields(
        'out-of-band management configuration',
        'address:string driver:string enabled:boolean password:string port:string powerstate:powerstate username:string',
      ),
    },
    {
      cpuwithoverprovisioning: "the amount of the host's CPU after applying the cpu.overprovisioning.factor",
      memorywithoverprovisioning:
        "the amount of the host's memory after applying the mem.overprovisioning.factor",
      resourcestate: 'the resource state of the host',
      state: 'the state of the host',
    },
  ),
})

export const hostApis: RegisteredApi[] = [listHostsApi]
