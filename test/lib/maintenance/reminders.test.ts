import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  cancelMaintenanceReminder,
  enterMaintenanceReminder,
  removeHostReminder,
} from '../../../src/lib/maintenance/reminders.js'

describe('guide reminders', () => {
  it("gives VMware hosts the guide's order of the two maintenance modes", () => {
    const enter = enterMaintenanceReminder('VMware', 'esx-1').join(' ')
    assert.match(enter, /does not put it in vCenter's maintenance mode/)
    assert.ok(enter.indexOf("first exit vCenter's maintenance mode") < enter.indexOf("then cancel Mold's"))
    assert.match(
      cancelMaintenanceReminder('VMware', 'esx-1').join(' '),
      /exit vCenter's maintenance mode first, then cancel Mold's/,
    )
  })

  it('says nothing about vCenter for other hypervisors', () => {
    assert.deepEqual(enterMaintenanceReminder('KVM', 'k'), [])
    assert.deepEqual(cancelMaintenanceReminder('XenServer', 'x'), [])
  })

  it('reminds KVM removals to stop the agent and vSphere removals about vCenter', () => {
    assert.match(removeHostReminder('KVM', 'k').join(' '), /systemctl stop cloudstack-agent/)
    assert.match(removeHostReminder('VMware', 'e').join(' '), /vCenter cluster/)
    assert.deepEqual(removeHostReminder('XenServer', 'x'), [])
  })
})
