import type {SettingDefinition} from '../catalog/settings.js'
import type {Cluster, SimModel, VmState, Zone} from '../state/model.js'

import {type ApiBody, defineApi, PAGING_PARAMS, responseFields, SimApiError} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'
import {configurationResponse} from './configuration.js'

/*
 * updateConfiguration, resetConfiguration and listCapacity, after ConfigurationManagerImpl and the
 * capacity DAO of the real server: one scope id at most, the setting's own scopes, value checks
 * with the real texts, the overprovisioning factors kept as the cluster details
 * `cpuOvercommitRatio` / `memoryOvercommitRatio`, and capacity totals multiplied by each
 * cluster's current factor while running VMs count the factor they were started with.
 */

type Scope = 'account' | 'cluster' | 'domain' | 'imagestore' | 'storagepool' | 'zone'

const FACTOR_DETAIL: Record<string, string> = {
  'cpu.overprovisioning.factor': 'cpuOvercommitRatio',
  'mem.overprovisioning.factor': 'memoryOvercommitRatio',
}
const OVERPROVISIONING_FACTORS = new Set(['storage.overprovisioning.factor', ...Object.keys(FACTOR_DETAIL)])

function definitionOrFail(model: SimModel, name: string): SettingDefinition {
  const def = model.settingDefinitions.get(name)
  if (!def) throw SimApiError.invalidParameter(`Config parameter with name ${name} doesn't exist`)
  return def
}

/** The one scope id given (in the server's order), or none; more than one is refused. */
function singleScope(ids: Array<[Scope, string | undefined]>): undefined | {id: string; scope: Scope} {
  const given = ids.filter((entry): entry is [Scope, string] => entry[1] !== undefined)
  if (given.length > 1) {
    throw SimApiError.invalidParameter(
      'cannot handle multiple IDs, provide only one ID corresponding to the scope',
    )
  }

  return given.length === 1 ? {id: given[0][1], scope: given[0][0]} : undefined
}

function hasScope(def: SettingDefinition, scope: Scope): boolean {
  return (def.scopes as string[]).includes(scope)
}

// Java's Integer.parseInt / Long.parseLong / Float.parseFloat, as the server's validation uses them.
const JAVA_FLOAT =
  /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)|(0[xX]([\da-fA-F]+\.?[\da-fA-F]*|\.[\da-fA-F]+)[pP][+-]?\d+[fFdD]?))$/
// eslint-disable-next-line no-control-regex
const JAVA_TRIM = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g

function javaIntegerParses(value: null | string, bits: 32 | 64): boolean {
  if (value === null || !/^[+-]?\d+$/.test(value)) return false
  const n = BigInt(value)
  const limit = 2n ** BigInt(bits - 1)
  return n >= -limit && n < limit
}

function javaFloatParses(value: null | string): value is string {
  return value !== null && JAVA_FLOAT.test(value.replaceAll(JAVA_TRIM, ''))
}

/** Whether Java would find the (parsable) float ≤ 0; NaN compares false, as in Java. */
function javaFloatNotPositive(value: string): boolean {
  const text = value.replaceAll(JAVA_TRIM, '')
  if (text.endsWith('NaN')) return false
  if (text.endsWith('Infinity')) return text.startsWith('-')
  if (/^[+-]?0[xX]/.test(text))
    return text.startsWith('-') || !/[1-9a-fA-F]/.test(text.replace(/[pP].*$/, ''))
  return Number(text.replace(/[fFdD]$/, '')) <= 0
}

/** validateConfigurationValue: the server's checks and texts, in its order. */
function validationProblem(def: SettingDefinition, value: null | string, scope?: Scope): string | undefined {
  const {name} = def
  if (scope && !hasScope(def, scope)) return `Invalid scope id provided for the parameter ${name}`
  const parse = (javaType: string) =>
    `There was error in trying to parse value: ${value}. Please enter a valid ${javaType} value for parameter ${name}`
  if (def.type === 'Integer' && !javaIntegerParses(value, 32)) return parse('integer')
  if (def.type === 'Long' && !javaIntegerParses(value, 64)) return parse('long')
  if (def.type === 'Float' && !javaFloatParses(value)) return parse('float')
  if (value === null) {
    if (def.type === 'Boolean') return "Please enter either 'true' or 'false'."
    if (OVERPROVISIONING_FACTORS.has(name)) return `value cannot be null for the parameter ${name}`
    return undefined
  }

  const trimmed = value.trim()
  if (OVERPROVISIONING_FACTORS.has(name)) {
    if (!javaFloatParses(trimmed)) return `There was an error trying to parse the float value for: ${name}`
    if (javaFloatNotPositive(trimmed)) return `${name} should be greater than 0`
  }

  if (def.type === 'Boolean' && trimmed !== 'true' && trimmed !== 'false') {
    return "Please enter either 'true' or 'false'."
  }

  return undefined
}

