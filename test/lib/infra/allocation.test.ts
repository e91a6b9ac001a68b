import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {type AllocationChange, describeImpact, formatCall} from '../../../src/lib/infra/allocation.js'

describe('formatCall', () => {
  it('prints the command and its parameters, leaving out unset ones', () => {
    assert.equal(
      formatCall({
        command: 'updateCluster',
        params: {allocationstate: 'Disabled', id: 'c-1', name: undefined},
      }),
      'updateCluster allocationstate=Disabled id=c-1',
    )
    assert.equal(formatCall({command: 'addHost', params: {hosttags: ['a', 'b']}}), 'addHost hosttags=a,b')
  })
})

describe('describeImpact', () => {
  it('says what a disable affects and that VMs keep running', () => {
    const change: AllocationChange = {
      call: {command: 'updatePod', params: {}},
      entity: {id: 'p', name: 'pod-1'},
      impact: {hosts: 6, runningVms: 17, upHosts: 5},
      kind: 'pod',
      target: 'Disabled',
      unchanged: false,
    }
    const lines = describeImpact(change)
    assert.match(lines[0], /^Disabling pod pod-1 stops new VMs/)
    assert.equal(lines[1], 'Affected: 6 host(s) (5 Up) and 17 running VM(s); the VMs keep running.')
  })
})
