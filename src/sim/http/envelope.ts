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
  return pageBody(
    itemKey,
    all.length,
    all.slice(paging.startIndex, paging.startIndex + paging.pageSize),
    serialize,
  )
}

/** listBody() of a page already cut out of `count` items. */
export function pageBody<T>(
  itemKey: string,
  count: number,
  page: T[],
  serialize: (item: T) => Record<string, unknown>,
): ApiBody {
  if (count === 0) return {}
  if (page.length === 0) return {count}
  return {count, [itemKey]: page.map((item) => serialize(item))}
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
  const value = {[responseName]: body}
  // Without a replacer JSON.stringify takes its fast path (several times faster on a page of
  // hosts); only a text with a null member (`"name":null`) needs the pass that drops them.
  const text = JSON.stringify(value)
  return text.includes('":null') ? JSON.stringify(value, dropNulls) : text
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
