import type {Activity} from '../output/spinner.js'
import type {ApiObject, Params} from './types.js'

import {ApiError} from '../core/errors.js'
import {listPage} from './envelope.js'

/** From this many pages on, reading a list is shown as a wait. */
const MANY_PAGES = 4
/** Page n is fetched once page n - AHEAD has been taken: at most AHEAD pages in flight or waiting. */
const AHEAD = 4

export interface PageOptions {
  itemKey?: string
  pageSize?: number
}

/** What reading a list page by page takes from the client. */
export interface PageSource {
  /** Shows a long read (4 pages or more). */
  activity?: (text: string) => Promise<Activity>
  /** The page size to ask for; `lower` remembers a smaller one the server named as its limit. */
  pageSize: {lower(size: number): void; size: number}
  request: (command: string, params: Params) => Promise<ApiObject>
}

/**
 * Every page of a list command, in order: the first page gives the count (and, if the server's
 * default.page.size is below the size asked, its limit, used from then on), then up to AHEAD
 * pages are fetched ahead of the reader. `onKey` hears the answer's item key from the first page.
 * @yields each page's items
 */
export async function* listPageIterator<T>(
  source: PageSource,
  command: string,
  params: Params,
  opts: PageOptions & {onKey?: (key: string | undefined) => void},
): AsyncGenerator<T[]> {
  let pageSize = opts.pageSize ?? source.pageSize.size
  let first: ApiObject
  try {
    first = await source.request(command, {...params, page: 1, pagesize: pageSize})
  } catch (error) {
    // A server whose default.page.size is below 500 names its limit; use it from now on.
    const limit = error instanceof ApiError && /max allowed page size value: (\d+)/.exec(error.errortext)
    if (!limit || Number(limit[1]) >= pageSize || Number(limit[1]) < 1) throw error
    pageSize = Number(limit[1])
    source.pageSize.lower(pageSize)
    first = await source.request(command, {...params, page: 1, pagesize: pageSize})
  }

  const key = opts.itemKey ?? Object.keys(first).find((k) => k !== 'count' && Array.isArray(first[k]))
  const checked = listPage<T>(command, first, key)
  opts.onKey?.(key)
  const {items} = checked
  const count = checked.count ?? items.length
  yield items
  if (items.length >= count || items.length < pageSize) return
  const pages = Math.ceil(count / pageSize)
  const fetched = new Map<number, Promise<T[]>>()
  const fetch = (page: number) => {
    const promise = source
      .request(command, {...params, page, pagesize: pageSize})
      .then((inner) => listPage<T>(command, inner, key).items)
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
