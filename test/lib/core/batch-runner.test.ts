import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'

import {type BatchProgress, countOutcomes, runBatch} from '../../../src/lib/core/batch-runner.js'

describe('runBatch', () => {
  it('gives every target exactly one outcome, in input order, and keeps going after failures', async () => {
    const targets = ['a', 'b', 'c', 'd', 'e']
    const outcomes = await runBatch(
      targets,
      async (t) => {
        await sleep(t === 'a' ? 20 : 1)
        if (t === 'b' || t === 'd') throw new Error(`boom ${t}`)
        return t.toUpperCase()
      },
      {concurrency: 2},
    )
    assert.deepEqual(
      outcomes.map((o) => [o.target, o.index, o.status]),
      [
        ['a', 0, 'ok'],
        ['b', 1, 'failed'],
        ['c', 2, 'ok'],
        ['d', 3, 'failed'],
        ['e', 4, 'ok'],
      ],
    )
    assert.equal(outcomes[0].result, 'A')
    assert.equal((outcomes[1].error as Error).message, 'boom b')
    assert.deepEqual(countOutcomes(outcomes), {cancelled: 0, failed: 2, ok: 3})
  })

  it('never runs more than `concurrency` tasks at once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({max: 8, min: 1}),
        fc.array(fc.integer({max: 4, min: 0}), {maxLength: 30}),
        async (concurrency, delays) => {
          let inFlight = 0
          let maxInFlight = 0
          const outcomes = await runBatch(
            delays,
            async (delay) => {
              inFlight++
              maxInFlight = Math.max(maxInFlight, inFlight)
              await sleep(delay)
              inFlight--
              return delay
            },
            {concurrency},
          )
          assert.ok(maxInFlight <= concurrency, `saw ${maxInFlight} in flight with limit ${concurrency}`)
          assert.equal(outcomes.length, delays.length)
          // With enough work queued, the limit is actually used, not just respected.
          if (delays.length >= concurrency) assert.equal(maxInFlight, concurrency)
        },
      ),
      {numRuns: 40},
    )
  })

  it('reports progress after each target, ending with done = total', async () => {
    const seen: Array<BatchProgress<number, number>> = []
    await runBatch(
      [1, 2, 3, 4],
      async (n) => {
        if (n === 3) throw new Error('no')
        return n
      },
      {concurrency: 2, onProgress: (p) => seen.push(p)},
    )
    assert.deepEqual(
      seen.map((p) => p.done),
      [1, 2, 3, 4],
    )
    const last = seen.at(-1)!
    assert.deepEqual([last.ok, last.failed, last.total, last.running], [3, 1, 4, 0])
  })

  it('measures each task with the given clock', async () => {
    let clock = 0
    const outcomes = await runBatch(
      [1500, 250],
      async (ms) => {
        clock += ms
        return ms
      },
      {concurrency: 1, now: () => clock},
    )
    assert.deepEqual(
      outcomes.map((o) => o.seconds),
      [1.5, 0.25],
    )
  })

  it('after an abort, starts nothing new and records the rest as cancelled', async () => {
    const controller = new AbortController()
    const started: number[] = []
    const outcomes = await runBatch(
      [0, 1, 2, 3, 4, 5],
      async (n) => {
        started.push(n)
        if (n === 1) controller.abort()
        await sleep(1)
        return n
      },
      {concurrency: 2, signal: controller.signal},
    )
    assert.deepEqual(started, [0, 1])
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['ok', 'ok', 'cancelled', 'cancelled', 'cancelled', 'cancelled'],
    )
  })

  it('rejects a concurrency below 1 or not whole', async () => {
    await assert.rejects(
      runBatch([1], async (n) => n, {concurrency: 0}),
      RangeError,
    )
    await assert.rejects(
      runBatch([1], async (n) => n, {concurrency: 1.5}),
      RangeError,
    )
  })

  it('handles an empty target list', async () => {
    assert.deepEqual(await runBatch([], async (n: number) => n, {concurrency: 3}), [])
  })
})
