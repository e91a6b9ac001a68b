import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  applyFactor,
  CAPACITY_TYPES,
  capacityFigures,
  capacityTypeByCode,
  capacityTypeFromInput,
  formatCapacityValue,
  formatCpu,
  formatFactor,
  formatMemory,
  formatPercent,
  GiB,
  MiB,
  sumFigures,
  usageLevel,
} from '../../../src/lib/overprovision/capacity-rules.js'

describe('the admin guide example', () => {
  // "Capacity = 2 GB, overprovisioning factor = 2, capacity after overprovisioning = 4 GB.
  //  With this configuration, suppose you deploy 3 VMs of 1 GB each: Used = 3 GB, Free = 1 GB."
  const figures = capacityFigures({allocated: 3 * GiB, factor: 2, physical: 2 * GiB})

  it('2 GB with factor 2 is 4 GB', () => {
    assert.equal(figures.withOverprovisioning, 4 * GiB)
    assert.equal(formatMemory(figures.physical), '2 GB')
    assert.equal(formatMemory(figures.withOverprovisioning), '4 GB')
  })

  it('three 1 GB VMs use 3 GB and leave 1 GB', () => {
    assert.equal(formatMemory(figures.allocated), '3 GB')
    assert.equal(figures.free, GiB)
    assert.equal(formatMemory(figures.free), '1 GB')
    assert.equal(figures.allocatedPercent, 75)
  })

  it('factor 1 means no overprovisioning', () => {
    assert.equal(capacityFigures({allocated: 0, factor: 1, physical: 2 * GiB}).withOverprovisioning, 2 * GiB)
  })
})

describe('applyFactor', () => {
  it('truncates to whole units like the server', () => {
    assert.equal(applyFactor(32_000, 1.5), 48_000)
    assert.equal(applyFactor(1001, 0.5), 500)
  })

  it('does not lose a unit to binary noise', () => {
    assert.equal(applyFactor(100, 1.15), 115)
    assert.equal(applyFactor(3, 1.1), 3)
  })

  it('never goes below physical for factors ≥ 1 and is monotonic in the factor', () => {
    fc.assert(
      fc.property(
        fc.integer({max: 2 ** 40, min: 0}),
        fc.double({max: 8, min: 1, noNaN: true}),
        fc.double({max: 8, min: 1, noNaN: true}),
        (physical, f1, f2) => {
          const [lo, hi] = f1 <= f2 ? [f1, f2] : [f2, f1]
          assert.ok(applyFactor(physical, lo) >= physical)
          assert.ok(applyFactor(physical, hi) >= applyFactor(physical, lo))
        },
      ),
    )
  })
})

describe('capacityFigures and sumFigures', () => {
  it('free plus allocated is the overprovisioned capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({max: 2 ** 40, min: 0}),
        fc.integer({max: 2 ** 40, min: 0}),
        fc.double({max: 16, min: 0.1, noNaN: true}),
        (physical, allocated, factor) => {
          const f = capacityFigures({allocated, factor, physical})
          assert.equal(f.free + f.allocated, f.withOverprovisioning)
        },
      ),
    )
  })

  it('shows over-allocation as negative free capacity', () => {
    const f = capacityFigures({allocated: 3 * GiB, factor: 1, physical: 2 * GiB})
    assert.equal(formatMemory(f.free), '-1 GB')
    assert.equal(f.allocatedPercent, 150)
  })

  it('an empty cluster has 0 % allocated, not NaN', () => {
    assert.equal(capacityFigures({allocated: 0, factor: 2, physical: 0}).allocatedPercent, 0)
  })

  it('sums hosts before applying the factor', () => {
    const f = sumFigures(
      [
        {allocated: 1000, physical: 8000},
        {allocated: 500, physical: 8000},
      ],
      2,
    )
    assert.deepEqual(
      [f.physical, f.withOverprovisioning, f.allocated, f.free],
      [16_000, 32_000, 1500, 30_500],
    )
  })
})

describe('formatting', () => {
  it('memory in binary units labelled like the UI', () => {
    assert.equal(formatMemory(8_589_934_592), '8 GB')
    assert.equal(formatMemory(1.5 * GiB), '1.5 GB')
    assert.equal(formatMemory(512 * MiB), '512 MB')
    assert.equal(formatMemory(2048 * GiB), '2 TB')
    assert.equal(formatMemory(100), '100 B')
  })

  it('CPU in GHz from 1000 MHz', () => {
    assert.equal(formatCpu(32_000), '32 GHz')
    assert.equal(formatCpu(2500), '2.5 GHz')
    assert.equal(formatCpu(500), '500 MHz')
    assert.equal(formatCpu(-1500), '-1.5 GHz')
  })

  it('factors as the API writes them', () => {
    assert.equal(formatFactor(1), '1.0')
    assert.equal(formatFactor(2), '2.0')
    assert.equal(formatFactor(1.5), '1.5')
  })

  it('percentages with at most two decimals', () => {
    assert.equal(formatPercent(75), '75%')
    assert.equal(formatPercent(100 / 3), '33.33%')
  })
})

describe('capacity types', () => {
  it('maps the codes of the API to names', () => {
    assert.equal(capacityTypeByCode(0)?.name, 'MEMORY')
    assert.equal(capacityTypeByCode(1)?.name, 'CPU')
    assert.equal(capacityTypeByCode(7)?.name, 'VLAN')
    assert.equal(capacityTypeByCode(90)?.name, 'CPU_CORE')
    assert.equal(capacityTypeByCode(42), undefined)
  })

  it('has unique codes and names', () => {
    assert.equal(new Set(CAPACITY_TYPES.map((t) => t.code)).size, CAPACITY_TYPES.length)
    assert.equal(new Set(CAPACITY_TYPES.map((t) => t.name)).size, CAPACITY_TYPES.length)
  })

  it('accepts a name in any case or a number', () => {
    assert.equal(capacityTypeFromInput('memory')?.code, 0)
    assert.equal(capacityTypeFromInput('cpu-core')?.code, 90)
    assert.equal(capacityTypeFromInput('19')?.name, 'GPU')
    assert.equal(capacityTypeFromInput('disk'), undefined)
  })

  it('prints each unit its own way', () => {
    assert.equal(formatCapacityValue('bytes', 4 * GiB), '4 GB')
    assert.equal(formatCapacityValue('mhz', 4000), '4 GHz')
    assert.equal(formatCapacityValue('count', 12), '12')
  })
})

describe('usageLevel', () => {
  it('follows the default notification (75 %) and disable (85 %) thresholds', () => {
    assert.equal(usageLevel(74.99), 'normal')
    assert.equal(usageLevel(75), 'warning')
    assert.equal(usageLevel(85), 'critical')
    assert.equal(usageLevel(50, {critical: 60, warning: 40}), 'warning')
  })
})
