import type {MoldClient} from '../api/client.js'
import type {Host} from '../api/models.js'
import type {PageStream} from '../api/paging.js'
import type {Params} from '../api/types.js'

import {fetchHostPages, fetchHosts} from '../api/fetch.js'
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
export async function listHosts(client: MoldClient, f: HostFilters): Promise<Host[]> {
  return fetchHosts(client, await hostListParams(client, f))
}

/** Every hypervisor host matching the filters, page by page as they arrive (MoldClient#listPages). */
export async function hostPages(client: MoldClient, f: HostFilters): Promise<PageStream<Host>> {
  return fetchHostPages(client, await hostListParams(client, f))
}

/** The hypervisor hosts of one cluster (every page). */
export async function hostsOfCluster(client: MoldClient, clusterId: string): Promise<Host[]> {
  return fetchHosts(client, {clusterid: clusterId, type: 'Routing'})
}
