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
import {pageBody} from '../http/envelope.js'
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
function capacityGroup(host: Host, capacity: HostCapacity) {
  const cpuPercent = formatPercent(capacity.cpuAllocated, capacity.cpuWithOverprovisioning)
  return {
    cpuallocated: cpuPercent,
    cpuallocatedpercentage: cpuPercent,
    cpuallocatedvalue: capacity.cpuAllocated,
    cpuallocatedwithoverprovisioning: cpuPercent,
    cpunumber: host.cpuNumber,
    cpusockets: host.cpuSockets,
    cpuspeed: host.cpuSpeed,
    cpuwithoverprovisioning: String(Number(capacity.cpuWithOverprovisioning.toFixed(2))),
    gputotal: 0,
    gpuused: 0,
    memoryallocated: capacity.memoryAllocated,
    memoryallocatedbytes: capacity.memoryAllocated,
    memoryallocatedpercentage: formatPercent(capacity.memoryAllocated, capacity.memoryWithOverprovisioning),
    memorytotal: capacity.memoryTotal,
    memorywithoverprovisioning: String(Math.round(capacity.memoryWithOverprovisioning)),
  }
}

/** The statistics group of a HostResponse (details=stats), for hosts that are Up. */
function statsGroup(host: Host, capacity: HostCapacity) {
  return {
    cpuloadaverage: Number(((capacity.cpuAllocated / Math.max(1, host.cpuSpeed)) * 0.4).toFixed(2)),
    cpuused: formatPercent(capacity.cpuAllocated * 0.4, capacity.cpuTotal),
    memoryused: Math.round(capacity.memoryAllocated * 0.8),
    networkkbsread: Math.round(capacity.memoryAllocated / 65_536),
    networkkbswrite: Math.round(capacity.memoryAllocated / 131_072),
  }
}

/** The names of the zone, pod and cluster a host is in. */
function scopeNames(model: SimModel, host: Host) {
  const cluster = model.clusters.get(host.clusterId)
  return {
    clustername: cluster?.name,
    clustertype: cluster?.clusterType,
    podname: model.pods.get(host.podId)?.name,
    zonename: model.zones.get(host.zoneId)?.name,
  }
}

type Absent<T> = {[K in keyof T]: undefined}
const NO_CAPACITY: Absent<ReturnType<typeof capacityGroup>> = {
  cpuallocated: undefined,
  cpuallocatedpercentage: undefined,
  cpuallocatedvalue: undefined,
  cpuallocatedwithoverprovisioning: undefined,
  cpunumber: undefined,
  cpusockets: undefined,
  cpuspeed: undefined,
  cpuwithoverprovisioning: undefined,
  gputotal: undefined,
  gpuused: undefined,
  memoryallocated: undefined,
  memoryallocatedbytes: undefined,
  memoryallocatedpercentage: undefined,
  memorytotal: undefined,
  memorywithoverprovisioning: undefined,
}
const NO_STATS: Absent<ReturnType<typeof statsGroup>> = {
  cpuloadaverage: undefined,
  cpuused: undefined,
  memoryused: undefined,
  networkkbsread: undefined,
  networkkbswrite: undefined,
}
const NO_NAMES: Absent<ReturnType<typeof scopeNames>> = {
  clustername: undefined,
  clustertype: undefined,
  podname: undefined,
  zonename: undefined,
}

function statusEvents(status: HostStatus): string {
  return (STATUS_EVENTS[status] ?? ['AgentConnected', 'Remove']).join('; ')
}

