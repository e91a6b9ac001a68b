import {ApiError, TransportError} from '../core/errors.js'
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

/** An async command's first answer is `{jobid}` (create commands add `id`). */
export function isJobSubmission(inner: ApiObject): inner is ApiObject & {jobid: string} {
  const keys = Object.keys(inner)
  return typeof inner.jobid === 'string' && keys.every((k) => k === 'jobid' || k === 'id')
}
