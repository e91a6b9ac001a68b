/**
 * The audit log per run (docs/audit.md): a run record tying its changes together, a bulk
 * action summarised in one record, a failed run, rotation by size; `audit list|show`.
 */
import assert from 'node:assert/strict'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {hostname, userInfo} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {type CliHome, json, makeHome, runCli, simEnv} from '../../helpers/cli.js'
import {oobmTopology} from '../../helpers/oobm-topology.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'

type Rec = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const records = (home: CliHome, file = 'audit.log'): Rec[] =>
  readFileSync(path.join(home.dataDir, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Rec)

describe('audit per run', () => {
  let sim: TestSim
  let env: Record<string, string>

  before(async () => {
    sim = await startTestSim({topology: oobmTopology()})
    env = simEnv(sim)
  })

  after(() => sim.close())

  it('a single change: one run record, its call records carry the run id; reads leave nothing', async () => {
    const home = makeHome()
    try {
      assert.equal((await runCli(['host', 'list'], {env, home})).code, 0)
      assert.ok(!existsSync(path.join(home.dataDir, 'audit.log')), 'a read-only run was audited')
      const r = await runCli(['oobm', 'disable', '--host', 'kvm-a01', '--yes'], {env, home})
      assert.equal(r.code, 0, r.stderr)
      const lines = records(home)
      assert.deepEqual(
        lines.map((l) => [l.type, l.command, l.outcome]),
        [
          ['call', 'disableOutOfBandManagementForHost', 'submitted'],
          ['call', 'disableOutOfBandManagementForHost', 'job-succeeded'],
          ['run', 'oobm:disable', undefined],
        ],
      )
      const run = lines[2]
      assert.ok(lines.every((l) => l.run === run.run))
      assert.match(run.run, /^[\da-f-]{36}$/)
      assert.equal(run.user, userInfo().username)
      assert.equal(run.host, hostname())
      assert.match(run.version, /^\d+\.\d+\.\d+/)
      assert.equal(run.commandLine, 'moldctl oobm disable --host kvm-a01 --yes')
      assert.equal(run.endpoint, sim.url)
      assert.equal(run.exit, 0)
      assert.equal(run.changes, 1)
      assert.ok(Date.parse(run.start) <= Date.parse(run.end))
      assert.equal(statSync(path.join(home.dataDir, 'audit.log')).mode & 0o777, 0o600)

      const list = await runCli(['audit', 'list', '--since', '1h'], {home})
      assert.equal(list.code, 0, list.stderr)
      assert.match(list.stdout, new RegExp(`${run.run.slice(0, 8)} .*root|${run.run.slice(0, 8)}`))
      assert.match(list.stdout, /moldctl oobm disable --host kvm-a01 --yes/)
      const shown = json<{records: Rec[]; run: Rec}>(
        await runCli(['audit', 'show', run.run.slice(0, 8), '--json'], {home}),
      )
      assert.equal(shown.run.run, run.run)
      assert.equal(shown.records.length, 2)
      const text = await runCli(['audit', 'show', run.run.slice(0, 8)], {home})
      assert.match(text.stdout, /disableOutOfBandManagementForHost +submitted/)
    } finally {
      await sim.call('enableOutOfBandManagementForHost', {
        hostid: sim.model.state.hosts.find((h) => h.name === 'kvm-a01')!.id,
      })
      home.remove()
    }
  })

  it('a bulk action: one summary with counts and hosts by outcome, not a line per call or poll', async () => {
    const home = makeHome()
    try {
      const r = await runCli(['oobm', 'power', 'status', '--cluster', 'kvm-a'], {env, home})
      assert.ok([0, 4].includes(r.code), r.stderr)
      const lines = records(home)
      assert.deepEqual(
        lines.map((l) => l.type),
        ['bulk', 'run'],
      )
      const [bulk, run] = lines
      assert.equal(bulk.run, run.run)
      assert.equal(bulk.action, 'oobm power status')
      assert.equal(bulk.command, 'issueOutOfBandManagementPowerAction')
      assert.deepEqual(Object.keys(bulk.hosts).sort(), Object.keys(bulk.counts).sort())
      for (const [outcome, names] of Object.entries(bulk.hosts as Record<string, string[]>))
        assert.equal(bulk.counts[outcome], names.length)
      assert.ok(bulk.hosts.ok.includes('kvm-a01'))
      assert.ok(bulk.hosts.failed.includes('kvm-a03'), 'the host with wrong BMC credentials failed')
      assert.ok(bulk.hosts.skipped.includes('kvm-a06'), 'the unconfigured host was skipped')
      assert.equal(bulk.calls, bulk.counts.ok + bulk.counts.failed)
      assert.equal(run.changes, bulk.calls)
      assert.equal(run.exit, r.code)
      const list = await runCli(['audit', 'list', '--command', 'oobm power', '--json'], {home})
      assert.equal(json<Rec[]>(list).length, 1)
      assert.equal(
        json<Rec[]>(await runCli(['audit', 'list', '--command', 'host:maintenance:enter', '--json'], {home}))
          .length,
        0,
      )
    } finally {
      home.remove()
    }
  })

  it('a failed run: the refused call and the run with its exit code', async () => {
    const home = makeHome()
    await sim.setFaults({
      failCommand: {command: 'prepareHostForMaintenance', errorcode: 530, errortext: 'refused for the test'},
    })
    try {
      const r = await runCli(['host', 'maintenance', 'enter', 'kvm-a01', '--yes', '--force'], {env, home})
      assert.equal(r.code, 1, r.stderr)
      const lines = records(home)
      const call = lines.find((l) => l.type === 'call')!
      const run = lines.find((l) => l.type === 'run')!
      assert.equal(call.command, 'prepareHostForMaintenance')
      assert.equal(call.outcome, 'error')
      assert.match(call.error, /refused for the test/)
      assert.equal(call.run, run.run)
      assert.equal(run.exit, 1)
      const text = await runCli(['audit', 'list'], {home})
      assert.match(text.stdout, /\s1\s+1\s+.*moldctl host maintenance enter kvm-a01 --yes --force/)
    } finally {
      await sim.clearFaults()
      home.remove()
    }
  })

  it('rotates the file by size and still lists the older runs', async () => {
    const home = makeHome()
    try {
      const small = {...env, MOLDCTL_AUDIT_MAX_BYTES: '600'}
      for (const verb of ['disable', 'enable', 'disable', 'enable']) {
        const r = await runCli(['oobm', verb, '--host', 'kvm-a02', '--yes'], {env: small, home})
        assert.equal(r.code, 0, r.stderr)
      }

      assert.ok(existsSync(path.join(home.dataDir, 'audit.log.1')), 'the full file was not rotated')
      for (const file of ['audit.log', 'audit.log.1'])
        assert.ok(statSync(path.join(home.dataDir, file)).size < 1600)
      const runs = json<Rec[]>(await runCli(['audit', 'list', '--json'], {home}))
      assert.ok(runs.length >= 3, `runs found: ${runs.length}`)
      assert.deepEqual(
        runs.map((r) => r.commandLine.split(' ')[2]),
        ['disable', 'enable', 'disable', 'enable'].slice(-runs.length),
      )
    } finally {
      home.remove()
    }
  })

  it('bad input: a bad --since, an unknown or too short run id', async () => {
    const home = makeHome()
    try {
      const since = await runCli(['audit', 'list', '--since', 'yesterday-ish'], {home})
      assert.equal(since.code, 2)
      assert.match(since.stderr, /--since: "yesterday-ish" is neither a duration nor a date/)
      const unknown = await runCli(['audit', 'show', 'abcdef12'], {home})
      assert.equal(unknown.code, 2)
      assert.match(unknown.stderr, /no run abcdef12 in the audit log/)
      const short = await runCli(['audit', 'show', 'ab'], {home})
      assert.equal(short.code, 2)
      const off = await runCli(['audit', 'list'], {env: {MOLDCTL_AUDIT_LOG: 'off'}, home})
      assert.equal(off.code, 0)
      assert.match(off.stderr, /audit log is off/)
    } finally {
      home.remove()
    }
  })
})
