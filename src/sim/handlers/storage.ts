import type {ImageStore, SimModel, StoragePool} from '../state/model.js'

import {
  clusterIdParam,
  idParam,
  nameParam,
  PAGING_PARAMS,
  podIdParam,
  zoneIdParam,
} from '../catalog/params.js'
import {defineApi, type RegisteredApi, responseFields, SimApiError} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'

/*
 * Primary and secondary storage: listStoragePools (ListStoragePoolsCmd, the StoragePoolResponse of
 * StoragePoolJoinDaoImpl) and listImageStores (ListImageStoresCmd, ImageStoreResponse). The pools
 * and stores come from the topology; their capacity feeds listCapacity types 2, 3 and 6.
 */

const ieq = (a: string, b: string | undefined) => b === undefined || a.toLowerCase() === b.toLowerCase()
const like = (a: string, keyword: string | undefined) =>
  keyword === undefined || a.toLowerCase().includes(keyword.toLowerCase())

/** The overprovisioning factor a pool's allocation is measured against (NFS pools only). */
export function poolOverprovisioning(model: SimModel, pool: StoragePool): number {
  if (pool.type !== 'NetworkFilesystem') return 1
  return Number(model.setting('storage.overprovisioning.factor')) || 1
}

function storagePoolResponse(model: SimModel, pool: StoragePool): Record<string, unknown> {
  const cluster = pool.clusterId ? model.clusters.get(pool.clusterId) : undefined
  return {
    id: pool.id,
    zoneid: pool.zoneId,
    zonename: model.zones.get(pool.zoneId)?.name,
    podid: pool.podId,
    podname: pool.podId ? model.pods.get(pool.podId)?.name : undefined,
    name: pool.name,
    ipaddress: pool.ipAddress,
    path: pool.path,
    created: pool.created,
    type: pool.type,
    clusterid: cluster?.id,
    clustername: cluster?.name,
    disksizetotal: pool.capacityBytes,
    disksizeallocated: pool.allocatedBytes,
    disksizeused: pool.usedBytes,
    tags: pool.tags.length > 0 ? pool.tags.join(',') : undefined,
    istagarule: false,
    state: pool.state,
    scope: pool.scope,
    overprovisionfactor: poolOverprovisioning(model, pool).toFixed(1),
    hypervisor: cluster?.hypervisor ?? pool.hypervisor,
    provider: pool.provider,
    managed: false,
    hasannotations: false,
  }
}

function imageStoreResponse(model: SimModel, store: ImageStore): Record<string, unknown> {
  return {
    id: store.id,
    zoneid: store.zoneId,
    zonename: model.zones.get(store.zoneId)?.name,
    name: store.name,
    url: store.url,
    protocol: store.protocol,
    providername: store.providerName,
    scope: 'ZONE',
    readonly: store.readOnly,
    disksizetotal: store.capacityBytes,
    disksizeused: store.usedBytes,
    hasannotations: false,
  }
}

export const listStoragePoolsApi = defineApi({
  description: 'Lists storage pools.',
  handler({model, paging, params}) {
    const pools = (model.state.storagePools ?? []).filter(
      (pool) =>
        (params.id === undefined || pool.id === params.id) &&
        (params.zoneid === undefined || pool.zoneId === params.zoneid) &&
        (params.podid === undefined || pool.podId === params.podid) &&
        (params.clusterid === undefined || pool.clusterId === params.clusterid) &&
        ieq(pool.name, params.name) &&
        ieq(pool.ipAddress, params.ipaddress) &&
        ieq(pool.path, params.path) &&
        ieq(pool.scope, params.scope) &&
        ieq(pool.state, params.status) &&
        like(pool.name, params.keyword),
    )
    return listBody('storagepool', pools, paging, (pool) => storagePoolResponse(model, pool))
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.storage.ListStoragePoolsCmd',
  name: 'listStoragePools',
  params: [
    clusterIdParam('list storage pools belongig to the specific cluster'),
    idParam('storagepool', 'the ID of the storage pool'),
    {description: 'the IP address for the storage pool', name: 'ipaddress', type: 'string'},
    nameParam('the name of the storage pool'),
    {description: 'the storage pool path', name: 'path', type: 'string'},
    podIdParam('the Pod ID for the storage pool'),
    {description: 'the ID of the storage pool', name: 'scope', type: 'string'},
    {description: 'the status of the storage pool', name: 'status', type: 'string'},
    zoneIdParam('the Zone ID for the storage pool'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'storage pool',
    'clusterid:string clustername:string created:date disksizeallocated:long disksizetotal:long disksizeused:long hasannotations:boolean hypervisor:string id:string ipaddress:string istagarule:boolean managed:boolean name:string overprovisionfactor:string path:string podid:string podname:string provider:string scope:string state:storagepoolstatus tags:string type:string zoneid:string zonename:string',
  ),
})

export const listImageStoresApi = defineApi({
  description: 'Lists image stores.',
  handler({model, paging, params}) {
    const stores = (model.state.imageStores ?? []).filter(
      (store) =>
        (params.id === undefined || store.id === params.id) &&
        (params.zoneid === undefined || store.zoneId === params.zoneid) &&
        ieq(store.name, params.name) &&
        ieq(store.protocol, params.protocol) &&
        ieq(store.providerName, params.provider) &&
        (params.readonly === undefined || store.readOnly === params.readonly) &&
        like(store.name, params.keyword),
    )
    return listBody('imagestore', stores, paging, (store) => imageStoreResponse(model, store))
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.storage.ListImageStoresCmd',
  name: 'listImageStores',
  params: [
    idParam('imagestore', 'The ID of the storage pool'),
    nameParam('The name of the image store'),
    {description: 'The image store protocol', name: 'protocol', type: 'string'},
    {description: 'The image store provider', name: 'provider', type: 'string'},
    {description: 'Read-only status of the image store', name: 'readonly', since: '4.15.0', type: 'boolean'},
    zoneIdParam('The Zone ID for the image store'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'image store',
    'disksizetotal:long disksizeused:long hasannotations:boolean id:string name:string protocol:string providername:string readonly:boolean scope:scopetype url:string zoneid:string zonename:string',
  ),
  since: '4.2.0',
})

/**
 * The storage providers a server with the default plugins registers, by provider type
 * (DataStoreProviderManagerImpl.getDataStoreProviders); vendor plugins add more primary ones.
 */
const STORAGE_PROVIDERS: Record<string, string[]> = {
  image: ['NFS', 'S3', 'Swift', 'SMB'],
  imagecache: ['NFS'],
  primary: ['DefaultPrimary'],
}

export const listStorageProvidersApi = defineApi({
  description: 'Lists storage providers.',
  handler({paging, params}) {
    const type = params.type.toLowerCase()
    const names = STORAGE_PROVIDERS[type]
    if (!names) throw SimApiError.invalidParameter(`Invalid parameter: ${params.type}`)
    const label = type === 'imagecache' ? 'ImageCache' : type
    const providers = names.map((name) => ({name, type: label}))
    return listBody('dataStoreProvider', providers, paging, (provider) => provider)
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.storage.ListStorageProvidersCmd',
  name: 'listStorageProviders',
  params: [
    {
      description: 'the type of storage provider: either primary or image',
      name: 'type',
      required: true,
      type: 'string',
    },
    ...PAGING_PARAMS,
  ],
  response: responseFields('storage provider', 'name:string type:string'),
})

export const storageApis: RegisteredApi[] = [listStoragePoolsApi, listImageStoresApi, listStorageProvidersApi]
