import type {MoldClient} from '../api/client.js'
import type {ApiObject, Params} from '../api/types.js'
import type {Column} from '../output/columns.js'

import {resolveEntity} from './resolve.js'

export interface HostFilters {
  cluster?: string
  hypervisor?: string
  pod?: string
  resourceState?: string
  state?: string
  zone?: string
}

/** listHosts parameters for the filters, resolving zone/pod/cluster names to ids first. */
export async function hostListParams(client: MoldClient, f: HostFilters): Promise<Params> {
  const params: Params = {
    hypervisor: f.hypervisor,
    resourcestate: f.resourceState,
    state: f.state,
    type: 'Routing',
  }
  if (f.zone) params.zoneid = (await resolveEntity(client, 'zone', f.zone)).id
  if (f.pod) params.podid = (await resolveEntity(client, 'pod', f.pod)).id
  if (f.cluster) params.clusterid = (await resolveEntity(client, 'cluster', f.cluster)).id
  return params
}

/** Every hypervisor host matching the filters, over all pages. */
export async function listHosts(client: MoldClient, f: HostFilters): Promise<ApiObject[]> {
  return client.list('listHosts', await hostListParams(client, f))
}

/** The hypervisor hosts of one cluster (every page). */
export async function hostsOfCluster<T = ApiObject>(client: MoldClient, clusterId: string): Promise<T[]> {
  return client.list<T>('listHosts', {clusterid: clusterId, type: 'Routing'})
}

/** Memory in bytes as GiB text. */
export function gib(bytes: unknown): string {
  const n = Number(bytes)
  return Number.isFinite(n) && n > 0 ? `${(n / 1024 ** 3).toFixed(1)}G` : ''
}

export const HOST_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name', shrink: false},
  {header: 'STATE', key: 'state'},
  {header: 'RESOURCE', key: 'resourcestate'},
  {header: 'IP', key: 'ipaddress', shrink: false},
  {header: 'HYPERVISOR', key: 'hypervisor'},
  {header: 'CLUSTER', key: 'clustername'},
  {get: (h) => h.cpuallocated ?? '', header: 'CPU', key: 'cpuallocated'},
  {get: (h) => gib(h.memorytotal), header: 'MEM', key: 'memorytotal'},
]

export const ZONE_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name', shrink: false},
  {header: 'ID', key: 'id', shrink: false},
  {header: 'ALLOCATION', key: 'allocationstate'},
  {header: 'NETWORK', key: 'networktype'},
]

export const POD_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name', shrink: false},
  {header: 'ID', key: 'id', shrink: false},
  {header: 'ZONE', key: 'zonename'},
  {header: 'ALLOCATION', key: 'allocationstate'},
  {header: 'GATEWAY', key: 'gateway'},
]

export const CLUSTER_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name', shrink: false},

  {header: 'HYPERVISOR', key: 'hypervisortype'},
  {header: 'ZONE', key: 'zonename'},
  {header: 'POD', key: 'podname'},
  {header: 'ALLOCATION', key: 'allocationstate'},
  {header: 'CPU×', key: 'cpuovercommitratio'},
  {header: 'MEM×', key: 'memoryovercommitratio'},
]

export const JOB_COLUMNS: Column[] = [
  {header: 'JOBID', key: 'jobid', shrink: false},
  {
    get: (j) =>
      String(j.cmd ?? '')
        .split('.')
        .pop(),
    header: 'COMMAND',
    key: 'cmd',
  },
  {get: (j) => jobStatusName(Number(j.jobstatus)), header: 'STATUS', key: 'jobstatus'},
  {header: 'CREATED', key: 'created'},
  {header: 'INSTANCE', key: 'jobinstancetype'},
]

export function jobStatusName(status: number): string {
  return ['pending', 'succeeded', 'failed', 'cancelled'][status] ?? String(status)
}
