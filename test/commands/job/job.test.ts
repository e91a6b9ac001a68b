import assert from 'node:assert/strict'
import {beforeEach, describe, it} from 'node:test'

import {json, runCli, simEnv, spawnCli} from '../../helpers/cli.js'
import {useSim} from '../../helpers/sim.js'
import {simulateWorkApi} from '../../helpers/test-apis.js'

let env: Record<string, string>
const sim = useSim(
  {apis: [simulateWorkApi]},
  {
    async afterStart() {
      env = simEnv(sim)
    },
  },
)

beforeEach(() => sim.clearFaults())

async function submit(args: string[] = []): Promise<string> {
  const r = await runCli(['api', 'simulateWork', '--no-wait', ...args], {env})
  assert.equal(r.code, 0, r.stderr)
  return json<{jobid: string}>(r).jobid
}

describe('moldctl job', () => {
  it('waits for a job and prints its result', async () => {
    const jobid = await submit(['seconds=2'])
    const r = await runCli(['job', 'wait', jobid, '--json'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(json(r), {details: 'done', success: true})
  })

  it('rides out errors and dropped connections while polling', async () => {
    const jobid = await submit(['seconds=2'])
    await sim.setFaults({
      dropCommand: {command: 'queryAsyncJobResult', times: 1},
      failCommand: {command: 'queryAsyncJobResult', errorcode: 503, errortext: 'busy', times: 2},
    })
    await sim.clearRequests()
    const r = await runCli(['job', 'wait', jobid], {env})
    assert.equal(r.code, 0, r.stderr)
    const polls = (await sim.requests()).filter((q) => q.command === 'queryAsyncJobResult')
    assert.ok(polls.length >= 4, `only ${polls.length} polls`)
    assert.ok(polls.some((q) => q.status === 503))
    assert.ok(polls.some((q) => q.dropped))
  })

  it('exits 5 with the job id when waiting times out', async () => {
    await sim.setFaults({stuckJobs: true})
    const jobid = await submit()
    const r = await runCli(['job', 'wait', jobid, '--timeout', '1'], {env})
    assert.equal(r.code, 5)
    assert.match(r.stderr, new RegExp(`timed out waiting for job ${jobid}`))
    assert.match(r.stderr, new RegExp(`moldctl job wait ${jobid}`))
  })

  it('stops waiting on Ctrl-C without cancelling the job, and says how to resume (exit 130)', async () => {
    await sim.setFaults({stuckJobs: true})
    const jobid = await submit()
    const {child, done} = spawnCli(['job', 'wait', jobid], {env})
    await new Promise((resolve) => setTimeout(resolve, 1500))
    child.kill('SIGINT')
    const r = await done
    assert.equal(r.code, 130, r.stderr)
    assert.match(r.stderr, new RegExp(`resume with: moldctl job wait ${jobid}`))
    const job = sim.model.jobs.get(jobid)!
    assert.equal(job.status, 0)
  })

  it('shows a job and lists jobs', async () => {
    const jobid = await submit(['seconds=1'])
    await runCli(['job', 'wait', jobid], {env})
    const show = await runCli(['job', 'show', jobid], {env})
    assert.equal(show.code, 0, show.stderr)
    assert.match(show.stdout, /^STATUS\s+1 \(succeeded\)$/m)
    const list = await runCli(['job', 'list', '--json'], {env})
    assert.ok(json<{jobid: string}[]>(list).some((j) => j.jobid === jobid))
  })

  it('exits 1 for an unknown job id, with the server text', async () => {
    const r = await runCli(['job', 'wait', '00000000-0000-4000-8000-000000000000'], {env})
    assert.equal(r.code, 1)
    assert.match(r.stderr, /queryAsyncJobResult failed \(431/)
  })
})
