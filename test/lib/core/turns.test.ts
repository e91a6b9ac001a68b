import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {turns} from '../../../src/lib/core/sleep.js'

describe('turns(): one turn of the event loop per call', () => {
  it('resolves the calls in their order, each on a turn of its own', async () => {
    const nextTurn = turns()
    const order: string[] = []
    // What the first resolved call sets off (a socket's connect and write are alike) runs before
    // the second call resolves: calls made together do not resolve together.
    const first = nextTurn().then(() => {
      order.push('first')
      setImmediate(() => order.push('what the first set off'))
    })
    const second = nextTurn().then(() => order.push('second'))
    const third = nextTurn().then(() => order.push('third'))
    await Promise.all([first, second, third])
    assert.deepEqual(order, ['first', 'what the first set off', 'second', 'third'])
  })

  it('starts a later caller at once when the earlier turns are taken', async () => {
    const nextTurn = turns()
    await nextTurn()
    let resolved = false
    const turn = nextTurn().then(() => {
      resolved = true
    })
    assert.equal(resolved, false, 'a turn is never the current one')
    await turn
    assert.equal(resolved, true)
  })
})
