import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  BatchProgressReporter,
  formatProgressBar,
  formatProgressLine,
} from '../../../src/lib/core/batch-progress.js'

function sink() {
  const chunks: string[] = []
  return {chunks, stream: {write: (s: string) => chunks.push(s) > 0}}
}

describe('progress formatting', () => {
  it('draws a bar proportional to the work done', () => {
    assert.equal(
      formatProgressBar({done: 450, failed: 10, ok: 440, total: 1000}, 3.25, 20),
      '[#########...........]  450/1000  ok 440  failed 10  3.3 s',
    )
    assert.equal(
      formatProgressBar({done: 0, failed: 0, ok: 0, total: 0}, 0, 4),
      '[####] 0/0  ok 0  failed 0  0.0 s',
    )
  })

  it('writes plain lines with a percentage and skipped hosts when there are some', () => {
    assert.equal(
      formatProgressLine({done: 3, failed: 1, ok: 1, skipped: 1, total: 4}),
      '3/4  ok 1  failed 1  skipped 1 (75%)',
    )
  })
})

describe('BatchProgressReporter', () => {
  it('prints one plain line per tenth of the batch when not on a terminal', () => {
    const out = sink()
    const reporter = new BatchProgressReporter({label: 'STATUS', live: false, stream: out.stream})
    for (let done = 1; done <= 100; done++) reporter.update({done, failed: 0, ok: done, total: 100})
    reporter.finish({done: 100, failed: 0, ok: 100, total: 100})
    assert.equal(out.chunks.length, 10)
    assert.equal(out.chunks[0], 'STATUS 10/100  ok 10  failed 0 (10%)\n')
    assert.equal(out.chunks.at(-1), 'STATUS 100/100  ok 100  failed 0 (100%)\n')
    assert.ok(out.chunks.every((c) => !c.includes('\r')))
  })

  it('prints no plain lines for a batch under 20', () => {
    const out = sink()
    const reporter = new BatchProgressReporter({label: 'STATUS', live: false, stream: out.stream})
    for (let done = 1; done <= 19; done++) reporter.update({done, failed: 0, ok: done, total: 19})
    reporter.finish({done: 19, failed: 0, ok: 19, total: 19})
    assert.deepEqual(out.chunks, [])
  })

  it('redraws in place at most ten times a second on a terminal, always drawing the end', () => {
    const out = sink()
    let clock = 0
    const reporter = new BatchProgressReporter({
      label: 'OFF',
      live: true,
      now: () => clock,
      stream: out.stream,
    })
    for (let done = 1; done <= 50; done++) {
      clock += 10
      reporter.update({done, failed: 0, ok: done, total: 50})
    }

    reporter.finish({done: 50, failed: 0, ok: 50, total: 50})
    // 500 ms of updates → 5 throttled draws + the last update + finish.
    assert.ok(out.chunks.length <= 8, `${out.chunks.length} writes`)
    assert.ok(out.chunks.every((c) => c.startsWith('\r') || c === '\n'))
    assert.match(out.chunks.at(-2)!, /OFF \[#+\] 50\/50/)
    assert.equal(out.chunks.at(-1), '\n')
  })

  it('prints notes on their own line, clearing the bar first on a terminal', () => {
    const out = sink()
    const reporter = new BatchProgressReporter({label: 'ON', live: true, stream: out.stream})
    reporter.note('Warning: something')
    assert.equal(out.chunks[0], '\r\u001B[2KWarning: something\n')
  })
})
