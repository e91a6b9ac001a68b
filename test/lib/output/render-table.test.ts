import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {cliTable, renderTable} from '../../../src/lib/output/render.js'

const KEYS = ['name', 'state', 'message'] as const
type Row = Record<(typeof KEYS)[number], string>
const COLUMNS = KEYS.map((key) => ({key}))

/**
 * The same table through cli-table3: one more row holding a non-ASCII character forces that
 * path, and is removed again. It cannot widen a column: every header is longer than it.
 */
async function viaCliTable(rows: Row[], width: number): Promise<string> {
  const marked = [...rows, {message: '\u00E9', name: '\u00E9', state: '\u00E9'}]
  const out = await renderTable(marked, COLUMNS, width)
  return out.split('\n').slice(0, -1).join('\n')
}

const CHARS = [...' abcdefghijklmnopqrstuvwxyz0123456789-_.:/']
const text = fc.string({maxLength: 30, unit: fc.constantFrom(...CHARS)})
const toRow = ([name, state, message]: [string, string, string]): Row => ({message, name, state})

describe('table layout', () => {
  it('lays out printable ASCII exactly as cli-table3 does (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, text, text), {maxLength: 12}),
        fc.integer({max: 120, min: 20}),
        async (tuples, width) => {
          const rows = tuples.map((t) => toRow(t))
          assert.equal(await renderTable(rows, COLUMNS, width), await viaCliTable(rows, width))
        },
      ),
      {numRuns: 60},
    )
  })

  it('renders 5,000 rows, each line as cli-table3 would', async () => {
    const rows = Array.from({length: 5000}, (_, i) => ({
      message: 'Chassis Power is on',
      name: `host-${i}`,
      state: 'ok',
    }))
    const out = await renderTable(rows, COLUMNS, 80)
    assert.equal(out.split('\n').length, 5001)
    const sample = await cliTable(
      ['NAME', 'STATE', 'MESSAGE'],
      [['host-1', 'ok', 'Chassis Power is on']],
      [9, 5, 19],
    )
    assert.equal(out.split('\n')[2], sample.split('\n')[1])
  })
})
