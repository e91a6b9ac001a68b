import type {SimModel} from '../state/model.js'

import {
  type EntityKind,
  type Paging,
  type ParamSpec,
  type RegisteredApi,
  SimApiError,
} from '../catalog/registry.js'
import {UUID_PATTERN} from '../state/ids.js'

/*
 * Parameter processing as the server's ParamProcessWorker and BaseListCmd do it: required
 * parameters, value types, uuid lookups, lengths, control characters and paging rules, with the
 * real error texts.
 */

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
const INTEGER_PATTERN = /^[+-]?\d+$/
const MAP_KEY = /^([^[]+)\[(\d+)]\.(.+)$/

function cmdLower(api: RegisteredApi): string {
  return api.responseName.replace(/response$/, '')
}

function invalidValue(api: RegisteredApi, name: string, value: string): SimApiError {
  return SimApiError.paramError(
    `Unable to execute API command ${cmdLower(api)} due to invalid value ${value} for parameter ${name}`,
  )
}

/*
 * ParamProcessWorker (server/src/main/java/com/cloud/api/dispatch/ParamProcessWorker.java) throws
 * InvalidParameterValueException for an id that does not resolve; the dispatcher rewraps it as a
 * ServerApiException(PARAM_ERROR) without the cause, so CSExceptionErrorCode answers 9999.
 */
function unknownEntity(api: RegisteredApi, name: string, value: string): SimApiError {
  return SimApiError.paramError(
    `Unable to execute API command ${cmdLower(api)} due to invalid value. Invalid parameter ${name} value=${value} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
  )
}

/** Whether a record with this id exists (by uuid or internal numeric id). */
export function entityExists(model: SimModel, kind: EntityKind, id: string): boolean {
  if (kind === 'anyhost') {
    return model.hosts.has(id) || (model.state.systemVmHosts ?? []).some((host) => host.id === id)
  }

  const byId = <T extends {id: string}>(items: T[] | undefined) =>
    new Map((items ?? []).map((i) => [i.id, i]))
  const maps: Record<Exclude<EntityKind, 'anyhost'>, Map<string, unknown>> = {
    account: model.accounts,
    cluster: model.clusters,
    dedicatedvlanrange: model.dedicatedVlanRanges,
    domain: model.domains,
    host: model.hosts,
    imagestore: byId(model.state.imageStores),
    job: model.jobs,
    network: new Map((model.state.guestNetworks ?? []).map((n) => [n.id, n])),
    networkoffering: new Map((model.state.networkOfferings ?? []).map((o) => [o.id, o])),
    physicalnetwork: model.physicalNetworks,
    pod: model.pods,
    project: model.projects,
    storagepool: byId(model.state.storagePools),
    user: model.users,
    vm: model.vms,
    zone: model.zones,
  }
  return maps[kind].has(id)
}

/** Resolves a uuid parameter value; undefined = treated as absent (post-3.x params). */
function resolveUuid(
  api: RegisteredApi,
  spec: ParamSpec,
  value: string,
  model: SimModel,
): string | undefined {
  const lower = value.toLowerCase()
  if (!UUID_PATTERN.test(lower)) {
    // Params added after 3.x silently ignore non-uuid strings; older ones try a numeric id.
    if (spec.since) return undefined
    throw unknownEntity(api, spec.name, value)
  }

  if (spec.entity && !entityExists(model, spec.entity, lower)) throw unknownEntity(api, spec.name, value)
  return lower
}

function parseInteger(api: RegisteredApi, spec: ParamSpec, value: string, bits: 16 | 32 | 64): number {
  if (!INTEGER_PATTERN.test(value)) throw invalidValue(api, spec.name, value)
  const n = Number(value)
  const limit = bits === 64 ? Number.MAX_SAFE_INTEGER : 2 ** (bits - 1)
  if (n >= limit || n < -limit) throw invalidValue(api, spec.name, value)
  return n
}

function parseDate(api: RegisteredApi, spec: ParamSpec, value: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/.exec(value)
  if (!match) throw invalidValue(api, spec.name, value)
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)))
}

/** Collects `name[i].key=value` parameters into one object per index, in index order. */
function parseMap(
  raw: Readonly<Record<string, string>>,
  name: string,
): Array<Record<string, string>> | undefined {
  const byIndex = new Map<number, Record<string, string>>()
  for (const [key, value] of Object.entries(raw)) {
    const match = MAP_KEY.exec(key)
    if (!match || match[1] !== name) continue
    const index = Number(match[2])
    const entry = byIndex.get(index) ?? {}
    entry[match[3]] = value
    byIndex.set(index, entry)
  }

  if (byIndex.size === 0) return undefined
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, entry]) => entry)
}

function convert(
  api: RegisteredApi,
  spec: ParamSpec,
  value: string,
  model: SimModel,
): boolean | Date | number | string | string[] | undefined {
  switch (spec.type) {
    case 'boolean': {
      return value.toLowerCase() === 'true'
    }

    case 'date': {
      return parseDate(api, spec, value)
    }

    case 'double':
    case 'float': {
      const n = Number(value)
      if (value.trim() === '' || Number.isNaN(n)) throw invalidValue(api, spec.name, value)
      return n
    }

    case 'integer': {
      return parseInteger(api, spec, value, 32)
    }

    case 'list': {
      const items = value.split(',').filter((item) => item !== '')
      if (spec.collectionType === 'uuid') {
        return items.map((item) => resolveUuid(api, spec, item, model)).filter((id) => id !== undefined)
      }

      if (spec.collectionType === 'integer' || spec.collectionType === 'long') {
        for (const item of items) parseInteger(api, spec, item, 64)
      }

      return items
    }

    case 'long': {
      return parseInteger(api, spec, value, 64)
    }

    case 'short': {
      return parseInteger(api, spec, value, 16)
    }

    case 'uuid': {
      return resolveUuid(api, spec, value, model)
    }

    default: {
      const max = spec.length ?? 255
      if (value.length > max) {
        throw SimApiError.paramError(`Value greater than max allowed length ${max} for param: ${spec.name}`)
      }

      return value
    }
  }
}

/** Refuses values with ASCII control characters, as the API server does for every parameter. */
export function checkControlCharacters(raw: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(raw)) {
    if (CONTROL_CHARS.test(value)) {
      throw SimApiError.paramError(
        `Received value containing illegal ASCII non-printable characters for parameter ${name}`,
      )
    }
  }
}

/** Validates and converts the request's parameters for `api`. */
export function processParams(
  api: RegisteredApi,
  raw: Readonly<Record<string, string>>,
  model: SimModel,
): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const spec of api.params) {
    if (spec.type === 'map') {
      const map = parseMap(raw, spec.name)
      if (map === undefined && spec.required) {
        throw SimApiError.paramError(
          `Unable to execute API command ${cmdLower(api)} due to missing parameter ${spec.name}`,
        )
      }

      values[spec.name] = map
      continue
    }

    const value = raw[spec.name]
    const absent = value === undefined || (value === '' && spec.type !== 'string')
    if (absent) {
      if (spec.required) {
        throw SimApiError.paramError(
          `Unable to execute API command ${cmdLower(api)} due to missing parameter ${spec.name}`,
        )
      }

      continue
    }

    const converted = convert(api, spec, value, model)
    if (converted === undefined && spec.required) {
      throw SimApiError.paramError(
        `Unable to execute API command ${cmdLower(api)} due to missing parameter ${spec.name}`,
      )
    }

    values[spec.name] = converted
  }

  return values
}

/** Paging per BaseListCmd: page and pagesize together, -1 unlimited, capped by default.page.size. */
export function resolvePaging(
  api: RegisteredApi,
  values: Record<string, unknown>,
  maxPageSize: number,
): Paging {
  const declares = api.params.some((p) => p.name === 'pagesize')
  if (!declares) return {pageSize: Number.POSITIVE_INFINITY, startIndex: 0}
  const page = values.page as number | undefined
  const pageSize = values.pagesize as number | undefined
  if (pageSize !== undefined && page === undefined && pageSize !== -1) {
    throw SimApiError.paramError('"page" parameter is required when "pagesize" is specified')
  }

  if (page !== undefined && pageSize === undefined) {
    throw SimApiError.paramError('"pagesize" parameter is required when "page" is specified')
  }

  if (pageSize !== undefined && pageSize > maxPageSize) {
    throw SimApiError.invalidParameter(`Page size can't exceed max allowed page size value: ${maxPageSize}`)
  }

  if (pageSize === -1) {
    if (page !== undefined) {
      throw SimApiError.invalidParameter("Can't specify page parameter when pagesize is -1 (Unlimited)")
    }

    return {pageSize: Number.POSITIVE_INFINITY, startIndex: 0}
  }

  if (pageSize === undefined || page === undefined) return {pageSize: maxPageSize, startIndex: 0}
  if (page < 1) throw invalidValue(api, 'page', String(page))
  if (pageSize < 0) throw invalidValue(api, 'pagesize', String(pageSize))
  return {pageSize, startIndex: pageSize * (page - 1)}
}
