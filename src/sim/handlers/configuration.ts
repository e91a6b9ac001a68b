import type {Cluster, SimModel, Zone} from '../state/model.js'

import {clusterIdParam, domainIdParam, nameParam, PAGING_PARAMS, zoneIdParam} from '../catalog/params.js'
import {defineApi, type RegisteredApi, responseFields, SimApiError} from '../catalog/registry.js'
import {isListed, type SettingDefinition} from '../catalog/settings.js'
import {listBody} from '../http/envelope.js'
import {FLAVOR_VERSION} from '../http/flavor.js'

/* listConfigurations and listCapabilities. */

/** The `instance` column of every row of upstream's `configuration` table. */
const CONFIGURATION_INSTANCE = 'DEFAULT'

export interface SettingScope {
  cluster?: Cluster
  zone?: Zone
}

/** "cpu.overprovisioning.factor" → "Cpu overprovisioning factor" (the UI display text). */
function displayText(name: string): string {
  const text = name.replaceAll('.', ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The type the API reports (Configuration.ValueType): Integer/Long are Number, Float/Double Decimal. */
export function apiTypeName(type: SettingDefinition['type']): string {
  if (type === 'Integer' || type === 'Long') return 'Number'
  if (type === 'Float' || type === 'Double') return 'Decimal'
  return type
}

/** A ConfigurationResponse; `scope` set when listing at zone or cluster scope. */
export function configurationResponse(
  model: SimModel,
  definition: SettingDefinition,
  scope: SettingScope = {},
): Record<string, unknown> {
  let value = model.setting(definition.name)
  let scopeName: string | undefined
  if (scope.cluster) {
    value = model.settingForCluster(definition.name, scope.cluster)
    scopeName = 'cluster'
  } else if (scope.zone) {
    value = model.settingForZone(definition.name, scope.zone)
    scopeName = 'zone'
  }

  return {
    category: definition.category,
    name: definition.name,
    value,
    description: definition.description,
    isdynamic: definition.isDynamic,
    scope: scopeName,
    component: definition.component,
    defaultvalue: definition.defaultValue,
    displaytext: displayText(definition.name),
    type: apiTypeName(definition.type),
    options: definition.options,
    group: 'Miscellaneous',
    subgroup: 'Others',
  }
}

export const listConfigurationsApi = defineApi({
  description: 'Lists all configurations.',
  handler({model, paging, params}) {
    const scopeIds = [
      params.zoneid,
      params.clusterid,
      params.accountid,
      params.domainid,
      params.storageid,
      params.imagestoreuuid,
    ]
    if (scopeIds.filter((id) => id !== undefined).length > 1) {
      throw SimApiError.invalidParameter(
        'cannot handle multiple IDs, provide only one ID corresponding to the scope',
      )
    }

    const scope: SettingScope = {
      cluster: params.clusterid ? model.clusters.get(params.clusterid) : undefined,
      zone: params.zoneid ? model.zones.get(params.zoneid) : undefined,
    }
    const scopeName = scope.cluster
      ? 'cluster'
      : scope.zone
        ? 'zone'
        : params.accountid
          ? 'account'
          : params.domainid
            ? 'domain'
            : params.storageid
              ? 'storagepool'
              : undefined
    const name = params.name?.toLowerCase()
    const keyword = params.keyword?.toLowerCase()
    // ManagementServerImpl.searchForConfigurations: the keyword is a substring (LIKE) of the
    // row's name, instance ("DEFAULT" on every row), component, description, category or global
    // value; the Hidden category is never listed.
    const matchesKeyword = (d: SettingDefinition) =>
      [d.name, CONFIGURATION_INSTANCE, d.component, d.description, d.category, model.setting(d.name)].some(
        (field) => field.toLowerCase().includes(keyword!),
      )
    const definitions = [...model.settingDefinitions.values()].filter(
      (d) =>
        isListed(d) &&
        (scopeName === undefined || (d.scopes as string[]).includes(scopeName)) &&
        (name === undefined || d.name.toLowerCase().includes(name)) &&
        (params.category === undefined || d.category.toLowerCase() === params.category.toLowerCase()) &&
        (keyword === undefined || matchesKeyword(d)),
    )
    return listBody('configuration', definitions, paging, (d) => configurationResponse(model, d, scope))
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.config.ListCfgsByCmd',
  name: 'listConfigurations',
  params: [
    {
      description: 'the ID of the Account to update the parameter value for corresponding account',
      entity: 'account',
      name: 'accountid',
      type: 'uuid',
    },
    {description: 'lists configurations by category', name: 'category', type: 'string'},
    clusterIdParam('the ID of the Cluster to update the parameter value for corresponding cluster'),
    domainIdParam('the ID of the Domain to update the parameter value for corresponding domain'),
    {
      description: 'the ID of the Image Store to update the parameter value for corresponding image store',
      name: 'imagestoreuuid',
      type: 'uuid',
    },
    nameParam('lists configuration by name'),
    {
      description: 'the ID of the Storage pool to update the parameter value for corresponding storage pool',
      name: 'storageid',
      type: 'uuid',
    },
    zoneIdParam('the ID of the Zone to update the parameter value for corresponding zone'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'configuration',
    'category:string component:string defaultvalue:string description:string displaytext:string group:string isdynamic:boolean name:string options:string parent:string scope:string subgroup:string type:string value:string',
  ),
})

export const listCapabilitiesApi = defineApi({
  description: 'Lists capabilities',
  handler({flavor, model}) {
    const throttled = model.setting('api.throttling.enabled') === 'true'
    return {
      capability: {
        securitygroupsenabled: model.state.zones.some((z) => z.securityGroupsEnabled),
        dynamicrolesenabled: true,
        cloudstackversion: FLAVOR_VERSION[flavor],
        userpublictemplateenabled: false,
        supportELB: 'false',
        projectinviterequired: false,
        allowusercreateprojects: model.setting('allow.user.create.projects') === 'true',
        customdiskofferingminsize: 1,
        customdiskofferingmaxsize: 1024,
        regionsecondaryenabled: false,
        kvmsnapshotenabled: true,
        allowuserviewdestroyedvm: false,
        allowuserexpungerecovervm: false,
        allowuserexpungerecovervolume: true,
        allowuserviewalldomainaccounts: false,
        kubernetesserviceenabled: false,
        kubernetesclusterexperimentalfeaturesenabled: false,
        defaultuipagesize: 20,
        instancesstatsretentiontime: 720,
        instancesstatsuseronly: false,
        instancesdisksstatsretentionenabled: false,
        instancesdisksstatsretentiontime: 720,
        sharedfsvmmincpucount: 2,
        sharedfsvmminramsize: 512,
        apilimitinterval: throttled ? model.settingNumber('api.throttling.interval') : undefined,
        apilimitmax: throttled ? model.settingNumber('api.throttling.max') : undefined,
      },
    }
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.user.config.ListCapabilitiesCmd',
  name: 'listCapabilities',
  params: [],
  response: responseFields(
    'capabilities',
    'allowusercreateprojects:boolean allowuserexpungerecovervm:boolean allowuserexpungerecovervolume:boolean allowuserviewalldomainaccounts:boolean allowuserviewdestroyedvm:boolean apilimitinterval:integer apilimitmax:integer cloudstackversion:string customdiskofferingmaxsize:long customdiskofferingminsize:long defaultuipagesize:long dynamicrolesenabled:boolean kubernetesclusterexperimentalfeaturesenabled:boolean kubernetesserviceenabled:boolean kvmsnapshotenabled:boolean projectinviterequired:boolean regionsecondaryenabled:boolean securitygroupsenabled:boolean supportELB:string userpublictemplateenabled:boolean',
    {},
    {
      apilimitinterval: 'time interval (in seconds) to reset api count',
      apilimitmax: 'Max allowed number of api requests within the specified interval',
      cloudstackversion: 'version of the cloud stack',
    },
  ),
})

export const configurationApis: RegisteredApi[] = [listCapabilitiesApi, listConfigurationsApi]
