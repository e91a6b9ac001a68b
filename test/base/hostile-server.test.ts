import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, beforeEach, describe, it} from 'node:test'

import {runCli, simEnv} from '../helpers/cli.js'
import {startTestSim, type TestSim} from '../helpers/sim.js'

/*
 * A broken or hostile server: answers over the size limit and answers of the wrong shape are
 * errors (exit 1, audit entry not `ok`), never a crash, an empty list or "is now undefined".
 * Drives the built CLI (needs `npm run build`).
 */

interface AuditLine {
  command: string
  outcome: string
}

describe('a broken or hostile server', () => {
  let sim: TestSim
  let env: Record<string, string>
  let dir: string
  let auditFile: string
  const moldctl = (args: string[], extra: Record<string, string> = {}) =>
    runCli(args, {env: {...env, MOLDCTL_AUDIT_LOG: auditFile, ...extra}})
  const audit = (): AuditLine[] => {
    try {
      return readFileSync(auditFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditLine)
    } catch {
      return []
    }
  }

  before(async () => {
    sim = await startTestSim({topology: 'small'})
    env = simEnv(sim)
    dir = mkdtempSync(path.join(tmpdir(), 'moldctl-hostile-'))
  })

  after(async () => {
    await sim.close()
    rmSync(dir, {force: true, recursive: true})
  })

  let run = 0

  beforeEach(async () => {
    auditFile = path.join(dir, `audit-${++run}.log`)
    await sim.clearFaults()
    await sim.clearRequests()
  })

  describe('answers over the size limit', () => {
    it('an answer larger than MOLDCTL_MAX_ANSWER_BYTES is exit 1 naming the size and how to raise it, read once', async () => {
      await sim.setFaults({oversizeAnswer: {bytes: 2_000_000, command: 'listHosts'}})
      const result = await moldctl(['host', 'list'], {MOLDCTL_MAX_ANSWER_BYTES: '1000000'})
      assert.equal(result.code, 1, result.stderr)
      assert.equal(result.stdout, '')
      assert.match(
        result.stderr,
        /sent an answer larger than 976\.6 KiB \(1000000 bytes, the limit from MOLDCTL_MAX_ANSWER_BYTES\)/,
      )
      assert.match(result.stderr, /MOLDCTL_MAX_ANSWER_BYTES=BYTES/)
      assert.doesNotMatch(result.stderr, /at .*\.js:\d+/)
      const calls = (await sim.requests()).filter((r) => r.command === 'listHosts')
      assert.equal(calls.length, 1, 'an oversize answer is not retried')
    })

    it('the same answer under a raised limit is read', async () => {
      await sim.setFaults({oversizeAnswer: {bytes: 2_000_000, command: 'listHosts'}})
      const result = await moldctl(['host', 'list', '--json'], {MOLDCTL_MAX_ANSWER_BYTES: '5000000'})
      assert.equal(result.code, 0, result.stderr)
      assert.ok((JSON.parse(result.stdout) as unknown[]).length > 0)
    })

    it('the default limit is 64 MiB, named in the message', async () => {
      await sim.setFaults({oversizeAnswer: {bytes: 65 * 1024 * 1024, command: 'listZones'}})
      const result = await moldctl(['zone', 'list'])
      assert.equal(result.code, 1, result.stderr)
      assert.match(result.stderr, /larger than 64 MiB \(67108864 bytes, the limit from the default\)/)
    })

    it('a malformed MOLDCTL_MAX_ANSWER_BYTES is a configuration error (exit 3), nothing sent', async () => {
      const result = await moldctl(['host', 'list'], {MOLDCTL_MAX_ANSWER_BYTES: '64MB'})
      assert.equal(result.code, 3, result.stderr)
      assert.match(
        result.stderr,
        /MOLDCTL_MAX_ANSWER_BYTES must be a positive whole number of bytes, got "64MB"/,
      )
      assert.deepEqual(await sim.requests(), [])
    })
  })

  describe('answers of the wrong shape', () => {
    it('a list field that is not a list: exit 1, not an empty list', async () => {
      await sim.setFaults({wrongShape: {command: 'listHosts', shape: 'list-not-list'}})
      const result = await moldctl(['host', 'list', '--json'])
      assert.equal(result.code, 1, result.stderr)
      assert.equal(result.stdout, '')
      assert.match(
        result.stderr,
        /listHosts: the server's answer is not in the API's shape \(the list field "host" is an object, not a list\)/,
      )
    })

    it('a count that is not a number: exit 1', async () => {
      await sim.setFaults({wrongShape: {command: 'listZones', shape: 'count-not-number'}})
      const result = await moldctl(['zone', 'list'])
      assert.equal(result.code, 1, result.stderr)
      assert.match(result.stderr, /count is string "many", not a whole number/)
    })

    it('an update answer without its object: exit 1, no "is now undefined", audit says bad-answer', async () => {
      await sim.setFaults({wrongShape: {command: 'updateConfiguration', shape: 'no-object'}})
      const result = await moldctl(['setting', 'set', 'kvm.rolling.maintenance.ping.interval', '20'])
      assert.equal(result.code, 1, result.stderr)
      assert.doesNotMatch(result.stdout + result.stderr, /undefined/)
      assert.match(
        result.stderr,
        /updateConfiguration: the server's answer is not in the API's shape \(no "configuration" object\)/,
      )
      const entries = audit().filter((e) => e.command === 'updateConfiguration')
      assert.deepEqual(
        entries.map((e) => e.outcome),
        ['bad-answer'],
      )
    })

    it('an enable answer without its object: exit 1 (zone enable)', async () => {
      const disabled = await moldctl(['zone', 'disable', 'zone-1', '--yes'])
      assert.equal(disabled.code, 0, disabled.stderr)
      await sim.setFaults({wrongShape: {command: 'updateZone', shape: 'no-object'}})
      const result = await moldctl(['zone', 'enable', 'zone-1'])
      assert.equal(result.code, 1, result.stderr)
      assert.doesNotMatch(result.stderr, /is now/)
      assert.deepEqual(
        audit()
          .filter((e) => e.command === 'updateZone')
          .map((e) => e.outcome),
        ['ok', 'bad-answer'],
      )
    })

    it('a finished job without its result: exit 1, audit says bad-answer, not job-succeeded', async () => {
      await sim.setFaults({wrongShape: {command: 'queryAsyncJobResult', shape: 'job-no-object'}})
      const result = await moldctl(['host', 'reconnect', 'kvm-host-01'])
      assert.equal(result.code, 1, result.stderr)
      assert.match(
        result.stderr,
        /reconnectHost job [\w-]+: the server's answer is not in the API's shape \(the finished job has no result\)/,
      )
      const outcomes = audit()
        .filter((e) => e.command === 'reconnectHost')
        .map((e) => e.outcome)
      assert.deepEqual(outcomes, ['submitted', 'bad-answer'])
    })

    it('a job result without the object expected: exit 1', async () => {
      await sim.setFaults({wrongShape: {command: 'queryAsyncJobResult', shape: 'job-no-object'}})
      const result = await moldctl(['host', 'reconnect', 'kvm-host-01', '--json'])
      assert.equal(result.code, 1, result.stderr)
      const answer = JSON.parse(result.stdout) as {error?: {exitCode: number; message: string}}
      assert.equal(answer.error?.exitCode, 1)
      assert.match(answer.error?.message ?? '', /the finished job has no result/)
    })
  })

  it('the simulator refuses a malformed fault document', async () => {
    const response = await fetch(`${sim.hooksUrl}/sim/faults`, {
      body: JSON.stringify({wrongShape: {command: 'listHosts', shape: 'upside-down'}}),
      method: 'POST',
    })
    assert.equal(response.status, 400)
    assert.match(await response.text(), /wrongShape needs \\"shape\\"/)
  })
})
