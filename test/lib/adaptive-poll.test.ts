import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {AdaptivePollSchedule} from '../../src/lib/adaptive-poll.js'

/** Simulates polling one job that finishes after `durationMs`; returns [polls, lag]. */
function pollUntilDone(schedule: AdaptivePollSchedule, durationMs: number): [number, number] {
  let elapsed = 0
  let polls = 0
  for (;;) {
    elapsed += schedule.nextDelay(elapsed)
    polls++
    if (elapsed >= durationMs) {
      schedule.record(elapsed)
      return [polls, elapsed - durationMs]
    }
  }
}

describe('AdaptivePollSchedule', () => {
  it('starts with the initial wait and backs off by a quarter of the time spent', () => {
    const s = new AdaptivePollSchedule({initialMs: 50, maxMs: 5000, minMs: 5})
    assert.equal(s.nextDelay(0), 50)
    assert.equal(s.nextDelay(100), 25)
    assert.equal(s.nextDelay(100_000), 5000)
    assert.equal(s.typicalMs(), undefined)
  })

  it('learns the median duration and aims the first poll just before it', () => {
    const s = new AdaptivePollSchedule()
    for (const d of [100, 120, 110]) s.record(d)
    assert.equal(s.typicalMs(), 110)
    assert.equal(s.nextDelay(0), 110 * 0.95)
    // Just past the aim: look again soon (a tenth of the time spent).
    assert.equal(s.nextDelay(110), 11)
    // Far past it: back off by a quarter.
    assert.equal(s.nextDelay(400), 100)
  })

  it('ignores nonsense durations and forgets old ones', () => {
    const s = new AdaptivePollSchedule({window: 3})
    s.record(Number.NaN)
    s.record(-1)
    assert.equal(s.typicalMs(), undefined)
    for (const d of [1000, 1000, 1000, 10, 10, 10]) s.record(d)
    assert.equal(s.typicalMs(), 10)
  })

  it('settles at one or two polls per job for a batch of equal jobs', () => {
    const s = new AdaptivePollSchedule()
    const polls: number[] = []
    const lags: number[] = []
    for (let i = 0; i < 200; i++) {
      const [p, lag] = pollUntilDone(s, 100)
      polls.push(p)
      lags.push(lag)
    }

    const tail = polls.slice(20)
    assert.ok(Math.max(...tail) <= 2, `polls per job after warm-up: ${Math.max(...tail)}`)
    assert.ok(Math.max(...lags.slice(20)) <= 15, `lag after warm-up: ${Math.max(...lags.slice(20))} ms`)
  })

  it('never waits outside [min, max] and always makes progress (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({max: 60_000, min: 0}), {maxLength: 20}),
        fc.integer({max: 120_000, min: 0}),
        (history, elapsed) => {
          const s = new AdaptivePollSchedule({initialMs: 50, maxMs: 5000, minMs: 5})
          for (const d of history) s.record(d)
          const delay = s.nextDelay(elapsed)
          assert.ok(delay >= 5 && delay <= 5000, `delay ${delay}`)
        },
      ),
    )
  })

  it('before learning, lags a job by at most a quarter of its duration (or the first wait) (property)', () => {
    fc.assert(
      fc.property(fc.integer({max: 100_000, min: 1}), (duration) => {
        const s = new AdaptivePollSchedule({initialMs: 50, maxMs: 5000, minMs: 5})
        const [, lag] = pollUntilDone(s, duration)
        const bound = duration <= 50 ? 50 : Math.max(5, Math.min(5000, duration * 0.25))
        assert.ok(lag <= bound, `lag ${lag} for ${duration}, bound ${bound}`)
      }),
    )
  })

  it('after learning, lags by at most the gap to the aim or a quarter of the duration (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({max: 60_000, min: 1}),
        fc.integer({max: 100_000, min: 1}),
        (typical, duration) => {
          const s = new AdaptivePollSchedule({initialMs: 50, maxMs: 5000, minMs: 5})
          s.record(typical)
          const [, lag] = pollUntilDone(s, duration)
          const bound = Math.max(typical * 0.95 - duration, 5, Math.min(5000, duration * 0.25))
          assert.ok(lag <= bound + 1e-6, `lag ${lag} for ${duration} (typical ${typical}), bound ${bound}`)
        },
      ),
    )
  })
})
