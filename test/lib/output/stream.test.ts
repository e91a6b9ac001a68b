import assert from 'node:assert/strict'
import {Writable} from 'node:stream'
import {describe, it} from 'node:test'
import {stringify} from 'yaml'

import {renderCsv} from '../../../src/lib/output/render.js'
import {type StreamFormat, writeRowStream} from '../../../src/lib/output/stream.js'

interface Row {
  id: number
  name: string
  nested?: {deep: string}
}

const columns = [{key: 'id'}, {key: 'name'}]

/** A stream that keeps what it was given, and the events of the test in order. */
function sink(events: string[]): {stream: Writable; text: () => string} {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString())
      events.push('write')
      callback()
    },
  })
  return {stream, text: () => chunks.join('')}
}

/**
 * Pages of rows, noting when each page is asked for.
 * @yields each page in turn
 */
async function* pagesOf(pages: Row[][], events: string[]): AsyncGenerator<Row[]> {
  for (const [i, page] of pages.entries()) {
    events.push(`page ${i + 1}`)

    await new Promise((resolve) => {
      setImmediate(resolve)
    })
    yield page
  }
}

const rows = (from: number, n: number): Row[] =>
  Array.from({length: n}, (_, i) => ({id: from + i, name: `h"${from + i},x`, nested: {deep: 'a\nb'}}))

describe('writeRowStream', () => {
  const pages = [rows(0, 3), rows(3, 3), rows(6, 2)]
  const all = pages.flat()
  const whole: Record<StreamFormat, string> = {
    csv: `${renderCsv(all, columns)}\n`,
    json: `${JSON.stringify(all, null, 2)}\n`,
    yaml: stringify(all),
  }
  for (const format of ['json', 'yaml', 'csv'] as const) {
    it(`writes ${format} exactly as the whole list rendered at once`, async () => {
      const events: string[] = []
      const out = sink(events)
      const count = await writeRowStream(out.stream, pagesOf(pages, events), {columns, format})
      assert.equal(count, all.length)
      assert.equal(out.text(), whole[format])
    })

    it(`writes ${format} of an empty list as the whole empty list`, async () => {
      const out = sink([])
      await writeRowStream(out.stream, pagesOf([[]], []), {columns, format})
      const empty = {csv: `${renderCsv([], columns)}\n`, json: '[]\n', yaml: stringify([])}
      assert.equal(out.text(), empty[format])
    })
  }

  it('writes JSON of pages with an empty one between them as the whole list', async () => {
    const out = sink([])
    const count = await writeRowStream(out.stream, pagesOf([pages[0], [], ...pages.slice(1)], []), {
      columns,
      format: 'json',
    })
    assert.equal(count, all.length)
    assert.equal(out.text(), whole.json)
  })

  it('writes each page before the next one is asked for', async () => {
    const events: string[] = []
    const out = sink(events)
    await writeRowStream(out.stream, pagesOf(pages, events), {columns, format: 'json'})
    assert.deepEqual(events.slice(0, 5), ['page 1', 'write', 'page 2', 'write', 'page 3'])
  })

  it('settles the CSV columns on the first page, before writing anything', async () => {
    const out = sink([])
    await assert.rejects(
      writeRowStream(out.stream, pagesOf(pages, []), {
        columns,
        format: 'csv',
        async onFirstPage() {
          throw new Error('unknown column')
        },
      }),
      /unknown column/,
    )
    assert.equal(out.text(), '')
  })
})
