import type {Host, SimModel, SystemVmHost} from '../state/model.js'

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
import {defineApi, type RegisteredApi, responseFields} from '../catalog/registry.js'
import {pageBody} from '../http/envelope.js'
import {hostResponse, parseDetails, systemVmHostResponse} from './host-response.js'

/* listHosts: its filters and paging (the host response object is host-response.ts). */

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
