import type {Cluster, Pod, SimModel, Zone} from '../state/model.js'

import {capacityOf} from '../behaviour/capacity.js'
import {
  allocationStateParam,
  hypervisorParam,
  idParam,
  nameParam,
  PAGING_PARAMS,
  podIdParam,
  showCapacitiesParam,
  zoneIdParam,
} from '../catalog/params.js'
import {defineApi, type RegisteredApi, responseFields} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'

/* listZones, listPods, listClusters and the zone/pod/cluster response objects. */

const CAPACITY_FIELDS = responseFields(
  'capacity',
  'capacityallocated:long capacitytotal:long capacityused:long clusterid:string clustername:string name:string percentused:string podid:string podname:string type:short zoneid:string zonename:string',
)

function matches(value: string, filter: string | undefined): boolean {
  return filter === undefined || value.toLowerCase() === filter.toLowerCase()
}

function contains(value: string, keyword: string | undefined): boolean {
  return keyword === undefined || value.toLowerCase().includes(keyword.toLowerCase())
}

function withScope<T extends object>(
  entries: T[],
  scope: Record<string, string>,
): Array<Record<string, string> & T> {
  return entries.map((entry) => ({...scope, ...entry}))
}

export function zoneResponse(model: SimModel, zone: Zone, showCapacities = false): Record<string, unknown> {
  return {
    id: zone.id,
    name: zone.name,
    dns1: zone.dns1,
    dns2: zone.dns2,
    ip6dns1: zone.ip6Dns1,
    ip6dns2: zone.ip6Dns2,
    internaldns1: zone.internalDns1,
    internaldns2: zone.internalDns2,
    guestcidraddress: zone.networkType === 'Advanced' ? zone.guestCidr : undefined,
    networktype: zone.networkType,
    securitygroupsenabled: zone.securityGroupsEnabled,
    allocationstate: zone.allocationState,
    zonetoken: zone.id.replaceAll('-', '').slice(0, 20),
    dhcpprovider: zone.dhcpProvider ?? 'VirtualRouter',
    domain: zone.domain,
    localstorageenabled: zone.localStorageEnabled,
    capacity: showCapacities
      ? withScope(
          capacityOf(
            model,
            model.state.hosts.filter((h) => h.zoneId === zone.id),
          ),
          {zoneid: zone.id, zonename: zone.name},
        )
      : undefined,
    tags: [],
    resourcedetails: Object.keys(zone.details).length > 0 ? {...zone.details} : undefined,
    allowuserspecifyvrmtu: false,
    routerprivateinterfacemaxmtu: 1500,
    routerpublicinterfacemaxmtu: 1500,
    type: zone.type,
    hasannotations: false,
  }
}

export function podResponse(model: SimModel, pod: Pod, showCapacities = false): Record<string, unknown> {
  const zone = model.zones.get(pod.zoneId)
  return {
    id: pod.id,
    name: pod.name,
    zoneid: pod.zoneId,
    zonename: zone?.name,
    gateway: pod.gateway,
    netmask: pod.netmask,
    startip: [pod.startIp],
    endip: [pod.endIp],
    forsystemvms: ['0'],
    vlanid: [''],
    ipranges: [{endip: pod.endIp, forsystemvms: '0', gateway: pod.gateway, startip: pod.startIp, vlanid: ''}],
    allocationstate: pod.allocationState,
    capacity: showCapacities
      ? withScope(
          capacityOf(
            model,
            model.state.hosts.filter((h) => h.podId === pod.id),
          ),
          {podid: pod.id, podname: pod.name, zoneid: pod.zoneId, zonename: zone?.name ?? ''},
        )
      : undefined,
    hasannotations: false,
  }
}

export function clusterResponse(
  model: SimModel,
  cluster: Cluster,
  showCapacities = false,
): Record<string, unknown> {
  const pod = model.pods.get(cluster.podId)
  const zone = model.zones.get(cluster.zoneId)
  return {
    id: cluster.id,
    name: cluster.name,
    podid: cluster.podId,
    podname: pod?.name,
    zoneid: cluster.zoneId,
    zonename: zone?.name,
    hypervisortype: cluster.hypervisor,
    clustertype: cluster.clusterType,
    allocationstate: cluster.allocationState,
    managedstate: cluster.managedState,
    cpuovercommitratio: model.clusterFactor(cluster, 'cpu'),
    memoryovercommitratio: model.clusterFactor(cluster, 'memory'),
    capacity: showCapacities
      ? withScope(capacityOf(model, model.hostsInCluster(cluster.id)), {
          clusterid: cluster.id,
          clustername: cluster.name,
          podid: cluster.podId,
          podname: pod?.name ?? '',
          zoneid: cluster.zoneId,
          zonename: zone?.name ?? '',
        })
      : undefined,
    resourcedetails: {...cluster.details},
    arch: 'x86_64',
    hasannotations: false,
  }
}

