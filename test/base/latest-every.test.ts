import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {latestEvery} from '../../src/base/print.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('latestEvery (drawing rows ahead)', () => {
  it('runs only the latest work given within the pause, after the pause', async () => {
    const ran: string[] = []
    const schedule = latestEvery(30)
    for (const name of ['a', 'b', 'c']) {
      schedule(async () => {
        ran.push(name)
      })
    }

    assert.deepEqual(ran, [], 'nothing runs at once')
    await sleep(80)
    assert.deepEqual(ran, ['c'])
  })

  it('runs one at a time: work given while one runs waits for it and the pause, and a failure stops nothing', async () => {
    const events: string[] = []
    let release!: () => void
    const schedule = latestEvery(10)
    schedule(async () => {
      events.push('first started')
      await new Promise<void>((resolve) => {
        release = resolve
      })
      events.push('first ended')
      throw new Error('drawing ahead failed')
    })
    await sleep(40)
    schedule(async () => {
      events.push('second')
    })
    await sleep(40)
    assert.deepEqual(events, ['first started'], 'the second waits while the first runs')
    release()
    await sleep(60)
    assert.deepEqual(events, ['first started', 'first ended', 'second'])
  })
})
