import fc from 'fast-check'
import assert from 'node:assert/strict'
import {PassThrough, Writable} from 'node:stream'
import {describe, it} from 'node:test'

import {jsonPieces, writeJson} from '../../../src/lib/output/json.js'

const stringify = (value: unknown) => `${JSON.stringify(value, null, 2) ?? ''}\n`

describe('JSON output in pieces', () => {
  it('joins to exactly JSON.stringify(value, null, 2) and a newline, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.equal([...jsonPieces(value)].join(''), stringify(value))
      }),
      {numRuns: 300},
    )
  })

  it('does so for arrays of objects with strings holding newlines, and for what stringify turns into null', () => {
    const rows = [{a: 'line 1\nline 2', b: [1, {c: null}]}, undefined, () => 1, [], {}, 'x']
    assert.equal([...jsonPieces(rows)].join(''), stringify(rows))
    assert.equal([...jsonPieces([])].join(''), '[]\n')
  })

  it('cuts a large array into pieces of about 64 KiB, none of them the whole text', () => {
    const hosts = Array.from({length: 5000}, (_, i) => ({
      id: `host-${i}`,
      name: `kvm-${i}`,
      tags: ['a', 'b'],
    }))
    const pieces = [...jsonPieces(hosts)]
    const text = stringify(hosts)
    assert.equal(pieces.join(''), text)
    assert.ok(pieces.length > 5, `${pieces.length} pieces`)
    assert.ok(pieces.every((p) => p.length < 70 * 1024))
  })

  it('writes everything through a slow stream, waiting for it to drain', async () => {
    const hosts = Array.from({length: 3000}, (_, i) => ({id: i, name: `host-${i}`}))
    const chunks: string[] = []
    let waited = 0
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString())
        setImmediate(callback)
      },
    })
    slow.on('drain', () => waited++)
    await writeJson(slow, hosts)
    assert.equal(chunks.join(''), stringify(hosts))
    assert.ok(waited > 0, 'the writer waited for drain')
  })

  it('stops without throwing when the stream fails', async () => {
    const broken = new PassThrough({highWaterMark: 16})
    broken.on('error', () => {})
    setImmediate(() => broken.destroy(new Error('EPIPE')))
    await writeJson(
      broken,
      Array.from({length: 20_000}, (_, i) => ({i})),
    )
    assert.ok(broken.destroyed)
  })
})
