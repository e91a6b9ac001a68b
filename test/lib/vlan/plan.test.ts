import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  type AllocatedVlan,
  type DedicatedVlanRange,
  describeConflict,
  describeOwner,
  planVlanRangeAdd,
  planVlanRangeRemove,
} from '../../../src/lib/vlan/plan.js'
import {
  normalizeRanges,
  parseServerVlanString,
  vlanRange as r,
  rangesContain,
} from '../../../src/lib/vlan/range-rules.js'

const acme = {account: 'acme', domain: 'ROOT'}
const web = {project: 'web'}

const arbRanges = fc.array(
  fc
    .tuple(fc.integer({max: 199, min: 0}), fc.integer({max: 15, min: 0}))
    .map(([start, length]) => r(start, Math.min(199, start + length))),
  {maxLength: 6},
)

describe('planVlanRangeAdd', () => {
  it('merges a non-contiguous range with the existing ones and sends the whole set', () => {
    const plan = planVlanRangeAdd([r(500, 1000)], [r(1200, 1300), r(1400)])
    assert.deepEqual(plan.after, [r(500, 1000), r(1200, 1300), r(1400)])
    assert.deepEqual(plan.changed, [r(1200, 1300), r(1400)])
    assert.equal(plan.vlanParameter, '500-1000,1200-1300,1400-1400')
  })

  it('merges overlapping and adjacent ranges', () => {
    const plan = planVlanRangeAdd([r(500, 599), r(700, 799)], [r(590, 650), r(651, 699)])
    assert.equal(plan.vlanParameter, '500-799')
    assert.deepEqual(plan.changed, [r(600, 699)])
    assert.deepEqual(plan.unchanged, [r(590, 599)])
  })

  it('needs no call when every requested VLAN is already there', () => {
    const plan = planVlanRangeAdd([r(500, 1000)], [r(600, 610), r(1000)])
    assert.equal(plan.vlanParameter, undefined)
    assert.deepEqual(plan.changed, [])
    assert.deepEqual(plan.after, plan.before)
  })

  it('adds to a physical network without ranges', () => {
    assert.equal(planVlanRangeAdd([], [r(600, 799)]).vlanParameter, '600-799')
  })

  it('property: the result covers before and requested, and only them; the string sent parses to it', () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (current, requested) => {
        const plan = planVlanRangeAdd(current, requested)
        for (let v = 0; v < 200; v++) {
          assert.equal(rangesContain(plan.after, v), rangesContain(current, v) || rangesContain(requested, v))
        }

        if (plan.vlanParameter === undefined) assert.deepEqual(plan.after, normalizeRanges(current))
        else assert.deepEqual(parseServerVlanString(plan.vlanParameter), plan.after)
      }),
    )
  })

  it('property: idempotent — adding the same ranges twice needs no second call', () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (current, requested) => {
        const first = planVlanRangeAdd(current, requested)
        assert.equal(planVlanRangeAdd(first.after, requested).vlanParameter, undefined)
      }),
    )
  })

  it('property: the order of the requested ranges does not matter', () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (current, requested) => {
        const reversed = planVlanRangeAdd(current, [...requested].reverse())
        assert.deepEqual(reversed, planVlanRangeAdd(current, requested))
      }),
    )
  })
})

