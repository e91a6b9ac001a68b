import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/lib/core/errors.js'
import {
  assertWithinBounds,
  checkVlanRangeToken,
  countVlans,
  describeVlans,
  differenceRanges,
  formatRanges,
  formatServerVlanString,
  GRE_BOUNDS,
  intersectRanges,
  LARGEST_PARSEABLE_VNET,
  normalizeRanges,
  parseCliVlanRanges,
  parseServerVlanString,
  rangesContain,
  rangesCover,
  rangesEqual,
  rangesFromVlans,
  rangesOverlap,
  unionRanges,
  VLAN_BOUNDS,
  vlanRange,
  type VlanRange,
  vlansWithin,
  vnetBoundsFor,
  VXLAN_BOUNDS,
} from '../../../src/lib/vlan/range-rules.js'

const r = vlanRange

// Ranges over a small universe, so membership can be checked VLAN by VLAN.
const UNIVERSE = 120
const arbRange = fc
  .tuple(fc.integer({max: UNIVERSE - 1, min: 0}), fc.integer({max: 12, min: 0}))
  .map(([start, length]) => r(start, Math.min(UNIVERSE - 1, start + length)))
const arbRanges = fc.array(arbRange, {maxLength: 8})

function members(ranges: readonly VlanRange[]): Set<number> {
  const set = new Set<number>()
  for (const {end, start} of ranges) for (let v = start; v <= end; v++) set.add(v)
  return set
}

function isNormalized(ranges: readonly VlanRange[]): boolean {
  return ranges.every(
    (range, i) => range.start <= range.end && (i === 0 || range.start > ranges[i - 1].end + 1),
  )
}

describe('normalizeRanges', () => {
  it('sorts, and merges overlapping and adjacent ranges', () => {
    assert.deepEqual(normalizeRanges([r(700), r(500, 599), r(600, 650), r(640, 660), r(900, 910)]), [
      r(500, 660),
      r(700),
      r(900, 910),
    ])
  })

  it('keeps ranges separated by a gap apart', () => {
    assert.deepEqual(normalizeRanges([r(10, 20), r(22, 30)]), [r(10, 20), r(22, 30)])
  })

  it('swallows contained ranges', () => {
    assert.deepEqual(normalizeRanges([r(10, 100), r(20, 30), r(100)]), [r(10, 100)])
  })

  it('property: the result is normalized and holds exactly the same VLANs', () => {
    fc.assert(
      fc.property(arbRanges, (ranges) => {
        const normalized = normalizeRanges(ranges)
        assert.ok(isNormalized(normalized))
        assert.deepEqual(members(normalized), members(ranges))
      }),
    )
  })

  it('property: idempotent', () => {
    fc.assert(
      fc.property(arbRanges, (ranges) => {
        const once = normalizeRanges(ranges)
        assert.deepEqual(normalizeRanges(once), once)
      }),
    )
  })

  it('property: independent of input order', () => {
    fc.assert(
      fc.property(
        arbRanges.chain((ranges) =>
          fc.tuple(fc.constant(ranges), fc.shuffledSubarray(ranges, {minLength: ranges.length})),
        ),
        ([ranges, shuffled]) => {
          assert.deepEqual(normalizeRanges(shuffled), normalizeRanges(ranges))
        },
      ),
    )
  })
})

describe('union', () => {
  it('merges with the existing ranges', () => {
    assert.deepEqual(unionRanges([r(500, 1000)], [r(1200, 1300), r(1001, 1010)]), [
      r(500, 1010),
      r(1200, 1300),
    ])
  })

  it('property: v in A∪B ⇔ v in A or v in B', () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (a, b) => {
        const union = unionRanges(a, b)
        for (let v = 0; v < UNIVERSE; v++) {
          assert.equal(rangesContain(union, v), rangesContain(a, v) || rangesContain(b, v))
        }
      }),
    )
  })

  it('property: commutative, associative, idempotent, with ∅ as identity', () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, arbRanges, (a, b, c) => {
        assert.deepEqual(unionRanges(a, b), unionRanges(b, a))
        assert.deepEqual(unionRanges(unionRanges(a, b), c), unionRanges(a, unionRanges(b, c)))
        assert.deepEqual(unionRanges(a, a), normalizeRanges(a))
        assert.deepEqual(unionRanges(a, []), normalizeRanges(a))
      }),
    )
  })

  it('property: |A∪B| = |A| + |B| - |A∩B|', () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (a, b) => {
        assert.equal(
          countVlans(unionRanges(a, b)),
          countVlans(a) + countVlans(b) - countVlans(intersectRanges(a, b)),
        )
      }),
    )
  })
})

