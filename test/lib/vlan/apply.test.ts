import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {FoundJob} from '../../../src/lib/api/pending-jobs.js'

import {checkIntent, remerge, removedByOthers, vlanIntent} from '../../../src/lib/vlan/apply.js'
import {
  formatServerVlanString,
  parseServerVlanString,
  type VlanRange,
} from '../../../src/lib/vlan/range-rules.js'

/* The pure rules of the read-verify loop of vlan range add/remove. */

const r = (text: string): VlanRange[] => parseServerVlanString(text)
const s = (ranges: readonly VlanRange[]): string => formatServerVlanString(ranges)

const PN = {id: 'pn-1', name: 'guest-1'}

function job(jobid: string, vlan: string, opts: {id?: string; status?: number} = {}): FoundJob {
  return {
    job: {
      jobid,
      jobresult: {physicalnetwork: {id: opts.id ?? PN.id, vlan}},
      jobstatus: opts.status ?? 1,
    },
    named: false,
  }
}

describe('vlan apply rules', () => {
  it('an add must keep what was there and hold what it added; a remove must keep the rest and lose what it removed', () => {
    const add = vlanIntent({action: 'add', before: r('600-799'), requested: r('1200-1209')})
    assert.deepEqual([s(add.present), s(add.absent)], ['600-799,1200-1209', ''])
    const remove = vlanIntent({action: 'remove', before: r('600-799'), requested: r('780-799')})
    assert.deepEqual([s(remove.present), s(remove.absent)], ['600-779', '780-799'])
  })

  it('re-merges into what the network holds now, keeping the other run’s change', () => {
    const add = vlanIntent({action: 'add', before: r('600-799'), requested: r('1200-1209')})
    // The other run's write (from the same read) landed last: 1200-1209 is gone, 1300-1309 came.
    const now = r('600-799,1300-1309')
    assert.deepEqual(s(checkIntent(now, add).missing), '1200-1209')
    assert.equal(s(remerge(now, add)), '600-799,1200-1209,1300-1309')
    assert.deepEqual(checkIntent(remerge(now, add), add), {missing: [], unwanted: []})
  })

  it('a remove undone by a concurrent write is removed again', () => {
    const remove = vlanIntent({action: 'remove', before: r('600-799'), requested: r('780-799')})
    const now = r('600-799,1200-1209')
    assert.equal(s(checkIntent(now, remove).unwanted), '780-799')
    assert.equal(s(remerge(now, remove)), '600-779,1200-1209')
  })

  it('VLANs another run removed on purpose are those its successful write left out of what both had', () => {
    const before = r('600-799')
    const known = new Set(['old'])
    const jobs = [
      job('old', '600-699'), // seen before this run read: not concurrent
      job('other', '600-779'), // removed 780-799 on purpose
      job('stale', '600-799,1300-1309'), // wrote from the same read: removed nothing
      job('failed', '600-609', {status: 2}),
      job('elsewhere', '1-2', {id: 'pn-2'}),
    ]
    assert.equal(s(removedByOthers(before, jobs, known, PN)), '780-799')
  })

  it('a re-merge always meets the intent (any current set, any request)', () => {
    const ranges = fc
      .array(fc.tuple(fc.integer({max: 4000, min: 0}), fc.integer({max: 95, min: 0})), {maxLength: 6})
      .map((pairs) => s(pairs.map(([start, length]) => ({end: start + length, start}))))
    fc.assert(
      fc.property(ranges, ranges, ranges, fc.boolean(), (before, requested, current, adding) => {
        const intent = vlanIntent({
          action: adding ? 'add' : 'remove',
          before: r(before),
          requested: r(requested),
        })
        assert.deepEqual(checkIntent(remerge(r(current), intent), intent), {missing: [], unwanted: []})
      }),
    )
  })
})
