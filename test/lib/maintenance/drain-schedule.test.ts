import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {DrainSchedule} from '../../../src/lib/maintenance/drain-schedule.js'

/**
 * Simulates looks at a drain whose VMs leave at the given times (ms); returns the look times
 * until the one that saw no VM left.
 */
function looks(leaveAt: number[]): number[] {
  const schedule = new DrainSchedule({firstMs: 2000, maxMs: 15_000, stepMs: 1000})
  const seen: number[] = []
  let now = 0
  for (let i = 0; i < 1000; i++) {
    const left = leaveAt.filter((t) => t > now).length
    schedule.observe(now, left)
    seen.push(now)
    if (left === 0) return seen
    now += schedule.nextPause(now)
  }

  throw new Error('the schedule never reached the end')
}

describe('DrainSchedule', () => {
  it('sees the end of a 60 s drain of three 20 s migrations within 2 s, in few looks', () => {
    const seen = looks([20_000, 40_000, 60_000])
    const last = seen.at(-1)!
    assert.ok(last >= 60_000 && last <= 62_000, `last look at ${last} ms`)
    assert.ok(seen.length <= 14, `${seen.length} looks: ${seen.join(', ')}`)
  })

  it('never looks again sooner than the step, nor later than the ceiling', () => {
    for (const leaveAt of [
      [1000, 2000, 3000, 30_000],
      [50_000, 51_000, 52_000],
      [5000, 200_000],
    ]) {
      const seen = looks(leaveAt)
      const pauses = seen.slice(1).map((t, i) => t - seen[i])
      assert.ok(
        pauses.every((p) => p >= 1000 && p <= 15_000),
        `pauses ${pauses.join(', ')}`,
      )
      const last = seen.at(-1)!
      assert.ok(last - Math.max(...leaveAt) <= Math.max(1000, last * 0.02) + 15_000)
    }
  })

  it('follows a drain that slows down in a few looks, seeing the end within a quarter of the delay', () => {
    const seen = looks([10_000, 20_000, 90_000])
    const last = seen.at(-1)!
    // The end was expected at about 30 s; it came 60 s later.
    assert.ok(last >= 90_000 && last <= 90_000 + 15_000, `last look at ${last} ms`)
    assert.ok(seen.length <= 25, `${seen.length} looks: ${seen.join(', ')}`)
  })

  it('grows its pauses by half until a VM has left, from the first pause up to the ceiling', () => {
    const schedule = new DrainSchedule({firstMs: 2000, maxMs: 15_000, stepMs: 1000})
    const pauses: number[] = []
    let now = 0
    for (let i = 0; i < 7; i++) {
      schedule.observe(now, 3)
      const pause = schedule.nextPause(now)
      pauses.push(pause)
      now += pause
    }

    assert.deepEqual(pauses, [2000, 3000, 4500, 6750, 10_125, 15_000, 15_000])
    assert.equal(schedule.expectedEndMs, undefined)
  })

  it('expects the end at the pace of the migrations seen so far', () => {
    const schedule = new DrainSchedule({firstMs: 2000, maxMs: 15_000, stepMs: 1000})
    schedule.observe(0, 4)
    schedule.observe(9000, 4)
    schedule.observe(11_000, 3)
    // One of four gone between 9 and 11 s: the drain ends between 36 and 44 s.
    assert.equal(schedule.expectedEndMs, 40_000)
    // The next VM is expected to leave at half of that.
    assert.equal(schedule.nextPause(11_000), 9000)
  })
})
