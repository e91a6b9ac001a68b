import type {Activity} from '../output/spinner.js'
import type {ApiObject, Params} from './types.js'

import {ApiError} from '../core/errors.js'
import {listPage} from './envelope.js'
import {type ItemsReader, type ListAnswerPage, readListAnswer} from './list-answer.js'

/** From this many pages on, reading a list is shown as a wait. */
const MANY_PAGES = 4
/** Page n is fetched once page n - AHEAD has been taken: at most AHEAD pages in flight or waiting. */
const AHEAD = 4

export interface PageOptions {
  itemKey?: string
  pageSize?: number
}

/** Reads an answer from its bytes (undefined: the answer is read as JSON, as always). */
export type AnswerDecoder<D> = (bytes: Buffer) => D | undefined

/** What an AnswerDecoder made of an answer (MoldClient's request with a decoder). */
export class DecodedAnswer<D> {
  constructor(readonly value: D) {}
}

/**
 * How a reader takes the pages: `readItems` straight from the bytes of the answer (the envelope
 * read by list-answer.ts), else `fromItems` from the items parsed.
 */
export interface PageDecoder<T, U> {
  fromItems(items: T[]): U
  readItems?: ItemsReader<U>
}

/** A list page by page (MoldClient#listPages). */
export interface PageStream<T> extends AsyncIterable<T[]> {
  /** The same pages as `decoder` reads them. */
  decoded<U>(decoder: PageDecoder<T, U>): AsyncIterable<U>
  /** The answer's item key, once the first page arrived. */
  key?: string
}

/**
 * The page size a refusal names as the server's limit (default.page.size, "Page size can't exceed
 * max allowed page size value: N"), when it is below the size asked; else undefined.
 */
export function pageSizeLimit(error: unknown, asked: number): number | undefined {
  const named = error instanceof ApiError && /max allowed page size value: (\d+)/.exec(error.errortext)
  const limit = named ? Number(named[1]) : 0
  return limit >= 1 && limit < asked ? limit : undefined
}

/** What reading a list page by page takes from the client. */
export interface PageSource {
  /** Shows a long read (4 pages or more). */
  activity?: (text: string) => Promise<Activity>
  /** The page size to ask for; `lower` remembers a smaller one the server named as its limit. */
  pageSize: {lower(size: number): void; size: number}
  /** One request; with `decode`, what it made of the answer's bytes where it could. */
  request: <D>(
    command: string,
    params: Params,
    decode?: AnswerDecoder<D>,
  ) => Promise<ApiObject | DecodedAnswer<D>>
}

/** One page as the reader takes it. */
interface Page<U> {
  count?: number
  items: U
  key?: string
  length: number
}

/**
 * Every page of a list command, in order: the first page gives the count (and, if the server's
 * default.page.size is below the size asked, its limit, used from then on), then up to AHEAD
 * pages are fetched ahead of the reader. `onKey` hears the answer's item key from the first page.
 * Each page is what `decoder` makes of it.
 * @yields each page
 */
export async function* listPageIterator<T, U>(
  source: PageSource,
  command: string,
  params: Params,
  opts: PageOptions & {decoder: PageDecoder<T, U>; onKey?: (key: string | undefined) => void},
): AsyncGenerator<U> {
  const {decoder} = opts
  const {readItems} = decoder
  const fetchPage = async (query: Params, key: string | undefined): Promise<Page<U>> => {
    const decode = readItems && ((bytes: Buffer) => readListAnswer(bytes, readItems, key))
    const answer = await source.request<ListAnswerPage<U>>(command, query, decode)
    if (answer instanceof DecodedAnswer) return answer.value
    const itemKey = key ?? Object.keys(answer).find((k) => k !== 'count' && Array.isArray(answer[k]))
    const {count, items} = listPage<T>(command, answer, itemKey)
    return {count, items: decoder.fromItems(items), key: itemKey, length: items.length}
  }

  let pageSize = opts.pageSize ?? source.pageSize.size
  let first: Page<U>
  try {
    first = await fetchPage({...params, page: 1, pagesize: pageSize}, opts.itemKey)
  } catch (error) {
    // A server whose default.page.size is below 500 names its limit; use it from now on.
    const limit = pageSizeLimit(error, pageSize)
    if (limit === undefined) throw error
    pageSize = limit
    source.pageSize.lower(pageSize)
    first = await fetchPage({...params, page: 1, pagesize: pageSize}, opts.itemKey)
  }

  const {key} = first
  opts.onKey?.(key)
  const count = first.count ?? first.length
  yield first.items
  if (first.length >= count || first.length < pageSize) return
  const pages = Math.ceil(count / pageSize)
  const fetched = new Map<number, Promise<U>>()
  const fetch = (page: number) => {
    const promise = fetchPage({...params, page, pagesize: pageSize}, key).then((next) => next.items)
    // A failure is thrown when its page is taken; until then it must not count as unhandled.
    promise.catch(() => {})
    fetched.set(page, promise)
  }

  const reading = (n: number) => `Reading ${command}: ${n} of ${pages} pages (${count} items)`
  const activity = pages >= MANY_PAGES ? await source.activity?.(reading(1)) : undefined
  try {
    for (let page = 2; page <= Math.min(pages, 1 + AHEAD); page++) fetch(page)
    for (let page = 2; page <= pages; page++) {
      // eslint-disable-next-line no-await-in-loop
      const next = await fetched.get(page)!
      fetched.delete(page)
      if (page + AHEAD <= pages) fetch(page + AHEAD)
      activity?.update(reading(page))
      yield next
    }
  } finally {
    activity?.stop()
  }
}
