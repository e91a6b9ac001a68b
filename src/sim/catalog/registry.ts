import type {SimClock} from '../behaviour/clock.js'
import type {Account, Domain, JobRecord, SimModel, User} from '../state/model.js'

import {API_ERROR_CODE, CS_ERROR_CODE} from './error-codes.js'

/*
 * How the simulator's API commands are declared. Each command is one defineApi({...}) call in
 * src/sim/handlers/<area>.ts: its listApis metadata (kept verbatim from the real server) and a
 * handler receiving already-validated, typed parameters.
 */

export type ParamType =
  'boolean' | 'date' | 'double' | 'float' | 'integer' | 'list' | 'long' | 'map' | 'short' | 'string' | 'uuid'

/** Kinds of model records a uuid parameter can refer to (unknown ids are refused with 431). */
export type EntityKind =
  | 'account'
  /** A host or a system VM's host row (listHosts' id). */
  | 'anyhost'
  | 'cluster'
  | 'dedicatedvlanrange'
  | 'domain'
  | 'host'
  | 'imagestore'
  | 'job'
  | 'network'
  | 'networkoffering'
  | 'physicalnetwork'
  | 'pod'
  | 'project'
  | 'storagepool'
  | 'user'
  | 'vm'
  | 'zone'

export interface ParamSpec {
  /** For `list` parameters: the element type (uuid elements are checked like uuid params). */
  collectionType?: 'integer' | 'long' | 'string' | 'uuid'
  description: string
  /** For uuid parameters (and uuid lists): the record kind the id must exist as. */
  entity?: EntityKind
  /** Declared only by this flavor's server (Mold's additions to upstream commands). */
  flavor?: 'cloudstack' | 'mold'
  /** Maximum length of a string value (default 255). */
  length?: number
  name: string
  /** listApis `related` (comma separated API names). */
  related?: string
  required?: boolean
  since?: string
  type: ParamType
}

export interface ResponseField {
  description?: string
  name: string
  /** Nested fields of an object or list field. */
  response?: ResponseField[]
  type: string
}

type ValueOf<S extends ParamSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'double' | 'float' | 'integer' | 'long' | 'short'
    ? number
    : S['type'] extends 'list'
      ? string[]
      : S['type'] extends 'map'
        ? Array<Record<string, string>>
        : S['type'] extends 'date'
          ? Date
          : string

/** The handler's view of its parameters: required ones are always present. */
export type ParamsOf<P extends readonly ParamSpec[]> = {
  [S in P[number] as S['name']]: S extends {required: true} ? ValueOf<S> : undefined | ValueOf<S>
}

/** Who is calling: the authenticated user with its account and domain. */
export interface Caller {
  account: Account
  domain: Domain
  user: User
}

export interface Paging {
  /** Rows to return at most (Infinity for pagesize=-1). */
  pageSize: number
  startIndex: number
}

export interface HandlerContext<V> {
  api: RegisteredApi
  caller: Caller
  clock: SimClock
  flavor: 'cloudstack' | 'mold'
  /** Async job submission, bound to this command and caller. */
  jobs: JobScope
  model: SimModel
  /** The page to return, for commands declaring page/pagesize. */
  paging: Paging
  params: V
  /** Every request parameter as received (first value of each name). */
  raw: Readonly<Record<string, string>>
  registry: ApiRegistry
}

/** What a handler returns: the body placed under the `<command>response` key. */
export type ApiBody = Record<string, unknown>

/*
 * The async job API a handler sees; behaviour/jobs.ts implements it. Declared here, beside the
 * handler context, so that the declaration of APIs does not depend on the job engine.
 */
export interface JobSubmission {
  /** For async create commands: the new object's id, returned beside the job id. */
  createdId?: string
  instanceId?: string
  /** jobinstancetype, e.g. "Host". */
  instanceType?: string
  /**
   * The work. Its return value becomes `jobresult` (e.g. `{host: {...}}` or `{success: true}`);
   * a thrown SimApiError fails the job with its code and text, anything else with 530.
   */
  run: (job: JobRecord) => ApiBody | Promise<ApiBody>
}

/** jobinstancetype of the objects jobs act on. */
export type JobInstanceType = 'Cluster' | 'Host' | 'VirtualMachine' | 'Zone'

/** The job API a handler sees (bound to its command and caller). */
export interface JobScope {
  submit(submission: JobSubmission): ApiBody
  /**
   * The common async shape: the handler has looked the object up (failing at once if it is
   * missing); the job acts on it and reports it as jobinstancetype / jobinstanceid.
   */
  submitFor<T extends {id: string}>(
    instanceType: JobInstanceType,
    target: T,
    run: (target: T) => ApiBody | Promise<ApiBody>,
  ): ApiBody
}

export interface ApiSpec<P extends readonly ParamSpec[]> {
  description: string
  handler: (ctx: HandlerContext<ParamsOf<P>>) => ApiBody | Promise<ApiBody>
  isasync: boolean
  /** Java class reported as `cmd` by queryAsyncJobResult (default derived from the name). */
  javaClass?: string
  /** Whether the command changes state (default: not list*, query*, get*). */
  mutates?: boolean
  name: string
  params: P
  related?: string
  /** Response fields for listApis. */
  response?: ResponseField[]
  /** Override of the `<name lower-cased>response` key (legacy names, e.g. login). */
  responseName?: string
  since?: string
}

