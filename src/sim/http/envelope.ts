import type {ApiBody, Paging} from '../catalog/registry.js'

/*
 * Response envelopes as ApiResponseSerializer writes them: one top-level `<command>response`
 * key, null fields omitted, dates as yyyy-MM-dd'T'HH:mm:ssZ (the simulator's JVM runs in UTC).
 */

/** The list-response body: `{count, <item>: [...]}`; empty list `{}`; page past the end `{count}`. */
export function listBody<T>(
  itemKey: string,
  all: T[],
  paging: Paging,
  serialize: (item: T) => Record<string, unknown>,
): ApiBody {
  if (all.length === 0) return {}
  const page = all.slice(paging.startIndex, paging.startIndex + paging.pageSize)
  if (page.length === 0) return {count: all.length}
  return {count: all.length, [itemKey]: page.map((item) => serialize(item))}
}

/** One HTTP answer of the API endpoint. */
export interface Reply {
  body: ApiBody
  headers?: Record<string, string | string[]>
  responseName: string
  status: number
}

export interface ErrorBodyOptions {
  cserrorcode?: number
  errorcode: number
  errortext: string
}

/** `{uuidList, errorcode, cserrorcode, errortext}` in the server's field order. */
export function errorBody({cserrorcode, errorcode, errortext}: ErrorBodyOptions): ApiBody {
  const body: ApiBody = {uuidList: []}
  body.errorcode = errorcode
  if (cserrorcode !== undefined) body.cserrorcode = cserrorcode
  body.errortext = errortext
  return body
}

function dropNulls(_key: string, value: unknown): unknown {
  return value === null ? undefined : value
}

/** The JSON text of a response, e.g. `{"listhostsresponse":{...}}`. */
export function serializeJson(responseName: string, body: ApiBody): string {
  return JSON.stringify({[responseName]: body}, dropNulls)
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

function xmlElement(name: string, value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join('')
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([key, child]) => xmlElement(key, child))
      .join('')
    return `<${name}>${inner}</${name}>`
  }

  return `<${name}>${escapeXml(String(value))}</${name}>`
}

/** The XML form (the server's default when `response=json` is not sent). */
export function serializeXml(responseName: string, body: ApiBody, version: string): string {
  const inner = Object.entries(body)
    .map(([key, value]) => xmlElement(key, value))
    .join('')
  return `<?xml version="1.0" encoding="UTF-8"?><${responseName} cloud-stack-version="${version}">${inner}</${responseName}>`
}