export const listZonesApi = defineApi({
  description: 'Lists zones',
  handler({model, paging, params}) {
    const zones = model.state.zones.filter(
      (zone) =>
        (params.id === undefined || zone.id === params.id) &&
        matches(zone.name, params.name) &&
        matches(zone.networkType, params.networktype) &&
        contains(zone.name, params.keyword),
    )
    return listBody('zone', zones, paging, (zone) => zoneResponse(model, zone, params.showcapacities))
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.user.zone.ListZonesCmd',
  name: 'listZones',
  params: [
    idParam('zone', 'the ID of the zone'),
    nameParam('the name of the zone'),
    {
      description: 'the network type of the zone that the virtual machine belongs to',
      name: 'networktype',
      type: 'string',
    },
    showCapacitiesParam('flag to display the capacity of the zones'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'zone',
    'allocationstate:string allowuserspecifyvrmtu:boolean capacity:list description:string dhcpprovider:string displaytext:string dns1:string dns2:string domain:string domainid:string domainname:string guestcidraddress:string hasannotations:boolean id:string internaldns1:string internaldns2:string ip6dns1:string ip6dns2:string localstorageenabled:boolean name:string networktype:string resourcedetails:map routerprivateinterfacemaxmtu:integer routerpublicinterfacemaxmtu:integer securitygroupsenabled:boolean tags:set type:string zonetoken:string',
    {capacity: CAPACITY_FIELDS},
  ),
})

export const listPodsApi = defineApi({
  description: 'Lists all Pods.',
  handler({model, paging, params}) {
    const pods = model.state.pods.filter(
      (pod) =>
        (params.id === undefined || pod.id === params.id) &&
        (params.zoneid === undefined || pod.zoneId === params.zoneid) &&
        matches(pod.name, params.name) &&
        matches(pod.allocationState, params.allocationstate) &&
        contains(pod.name, params.keyword),
    )
    return listBody('pod', pods, paging, (pod) => podResponse(model, pod, params.showcapacities))
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.pod.ListPodsByCmd',
  name: 'listPods',
  params: [
    allocationStateParam('list pods by allocation state'),
    idParam('pod', 'list Pods by ID'),
    nameParam('list Pods by name'),
    showCapacitiesParam('flag to display the capacity of the pods'),
    zoneIdParam('list Pods by Zone ID'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'pod',
    'allocationstate:string capacity:list endip:list forsystemvms:list gateway:string hasannotations:boolean id:string ipranges:list name:string netmask:string startip:list vlanid:list zoneid:string zonename:string',
    {
      capacity: CAPACITY_FIELDS,
      ipranges: responseFields(
        'IP range',
        'cidr:string endip:string forsystemvms:string gateway:string startip:string vlanid:string',
      ),
    },
  ),
})

export const listClustersApi = defineApi({
  description: 'Lists clusters.',
  handler({model, paging, params}) {
    const clusters = model.state.clusters.filter(
      (cluster) =>
        (params.id === undefined || cluster.id === params.id) &&
        (params.zoneid === undefined || cluster.zoneId === params.zoneid) &&
        (params.podid === undefined || cluster.podId === params.podid) &&
        matches(cluster.name, params.name) &&
        matches(cluster.hypervisor, params.hypervisor) &&
        matches(cluster.clusterType, params.clustertype) &&
        matches(cluster.allocationState, params.allocationstate) &&
        matches(cluster.managedState, params.managedstate) &&
        contains(cluster.name, params.keyword),
    )
    return listBody('cluster', clusters, paging, (cluster) =>
      clusterResponse(model, cluster, params.showcapacities),
    )
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.cluster.ListClustersCmd',
  name: 'listClusters',
  params: [
    allocationStateParam('lists clusters by allocation state'),
    {description: 'lists clusters by cluster type', name: 'clustertype', type: 'string'},
    hypervisorParam('lists clusters by hypervisor type'),
    idParam('cluster', 'lists clusters by the cluster ID'),
    {description: 'whether this cluster is managed by cloudstack', name: 'managedstate', type: 'string'},
    nameParam('lists clusters by the cluster name'),
    podIdParam('lists clusters by Pod ID'),
    showCapacitiesParam('flag to display the capacity of the clusters'),
    zoneIdParam('lists clusters by Zone ID'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'cluster',
    'allocationstate:string arch:string capacity:list clustertype:string cpuovercommitratio:string hasannotations:boolean hypervisortype:string id:string managedstate:string memoryovercommitratio:string name:string podid:string podname:string resourcedetails:map zoneid:string zonename:string',
    {capacity: CAPACITY_FIELDS},
    {
      cpuovercommitratio: 'The cpu overcommit ratio of the cluster',
      memoryovercommitratio: 'The memory overcommit ratio of the cluster',
      resourcedetails: 'Meta data associated with the zone (key/value pairs)',
    },
  ),
})

export const infrastructureApis: RegisteredApi[] = [listClustersApi, listPodsApi, listZonesApi]