/** Storage pools and image stores are not simulated, so an id given for one never exists. */
function storeNotFound(scope: {id: string; scope: Scope}): SimApiError {
  return SimApiError.invalidParameter(
    scope.scope === 'storagepool'
      ? `unable to find storage pool by id ${scope.id}`
      : `unable to find the image store by id ${scope.id}`,
  )
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

function clusterDetailKey(name: string): string {
  return FACTOR_DETAIL[name] ?? name
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
    {description: 'the name of the configuration', name: 'name', required: true, type: 'string'},
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
    {description: 'the name of the configuration', name: 'name', required: true, type: 'string'},
    scopeParam('storagepool', 'storageid', 'reset'),
    scopeParam('zone', 'zoneid', 'reset', 'zone'),
  ],
  response: CONFIGURATION_FIELDS,
  since: '4.16.0',
})

// ---------------------------------------------------------------------------------------------
// listCapacity

const CAPACITY_NAMES: Record<number, string> = {0: 'MEMORY', 1: 'CPU', 7: 'VLAN', 90: 'CPU_CORE'}
/** Zone-level allocation counts every VM not Destroyed, Error or Expunging (stopped ones too). */
const NOT_ALLOCATED = new Set<VmState>(['Destroyed', 'Error', 'Expunging'])
/** VM states holding CPU cores on their host. */
const UP_STATES = new Set<VmState>(['Migrating', 'Running', 'Starting', 'Stopping'])

interface CapacityRow {
  allocated?: number
  clusterId?: string
  podId?: string
  total: number
  type: number
  used: number
  zoneId: string
}

interface HostRow {
  clusterId: string
  podId: string
  total: number
  type: number
  used: number
  zoneId: string
}

/**
 * op_host_capacity rows of the hosts whose capacity is enabled (Enabled hosts in enabled
 * clusters, pods and zones): memory and CPU totals already multiplied by the cluster's factor.
 */
function hostRows(model: SimModel, filter: {clusterId?: string; podId?: string; zoneId?: string}): HostRow[] {
  const hosts = model.state.hosts.filter((host) => {
    if (filter.zoneId && host.zoneId !== filter.zoneId) return false
    if (filter.podId && host.podId !== filter.podId) return false
    if (filter.clusterId && host.clusterId !== filter.clusterId) return false
    return (
      host.type === 'Routing' &&
      host.resourceState === 'Enabled' &&
      model.clusters.get(host.clusterId)?.allocationState === 'Enabled' &&
      model.pods.get(host.podId)?.allocationState === 'Enabled' &&
      model.zones.get(host.zoneId)?.allocationState === 'Enabled'
    )
  })
  const capacities = model.hostCapacities(hosts)
  const cores = new Map<string, number>()
  for (const vm of model.state.vms) {
    if (vm.hostId && UP_STATES.has(vm.state)) cores.set(vm.hostId, (cores.get(vm.hostId) ?? 0) + vm.cpuNumber)
  }

  return hosts.flatMap((host) => {
    const c = capacities.get(host.id)!
    const where = {clusterId: host.clusterId, podId: host.podId, zoneId: host.zoneId}
    return [
      {...where, total: c.memoryWithOverprovisioning, type: 0, used: c.memoryAllocated},
      {...where, total: c.cpuWithOverprovisioning, type: 1, used: c.cpuAllocated},
      {...where, total: host.cpuNumber, type: 90, used: cores.get(host.id) ?? 0},
    ].filter((row) => row.total > 0)
  })
}

/** Zone-wide VLAN capacity: the VNETs of the zone's physical networks and how many are taken. */
function vlanRow(model: SimModel, zone: Zone): CapacityRow | undefined {
  if (zone.allocationState !== 'Enabled') return undefined
  let total = 0
  let used = 0
  for (const network of model.state.physicalNetworks) {
    if (network.zoneId !== zone.id) continue
    for (const [start, end] of network.vlanRanges) total += end - start + 1
    used += network.vnetsAllocated.length
  }

  return total > 0 ? {total, type: 7, used, zoneId: zone.id} : undefined
}

