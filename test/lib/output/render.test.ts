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

  it('aligns wide characters (Korean host names count two columns each) and cuts them whole', async () => {
    const hosts = [
      {name: '서울-호스트-01', state: 'Up'},
      {name: 'kvm-host-02', state: 'Disconnected'},
      {name: '부산-호스트-긴-이름-03', state: 'Down'},
    ]
    const {default: stringWidth} = await import('string-width')
    const full = await renderTable(hosts, [{key: 'name'}, {key: 'state'}], Number.POSITIVE_INFINITY)
    const lines = full.split('\n')
    // The STATE column starts at the same display column on every line.
    const starts = lines.map((line) => stringWidth(line.slice(0, line.search(/STATE|Up|Disconnected|Down/))))
    assert.deepEqual(new Set(starts).size, 1, full)
    assert.ok(lines[3].startsWith('부산-호스트-긴-이름-03  '), full)

    const cut = await renderTable(hosts, [{key: 'name'}, {key: 'state'}], 30)
    for (const line of cut.split('\n')) assert.ok(stringWidth(line) <= 30, `${stringWidth(line)}: ${line}`)
    assert.match(cut, /부산-호스트.*…/)
    const cutStarts = cut
      .split('\n')
      .map((line) => stringWidth(line.slice(0, line.search(/STATE|Up|Disconn|Down/))))
    assert.equal(new Set(cutStarts).size, 1, cut)
  })

  it('draws a table of many rows as one (chunks line up), header once', async () => {
    const many = Array.from({length: 250}, (_, i) => ({
      id: String(i),
      name: i === 180 ? 'the-longest-name-of-all' : `h${i}`,
    }))
    const out = await renderTable(many, [{key: 'name'}, {key: 'id'}], Number.POSITIVE_INFINITY)
    const lines = out.split('\n')
    assert.equal(lines.length, 251)
    assert.equal(lines.filter((l) => l.startsWith('NAME')).length, 1)
    const idColumn = 'the-longest-name-of-all'.length + 2
    for (const [i, line] of lines.slice(1).entries()) assert.equal(line.slice(idColumn), String(i), line)
  })
})
