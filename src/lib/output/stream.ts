/**
 * Lists written page by page as the pages arrive (JSON, YAML, CSV), so a listing of 100,000
 * hosts holds the pages in flight, not the whole list, and the first rows are out while later
 * pages are still being fetched. The text is the same as the whole list rendered at once:
 * JSON.stringify(rows, null, 2) (see json.ts), the YAML of the list (a block sequence is its
 * items' sequences one after another), the CSV with one header line.
 */
import type {Writable} from 'node:stream'

import type {PageDecoder} from '../api/paging.js'

import {cellValue, type Column, selectColumns} from './columns.js'
import {reindentItems} from './json-reindent.js'
import {drained} from './json.js'
import {csvField} from './render.js'

export type StreamFormat = 'csv' | 'json' | 'yaml'

export interface RowStreamOptions<T> {
  columns: Column<T>[]
  /** CSV cells as they are (--csv-raw). */
  csvRaw?: boolean
  format: StreamFormat
  /** The column names, checked against the first page (CSV): may throw before anything is written. */
  onFirstPage?: (rows: T[]) => Promise<string[] | undefined>
  selected?: string[]
}

/**
 * One page of a JSON list: its items as the whole list's text has them after an earlier item
 * (json-reindent.ts's ItemsText): `,\n`, then each item indented by two spaces, joined by `,\n`.
 */
export interface JsonItems {
  /** The buffer `text` is in, for later pages once it is written (JSON_ITEMS). */
  buffer?: Buffer
  length: number
  text: Uint8Array
}

/** A page's items as JSON (JsonItems). */
export function jsonItems(items: unknown[]): JsonItems {
  // The page as an array is "[\n" + its items, indented and joined by ",\n", + "\n]": the items
  // are the whole list's text (one stringify per page, twice as fast as per item).
  const text = items.length === 0 ? '' : `,\n${JSON.stringify(items, null, 2).slice(2, -2)}`
  return {length: items.length, text: Buffer.from(text)}
}

/**
 * Buffers of pages already written (writeJsonPages), for the text of later ones: a page of hosts
 * is over 1 MB, and a new buffer for each of 200 pages is 200 MB more for the garbage collector
 * to find (V8 collects the heap for such memory outside it too).
 */
const writtenBuffers: Buffer[] = []
/** The pages in flight (paging.ts's AHEAD) and the one being written, and one more. */
const SPARE_BUFFERS = 6

/**
 * A page of a JSON list read straight from the answer's bytes where it can be (re-indented,
 * never parsed), else from the items parsed: the same text either way.
 */
export const JSON_ITEMS: PageDecoder<unknown, JsonItems> = {
  fromItems: jsonItems,
  readItems(bytes, start) {
    const spare = writtenBuffers.pop()
    const read = reindentItems(bytes, start, spare)
    if (spare && read?.buffer !== spare) writtenBuffers.push(spare)
    return read && {end: read.end, items: read, length: read.length}
  },
}

/** Writes text, waiting while the stream's buffer is full; `written` once it was handed to the system. */
async function put(
  stream: Writable,
  text: string | Uint8Array,
  written?: (error?: Error | null) => void,
): Promise<void> {
  if (text.length > 0 && !stream.write(text, written)) await drained(stream)
}

/**
 * Writes pages of JSON items (JSON_ITEMS) as one list, exactly `JSON.stringify(list, null, 2)`
 * and a newline; resolves with the item count once the last text was handed to the system. A
 * page's buffer is taken back for later pages once the stream has flushed it (its write callback).
 */
export async function writeJsonPages(stream: Writable, pages: AsyncIterable<JsonItems>): Promise<number> {
  let count = 0
  for await (const page of pages) {
    if (page.length === 0) continue
    // The first page opens the list: its "," becomes "[" (the text is this writer's to change).
    if (count === 0) page.text[0] = 0x5b
    const {buffer} = page
    await put(stream, page.text, (error?: Error | null) => {
      if (!error && buffer && writtenBuffers.length < SPARE_BUFFERS) writtenBuffers.push(buffer)
    })
    count += page.length
  }

  await new Promise<void>((resolve) => {
    stream.write(count === 0 ? '[]\n' : '\n]\n', () => resolve())
  })
  return count
}

async function* mapPages<T, U>(pages: AsyncIterable<T[]>, map: (page: T[]) => U): AsyncGenerator<U> {
  for await (const page of pages) yield map(page)
}

/**
 * Writes every page's rows to the stream in the format; resolves with the row count once the
 * last text was handed to the system. The column selection (CSV) is settled on the first page.
 */
export async function writeRowStream<T>(
  stream: Writable,
  pages: AsyncIterable<T[]>,
  opts: RowStreamOptions<T>,
): Promise<number> {
  if (opts.format === 'json') return writeJsonPages(stream, mapPages(pages, jsonItems))
  let count = 0
  let columns: Column<T>[] | undefined
  let stringify: ((value: unknown) => string) | undefined
  if (opts.format === 'yaml') stringify = (await import('yaml')).stringify
  for await (const page of pages) {
    if (opts.format === 'yaml') {
      if (page.length === 0) continue
      count += page.length

      await put(stream, stringify!(page))
    } else {
      if (!columns) {
        const selected = opts.onFirstPage ? await opts.onFirstPage(page) : opts.selected
        columns = selectColumns(opts.columns, selected)

        await put(stream, columns.map((c) => csvField(c.key, opts.csvRaw)).join(',') + '\n')
      }

      const cols = columns
      count += page.length

      await put(
        stream,
        page
          .map((row) => cols.map((c) => csvField(cellValue(row, c), opts.csvRaw)).join(',') + '\n')
          .join(''),
      )
    }
  }

  let tail = ''
  if (opts.format === 'yaml' && count === 0) tail = '[]\n'
  else if (opts.format === 'csv' && !columns)
    tail =
      selectColumns(opts.columns, opts.selected)
        .map((c) => csvField(c.key, opts.csvRaw))
        .join(',') + '\n'
  await new Promise<void>((resolve) => {
    stream.write(tail, () => resolve())
  })
  return count
}
