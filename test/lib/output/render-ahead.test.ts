import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {Column} from '../../../src/lib/output/columns.js'

import {prepareTable, renderTable, tableParts} from '../../../src/lib/output/render.js'

interface Row {
  host: string
  id: string
  message: string
  state: string
}

const COLUMNS: Column<Row>[] = [
  {header: 'HOST', key: 'host', shrink: false},
  {header: 'ID', key: 'id'},
  {header: 'STATE', key: 'state'},
  {header: 'MESSAGE', key: 'message'},
]

/** Rows of a batch: Korean names, escapes and line breaks from the server, ids that may be cut. */
function finalRows(n: number, message = (i: number) => `state is ${i % 3 === 0 ? 'Off' : 'On'}`): Row[] {
  return Array.from({length: n}, (_, i) => ({
    host: i % 9 === 0 ? `한국-호스트-${i}` : `kvm-${String(i).padStart(3, '0')}`,
    id: `${String(i).padStart(8, '0')}-1111-2222-3333-444444444444`,
    message: i % 13 === 0 ? `line\nbreak \u001B[2J ${message(i)}` : message(i),
    state: 'ok',
  }))
}

/** What is known of a row before it is final: its host and id. */
const standIn = (row: Row): Row => ({...row, message: '', state: ''})

describe('prepareTable: parts of a table drawn while its rows come', () => {
  for (const width of [Number.POSITIVE_INFINITY, 80]) {
    it(`prints the same text as a table drawn at once, drawing again only the parts not ready (width ${width})`, async () => {
      const rows = finalRows(130)
      const expected = await renderTable(rows, COLUMNS, width)
      // The first 100 rows are final, the last 30 still stand in.
      const partial = rows.map((row, i) => (i < 100 ? row : standIn(row)))
      await prepareTable(partial, COLUMNS, {ready: (i) => i < 100, width})
      const before = tableParts.drawn
      assert.equal(await renderTable(rows, COLUMNS, width), expected)
      // 130 rows are 6 parts of 25: the 4 of the first 100 rows were drawn ahead.
      assert.equal(tableParts.drawn - before, 2)
    })
  }

  it('draws every part again when a late row widens a column, with the same text as at once', async () => {
    const rows = finalRows(60)
    rows[59].state = 'failed badly'
    const expected = await renderTable(rows, COLUMNS, Number.POSITIVE_INFINITY)
    await prepareTable(
      rows.map((row, i) => (i < 50 ? row : standIn(row))),
      COLUMNS,
      {ready: (i) => i < 50, width: Number.POSITIVE_INFINITY},
    )
    const before = tableParts.drawn
    assert.equal(await renderTable(rows, COLUMNS, Number.POSITIVE_INFINITY), expected)
    assert.equal(tableParts.drawn - before, 3, 'the parts drawn ahead were not used')
  })

  it('keeps the parts drawn ahead when a late row widens only the last column (it is not padded)', async () => {
    for (const width of [Number.POSITIVE_INFINITY, 100]) {
      const rows = finalRows(60, (i) => (i === 59 ? 'a much longer message than every other one' : 'ok'))

      const expected = await renderTable(rows, COLUMNS, width)

      await prepareTable(
        rows.map((row, i) => (i < 50 ? row : standIn(row))),
        COLUMNS,
        {ready: (i) => i < 50, width},
      )
      const before = tableParts.drawn

      assert.equal(await renderTable(rows, COLUMNS, width), expected)
      assert.equal(tableParts.drawn - before, 1, `width ${width}: only the last part is drawn`)
    }
  })

  it('stops drawing when told, and what it drew is used once only', async () => {
    const rows = finalRows(100)
    const expected = await renderTable(rows, COLUMNS, Number.POSITIVE_INFINITY)
    let parts = 0
    await prepareTable(rows, COLUMNS, {
      ready: () => true,
      stopped: () => parts++ >= 2,
      width: Number.POSITIVE_INFINITY,
    })
    const before = tableParts.drawn
    assert.equal(await renderTable(rows, COLUMNS, Number.POSITIVE_INFINITY), expected)
    assert.ok(tableParts.drawn - before >= 2 && tableParts.drawn - before < 4)
    // Printed once: a second table of the same rows is drawn in full.
    const again = tableParts.drawn
    assert.equal(await renderTable(rows, COLUMNS, Number.POSITIVE_INFINITY), expected)
    assert.equal(tableParts.drawn - again, 4)
  })

  it('reads a row again once printed: a row changed after a table is drawn anew', async () => {
    const rows = finalRows(30)
    await prepareTable(rows, COLUMNS, {ready: () => true, width: Number.POSITIVE_INFINITY})
    await renderTable(rows, COLUMNS, Number.POSITIVE_INFINITY)
    rows[0].message = 'changed afterwards'
    const text = await renderTable(rows, COLUMNS, Number.POSITIVE_INFINITY)
    assert.match(text.split('\n')[1], /changed afterwards/)
  })
})
