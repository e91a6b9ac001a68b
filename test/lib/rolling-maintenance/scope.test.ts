import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/lib/core/errors.js'
import {
  checkStageTimeout,
  integerSetting,
  payloadWarnings,
  rollingScope,
  TIMEOUT_NOT_ABOVE_PING_INTERVAL,
} from '../../../src/lib/rolling-maintenance/scope.js'

describe('rolling maintenance scope', () => {
  it('takes exactly one scope and maps it to the API parameter', () => {
    assert.deepEqual(rollingScope({clusters: 'c1, c2,c1'}), {
      kind: 'clusters',
      param: 'clusterids',
      refs: ['c1', 'c2'],
    })
    assert.deepEqual(rollingScope({hosts: ['h1', 'h2,h3']}).refs, ['h1', 'h2', 'h3'])
    assert.equal(rollingScope({zones: 'z'}).param, 'zoneids')
    assert.equal(rollingScope({pods: 'p'}).param, 'podids')
  })

  it('refuses no scope, two scopes and empty items with a usage error', () => {
    assert.throws(
      () => rollingScope({}),
      (error: Error) => error instanceof UsageError && /one of --hosts/.test(error.message),
    )
    assert.throws(
      () => rollingScope({clusters: 'c', hosts: 'h'}),
      (error: UsageError) =>
        error.exitCode === 2 && error.message === 'give only one scope, not --clusters and --hosts',
    )
    assert.throws(() => rollingScope({hosts: 'a,,b'}), /empty item/)
  })
})

describe('stage timeout versus ping interval', () => {
  it('accepts a timeout strictly above the ping interval', () => {
    assert.equal(checkStageTimeout({pingInterval: 10, stageTimeoutSetting: 1800, timeout: 11}), 11)
    assert.equal(checkStageTimeout({pingInterval: 10, stageTimeoutSetting: 1800}), 1800)
  })

  it("refuses an equal or smaller timeout in the server's words", () => {
    for (const timeout of [10, 5]) {
      assert.throws(
        () => checkStageTimeout({pingInterval: 10, stageTimeoutSetting: 1800, timeout}),
        (error: UsageError) =>
          error.exitCode === 2 &&
          error.message.startsWith(TIMEOUT_NOT_ABOVE_PING_INTERVAL) &&
          error.message.includes(`--timeout ${timeout}`),
      )
    }
  })

  it('checks the stage timeout setting when no --timeout is given', () => {
    assert.throws(
      () => checkStageTimeout({pingInterval: 60, stageTimeoutSetting: 30}),
      /kvm.rolling.maintenance.stage.timeout = 30, kvm.rolling.maintenance.ping.interval = 60/,
    )
  })

  it('reads integer settings and rejects non-numbers', () => {
    assert.equal(integerSetting('x', '10'), 10)
    assert.equal(integerSetting('x', 7), 7)
    assert.throws(() => integerSetting('x', ''), /no integer value/)
    assert.throws(() => integerSetting('x', 'abc'), /no integer value/)
  })

  it('warns about commas in the payload', () => {
    assert.deepEqual(payloadWarnings('a=1 b=2'), [])
    assert.match(payloadWarnings('a=1,b=2')[0], /only the text before the first comma/)
    assert.deepEqual(payloadWarnings(), [])
  })
})
