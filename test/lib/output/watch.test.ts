import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {type WatchMode, watchRows} from '../../../src/lib/output/watch.js'

/* The watch loop alone: what each mode writes for looks that succeed, repeat and fail. */

const TIME = new Date('2026-12-07T02:45:12.000Z')

function run(mode: WatchMode, looks: Array<Error | string[]>) {
  const controller = new AbortController()
  const out: string[] = []
  const notes: string[] = []
  let i = 0
  const done = watchRows<string>({
    intervalMs: 1,
    mode,
    note: (line) => notes.push(line),
    now: () => TIME,
    async poll() {
      const look = looks[i++]
      if (i >= looks.length) controller.abort()
      if (look instanceof Error) throw look
      return look
    },
    render: (rows) => (rows.length === 0 ? 'none' : rows.join('\n')),
    signal: controller.signal,
    title: 'moldctl x status',
    write: (text) => out.push(text),
  })
  return {done, notes, out}
}

describe('watchRows', () => {
  it('live: each look clears the screen and redraws header and table; a failed look keeps the last table under the error', async () => {
    const {done, out} = run('live', [['a'], new Error('boom'), ['b'], ['b']])
    const result = await done
    assert.deepEqual(out, [
      '\u001B[H\u001B[JEvery 0.001s: moldctl x status    2026-12-07 02:45:12 UTC    Ctrl-C to stop\n\na\n',
      '\u001B[H\u001B[JEvery 0.001s: moldctl x status    2026-12-07 02:45:12 UTC    Ctrl-C to stop\nerror: boom (failure 1 of 3 in a row; next look in 0.001s)\n\na\n',
      '\u001B[H\u001B[JEvery 0.001s: moldctl x status    2026-12-07 02:45:12 UTC    Ctrl-C to stop\n\nb\n',
    ])
    assert.equal(result.polls, 4, 'the fourth look, answered after the signal, is not shown')
  })

  it('changes: a block only when the text changed; errors as time-stamped notes', async () => {
    const {done, notes, out} = run('changes', [['a'], ['a'], new Error('boom\nagain'), ['a'], [], ['x']])
    await done
    assert.deepEqual(out, [
      '--- 2026-12-07 02:45:12 UTC ---\na\n',
      '\n--- 2026-12-07 02:45:12 UTC (changed) ---\nnone\n',
    ])
    assert.equal(notes.length, 1)
    assert.match(notes[0], /^02:45:12 error: boom.*again \(failure 1 of 3 in a row/)
    assert.doesNotMatch(notes[0], /\n/)
  })

  it('json-lines: one compact document per look', async () => {
    const {done, out} = run('json-lines', [['a'], ['a'], []])
    await done
    assert.deepEqual(out, [
      '{"rows":["a"],"time":"2026-12-07T02:45:12.000Z"}\n',
      '{"rows":["a"],"time":"2026-12-07T02:45:12.000Z"}\n',
    ])
  })

  it('ends with the error after 3 failures in a row, and at once when the first look fails', async () => {
    const boom = new Error('boom')
    await assert.rejects(run('changes', [['a'], boom, ['a'], boom, boom, boom, ['a']]).done, boom)
    const first = run('changes', [boom, ['a']])
    await assert.rejects(first.done, boom)
    assert.deepEqual(first.out, [])
  })
})
