import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {selectColumns} from '../../../src/lib/output/columns.js'
import {
  alignColumns,
  fitWidths,
  renderCsv,
  renderObject,
  renderRows,
  renderTable,
} from '../../../src/lib/output/render.js'

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

  it('aligns plain blocks with cli-table3: wide characters two columns, colour none, ragged rows, last column unpadded', async () => {
    const {default: stringWidth} = await import('string-width')
    const red = (text: string) => `\u001B[31m${text}\u001B[39m`
    const lines = await alignColumns([
      ['  #', 'HOST', 'STATE'],
      ['  1', '서울-호스트-01', red('Up')],
      ['  10', 'kvm-2'],
      [],
    ])
    assert.deepEqual(
      // eslint-disable-next-line no-control-regex -- the colour escapes are what is removed
      lines.map((line) => line.replaceAll(/\u001B\[\d+m/g, '')),
      ['  #   HOST            STATE', '  1   서울-호스트-01  Up', '  10  kvm-2', ''],
    )
    assert.equal(stringWidth(lines[1].slice(0, lines[1].indexOf('\u001B'))), 22)
    assert.deepEqual(await alignColumns([]), [])
  })
})

describe('fitWidths: how columns give way at a terminal', () => {
  const col = (kind: 'fixed' | 'long' | 'short', width: number, header = 4) => ({header, kind, width})

  it('changes nothing when the table fits, or with an infinite budget', () => {
    assert.deepEqual(fitWidths([col('long', 30), col('short', 10)], 40), [30, 10])
    assert.deepEqual(fitWidths([col('long', 300), col('short', 10)], Number.POSITIVE_INFINITY), [300, 10])
  })

  it('narrows the widest long column first, one step at a time, until the widths fit', () => {
    // 40 + 30 + 10 = 80 into 60: the 40 comes down to 30, then both long ones in turn.
    assert.deepEqual(fitWidths([col('long', 40), col('long', 30), col('short', 10)], 60), [25, 25, 10])
  })

  it('narrows short columns only once every long one is at its least (8), not below their header (12 for a longer one)', () => {
    const widths = fitWidths([col('long', 40), col('short', 20, 6), col('short', 16, 14)], 36)
    assert.deepEqual(widths, [8, 14, 14])
    // Nothing left to give: the table stays wider than the budget, fixed columns untouched.
    assert.deepEqual(fitWidths([col('fixed', 30), col('long', 40), col('short', 20, 6)], 20), [30, 8, 6])
  })
})
