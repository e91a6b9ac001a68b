import type {SettingDefinition} from '../catalog/settings.js'
import type {Cluster, SimModel} from '../state/model.js'

import {
  CAPACITY_NAMES,
  type CapacityFilter,
  type CapacityRow,
  formatPercentUsed,
  listCapacities,
  listTopConsumed,
} from '../behaviour/capacity-rows.js'
import {
  clusterDetailKey,
  FACTOR_DETAIL,
  hasScope,
  type Scope,
  singleScope,
  validationProblem,
} from '../behaviour/setting-values.js'
import {clusterIdParam, nameParam, PAGING_PARAMS, podIdParam, zoneIdParam} from '../catalog/params.js'
import {
  type ApiBody,
  defineApi,
  type RegisteredApi,
  responseFields,
  SimApiError,
} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'
import {configurationResponse} from './configuration.js'

/*
 * updateConfiguration, resetConfiguration and listCapacity, after ConfigurationManagerImpl and the
 * capacity DAO of the real server: one scope id at most, the setting's own scopes, value checks
 * with the real texts, the overprovisioning factors kept as the cluster details
 * `cpuOvercommitRatio` / `memoryOvercommitRatio`, and capacity totals multiplied by each
 * cluster's current factor while running VMs count the factor they were started with.
 */

/** Storage pools and image stores are not simulated, so an id given for one never exists. */
function storeNotFound(scope: {id: string; scope: Scope}): SimApiError {
  return SimApiError.invalidParameter(
    scope.scope === 'storagepool'
      ? `unable to find storage pool by id ${scope.id}`
      : `unable to find the image store by id ${scope.id}`,
  )
}

function definitionOrFail(model: SimModel, name: string): SettingDefinition {
  const def = model.settingDefinitions.get(name)
  if (!def) throw SimApiError.invalidParameter(`Config parameter with name ${name} doesn't exist`)
  return def
}

/** The response record, with the value and scope the command reports. */
function configurationRecord(
  model: SimModel,
  def: SettingDefinition,
  value?: null | string,
  scope?: {id: string; scope: Scope},
): ApiBody {
  return {...configurationResponse(model, def), scope: scope?.scope, value: value ?? undefined}
}

/** A setting's value as seen from a scope (the scoped value, else the global one). */
function valueIn(model: SimModel, def: SettingDefinition, scope?: {id: string; scope: Scope}): string {
  if (scope?.scope === 'zone') return model.settingForZone(def.name, model.zones.get(scope.id)!)
  if (scope?.scope === 'cluster') return model.settingForCluster(def.name, model.clusters.get(scope.id)!)
  return model.setting(def.name)
}

const CONFIGURATION_FIELDS = responseFields(
  'configuration',
  'category:string component:string defaultvalue:string description:string displaytext:string group:string isdynamic:boolean name:string options:string parent:string scope:string subgroup:string type:string value:string',
)

function scopeParam(
  scope: string,
  name: string,
  verb: 'reset' | 'update',
  entity?: 'account' | 'cluster' | 'domain' | 'zone',
) {
  const what: Record<string, string> = {
    account: 'Account',
    cluster: 'Cluster',
    domain: 'Domain',
    imagestore: 'Image Store',
    storagepool: 'Storage pool',
    zone: 'Zone',
  }
  return {
    description: `the ID of the ${what[scope]} to ${verb} the parameter value for corresponding ${what[scope].toLowerCase()}`,
    entity,
    name,
    type: 'uuid',
  } as const
}

