import type {ApiObject, AsyncJob} from './types.js'

/** com.cloud.host.Status: the agent connection state. */
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

/** com.cloud.resource.ResourceState. */
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

/** The OOBM object inside a listHosts host (always present; `{enabled:false, powerstate:"Disabled"}` when unconfigured). */
export interface HostOutOfBand {
  address?: string
  driver?: string
  enabled: boolean
  port?: string
  powerstate: string
  username?: string
}

/** A listHosts host (HostResponse): the fields moldctl reads, typed as the API answers them. */
export interface Host extends ApiObject {
  clusterid: string
  clustername: string
  /** Allocated CPU as a percentage ("12.5%"), when the server reports it. */
  cpuallocated?: string
  /** Allocated CPU in MHz. */
  cpuallocatedvalue?: number
  cpunumber?: number
  cpuspeed?: number
  /** MHz with the cluster's CPU factor applied, as a string. */
  cpuwithoverprovisioning?: string
  hypervisor: string
  id: string
  ipaddress: string
  /** Memory allocated to the VMs on the host (bytes), when the server reports it. */
  memoryallocated?: number
  memoryallocatedbytes?: number
  memorytotal?: number
  /** Bytes with the cluster's memory factor applied, as a string. */
  memorywithoverprovisioning?: string
  name: string
  outofbandmanagement?: HostOutOfBand
  podid: string
  podname?: string
  resourcestate: ResourceState
  state: HostStatus
  type: string
  zoneid: string
  zonename?: string
}

export interface Cluster extends ApiObject {
  allocationstate: string
  cpuovercommitratio: string
  hypervisortype: string
  id: string
  memoryovercommitratio: string
  name: string
  podid: string
  podname?: string
  /** The cluster's details, when the server includes them. */
  resourcedetails?: Record<string, string>
  zoneid: string
  zonename?: string
}

/**
 * A listVirtualMachines virtualmachine (UserVmResponse): the fields moldctl reads. Only id, name
 * and state are always there; hostid and hostname only while the VM sits on a host, instancename
 * only for an admin, details only with `details=all` (or the default).
 */
export interface Vm extends ApiObject {
  account?: string
  cpunumber?: number
  /** MHz per core. */
  cpuspeed?: number
  details?: Record<string, string>
  displayname?: string
  hostid?: string
  hostname?: string
  hypervisor?: string
  id: string
  instancename?: string
  /** MiB. */
  memory?: number
  name: string
  /** com.cloud.vm.VirtualMachine.State (Running, Stopped, Migrating, ...). */
  state: string
  zoneid?: string
  zonename?: string
}

/**
 * A dedicated guest VLAN range (GuestVlanRangeResponse): its owner (account and domain, or
 * project) and the range `start-end`. physicalnetworkid and zoneid are left to the index
 * signature: the server sends its internal numeric ids there.
 */
export interface GuestVlanRange extends ApiObject {
  account?: string
  domain?: string
  domainid?: string
  guestvlanrange: string
  id: string
  project?: string
  projectid?: string
}

export interface Zone extends ApiObject {
  allocationstate: string
  id: string
  name: string
  networktype: string
}

/** A listPods pod (PodResponse): the fields `pod list` shows. */
export interface Pod extends ApiObject {
  allocationstate?: string
  gateway?: string
  id: string
  name: string
  zoneid?: string
  zonename?: string
}

/** A listCAProviders provider (CAProviderResponse). */
export interface CaProvider extends ApiObject {
  description?: string
  name: string
}

/**
 * A listAsyncJobs row (AsyncJobResponse): the job as queryAsyncJobResult answers it, every field
 * but the id optional (the recorded answer has only accountid, created, jobid, jobprocstatus,
 * jobresultcode and userid; the rest comes when the server has it), plus the owner's ids.
 */
export type AsyncJobRow = ApiObject &
  Partial<Omit<AsyncJob, 'jobid'>> &
  Pick<AsyncJob, 'jobid'> & {
    accountid?: string
    jobprocstatus?: number
    userid?: string
  }

export interface Configuration extends ApiObject {
  category?: string
  description?: string
  isdynamic?: boolean
  name: string
  value?: string
}

type FieldType = 'boolean' | 'number' | 'object' | 'string'

const HOST_SHAPE: Record<string, FieldType> = {
  clusterid: 'string',
  cpunumber: 'number',
  cpuspeed: 'number',
  cpuwithoverprovisioning: 'string',
  hypervisor: 'string',
  id: 'string',
  ipaddress: 'string',
  memorytotal: 'number',
  memorywithoverprovisioning: 'string',
  name: 'string',
  podid: 'string',
  resourcestate: 'string',
  state: 'string',
  type: 'string',
  zoneid: 'string',
}

const CLUSTER_SHAPE: Record<string, FieldType> = {
  allocationstate: 'string',
  cpuovercommitratio: 'string',
  hypervisortype: 'string',
  id: 'string',
  memoryovercommitratio: 'string',
  name: 'string',
  podid: 'string',
  zoneid: 'string',
}

const CONFIGURATION_SHAPE: Record<string, FieldType> = {name: 'string'}

/** Checks that the fields moldctl relies on are present with the API's types; names what is wrong. */
function checkShape<T>(kind: string, raw: unknown, shape: Record<string, FieldType>): T {
  if (!raw || typeof raw !== 'object') throw new TypeError(`${kind}: not an object`)
  const problems = Object.entries(shape)
    .filter(([field, type]) => typeof (raw as ApiObject)[field] !== type)
    .map(([field, type]) => `${field} should be a ${type}, is ${JSON.stringify((raw as ApiObject)[field])}`)
  if (problems.length > 0) throw new TypeError(`${kind}: ${problems.join('; ')}`)
  return raw as T
}

export const toHost = (raw: unknown): Host => checkShape<Host>('host', raw, HOST_SHAPE)
export const toCluster = (raw: unknown): Cluster => checkShape<Cluster>('cluster', raw, CLUSTER_SHAPE)
export const toConfiguration = (raw: unknown): Configuration =>
  checkShape<Configuration>('configuration', raw, CONFIGURATION_SHAPE)

const ASYNC_JOB_SHAPE: Record<string, FieldType> = {jobid: 'string', jobstatus: 'number'}

/** queryAsyncJobResult's answer: a job with its id and status. */
export const toAsyncJob = (raw: unknown): AsyncJob => checkShape<AsyncJob>('async job', raw, ASYNC_JOB_SHAPE)