describe('planVlanRangeRemove', () => {
  it('splits a range when its middle is removed', () => {
    const plan = planVlanRangeRemove([r(500, 1000)], [r(600, 699)], [], [])
    assert.equal(plan.vlanParameter, '500-599,700-1000')
    assert.deepEqual(plan.changed, [r(600, 699)])
    assert.deepEqual(plan.conflicts, [])
  })

  it('removes only what is configured, and needs no call when nothing is', () => {
    const partial = planVlanRangeRemove([r(500, 1000)], [r(950, 1100)], [], [])
    assert.equal(partial.vlanParameter, '500-949')
    assert.deepEqual(partial.unchanged, [r(1001, 1100)])
    const none = planVlanRangeRemove([r(500, 1000)], [r(2000, 2100)], [], [])
    assert.equal(none.vlanParameter, undefined)
  })

  it('sends the empty string to remove every range', () => {
    assert.equal(planVlanRangeRemove([r(500, 599)], [r(0, 4095)], [], []).vlanParameter, '')
  })

  it('refuses when a VLAN in the removal is allocated, naming which and to whom', () => {
    const allocated: AllocatedVlan[] = [
      {networks: ['acme-net'], owner: acme, vlan: 612},
      {networks: ['acme-2'], owner: acme, vlan: 613},
      {owner: web, vlan: 640},
      {owner: acme, vlan: 900},
    ]
    const plan = planVlanRangeRemove([r(500, 1000)], [r(600, 699)], allocated, [])
    assert.equal(plan.vlanParameter, undefined)
    assert.deepEqual(
      plan.conflicts.map((c) => describeConflict(c)),
      [
        'VLANs 612-613 are allocated to account acme (domain ROOT) (network acme-2, acme-net)',
        'VLAN 640 is allocated to project web',
      ],
    )
  })

  it('refuses when the removal overlaps a dedicated range, naming its owner and id', () => {
    const dedicated: DedicatedVlanRange[] = [
      {id: 'd-1', owner: acme, range: r(800, 849)},
      {id: 'd-2', owner: web, range: r(900, 999)},
    ]
    const plan = planVlanRangeRemove([r(500, 1000)], [r(840, 860)], [], dedicated)
    assert.equal(plan.vlanParameter, undefined)
    assert.deepEqual(
      plan.conflicts.map((c) => describeConflict(c)),
      ['VLANs 840-849 are dedicated to account acme (domain ROOT) (dedicated range 800-849, id d-1)'],
    )
  })

  it('refuses a removal that swallows a whole dedicated range (the server does not)', () => {
    const plan = planVlanRangeRemove(
      [r(500, 1000)],
      [r(850, 1000)],
      [],
      [{id: 'd-2', owner: web, range: r(900, 949)}],
    )
    assert.equal(plan.conflicts.length, 1)
    assert.deepEqual(plan.conflicts[0].vlans, [r(900, 949)])
  })

  it('ignores allocated and dedicated VLANs outside the removal', () => {
    const plan = planVlanRangeRemove(
      [r(500, 1000)],
      [r(950, 1000)],
      [{owner: acme, vlan: 612}],
      [{id: 'd-1', owner: web, range: r(900, 949)}],
    )
    assert.deepEqual(plan.conflicts, [])
    assert.equal(plan.vlanParameter, '500-949')
  })

  it('property: the result holds exactly the current VLANs not requested, unless refused', () => {
    const arbAllocated = fc.array(fc.integer({max: 199, min: 0}), {maxLength: 4})
    fc.assert(
      fc.property(arbRanges, arbRanges, arbAllocated, (current, requested, taken) => {
        const allocated = taken.map((vlan) => ({owner: acme, vlan}))
        const plan = planVlanRangeRemove(current, requested, allocated, [])
        for (let v = 0; v < 200; v++) {
          assert.equal(
            rangesContain(plan.after, v),
            rangesContain(current, v) && !rangesContain(requested, v),
          )
        }

        const blocked = taken.some((v) => rangesContain(current, v) && rangesContain(requested, v))
        assert.equal(plan.conflicts.length > 0, blocked)
        if (blocked) assert.equal(plan.vlanParameter, undefined)
        else if (plan.vlanParameter !== undefined)
          assert.deepEqual(parseServerVlanString(plan.vlanParameter), plan.after)
      }),
    )
  })

  it('property: removing what was just added restores the original ranges', () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (current, requested) => {
        const added = planVlanRangeAdd(current, requested)
        const removed = planVlanRangeRemove(added.after, added.changed, [], [])
        assert.deepEqual(removed.after, normalizeRanges(current))
      }),
    )
  })
})

describe('describeOwner', () => {
  it('names projects, accounts with their domain, or says unknown', () => {
    assert.equal(describeOwner(web), 'project web')
    assert.equal(describeOwner(acme), 'account acme (domain ROOT)')
    assert.equal(describeOwner({account: 'acme'}), 'account acme')
    assert.equal(describeOwner({}), 'an unknown owner')
  })
})
