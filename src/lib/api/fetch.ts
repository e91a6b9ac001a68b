/**
 * The typed fetchers of the API's objects: every page of listHosts, listClusters and
 * listVirtualMachines, as the models of models.ts. The parameters are sent as given (no filter is
 * added), so a fetcher is the same request as the raw `client.list` it stands for.
 */
import type {MoldClient} from './client.js'
import type {Cluster, Host, Vm} from './models.js'
import type {PageStream} from './paging.js'
import type {Params} from './types.js'

export async function fetchHosts(client: MoldClient, params: Params = {}): Promise<Host[]> {
  return client.list<Host>('listHosts', params)
}

/** listHosts page by page as they arrive (MoldClient#listPages). */
export function fetchHostPages(client: MoldClient, params: Params = {}): PageStream<Host> {
  return client.listPages<Host>('listHosts', params)
}

export async function fetchClusters(client: MoldClient, params: Params = {}): Promise<Cluster[]> {
  return client.list<Cluster>('listClusters', params)
}

export async function fetchVms(client: MoldClient, params: Params = {}): Promise<Vm[]> {
  return client.list<Vm>('listVirtualMachines', params)
}