/**
 * A HostResponse. `details` selects field groups like the API's `details` parameter;
 * `capacity` must be given for `all`/`capacity` (see SimModel.hostCapacities). Built as one
 * object literal in the answer's field order (absent groups undefined, which JSON leaves out):
 * a listing builds and serialises hundreds of them per page.
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
  const cap = withCapacity && capacity ? capacityGroup(host, capacity) : NO_CAPACITY
  const stats = withStats && capacity && host.status === 'Up' ? statsGroup(host, capacity) : NO_STATS
  const names = withNames ? scopeNames(model, host) : NO_NAMES
  const tags = host.hostTags.length > 0 ? host.hostTags.join(',') : undefined
  const kvm = host.hypervisor === 'KVM'
  return {
    id: host.id,
    name: host.name,
    state: host.status,
    disconnected: host.disconnected,
    type: host.type,
    ipaddress: host.ipAddress,
    zoneid: host.zoneId,
    zonename: names.zonename,
    podid: host.podId,
    podname: names.podname,
    version: host.version,
    hypervisor: host.hypervisor,
    // The capacity group (details=capacity).
    cpusockets: cap.cpusockets,
    cpunumber: cap.cpunumber,
    cpuspeed: cap.cpuspeed,
    cpuallocated: cap.cpuallocated,
    cpuallocatedvalue: cap.cpuallocatedvalue,
    cpuallocatedpercentage: cap.cpuallocatedpercentage,
    cpuallocatedwithoverprovisioning: cap.cpuallocatedwithoverprovisioning,
    cpuwithoverprovisioning: cap.cpuwithoverprovisioning,
    memorytotal: cap.memorytotal,
    memorywithoverprovisioning: cap.memorywithoverprovisioning,
    memoryallocated: cap.memoryallocated,
    memoryallocatedpercentage: cap.memoryallocatedpercentage,
    memoryallocatedbytes: cap.memoryallocatedbytes,
    gputotal: cap.gputotal,
    gpuused: cap.gpuused,
    // The statistics group (details=stats).
    cpuused: stats.cpuused,
    cpuloadaverage: stats.cpuloadaverage,
    networkkbsread: stats.networkkbsread,
    networkkbswrite: stats.networkkbswrite,
    memoryused: stats.memoryused,
    capabilities: host.capabilities,
    lastpinged: lastPingedDate(host.lastPinged),
    managementserverid: host.managementServerId,
    managementservername: model.state.managementServer.name,
    clusterid: host.clusterId,
    clustername: names.clustername,
    clustertype: names.clustertype,
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
    details: all && kvm ? {...host.details} : undefined,
    annotation: host.annotation,
    hasannotations: host.annotation !== undefined,
    ueficapability: kvm,
    encryptionsupported: kvm,
    instanceconversionsupported: false,
    arch: 'x86_64',
  }
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

type HostFilterParams = Parameters<typeof systemVmHostListed>[1]

/** The filter parameters of a listHosts request as one string (the paging ones left out). */
function filterKey(params: HostFilterParams): string {
  const {clusterid, hahost, hypervisor, id, keyword, name, outofbandmanagementenabled} = params
  const {outofbandmanagementpowerstate, podid, resourcestate, state, type, virtualmachineid, zoneid} = params
  return JSON.stringify([
    clusterid,
    hahost,
    hypervisor,
    id,
    keyword,
    name,
    outofbandmanagementenabled,
    outofbandmanagementpowerstate,
    podid,
    resourcestate,
    state,
    type,
    virtualmachineid,
    zoneid,
  ])
}

/** The hosts a listing can contain: by id, else those of the narrowest scope asked for (in state order). */
function candidateHosts(model: SimModel, params: HostFilterParams): readonly Host[] {
  if (params.id !== undefined) {
    const host = model.hosts.get(params.id)
    return host ? [host] : []
  }

  const scope = params.clusterid ?? params.podid ?? params.zoneid
  return scope === undefined ? model.state.hosts : (model.hostsByScope.get(scope) ?? [])
}

function inScope(host: Host, params: HostFilterParams): boolean {
  return (
    (params.id === undefined || host.id === params.id) &&
    (params.zoneid === undefined || host.zoneId === params.zoneid) &&
    (params.podid === undefined || host.podId === params.podid) &&
    (params.clusterid === undefined || host.clusterId === params.clusterid)
  )
}

/** Whether a hypervisor host passes listHosts' filters (vmHost: the host of virtualmachineid's VM). */
function hostListed(host: Host, params: HostFilterParams, vmHost: Host | undefined): boolean {
  const powerState = params.outofbandmanagementpowerstate
  return (
    inScope(host, params) &&
    ieq(host.name, params.name) &&
    ieq(host.status, params.state) &&
    ieq(host.resourceState, params.resourcestate) &&
    ieq(host.hypervisor, params.hypervisor) &&
    icontains(host.type, params.type) &&
    (params.hahost === undefined || host.haHost === params.hahost) &&
    (params.outofbandmanagementenabled === undefined ||
      (host.oobm?.enabled ?? false) === params.outofbandmanagementenabled) &&
    (powerState === undefined || (host.oobm?.enabled ? host.oobm.powerState : 'Disabled') === powerState) &&
    matchesKeyword(host, params.keyword) &&
    (!vmHost || (host.clusterId === vmHost.clusterId && host.id !== vmHost.id))
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
    const fresh = paging.startIndex === 0
    // The hosts that pass the filters, computed on a listing's first page and reused by its
    // later pages until the records change (SimModel#memo): a page costs its own hosts.
    const {hosts, systemHosts} = model.memo(`listHosts ${filterKey(params)}`, fresh, () => ({
      hosts: candidateHosts(model, params).filter((host) => hostListed(host, params, vmHost)),
      // System VMs' host rows come after the hypervisor hosts (their ids are higher).
      systemHosts: (model.state.systemVmHosts ?? []).filter((host) => systemVmHostListed(host, params)),
    }))
    const end = paging.startIndex + paging.pageSize
    const page = hosts.slice(paging.startIndex, end)
    const listed: Array<Host | SystemVmHost> = [
      ...page,
      ...systemHosts.slice(Math.max(0, paging.startIndex - hosts.length), Math.max(0, end - hosts.length)),
    ]
    const capacities = model.hostCapacities(page, model.vmsByHost(fresh))
    return pageBody('host', hosts.length + systemHosts.length, listed, (item) => {
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