describe('difference', () => {
  it('splits a range when its middle is removed', () => {
    assert.deepEqual(differenceRanges([r(500, 1000)], [r(600, 699)]), [r(500, 599), r(700, 1000)])
  })

  it('trims ends and drops whole ranges', () => {
    assert.deepEqual(differenceRanges([r(500, 599), r(700), r(800, 899)], [r(590, 700), r(850, 2000)]), [
      r(500, 589),
      r(800, 849),
    ])
  })

  it('removes nothing when the cut misses', () => {
    assert.deepEqual(differenceRanges([r(500, 599)], [r(100, 499), r(600, 700)]), [r(500, 599)])
  })

  it(String.raw`property: v in A\B ⇔ v in A and v not in B; the result is normalized`, () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (a, b) => {
        const diff = differenceRanges(a, b)
        assert.ok(isNormalized(diff))
        for (let v = 0; v < UNIVERSE; v++) {
          assert.equal(rangesContain(diff, v), rangesContain(a, v) && !rangesContain(b, v))
        }
      }),
    )
  })

  it(String.raw`property: (A\B) ∪ (A∩B) = A, (A\B) ∩ B = ∅, A\A = ∅, A\∅ = A`, () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (a, b) => {
        assert.deepEqual(unionRanges(differenceRanges(a, b), intersectRanges(a, b)), normalizeRanges(a))
        assert.deepEqual(intersectRanges(differenceRanges(a, b), b), [])
        assert.deepEqual(differenceRanges(a, a), [])
        assert.deepEqual(differenceRanges(a, []), normalizeRanges(a))
      }),
    )
  })

  it('property: adding then removing what was added gives back the original', () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (a, b) => {
        const added = differenceRanges(b, a)
        assert.deepEqual(differenceRanges(unionRanges(a, added), added), normalizeRanges(a))
      }),
    )
  })
})

describe('intersection, cover, overlap, count', () => {
  it('intersects', () => {
    assert.deepEqual(intersectRanges([r(500, 1000)], [r(400, 510), r(700), r(990, 1100)]), [
      r(500, 510),
      r(700),
      r(990, 1000),
    ])
  })

  it('property: v in A∩B ⇔ v in A and v in B', () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (a, b) => {
        const both = intersectRanges(a, b)
        assert.deepEqual(both, intersectRanges(b, a))
        for (let v = 0; v < UNIVERSE; v++) {
          assert.equal(rangesContain(both, v), rangesContain(a, v) && rangesContain(b, v))
        }
      }),
    )
  })

  it('cover and overlap', () => {
    assert.equal(rangesCover([r(500, 599), r(600, 700)], [r(550, 650)]), true)
    assert.equal(rangesCover([r(500, 599), r(601, 700)], [r(550, 650)]), false)
    assert.equal(rangesOverlap([r(500, 599)], [r(599, 650)]), true)
    assert.equal(rangesOverlap([r(500, 599)], [r(600, 650)]), false)
  })

  it(String.raw`property: A covers B ⇔ B\A = ∅ ⇔ A∪B = A`, () => {
    fc.assert(
      fc.property(arbRanges, arbRanges, (a, b) => {
        const covers = rangesCover(a, b)
        assert.equal(
          covers,
          [...members(b)].every((v) => members(a).has(v)),
        )
        assert.equal(covers, rangesEqual(unionRanges(a, b), a))
      }),
    )
  })

  it('counts VLANs once even when ranges overlap', () => {
    assert.equal(countVlans([r(500, 599), r(550, 649), r(700)]), 151)
    assert.equal(countVlans([]), 0)
    assert.equal(countVlans([r(0, 4095)]), 4096)
  })

  it('compresses individual VLANs and filters them by ranges', () => {
    assert.deepEqual(rangesFromVlans([612, 600, 601, 602, 612, 700]), [r(600, 602), r(612), r(700)])
    assert.deepEqual(vlansWithin([612, 600, 1200, 612, 499], [r(500, 1000)]), [600, 612])
  })
})

describe('server vlan string', () => {
  it('formats like generateVnetString: sorted, merged, single VLANs as N-N', () => {
    assert.equal(
      formatServerVlanString([r(1200, 1300), r(700), r(500, 599), r(600, 650)]),
      '500-650,700-700,1200-1300',
    )
    assert.equal(formatServerVlanString([]), '')
  })

  it('parses what the server returns, absent or empty meaning none', () => {
    assert.deepEqual(parseServerVlanString('500-1000,1200-1300'), [r(500, 1000), r(1200, 1300)])
    assert.deepEqual(parseServerVlanString('700-700'), [r(700)])
    assert.deepEqual(parseServerVlanString(), [])
    assert.deepEqual(parseServerVlanString(''), [])
  })

  it('refuses a malformed server string loudly', () => {
    assert.throws(() => parseServerVlanString('500-1000;x'), /unexpected vlan string/)
  })

  it('property: parse(format(ranges)) = normalize(ranges), and format(parse(s)) = s for server strings', () => {
    fc.assert(
      fc.property(arbRanges, (ranges) => {
        const text = formatServerVlanString(ranges)
        assert.deepEqual(parseServerVlanString(text), normalizeRanges(ranges))
        assert.equal(formatServerVlanString(parseServerVlanString(text)), text)
      }),
    )
  })
})