export const updateConfigurationApi = defineApi({
  description: 'Updates a configuration.',
  handler({model, params}) {
    if (params.name === '') throw SimApiError.paramError('Empty configuration name provided')
    const def = definitionOrFail(model, params.name)
    // Without a value nothing changes; the response then carries no value (UpdateCfgCmd sets the one sent).
    if (params.value === undefined) return {configuration: configurationRecord(model, def)}
    const scope = singleScope([
      ['zone', params.zoneid],
      ['cluster', params.clusterid],
      ['account', params.accountid],
      ['domain', params.domainid],
      ['storagepool', params.storageid],
      ['imagestore', params.imagestoreuuid],
    ])
    let value: null | string = params.value.trim()
    if (value === '' || value === 'null') value = scope ? '' : null
    const problem = validationProblem(def, value, scope?.scope)
    if (problem) throw SimApiError.invalidParameter(problem)
    if (scope?.scope === 'zone') {
      model.zones.get(scope.id)!.details[def.name] = value!
    } else if (scope?.scope === 'cluster') {
      model.clusters.get(scope.id)!.details[clusterDetailKey(def.name)] = value!
    } else if (scope) {
      // No simulated setting has account or domain scope, so those were refused above.
      throw storeNotFound(scope)
    } else {
      // A global value cleared to null reads back as empty.
      model.state.settings[def.name] = value ?? ''
    }

    // UpdateCfgCmd reports the value as it was sent, and the scope when one was given.
    return {configuration: configurationRecord(model, def, params.value, scope)}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.config.UpdateCfgCmd',
  name: 'updateConfiguration',
  params: [
    scopeParam('account', 'accountid', 'update', 'account'),
    scopeParam('cluster', 'clusterid', 'update', 'cluster'),
    scopeParam('domain', 'domainid', 'update', 'domain'),
    scopeParam('imagestore', 'imagestoreuuid', 'update'),
    nameParam('the name of the configuration', {required: true}),
    scopeParam('storagepool', 'storageid', 'update'),
    {description: 'the value of the configuration', length: 4096, name: 'value', type: 'string'},
    scopeParam('zone', 'zoneid', 'update', 'zone'),
  ],
  response: CONFIGURATION_FIELDS,
})

export const resetConfigurationApi = defineApi({
  description:
    'Resets a configuration. The configuration will be set to default value for global setting, and removed from account_details or domain_details for Account/Domain settings',
  handler({model, params}) {
    const def = definitionOrFail(model, params.name)
    const scope = singleScope([
      ['zone', params.zoneid],
      ['cluster', params.clusterid],
      ['domain', params.domainid],
      ['account', params.accountid],
      ['storagepool', params.storageid],
      ['imagestore', params.imagestoreid],
    ])
    if (scope && !hasScope(def, scope.scope)) {
      throw SimApiError.invalidParameter(`Invalid scope id provided for the parameter ${def.name}`)
    }

    if (scope?.scope === 'zone') {
      delete model.zones.get(scope.id)!.details[def.name]
    } else if (scope?.scope === 'cluster') {
      const cluster: Cluster = model.clusters.get(scope.id)!
      // The overprovisioning factors are re-persisted with the global value, not removed.
      if (FACTOR_DETAIL[def.name]) cluster.details[FACTOR_DETAIL[def.name]] = model.setting(def.name)
      else delete cluster.details[def.name]
    } else if (scope) {
      throw storeNotFound(scope)
    } else {
      delete model.state.settings[def.name]
    }

    return {configuration: configurationRecord(model, def, valueIn(model, def, scope), scope)}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.config.ResetCfgCmd',
  name: 'resetConfiguration',
  params: [
    scopeParam('account', 'accountid', 'reset', 'account'),
    scopeParam('cluster', 'clusterid', 'reset', 'cluster'),
    scopeParam('domain', 'domainid', 'reset', 'domain'),
    scopeParam('imagestore', 'imagestoreid', 'reset'),
    nameParam('the name of the configuration', {required: true}),
    scopeParam('storagepool', 'storageid', 'reset'),
    scopeParam('zone', 'zoneid', 'reset', 'zone'),
  ],
  response: CONFIGURATION_FIELDS,
  since: '4.16.0',
})

// ---------------------------------------------------------------------------------------------
function capacityResponse(model: SimModel, row: CapacityRow, percent?: number): ApiBody {
  const zone = model.zones.get(row.zoneId)
  const pod = row.podId ? model.pods.get(row.podId) : undefined
  const cluster = row.clusterId ? model.clusters.get(row.clusterId) : undefined
  const total = Math.trunc(row.total)
  return {
    type: row.type,
    name: CAPACITY_NAMES[row.type],
    zoneid: zone?.id,
    zonename: zone?.name,
    podid: pod?.id,
    podname: pod?.name,
    clusterid: cluster?.id,
    clustername: cluster?.name,
    capacityallocated: row.allocated,
    capacityused: Math.trunc(row.used),
    capacitytotal: total,
    percentused: formatPercentUsed(percent ?? (total > 0 ? (row.used / total) * 100 : 0)),
  }
}

export const listCapacityApi = defineApi({
  description: 'Lists all the system wide capacities.',
  handler({model, paging, params}) {
    if (params.sortby !== undefined && params.sortby.toLowerCase() !== 'usage') {
      throw SimApiError.invalidParameter('Only value supported for sortBy parameter is : usage')
    }

    // fetchlatest makes ManagementServerImpl.listCapacities recalculate the capacity rows first
    // (apache/cloudstack server/src/main/java/com/cloud/server/ManagementServerImpl.java); the
    // simulator's rows are always current, so with it the answer is the same. keyword (BaseListCmd)
    // is declared, but listCapacities reads only type, zone, pod, cluster and fetchlatest, so it
    // changes nothing there either.
    const filter: CapacityFilter = {
      clusterId: params.clusterid,
      podId: params.podid,
      type: params.type,
      zoneId: params.zoneid,
    }
    const zoneName = (row: CapacityRow) => model.zones.get(row.zoneId)?.name ?? ''
    if (params.sortby !== undefined) {
      if (params.clusterid !== undefined) {
        throw SimApiError.invalidParameter('Currently clusterId param is not supported')
      }

      // The server keeps the busiest page-size rows, then ListCapacityCmd sorts them by zone name
      // (a stable sort: within a zone the busiest stay first).
      const top = listTopConsumed(model, filter)
        .slice(0, paging.pageSize)
        .sort((a, b) => zoneName(a.row).localeCompare(zoneName(b.row)))
      if (top.length === 0) return {}
      return {capacity: top.map(({percent, row}) => capacityResponse(model, row, percent)), count: top.length}
    }

    const rows = listCapacities(model, filter).sort(
      (a, b) => zoneName(a).localeCompare(zoneName(b)) || a.type - b.type,
    )
    return listBody('capacity', rows, paging, (row) => capacityResponse(model, row))
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.resource.ListCapacityCmd',
  name: 'listCapacity',
  params: [
    clusterIdParam('lists capacity by the Cluster ID', {since: '3.0.0'}),
    {
      description: 'recalculate capacities and fetch the latest',
      name: 'fetchlatest',
      since: '3.0.0',
      type: 'boolean',
    },
    podIdParam('lists capacity by the Pod ID'),
    {
      description: 'Sort the results. Available values: Usage',
      name: 'sortby',
      since: '3.0.0',
      type: 'string',
    },
    {
      description:
        'lists capacity by type* CAPACITY_TYPE_MEMORY = 0* CAPACITY_TYPE_CPU = 1* CAPACITY_TYPE_STORAGE = 2* CAPACITY_TYPE_STORAGE_ALLOCATED = 3* CAPACITY_TYPE_VIRTUAL_NETWORK_PUBLIC_IP = 4* CAPACITY_TYPE_PRIVATE_IP = 5* CAPACITY_TYPE_SECONDARY_STORAGE = 6* CAPACITY_TYPE_VLAN = 7* CAPACITY_TYPE_DIRECT_ATTACHED_PUBLIC_IP = 8* CAPACITY_TYPE_LOCAL_STORAGE = 9* CAPACITY_TYPE_GPU = 19* CAPACITY_TYPE_CPU_CORE = 90.',
      name: 'type',
      type: 'integer',
    },
    zoneIdParam('lists capacity by the Zone ID'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'capacity',
    'capacityallocated:long capacitytotal:long capacityused:long clusterid:string clustername:string name:string percentused:string podid:string podname:string type:short zoneid:string zonename:string',
    {},
    {
      capacityallocated: 'the capacity currently in allocated',
      capacitytotal: 'the total capacity available',
      capacityused: 'the capacity currently in use',
      name: 'the capacity name',
      percentused: 'the percentage of capacity currently in use',
      type: 'the capacity type',
    },
  ),
})

export const configApis: RegisteredApi[] = [updateConfigurationApi, resetConfigurationApi, listCapacityApi]
