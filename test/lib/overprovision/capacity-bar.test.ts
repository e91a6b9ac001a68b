import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {capacityBar} from '../../../src/lib/overprovision/capacity-bar.js'

describe('capacity bars', () => {
  it('draws used, allocated and free cells with the 75 % and 85 % marks (ASCII)', () => {
    assert.equal(
      capacityBar({allocated: 65, total: 100, used: 45}, {unicode: false}),
      '[#########++++..|..|...]',
    )
    assert.equal(capacityBar({total: 100, used: 0}, {unicode: false}), '[...............|..|...]')
    assert.equal(capacityBar({total: 100, used: 100}, {unicode: false}), '[###############|##|###]')
  })

  it('marks more than the total, and draws nothing without a total', () => {
    assert.equal(
      capacityBar({allocated: 130, total: 100, used: 90}, {unicode: false}),
      '[###############|##|#++]>',
    )
    assert.equal(capacityBar({total: 0, used: 5}, {unicode: false}), '')
  })

  it('uses blocks at a terminal and paints the used cells by level', () => {
    const seen: string[] = []
    const paint = {
      dim: (t: string) => t,
      level(level: string, t: string) {
        seen.push(level)
        return t
      },
    }
    assert.equal(capacityBar({total: 100, used: 50}, {unicode: true, width: 10}), '[█████░░░│░│░]')
    capacityBar({total: 100, used: 80}, {paint, unicode: true, width: 10})
    capacityBar({total: 100, used: 90}, {paint, unicode: true, width: 10})
    capacityBar({allocated: 60, total: 100, used: 10}, {paint, unicode: true, width: 10})
    assert.deepEqual([...new Set(seen)], ['warning', 'critical', 'normal'])
  })
})
