/**
 * The reliability suite's runner works: one scenario of each kind runs and the one line counts
 * it. The whole suite is `npm run chaos` (too slow for the test run).
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {registered} from '../../bench/chaos/registry.js'
import {runChaos, summaryLine} from '../../bench/chaos/run.js'

describe('npm run chaos', () => {
  it('registers scenarios of every family, with unique names', () => {
    const families = new Set(registered().map((s) => s.family))
    assert.deepEqual([...families].sort(), ['bad-inputs', 'data', 'faults', 'secrets'])
    assert.ok(registered().filter((s) => s.family === 'bad-inputs').length >= 80)
  })

  it('runs a fault scenario and a bad input, and prints the one line', async () => {
    const lines = [] as string[]
    const fault = await runChaos({
      log: (line) => lines.push(line),
      only: 'fault: a list field that is no list',
    })
    assert.equal(fault.outcomes.length, 1)
    assert.equal(fault.passed, true, JSON.stringify(fault.outcomes))
    assert.equal(
      fault.line,
      'faults 1/1, bad inputs 0/0, secrets leaked 0 (0 canaries), rows lost n/a (no database), updates lost 0',
    )
    const bad = await runChaos({
      log: (line) => lines.push(line),
      only: 'bad input: a 10,000-character word #1',
    })
    assert.equal(bad.line.split(', ')[1], 'bad inputs 1/1', JSON.stringify(bad.outcomes))
    assert.deepEqual(lines, [], 'no scenario failed')
  })

  it('counts failures, leaks and losses honestly', () => {
    const line = summaryLine([
      {family: 'faults', name: 'a'},
      {family: 'faults', name: 'b', problem: 'exit 0, expected 1'},
      {family: 'bad-inputs', name: 'c', skipped: 'no database'},
      {family: 'secrets', name: 'd', problem: 'leaked', secretsLeaked: 2},
      {family: 'data', name: 'e', rowsLost: 0, updatesLost: 1},
    ])
    assert.equal(
      line,
      'faults 1/2, bad inputs 0/0, secrets leaked 2 (1 canaries), rows lost 0, updates lost 1',
    )
  })
})
