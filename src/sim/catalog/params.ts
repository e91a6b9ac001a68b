import type {EntityKind, ParamSpec, ParamType} from './registry.js'

/*
 * The parameters many commands declare, defined once. As with upstream's @Parameter, each use
 * gives the command's own description; the name, type and referenced entity are fixed here.
 * Fixed texts (paging, listall, isrecursive) are those of upstream's BaseListCmd and
 * BaseListDomainResourcesCmd (api/src/main/java/org/apache/cloudstack/api/).
 */

interface Options<R extends boolean> {
  required?: R
  since?: string
}

/** A parameter spec whose `required` is known to the type system (ParamsOf reads it). */
export type Param<N extends string, T extends ParamType, R extends boolean = false> = ParamSpec & {
  name: N
  required: R
  type: T
}

function spec<const N extends string, const T extends ParamType, const R extends boolean>(
  [name, type, entity]: [N, T, EntityKind?],
  description: string,
  options: Options<R>,
): Param<N, T, R> {
  const result: Param<N, T, R> = {
    description,
    name,
    required: (options.required ?? false) as R,
    type,
  }
  if (entity) result.entity = entity
  if (options.since) result.since = options.since
  return result
}

function uuidParam<const N extends string>(name: N, entity: EntityKind) {
  return <const R extends boolean = false>(
    description: string,
    options: Options<R> = {},
  ): Param<N, 'uuid', R> => spec([name, 'uuid', entity], description, options)
}

function stringParam<const N extends string>(name: N) {
  return <const R extends boolean = false>(
    description: string,
    options: Options<R> = {},
  ): Param<N, 'string', R> => spec([name, 'string'], description, options)
}

function booleanParam<const N extends string>(name: N) {
  return <const R extends boolean = false>(
    description: string,
    options: Options<R> = {},
  ): Param<N, 'boolean', R> => spec([name, 'boolean'], description, options)
}

/** `id` of the given kind of object. */
export function idParam<const R extends boolean = false>(
  entity: EntityKind,
  description: string,
  options: Options<R> = {},
): Param<'id', 'uuid', R> {
  return spec(['id', 'uuid', entity], description, options)
}

export const accountParam = stringParam('account')
export const allocationStateParam = stringParam('allocationstate')
export const clusterIdParam = uuidParam('clusterid', 'cluster')
export const domainIdParam = uuidParam('domainid', 'domain')
export const hostIdParam = uuidParam('hostid', 'host')
export const hypervisorParam = stringParam('hypervisor')
export const nameParam = stringParam('name')
export const physicalNetworkIdParam = uuidParam('physicalnetworkid', 'physicalnetwork')
export const podIdParam = uuidParam('podid', 'pod')
export const projectIdParam = uuidParam('projectid', 'project')
export const showCapacitiesParam = booleanParam('showcapacities')
export const stateParam = stringParam('state')
export const zoneIdParam = uuidParam('zoneid', 'zone')

/** BaseListCmd: the paging parameters and keyword every list command declares. */
export const PAGING_PARAMS = [
  {description: '', name: 'page', type: 'integer'},
  {description: '', name: 'pagesize', type: 'integer'},
  {description: 'List by keyword', name: 'keyword', type: 'string'},
] as const satisfies readonly ParamSpec[]

/** BaseListDomainResourcesCmd's texts of listall and isrecursive. */
export const LIST_ALL_TEXT =
  "If set to false, list only resources belonging to the command's caller; if set to true - list resources that the caller is authorized to see. Default value is false"
export const IS_RECURSIVE_TEXT =
  'defaults to false, but if true, lists all resources from the parent specified by the domainId till leaves.'
/** BaseListProjectAndAccountResourcesCmd's addition to the listall text. */
export const LIST_ALL_PROJECT_TEXT = `${LIST_ALL_TEXT}. Resources dedicated to a project are listed only if using the projectid parameter.`

export const isRecursiveParam = booleanParam('isrecursive')
export const listAllParam = booleanParam('listall')