export interface RegisteredApi {
  description: string
  handler: (ctx: HandlerContext<Record<string, unknown>>) => ApiBody | Promise<ApiBody>
  isasync: boolean
  javaClass: string
  mutates: boolean
  name: string
  params: readonly ParamSpec[]
  related: string
  response: ResponseField[]
  responseName: string
  since?: string
}

/** An API error answer: HTTP status = errorcode; text as the real server words it. */
export class SimApiError extends Error {
  readonly cserrorcode?: number
  readonly errorcode: number
  readonly errortext: string

  constructor(errorcode: number, errortext: string, cserrorcode?: number) {
    super(errortext)
    this.name = 'SimApiError'
    this.errorcode = errorcode
    this.errortext = errortext
    this.cserrorcode = cserrorcode
  }

  /** CloudRuntimeException: 530 / 4250. */
  static internal(text: string): SimApiError {
    return new SimApiError(API_ERROR_CODE.INTERNAL_ERROR, text, CS_ERROR_CODE.CloudRuntimeException)
  }

  /** InvalidParameterValueException: 431 / 4350. */
  static invalidParameter(text: string): SimApiError {
    return new SimApiError(API_ERROR_CODE.PARAM_ERROR, text, CS_ERROR_CODE.InvalidParameterValueException)
  }

  /** ServerApiException(PARAM_ERROR) thrown by parameter processing: 431 / 9999. */
  static paramError(text: string): SimApiError {
    return new SimApiError(API_ERROR_CODE.PARAM_ERROR, text, CS_ERROR_CODE.ServerApiException)
  }

  /** PermissionDeniedException: 531 / 4365. */
  static permissionDenied(text: string): SimApiError {
    return new SimApiError(API_ERROR_CODE.ACCOUNT_ERROR, text, CS_ERROR_CODE.PermissionDeniedException)
  }
}

/**
 * Response fields for listApis from a compact list: `"id:string name:string cpunumber:integer"`.
 * `nested` gives the sub-fields of object/list fields; `descriptions` the texts known verbatim
 * (others read "the <field> of the <object>").
 */
export function responseFields(
  objectName: string,
  list: string,
  nested: Record<string, ResponseField[]> = {},
  descriptions: Record<string, string> = {},
): ResponseField[] {
  return list
    .split(/\s+/)
    .filter(Boolean)
    .map((item) => {
      const [name, type] = item.split(':')
      const field: ResponseField = {
        description:
          descriptions[name] ?? COMMON_FIELD_DESCRIPTIONS[name] ?? `the ${name} of the ${objectName}`,
        name,
        type,
      }
      if (nested[name]) field.response = nested[name]
      return field
    })
}

const COMMON_FIELD_DESCRIPTIONS: Record<string, string> = {
  hasannotations: 'true if the entity/resource has annotations',
  jobid: 'the UUID of the latest async job acting on this object',
  jobstatus: 'the current status of the latest async job acting on this object',
}

const READ_PREFIXES = ['list', 'query', 'get']

export function isReadCommand(name: string): boolean {
  return READ_PREFIXES.some((prefix) => name.startsWith(prefix))
}

/** Declares an API command. Parameter types flow into the handler's `ctx.params`. */
export function defineApi<const P extends readonly ParamSpec[]>(spec: ApiSpec<P>): RegisteredApi {
  const javaName = spec.name.charAt(0).toUpperCase() + spec.name.slice(1)
  return {
    description: spec.description,
    // dispatch's processParams checks the request against this spec's own params before the
    // handler runs, so ctx.params holds what ParamsOf<P> describes; the registry stores every
    // API's handler under one type, so the parameter types are restored here.
    handler: (ctx) => spec.handler(ctx as HandlerContext<ParamsOf<P>>),
    isasync: spec.isasync,
    javaClass: spec.javaClass ?? `org.apache.cloudstack.api.command.admin.${javaName}Cmd`,
    mutates: spec.mutates ?? !isReadCommand(spec.name),
    name: spec.name,
    params: spec.params,
    related: spec.related ?? '',
    response: spec.response ?? [],
    responseName: spec.responseName ?? `${spec.name.toLowerCase()}response`,
    since: spec.since,
  }
}

/** The command as a server of this flavor declares it: parameters of the other flavor left out. */
export function apiForFlavor(api: RegisteredApi, flavor: 'cloudstack' | 'mold'): RegisteredApi {
  if (api.params.every((param) => param.flavor === undefined || param.flavor === flavor)) return api
  return {...api, params: api.params.filter((param) => param.flavor === undefined || param.flavor === flavor)}
}

/** Commands by name; lookups by exact name (the server is case-sensitive for API names). */
export class ApiRegistry {
  private readonly byName = new Map<string, RegisteredApi>()

  constructor(apis: Iterable<RegisteredApi>) {
    for (const api of apis) {
      if (this.byName.has(api.name)) throw new Error(`API ${api.name} is defined twice`)
      this.byName.set(api.name, api)
    }
  }

  all(): RegisteredApi[] {
    return [...this.byName.values()]
  }

  get(name: string): RegisteredApi | undefined {
    return this.byName.get(name)
  }
}
