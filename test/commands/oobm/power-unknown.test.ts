import assert from 'node:assert/strict'
import {after, before, beforeEach, describe, it} from 'node:test'

import {json, runCli, simEnv, spawnCli} from '../../helpers/cli.js'
import {oobmTopology} from '../../helpers/oobm-topology.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'

/*
 * `oobm power` when the answer to a power action is lost after it reached the server (the
 * simulator's dropCommand with afterExecute: the BMC acts, the connection is then reset), and
 * when a power action is already pending for a host.
 */

interface Row {
  message: string
  name: string
  outcome: string
  powerstate: string
}

const POWER = 'issueOutOfBandManagementPowerAction'

describe('oobm power: lost answers and jobs already running', () => {
  let sim: TestSim
  const moldctl = (...args: string[]) => runCli(args, {env: simEnv(sim)})
  const host = (name: string) => sim.model.state.hosts.find((h) => h.name === name)!
  const actions = async (action?: string) =>
    (await sim.requests()).filter((r) => r.command === POWER && (!action || r.params.action === action))

  before(async () => {
    sim = await startTestSim({topology: oobmTopology()})
  })

  after(() => sim.close())

  beforeEach(async () => {
    await sim.clearFaults()
    await sim.clearRequests()
    for (const h of sim.model.state.hosts) h.bmc.power = h.name === 'kvm-a02' ? 'Off' : 'On'
  })

  it('OFF with the answer lost: its job is found and waited for; the host is Off, one OFF sent, exit 0', async () => {
    await sim.setFaults({dropCommand: {afterExecute: true, command: POWER, times: 1}})
    const result = await moldctl('oobm', 'power', 'off', 'kvm-a01', '--yes', '--json')
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stderr,
      new RegExp(
        `the answer to ${POWER} for kvm-a01 was lost \\([^)]+\\), but the server has its job [\\da-f-]{36}; waiting for it`,
      ),
    )
    const [row] = json<Row[]>(result)
    assert.equal(row.outcome, 'ok')
    assert.equal(host('kvm-a01').bmc.power, 'Off')
    assert.equal((await actions('OFF')).length, 1)
  })

  it('OFF with the answer lost and no job to be found: unknown, then settled as Off by STATUS (exit 0)', async () => {
    await sim.setFaults({
      dropCommand: {afterExecute: true, command: POWER, times: 1},
      failCommand: {command: 'listAsyncJobs', errorcode: 432, errortext: 'not allowed'},
    })
    const result = await moldctl('oobm', 'power', 'off', 'kvm-a01', '--yes', '--json')
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stderr,
      /kvm-a01: the answer was lost after sending \([^)]+\); settled by asking the BMC \(STATUS\): the power state is Off/,
    )
    const [row] = json<Row[]>(result)
    assert.deepEqual([row.outcome, row.powerstate], ['ok', 'Off'])
    assert.equal((await actions('OFF')).length, 1, 'OFF is never repeated')
    assert.ok((await actions('STATUS')).length > 0)
  })

  it('CYCLE with the answer lost and no job to be found: unknown in the table and --json, exit 6, never repeated', async () => {
    await sim.setFaults({
      dropCommand: {afterExecute: true, command: POWER, times: 1},
      failCommand: {command: 'listAsyncJobs', errorcode: 432, errortext: 'not allowed'},
    })
    const table = await moldctl('oobm', 'power', 'cycle', 'kvm-a01', 'kvm-a09', '--yes')
    assert.equal(table.code, 6, table.stderr)
    assert.match(table.stdout, /kvm-a01 +CYCLE +unknown /)
    assert.match(table.stdout, /kvm-a09 +CYCLE +ok /)
    assert.match(table.stderr, /Unknown kvm-a01: the answer was lost after sending/)
    assert.match(table.stderr, /CYCLE: 1 ok, 0 failed, 1 unknown \(answer lost\), 0 skipped \(2 hosts\)/)
    assert.match(table.stderr, /the outcome of 1 of 2 power actions is unknown/)
    assert.match(table.stderr, /moldctl job list --pending/)
    assert.equal((await actions('CYCLE')).length, 2, 'one CYCLE per host, none repeated')

    await sim.clearRequests()
    await sim.setFaults({
      dropCommand: {afterExecute: true, command: POWER, times: 1},
      failCommand: {command: 'listAsyncJobs', errorcode: 432, errortext: 'not allowed'},
    })
    const asJson = await moldctl('oobm', 'power', 'cycle', 'kvm-a01', '--yes', '--json')
    assert.equal(asJson.code, 6, asJson.stderr)
    const [row] = json<Row[]>(asJson)
    assert.equal(row.outcome, 'unknown')
    assert.match(row.message, /check before repeating \(moldctl job list --pending\)/)
  })

  it('a power action already pending for a host is waited for instead of sending another', async () => {
    await sim.setFaults({stuckJobs: true})
    const submitted = await sim.call(POWER, {action: 'CYCLE', hostid: host('kvm-a01').id}, {method: 'POST'})
    assert.equal(submitted.status, 200)
    await sim.clearRequests()
    const run = spawnCli(['oobm', 'power', 'cycle', 'kvm-a01', '--yes'], {env: simEnv(sim)})
    let stderr = ''
    run.child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    for (let i = 0; i < 400 && !/already running/.test(stderr); i++) {
      await new Promise((resolve) => {
        setTimeout(resolve, 25)
      })
    }

    await sim.clearFaults()
    const result = await run.done
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stderr,
      new RegExp(
        `a ${POWER} job for kvm-a01 is already running \\(job [\\da-f-]{36}\\); waiting for it instead of sending another`,
      ),
    )
    assert.match(result.stdout, /kvm-a01 +CYCLE +ok +.*waited for job/)
    assert.equal((await actions()).length, 0)
  })
})
