import assert from 'node:assert/strict'
import {afterEach, describe, it} from 'node:test'

import {runCli, simEnv, spawnCli} from '../../helpers/cli.js'
import {type LoggedRequest, startTestSim, type TestSim} from '../../helpers/sim.js'

/*
 * `host maintenance enter|cancel` never submit a second job for a host that has one pending: a
 * run resumed after Ctrl-C waits for the job already there, and a run whose answer was lost
 * finds the job the server made. The simulator's request log counts the submissions.
 */

let sim: TestSim | undefined

const READ = /^(list|query)/

function submissions(log: LoggedRequest[], command: string): LoggedRequest[] {
  return log.filter((r) => r.command === command)
}

function mutating(log: LoggedRequest[]): string[] {
  return log.map((r) => r.command ?? '').filter((c) => c && !READ.test(c))
}

function host(s: TestSim, name: string) {
  const found = s.model.state.hosts.find((h) => h.name === name)
  assert.ok(found, `no host ${name}`)
  return found
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 800; i++) {
    if (await check()) return
    await new Promise((resolve) => {
      setTimeout(resolve, 25)
    })
  }

  throw new Error(`gave up waiting for ${what}`)
}

describe('resuming host maintenance', () => {
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })

  it('after Ctrl-C while the job is queued, the printed resume command waits for that job: one prepareHostForMaintenance', async () => {
    sim = await startTestSim({speed: 200})
    const s = sim
    await s.setFaults({stuckJobs: true})
    const first = spawnCli(['host', 'maintenance', 'enter', 'kvm-host-01'], {env: simEnv(s)})
    await until(
      async () => submissions(await s.requests(), 'prepareHostForMaintenance').length > 0,
      'the submission',
    )
    // Polled at least once: the job is pending (held by the fault), the host still Enabled.
    await until(async () => (await s.requests()).some((r) => r.command === 'queryAsyncJobResult'), 'a poll')
    assert.equal(host(s, 'kvm-host-01').resourceState, 'Enabled')
    first.child.kill('SIGINT')
    const interrupted = await first.done
    assert.equal(interrupted.code, 130, interrupted.stderr)
    const resume = /resume with: (moldctl .+)/.exec(interrupted.stderr)
    assert.ok(resume, interrupted.stderr)
    assert.equal(resume[1], 'moldctl host maintenance enter kvm-host-01')

    const second = spawnCli(resume[1].split(' ').slice(1), {env: simEnv(s)})
    let stderr = ''
    second.child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    await until(() => /already running/.test(stderr), 'the resumed run to find the job')
    await s.clearFaults()
    const resumed = await second.done
    assert.equal(resumed.code, 0, resumed.stderr)
    const jobid = /\(job ([\da-f-]{36})\)/.exec(interrupted.stderr)?.[1]
    assert.ok(jobid, interrupted.stderr)
    assert.match(
      resumed.stderr,
      new RegExp(
        `a prepareHostForMaintenance job for kvm-host-01 is already running \\(job ${jobid}\\); waiting for it`,
      ),
    )
    assert.equal(host(s, 'kvm-host-01').resourceState, 'Maintenance')
    const log = await s.requests()
    assert.equal(submissions(log, 'prepareHostForMaintenance').length, 1)
    assert.ok(
      log.some((r) => r.command === 'listAsyncJobs' && r.params.keyword === 'PrepareForMaintenanceCmd'),
    )
  })

  it('a lost answer to prepareHostForMaintenance: the job is found and waited for, exit 0, one submission', async () => {
    sim = await startTestSim({speed: 2000})
    await sim.setFaults({dropCommand: {afterExecute: true, command: 'prepareHostForMaintenance', times: 1}})
    const result = await runCli(['host', 'maintenance', 'enter', 'kvm-host-02'], {env: simEnv(sim)})
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stderr,
      /the answer to prepareHostForMaintenance for kvm-host-02 was lost \([^)]+\), but the server has its job [\da-f-]{36}; waiting for it/,
    )
    assert.equal(host(sim, 'kvm-host-02').resourceState, 'Maintenance')
    const log = await sim.requests()
    assert.equal(submissions(log, 'prepareHostForMaintenance').length, 1)
    assert.equal(submissions(log, 'prepareHostForMaintenance')[0].dropped, true)
  })

  it('a lost answer whose job cannot be found is unknown: exit 6 with the hint, nothing repeated', async () => {
    sim = await startTestSim({speed: 2000})
    await sim.setFaults({
      dropCommand: {afterExecute: true, command: 'prepareHostForMaintenance', times: 1},
      failCommand: {command: 'listAsyncJobs', errorcode: 432, errortext: 'not allowed'},
    })
    const result = await runCli(['host', 'maintenance', 'enter', 'kvm-host-02'], {env: simEnv(sim)})
    assert.equal(result.code, 6, result.stderr)
    assert.match(
      result.stderr,
      /the outcome of prepareHostForMaintenance is unknown: .*may have been carried out/,
    )
    assert.match(result.stderr, /moldctl job list --pending/)
    assert.deepEqual(mutating(await sim.requests()), ['prepareHostForMaintenance'])
  })

  it('host maintenance cancel waits for a cancelHostMaintenance job already pending instead of sending another', async () => {
    sim = await startTestSim({speed: 2000})
    const s = sim
    const h = host(s, 'kvm-host-03')
    h.resourceState = 'Maintenance'
    await s.setFaults({stuckJobs: true})
    const submitted = await s.call('cancelHostMaintenance', {id: h.id})
    assert.equal(submitted.status, 200)
    await s.clearRequests()
    const run = spawnCli(['host', 'maintenance', 'cancel', 'kvm-host-03'], {env: simEnv(s)})
    let stderr = ''
    run.child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    await until(() => /already running/.test(stderr), 'the run to find the job')
    await s.clearFaults()
    const result = await run.done
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stderr,
      /a cancelHostMaintenance job for kvm-host-03 is already running \(job [\da-f-]{36}\); waiting for it/,
    )
    assert.deepEqual(mutating(await s.requests()), [])
    assert.equal(h.resourceState, 'Enabled')
  })
})
