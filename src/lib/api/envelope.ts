import {ApiError, BadAnswerError, TransportError} from '../core/errors.js'
import {type ApiObject, type Params} from './types.js'

/** Commands that only read: retried on transient failures, sent by GET. */
export function isReadCommand(command: string): boolean {
  return /^(list|query|get|find|search|is)[A-Z]/.test(command) || command === 'login' || command === 'logout'
}

/** Flattens parameter values into the strings sent on the wire. */
export function toWireParams(params: Params): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue
    out[k] = Array.isArray(v) ? v.join(',') : String(v)
  }

  return out
}

/**
 * Unwraps an answer: the single top-level key is `<command>response` (or a legacy name, or
 * `errorresponse`), so it is taken without being guessed from the command name. An error body
 * (HTTP >= 400, or 200 with an errorcode inside) becomes an ApiError.
 */
export function unwrapResponse(command: string, status: number, body: unknown): ApiObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    if (status >= 400) throw new ApiError(command, status, describeNonJson(body, status))
    throw new TransportError(`${command}: the server did not answer with JSON (HTTP ${status})`)
  }

  const keys = Object.keys(body)
  const inner = (keys.length === 1 ? (body as Record<string, unknown>)[keys[0]] : body) as ApiObject
  const hasError = inner && typeof inner === 'object' && 'errorcode' in inner && 'errortext' in inner
  if (hasError || status >= 400) {
    const errorcode = Number(inner?.errorcode ?? status)
    const errortext = String(inner?.errortext ?? `HTTP ${status}`)
    const cserrorcode = inner?.cserrorcode === undefined ? undefined : Number(inner.cserrorcode)
    throw new ApiError(command, errorcode, errortext, cserrorcode)
  }

  return inner ?? {}
}

function describeNonJson(body: unknown, status: number): string {
  const text =
    typeof body === 'string'
      ? body
          .replaceAll(/<[^>]+>/g, ' ')
          .replaceAll(/\s+/g, ' ')
          .trim()
      : ''
  return text ? text.slice(0, 200) : `HTTP ${status}`
}

/** The array of items in a list answer: the one array-valued field (`host`, `cluster`, `asyncjobs`...). */
export function listItems<T = ApiObject>(inner: ApiObject, itemKey?: string): T[] {
  if (itemKey) return (inner[itemKey] as T[] | undefined) ?? []
  for (const [k, v] of Object.entries(inner)) {
    if (k !== 'count' && Array.isArray(v)) return v as T[]
  }

  return []
}

/**
 * One page of a list answer, checked: the server writes `{count, <item>: [...]}` (ListResponse),
 * `{}` when empty and `{count}` past the end. Any other field, a list field that is no list, or a
 * `count` that is no whole number is a BadAnswerError, never an empty list.
 */
export function listPage<T = ApiObject>(
  command: string,
  inner: ApiObject,
  itemKey?: string,
): {count?: number; items: T[]} {
  const {count} = inner
  if (count !== undefined && !(typeof count === 'number' && Number.isSafeInteger(count) && count >= 0))
    throw new BadAnswerError(command, `count is ${describeValue(count)}, not a whole number`)
  for (const [k, v] of Object.entries(inner)) {
    if (k !== 'count' && !Array.isArray(v))
      throw new BadAnswerError(command, `the list field "${k}" is ${describeValue(v)}, not a list`)
  }

  const items = listItems<T>(inner, itemKey)
  if (itemKey && inner[itemKey] === undefined) {
    const other = Object.keys(inner).find((k) => k !== 'count')
    if (other) throw new BadAnswerError(command, `the list field is "${other}", expected "${itemKey}"`)
  }

  return {count: count as number | undefined, items}
}

/** A value in a message about a bad answer: its type, and a short form. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  const text = JSON.stringify(value) ?? String(value)
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`
}

/**
 * What is wrong with the answer of a change, if anything: an answer with no field at all (the
 * server always writes the object or `success`), or without the object `expect` names.
 */
export function changeAnswerProblem(inner: ApiObject, expect?: string): string | undefined {
  if (expect !== undefined) {
    const object = inner[expect]
    if (!object || typeof object !== 'object' || Array.isArray(object))
      return object === undefined ? `no "${expect}" object` : `"${expect}" is ${describeValue(object)}`
    return undefined
  }

  return Object.keys(inner).length === 0 ? 'an empty answer' : undefined
}

/** An async command's first answer is `{jobid}` (create commands add `id`). */
export function isJobSubmission(inner: ApiObject): inner is ApiObject & {jobid: string} {
  const keys = Object.keys(inner)
  return typeof inner.jobid === 'string' && keys.every((k) => k === 'jobid' || k === 'id')
}
