import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {selectColumns} from '../../../src/lib/output/columns.js'
import {renderCsv, renderObject, renderRows, renderTable} from '../../../src/lib/output/render.js'

const rows = [
  {id: '1', name: 'kvm-host-01', oobm: {powerstate: 'On'}, text: 'a, "quoted"\nvalue'},
  {id: '2', name: 'kvm-host-02', oobm: {powerstate: 'Off'}, text: 'plain'},
]

describe('output rendering', () => {
  it('quotes CSV fields as RFC 4180 says', () => {
    assert.equal(
      renderCsv(rows, [{key: 'name'}, {key: 'text'}]),
      'name,text\nkvm-host-01,"a, ""quoted""\nvalue"\nkvm-host-02,plain',
    )
  })

  it('reaches nested fields with dotted --columns', async () => {
    const out = await renderRows(rows, {
      columns: [{key: 'name'}],
      format: 'csv',
      selected: ['name', 'oobm.powerstate'],
    })
    assert.equal(out, 'name,oobm.powerstate\nkvm-host-01,On\nkvm-host-02,Off')
  })

  it('keeps API objects whole in JSON and YAML', async () => {
    assert.deepEqual(JSON.parse(await renderRows(rows, {columns: [{key: 'name'}], format: 'json'})), rows)
    assert.match(await renderRows(rows, {columns: [{key: 'name'}], format: 'yaml'}), /powerstate: On/)
  })

  it('fits a table into the width by cutting the widest column', async () => {
    const wide = [{a: 'x'.repeat(100), b: 'short'}]
    const out = await renderTable(wide, [{key: 'a'}, {key: 'b'}], 80)
    for (const line of out.split('\n')) assert.ok(line.length <= 80, `line of ${line.length}: ${line}`)
    assert.match(out, /…/)
    assert.match(out, /short/)
  })

  it('keeps headers and formatting of default columns chosen by name', () => {
    const columns = selectColumns([{header: 'HOST', key: 'name'}], ['id', 'name'])
    assert.deepEqual(
      columns.map((c) => c.header ?? c.key),
      ['id', 'HOST'],
    )
  })

  it('prints one object as aligned field/value pairs', async () => {
    assert.equal(await renderObject({id: '1', name: 'h'}, 'table'), 'id    1\nname  h')
  })
})
