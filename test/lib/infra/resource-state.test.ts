import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  decideCancel,
  decideEnter,
  decideHostAllocation,
  decideRemove,
  describeFailedWait,
  interpretMaintenanceWait,
  RESOURCE_STATES,
} from '../../../src/lib/infra/resource-state.js'

describe('decideEnter', () => {
  it('submits from the states the server accepts AdminAskMaintenance in', () => {
    for (const state of ['Enabled', 'ErrorInMaintenance', 'Degraded'])
      assert.equal(decideEnter('h', state).action, 'submit')
  })

  it('treats Maintenance as done and PrepareForMaintenance as a drain to wait for', () => {
    assert.deepEqual(decideEnter('h', 'Maintenance'), {action: 'none', reason: 'h is already in Maintenance'})
    assert.equal(decideEnter('h', 'PrepareForMaintenance').action, 'wait')
  })

  it('refuses the states the server would reject, saying what to do', () => {
    const disabled = decideEnter('h', 'Disabled')
    assert.equal(disabled.action, 'refuse')
    assert.ok(disabled.action === 'refuse' && disabled.suggestion?.includes('moldctl host enable h'))
    const error = decideEnter('h', 'ErrorInPrepareForMaintenance')
    assert.ok(error.action === 'refuse' && error.suggestion?.includes('moldctl host maintenance cancel h'))
    for (const state of ['Creating', 'Error', 'Bogus']) assert.equal(decideEnter('h', state).action, 'refuse')
  })

  it('has a decision for every resource state', () => {
    for (const state of RESOURCE_STATES)
      assert.ok(['none', 'refuse', 'submit', 'wait'].includes(decideEnter('h', state).action))
  })
})

describe('decideCancel', () => {
  it('is a no-op on Enabled, a call in the maintenance family, a refusal otherwise', () => {
    assert.equal(decideCancel('h', 'Enabled').action, 'none')
    for (const state of [
      'Maintenance',
      'PrepareForMaintenance',
      'ErrorInMaintenance',
      'ErrorInPrepareForMaintenance',
    ])
      assert.equal(decideCancel('h', state).action, 'submit')
    for (const state of ['Disabled', 'Degraded', 'Creating', 'Error']) {
      const d = decideCancel('h', state)
      assert.equal(d.action, 'refuse')
      assert.ok(d.action === 'refuse' && d.reason.includes(state))
    }
  })
})

describe('interpretMaintenanceWait', () => {
  it('maps states to done, waiting and failed', () => {
    assert.equal(interpretMaintenanceWait('Maintenance'), 'done')
    assert.equal(interpretMaintenanceWait('PrepareForMaintenance'), 'waiting')
    for (const state of ['ErrorInPrepareForMaintenance', 'ErrorInMaintenance', 'Enabled', 'Disabled'])
      assert.equal(interpretMaintenanceWait(state), 'failed')
  })

  it('explains each failure', () => {
    assert.match(describeFailedWait('h', 'Enabled'), /cancelled/)
    assert.match(describeFailedWait('h', 'ErrorInMaintenance'), /gave up/)
    assert.match(describeFailedWait('h', 'ErrorInPrepareForMaintenance'), /could not be migrated/)
  })
})

describe('decideRemove', () => {
  const plain = {drain: false, force: false}

  it('removes hosts in Maintenance or Degraded', () => {
    assert.equal(decideRemove('h', 'Maintenance', plain).action, 'remove')
    assert.equal(decideRemove('h', 'Degraded', plain).action, 'remove')
  })

  it('refuses other states unless drained first or forced', () => {
    const refused = decideRemove('h', 'Enabled', plain)
    assert.ok(refused.action === 'refuse' && /--drain/.test(refused.reason))
    assert.equal(decideRemove('h', 'Enabled', {drain: true, force: false}).action, 'drain-first')
    assert.equal(decideRemove('h', 'Enabled', {drain: false, force: true}).action, 'remove')
    const cannotDrain = decideRemove('h', 'Disabled', {drain: true, force: true})
    assert.ok(cannotDrain.action === 'refuse' && cannotDrain.reason.startsWith('cannot drain'))
  })
})

describe('decideHostAllocation', () => {
  it('is a no-op when already in the state', () => {
    assert.equal(decideHostAllocation('h', 'Enabled', 'Enable').action, 'none')
    assert.equal(decideHostAllocation('h', 'Disabled', 'Disable').action, 'none')
  })

  it('follows the server state machine', () => {
    assert.equal(decideHostAllocation('h', 'Disabled', 'Enable').action, 'submit')
    assert.equal(decideHostAllocation('h', 'Enabled', 'Disable').action, 'submit')
    assert.equal(decideHostAllocation('h', 'ErrorInMaintenance', 'Disable').action, 'submit')
    const maint = decideHostAllocation('h', 'Maintenance', 'Disable')
    assert.ok(maint.action === 'refuse' && maint.reason.includes('maintenance cancel'))
    assert.equal(decideHostAllocation('h', 'Maintenance', 'Enable').action, 'refuse')
    assert.equal(decideHostAllocation('h', 'Degraded', 'Enable').action, 'refuse')
  })
})
