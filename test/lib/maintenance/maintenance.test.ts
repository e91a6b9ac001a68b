import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {Vm} from '../../../src/lib/api/models.js'

import {vmDemand} from '../../../src/lib/maintenance/capacity-check.js'
import {describeVms, formatElapsed, formatHostProgress} from '../../../src/lib/maintenance/columns.js'
import {hostPollSettings} from '../../../src/lib/maintenance/wait.js'

const vm = (name: string, state = 'Running'): Vm => ({
  cpunumber: 2,
  cpuspeed: 2000,
  id: name,
  memory: 4096,
  name,
  state,
})

describe('progress text', () => {
  it('names the VMs left, marking those not simply running', () => {
    assert.equal(describeVms([vm('a'), vm('b', 'Migrating')]), 'a, b (Migrating)')
    assert.equal(
      describeVms(
        ['a', 'b', 'c', 'd'].map((n) => vm(n)),
        2,
      ),
      'a, b, … 2 more',
    )
  })

  it('gives one line per host with state, VMs left and elapsed time', () => {
    assert.equal(
      formatHostProgress('kvm-01', 'PrepareForMaintenance', [vm('web'), vm('db', 'Migrating')], 65_000),
      'kvm-01  PrepareForMaintenance  1:05  2 VMs left: web, db (Migrating)',
    )
    assert.equal(
      formatHostProgress('kvm-01', 'Maintenance', [], 3_600_000),
      'kvm-01  Maintenance  1:00:00  no VMs left',
    )
    assert.match(formatHostProgress('h', 'PrepareForMaintenance', [vm('x')], 0), /1 VM left: x/)
    assert.equal(
      formatHostProgress('h', 'PrepareForMaintenance', [vm('x')]),
      'h  PrepareForMaintenance  1 VM left: x',
    )
  })

  it('formats elapsed time as m:ss or h:mm:ss', () => {
    assert.equal(formatElapsed(0), '0:00')
    assert.equal(formatElapsed(59_400), '0:59')
    assert.equal(formatElapsed(3_725_000), '1:02:05')
  })
})

describe('hostPollSettings', () => {
  it('starts at 2 s and backs off to 15 s by default', () => {
    assert.deepEqual(hostPollSettings({}), {maxPollMs: 15_000, minPollMs: 2000})
  })

  it('takes --poll as the ceiling and the environment for tests', () => {
    assert.deepEqual(hostPollSettings({}, 30), {maxPollMs: 30_000, minPollMs: 2000})
    assert.deepEqual(hostPollSettings({}, 1), {maxPollMs: 1000, minPollMs: 1000})
    assert.deepEqual(hostPollSettings({MOLDCTL_POLL_MAX_MS: '200', MOLDCTL_POLL_MIN_MS: '20'}), {
      maxPollMs: 200,
      minPollMs: 20,
    })
  })
})

describe('vmDemand', () => {
  it('converts the API fields (memory in MiB) to the capacity check input', () => {
    assert.deepEqual(vmDemand(vm('a')), {
      cpuNumber: 2,
      cpuSpeedMhz: 2000,
      id: 'a',
      memoryBytes: 4096 * 1024 * 1024,
      name: 'a',
    })
  })
})
