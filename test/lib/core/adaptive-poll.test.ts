import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {AdaptivePollSchedule} from '../../../src/lib/core/adaptive-poll.js'

interface BatchStats {
  aims: number[]
  lags: number[]
  polls: number[]
}

/**
 * Plays a batch on a simulated clock: `slots` jobs in flight, each finishing `duration(i)` ms
 * after its polling began, polled as the schedule says; a slot takes the next job as soon as its
 * job is seen finished.
 */
function playBatch(
  schedule: AdaptivePollSchedule,
  clock: {now: number},
  batch: {duration: (i: number) => number; jobs: number; slots: number},
): BatchStats {
  const {duration, jobs, slots} = batch
  const stats: BatchStats = {aims: [], lags: [], polls: []}
  let next = 0
  type Slot = {
    at: number
    d: number
    elapsed: number
    job: ReturnType<AdaptivePollSchedule['startJob']>
    polls: number
    start: number
  }
  const start = (): Slot | undefined => {
    if (next >= jobs) return undefined
    const job = schedule.startJob()
    const slot = {at: 0, d: duration(next++), elapsed: 0, job, polls: 0, start: clock.now}
    slot.at = clock.now + job.nextDelay(0)
    return slot
  }

  const active = Array.from({length: slots}, start).filter((s): s is Slot => s !== undefined)
  while (active.length > 0) {
    active.sort((a, b) => a.at - b.at)
    const slot = active[0]
    clock.now = slot.at
    slot.polls++
    const elapsed = slot.at - slot.start
    if (elapsed >= slot.d) {
      slot.job.finished(elapsed)
      stats.lags.push(elapsed - slot.d)
      stats.polls.push(slot.polls)
      stats.aims.push(schedule.aimMs ?? Number.NaN)
      const replacement = start()
      if (replacement) active[0] = replacement
      else active.shift()
    } else {
      slot.at = clock.now + slot.job.nextDelay(elapsed)
    }
  }

  return stats
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

/** A small deterministic generator (no Math.random in tests). */
function jitter(seed: number): () => number {
  let x = seed
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648
    return x / 2_147_483_648
  }
}

describe('AdaptivePollSchedule', () => {
  it('starts with the initial wait and backs off by a quarter of the time spent', () => {
    const s = new AdaptivePollSchedule({initialMs: 50, maxMs: 5000, minMs: 5})
    assert.equal(s.nextDelay(0), 50)
    assert.equal(s.nextDelay(100), 25)
    assert.equal(s.nextDelay(100_000), 5000)
    assert.equal(s.aimMs, undefined)
  })

  it('aims at the 90th percentile of the recent estimates', () => {
    const s = new AdaptivePollSchedule()
    for (const d of [130, 110, 150, 120, 100, 140, 105, 115, 125, 135]) s.record(d)
    assert.equal(s.aimMs, 150)
    s.record(101)
    assert.equal(s.aimMs, 140)
    assert.equal(s.nextDelay(0), 140)
    // Just past the aim: look again very soon; well past it: back off.
    assert.equal(s.nextDelay(140), 4.2)
    assert.equal(s.nextDelay(200), 20)
    assert.equal(s.nextDelay(400), 100)
  })

  it('ignores nonsense durations', () => {
    const s = new AdaptivePollSchedule()
    s.record(Number.NaN)
    s.record(-1)
    assert.equal(s.aimMs, undefined)
  })

  it('probes every eighth job a little before the aim', () => {
    const s = new AdaptivePollSchedule()
    s.record(100)
    const probe = s.startJob()
    assert.equal(probe.nextDelay(0), 90)
    assert.equal(probe.nextDelay(90), 5)
    assert.equal(probe.nextDelay(95), 5)
    const normal = s.startJob()
    assert.equal(normal.nextDelay(0), 100)
    // The probe saw its job finished between 95 and 100 ms: the estimate is 97.5.
    probe.finished(100)
    assert.equal(s.aimMs, 100)
    for (let i = 0; i < 30; i++) s.record(97.5)
    assert.equal(s.aimMs, 97.5)
  })

  it('settles just after 100 ms jobs, 50 in flight, with about one poll per job', () => {
    const clock = {now: 0}
    const random = jitter(7)
    const stats = playBatch(new AdaptivePollSchedule(), clock, {
      duration: () => 100 + random() * 3,
      jobs: 1000,
      slots: 50,
    })
    const settled = {lags: stats.lags.slice(200), polls: stats.polls.slice(200)}
    assert.ok(mean(settled.polls) <= 1.6, `polls per job: ${mean(settled.polls)}`)
    assert.ok(mean(settled.lags) <= 5, `mean lag: ${mean(settled.lags)} ms`)
    // The aim stays near the jobs' duration: no runaway in either direction.
    assert.ok(
      Math.min(...stats.aims.slice(200)) >= 80 && Math.max(...stats.aims) <= 130,
      `aims ${Math.min(...stats.aims)}..${Math.max(...stats.aims)}`,
    )
  })

  it('follows the jobs when they become ten times slower, then fast again', () => {
    const clock = {now: 0}
    const schedule = new AdaptivePollSchedule()
    playBatch(schedule, clock, {duration: () => 100, jobs: 300, slots: 50})
    const slow = playBatch(schedule, clock, {duration: () => 1000, jobs: 300, slots: 50})
    assert.ok(schedule.aimMs! >= 900 && schedule.aimMs! <= 1100, `aim after slow jobs: ${schedule.aimMs}`)
    assert.ok(mean(slow.polls.slice(150)) <= 2, `polls per slow job: ${mean(slow.polls.slice(150))}`)
    const fast = playBatch(schedule, clock, {duration: () => 100, jobs: 600, slots: 50})
    assert.ok(schedule.aimMs! <= 130, `aim after fast jobs again: ${schedule.aimMs}`)
    assert.ok(mean(fast.lags.slice(400)) <= 15, `lag once fast again: ${mean(fast.lags.slice(400))}`)
  })

  it('never waits outside [min, max] (property)', () => {
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

  it('lags any job by at most a quarter of its duration once past twice the aim, or the max wait (property)', () => {
    fc.assert(
      fc.property(fc.integer({max: 10_000, min: 1}), fc.integer({max: 100_000, min: 1}), (aim, duration) => {
        const clock = {now: 0}
        const s = new AdaptivePollSchedule({initialMs: 50, maxMs: 5000, minMs: 5})
        s.record(aim)
        const stats = playBatch(s, clock, {duration: () => duration, jobs: 1, slots: 1})
        const bound = Math.max(aim - duration, 5, Math.min(5000, duration * 0.25))
        assert.ok(
          stats.lags[0] <= bound + 1e-6,
          `lag ${stats.lags[0]} for ${duration} (aim ${aim}), bound ${bound}`,
        )
      }),
    )
  })
})
