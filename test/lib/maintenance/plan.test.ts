import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  describePlan,
  drainOrderByCluster,
  planMaintenance,
  type PlannedHost,
  quoteArg,
  resumeCommand,
} from '../../../src/lib/maintenance/plan.js'

const h = (id: string, cluster: string): PlannedHost => ({
  clusterId: cluster,
  clusterName: `cl-${cluster}`,
  hypervisor: 'KVM',
  id,
  name: `host-${id}`,
})

describe('planMaintenance', () => {
  it('keeps the operator order and drops repeats', () => {
    const plan = planMaintenance([h('1', 'a'), h('2', 'b'), h('1', 'a'), h('3', 'a')])
    assert.deepEqual(
      plan.steps.map((s) => s.id),
      ['1', '2', '3'],
    )
    assert.deepEqual(plan.repeated, ['host-1'])
    assert.deepEqual(describePlan(plan), [
      '1/3 host-1 (cluster cl-a)',
      '2/3 host-2 (cluster cl-b)',
      '3/3 host-3 (cluster cl-a)',
    ])
  })

  it('groups the drain order per cluster', () => {
    const plan = planMaintenance([h('1', 'a'), h('2', 'b'), h('3', 'a')])
    assert.deepEqual(Object.fromEntries(drainOrderByCluster(plan)), {a: ['1', '3'], b: ['2']})
  })

  it('drains every named host exactly once, one at a time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({max: 9, min: 0}), fc.constantFrom('a', 'b', 'c'))),
        (pairs) => {
          const hosts = pairs.map(([id]) => h(String(id), String.fromCodePoint(97 + (id % 3))))
          const plan = planMaintenance(hosts)
          const ids = plan.steps.map((s) => s.id)
          assert.equal(new Set(ids).size, ids.length)
          assert.deepEqual(new Set(ids), new Set(hosts.map((x) => x.id)))
          assert.equal(ids.length + plan.repeated.length, hosts.length)
          const perCluster = [...drainOrderByCluster(plan).values()].flat()
          assert.equal(perCluster.length, ids.length)
        },
      ),
    )
  })
})

describe('resumeCommand', () => {
  it('names the current and remaining hosts, quoted for a shell', () => {
    const plan = planMaintenance([h('1', 'a'), {...h('2', 'a'), name: "odd name's"}, h('3', 'b')])
    assert.equal(resumeCommand(plan, 1), String.raw`moldctl host maintenance enter 'odd name'\''s' host-3`)
    assert.equal(quoteArg('10.0.0.5'), '10.0.0.5')
  })
})
