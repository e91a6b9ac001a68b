import assert from 'node:assert/strict'
import {afterEach, describe, it} from 'node:test'

import {runCli, simEnv, spawnCli} from '../helpers/cli.js'
import {rollingTopology} from '../helpers/rolling-topology.js'
import {startTestSim, type TestSim} from '../helpers/sim.js'

/*
 * Rolling maintenance and certificate provisioning, like host maintenance and oobm power, never
 * submit a second job while one of the same command on the same resource is pending on the
 * server: they wait for that one, saying so.
 */

let sim: TestSim | undefined

const READ = /^(list|query|get)/

async function mutating(s: TestSim): Promise<string[]> {
  return (await s.requests()).map((r) => r.command ?? '').filter((c) => c && !READ.test(c))
}

/** Runs the CLI until its stderr matches `pattern`, then clears the faults (releasing held jobs). */
async function runReleasingAt(s: TestSim, args: string[], pattern: RegExp) {
  const run = spawnCli(args, {env: simEnv(s)})
  let stderr = ''
  run.child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  for (let i = 0; i < 800 && !pattern.test(stderr); i++) {
    await new Promise((resolve) => {
      setTimeout(resolve, 25)
    })
  }

  await s.clearFaults()
  return run.done
}

describe('a job already pending is waited for, not submitted again', () => {
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })

  it('rolling-maintenance start follows the startRollingMaintenance job already running', async () => {
    sim = await startTestSim({speed: 1000, topology: rollingTopology([{}, {}])})
    const s = sim
    const cluster = [...s.model.clusters.values()].find((c) => c.name === 'kvm-a')!
    await s.setFaults({stuckJobs: true})
    const first = await s.call('startRollingMaintenance', {clusterids: cluster.id}, {method: 'POST'})
    assert.equal(first.status, 200)
    await s.clearRequests()
    const result = await runReleasingAt(
      s,
      ['rolling-maintenance', 'start', '--clusters', 'kvm-a', '--yes'],
      /already running/,
    )
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stderr,
      /a startRollingMaintenance job is already running \(job [\da-f-]{36}\) \(the server does not say for what\); waiting for it/,
    )
    assert.match(result.stderr, /Rolling maintenance job [\da-f-]{36} followed/)
    assert.deepEqual(await mutating(s), [])
  })

  it('host cert provision waits for the provisionCertificate job already running for the host', async () => {
    sim = await startTestSim({speed: 1000})
    const s = sim
    const target = s.model.state.hosts.find((h) => h.name === 'kvm-host-01')!
    await s.setFaults({stuckJobs: true})
    const first = await s.call('provisionCertificate', {hostid: target.id}, {method: 'POST'})
    assert.equal(first.status, 200)
    await s.clearRequests()
    const result = await runReleasingAt(
      s,
      ['host', 'cert', 'provision', 'kvm-host-01', '--yes'],
      /already running/,
    )
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stderr,
      /a provisionCertificate job for kvm-host-01 is already running \(job [\da-f-]{36}\); waiting for it/,
    )
    assert.deepEqual(await mutating(s), [])
  })

  it('host cert provision with its answer lost and no job to find: unknown, exit 6', async () => {
    sim = await startTestSim({speed: 1000})
    await sim.setFaults({
      dropCommand: {afterExecute: true, command: 'provisionCertificate', times: 1},
      failCommand: {command: 'listAsyncJobs', errorcode: 432, errortext: 'not allowed'},
    })
    const result = await runCli(['host', 'cert', 'provision', 'kvm-host-01', '--yes', '--json'], {
      env: simEnv(sim),
    })
    assert.equal(result.code, 6, result.stderr)
    assert.match(result.stdout, /"result": "unknown"/)
    assert.match(result.stderr, /moldctl job list --pending/)
    assert.deepEqual(await mutating(sim), ['provisionCertificate'])
  })
})