/** Allocation of a zone from its VMs' sizes (findFilteredCapacityBy at zone level). */
function zoneAllocated(model: SimModel, zoneId: string): Record<number, number> {
  const sums: Record<number, number> = {0: 0, 1: 0, 90: 0}
  for (const vm of model.state.vms) {
    if (vm.zoneId !== zoneId || NOT_ALLOCATED.has(vm.state)) continue
    sums[0] += vm.memory * 1024 * 1024
    sums[1] += vm.cpuNumber * vm.cpuSpeed
    sums[90] += vm.cpuNumber
  }

  return sums
}

function addTo(groups: Map<string, CapacityRow>, key: string, row: CapacityRow): void {
  const existing = groups.get(key)
  if (existing) {
    existing.total += row.total
    existing.used += row.used
  } else {
    groups.set(key, {...row})
  }
}

/** DecimalFormat("##.##"): at most two decimals, half-even, no trailing zeros. */
export function formatPercentUsed(percent: number): string {
  const scaled = Math.round(percent * 100 * 1e6) / 1e6
  const floor = Math.floor(scaled)
  const rounded = scaled - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(scaled)
  return String(rounded / 100)
}

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

interface CapacityFilter {
  clusterId?: string
  podId?: string
  type?: number
  zoneId?: string
}

/** listCapacities: per zone and type, or one row per type for the pod or cluster asked for. */
function listCapacities(model: SimModel, filter: CapacityFilter): CapacityRow[] {
  const perZone = !filter.podId && !filter.clusterId
  const groups = new Map<string, CapacityRow>()
  for (const row of hostRows(model, filter)) {
    if (filter.type !== undefined && row.type !== filter.type) continue
    addTo(groups, perZone ? `${row.zoneId}:${row.type}` : String(row.type), {
      clusterId: filter.clusterId,
      podId: filter.podId,
      total: row.total,
      type: row.type,
      used: row.used,
      zoneId: row.zoneId,
    })
  }

  const rows = [...groups.values()]
  if (!perZone) return rows
  const zones = filter.zoneId ? [model.zones.get(filter.zoneId)!] : model.state.zones
  for (const zone of zones) {
    const allocated = zoneAllocated(model, zone.id)
    for (const row of rows)
      if (row.zoneId === zone.id && row.type in allocated) row.allocated = allocated[row.type]
    const vlan = vlanRow(model, zone)
    if (vlan && (filter.type === undefined || filter.type === vlan.type)) rows.push(vlan)
  }

  return rows
}

/** sortby=usage (listTopConsumedResources): grouped one level below the filter, busiest first. */
function listTopConsumed(
  model: SimModel,
  filter: CapacityFilter,
): Array<{percent: number; row: CapacityRow}> {
  const level = filter.podId ? 'cluster' : filter.zoneId ? 'pod' : 'zone'
  const groups = new Map<string, CapacityRow>()
  for (const row of hostRows(model, filter)) {
    if (filter.type !== undefined && row.type !== filter.type) continue
    const group = level === 'zone' ? row.zoneId : level === 'pod' ? row.podId : row.clusterId
    addTo(groups, `${group}:${row.type}`, {
      clusterId: level === 'cluster' ? row.clusterId : undefined,
      podId: level === 'zone' ? undefined : row.podId,
      total: row.total,
      type: row.type,
      used: row.used,
      zoneId: row.zoneId,
    })
  }

  return [...groups.values()]
    .map((row) => ({percent: row.total > 0 ? (row.used / Math.trunc(row.total)) * 100 : 0, row}))
    .sort((a, b) => b.percent - a.percent)
}

export const listCapacityApi = defineApi({
  description: 'Lists all the system wide capacities.',
  handler({model, paging, params}) {
    if (params.sortby !== undefined && params.sortby.toLowerCase() !== 'usage') {
      throw SimApiError.invalidParameter('Only value supported for sortBy parameter is : usage')
    }

    // fetchlatest recalculates op_host_capacity first; the simulator's capacity is always current.
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
    {
      description: 'lists capacity by the Cluster ID',
      entity: 'cluster',
      name: 'clusterid',
      since: '3.0.0',
      type: 'uuid',
    },
    {
      description: 'recalculate capacities and fetch the latest',
      name: 'fetchlatest',
      since: '3.0.0',
      type: 'boolean',
    },
    {description: 'lists capacity by the Pod ID', entity: 'pod', name: 'podid', type: 'uuid'},
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
    {description: 'lists capacity by the Zone ID', entity: 'zone', name: 'zoneid', type: 'uuid'},
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

export const settingAndCapacityApis = [updateConfigurationApi, resetConfigurationApi, listCapacityApi]
