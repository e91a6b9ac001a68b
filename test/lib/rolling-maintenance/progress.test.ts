import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  applySnapshot,
  liveLines,
  newProgressState,
  nextPollDelay,
} from '../../../src/lib/rolling-maintenance/progress.js'

const snap = (clusterState: string, hostStates: Record<string, string>) => ({
  clusters: [{allocationstate: clusterState, id: 'c1', name: 'kvm-cluster'}],
  hosts: Object.entries(hostStates).map(([name, resourcestate]) => ({
    clusterid: 'c1',
    id: name,
    name,
    resourcestate,
  })),
})

describe('rolling maintenance progress', () => {
  it('turns polls into events with elapsed time per host', () => {
    const state = newProgressState(0)
    assert.deepEqual(applySnapshot(state, snap('Enabled', {a: 'Enabled', b: 'Enabled'}), 0), [])
    assert.deepEqual(
      applySnapshot(state, snap('Disabled', {a: 'PrepareForMaintenance', b: 'Enabled'}), 10_000),
      ['cluster kvm-cluster: Disabled', 'host a: PrepareForMaintenance (0s)'],
    )
    assert.deepEqual(applySnapshot(state, snap('Disabled', {a: 'Maintenance', b: 'Enabled'}), 70_000), [
      'host a: Maintenance (1m00s)',
    ])
    assert.deepEqual(applySnapshot(state, snap('Disabled', {a: 'Maintenance', b: 'Enabled'}), 80_000), [])
    assert.deepEqual(
      liveLines(state, 100_000, 'job-1').map((line) => line.text),
      [
        'rolling maintenance job job-1: running for 1m40s',
        '  cluster kvm-cluster: Disabled',
        '  host a: Maintenance for 1m30s',
      ],
    )
    assert.deepEqual(
      applySnapshot(state, snap('Disabled', {a: 'Enabled', b: 'PrepareForMaintenance'}), 250_000),
      ['host a: Enabled again after 4m00s', 'host b: PrepareForMaintenance (0s)'],
    )
    assert.deepEqual(applySnapshot(state, snap('Enabled', {a: 'Enabled', b: 'Enabled'}), 400_000), [
      'cluster kvm-cluster: Enabled',
      'host b: Enabled again after 2m30s',
    ])
    assert.deepEqual(
      liveLines(state, 400_000, 'job-1')
        .slice(1)
        .map((line) => line.text),
      [
        '  cluster kvm-cluster: Enabled again',
        '  host a: done, 4m00s out of service',
        '  host b: done, 2m30s out of service',
      ],
    )
  })

  it('backs off while nothing changes and returns to the minimum on a change', () => {
    let delay = 2000
    const seen = []
    for (let i = 0; i < 8; i++) {
      delay = nextPollDelay(delay, false, 2000, 30_000)
      seen.push(delay)
    }

    assert.deepEqual(seen, [3000, 4500, 6750, 10_125, 15_188, 22_782, 30_000, 30_000])
    assert.equal(nextPollDelay(30_000, true, 2000, 30_000), 2000)
  })
})