describe('CLI ranges', () => {
  it('accepts start-end, a single VLAN, and comma lists', () => {
    assert.deepEqual(parseCliVlanRanges(['500-599', '700', '800-899,900', ' 950 ']), [
      r(500, 599),
      r(700),
      r(800, 899),
      r(900),
      r(950),
    ])
  })

  it('accepts the server form too', () => {
    assert.deepEqual(parseCliVlanRanges(['500-599,700-700']), [r(500, 599), r(700)])
  })

  it('property: formatted ranges parse back to the same set', () => {
    fc.assert(
      fc.property(arbRanges, (ranges) => {
        const args = formatRanges(ranges).split(',').filter(Boolean)
        if (args.length === 0) return
        assert.deepEqual(normalizeRanges(parseCliVlanRanges(args, VLAN_BOUNDS)), normalizeRanges(ranges))
      }),
    )
  })

  for (const bad of ['abc', '500-', '-5', '5--6', '1.5', '500-600-700', '0x10', '', '500 - 600', '+7']) {
    it(`refuses malformed input ${JSON.stringify(bad)} with the syntax explained`, () => {
      assert.throws(
        () => parseCliVlanRanges([bad]),
        (error: unknown) =>
          error instanceof UsageError &&
          error.exitCode === 2 &&
          error.message.includes(
            'is not a VLAN range: write START-END (e.g. 500-599) or a single VLAN (e.g. 700)',
          ),
      )
    })
  }

  it('refuses a reversed range', () => {
    assert.throws(() => parseCliVlanRanges(['600-500']), /VLAN range 600-500 is reversed/)
  })

  it('refuses out-of-bounds VLANs for the isolation method', () => {
    assert.throws(
      () => parseCliVlanRanges(['4000-4096'], VLAN_BOUNDS),
      /4000-4096 is out of bounds: VLAN isolation allows 0-4095/,
    )
    assert.deepEqual(parseCliVlanRanges(['0', '4095']), [r(0), r(4095)])
    assert.deepEqual(parseCliVlanRanges(['5000-6000'], VXLAN_BOUNDS), [r(5000, 6000)])
    assert.throws(() => parseCliVlanRanges(['16777215'], VXLAN_BOUNDS), /VXLAN isolation allows 0-16777214/)
  })

  it('refuses what the server could not even parse, whatever the bounds', () => {
    assert.equal(checkVlanRangeToken(String(LARGEST_PARSEABLE_VNET)).range?.end, LARGEST_PARSEABLE_VNET)
    assert.match(checkVlanRangeToken('99999999999').problem?.message ?? '', /out of bounds/)
    assert.match(checkVlanRangeToken('3000000000', GRE_BOUNDS).problem?.message ?? '', /out of bounds/)
  })

  it('names every bad range at once', () => {
    assert.throws(
      () => parseCliVlanRanges(['x', '600-500', '700']),
      /"x" is not a VLAN range.*; VLAN range 600-500 is reversed/,
    )
  })

  it('needs at least one range', () => {
    assert.throws(() => parseCliVlanRanges([]), UsageError)
  })

  it('checks parsed ranges against a physical network', () => {
    assert.doesNotThrow(() => assertWithinBounds([r(1, 4095)], VLAN_BOUNDS, 'physical network pn'))
    assert.throws(
      () => assertWithinBounds([r(1, 10), r(4000, 5000)], VLAN_BOUNDS, 'physical network pn'),
      /VLAN range 4000-5000 is out of bounds for physical network pn: VLAN isolation allows 0-4095/,
    )
  })
})

describe('bounds by isolation method', () => {
  it('follows the server: GRE first, then VXLAN or Netris, else VLAN', () => {
    assert.equal(vnetBoundsFor('VLAN'), VLAN_BOUNDS)
    assert.equal(vnetBoundsFor(), VLAN_BOUNDS)
    assert.equal(vnetBoundsFor(''), VLAN_BOUNDS)
    assert.equal(vnetBoundsFor('VXLAN'), VXLAN_BOUNDS)
    assert.equal(vnetBoundsFor(['VLAN', 'Netris']), VXLAN_BOUNDS)
    assert.equal(vnetBoundsFor('VXLAN, GRE'), GRE_BOUNDS)
    assert.deepEqual([VLAN_BOUNDS.max, VXLAN_BOUNDS.max, GRE_BOUNDS.max], [4095, 16_777_214, 4_294_967_295])
  })
})

describe('describeVlans', () => {
  it('says VLAN or VLANs', () => {
    assert.equal(describeVlans([r(612)]), 'VLAN 612')
    assert.equal(describeVlans([r(612), r(600, 602)]), 'VLANs 600-602,612')
  })
})
