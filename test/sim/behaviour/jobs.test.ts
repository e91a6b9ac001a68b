import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import {defineApi, SimApiError} from '../../../src/sim/catalog/registry.js'
import {startTestSim, type TestSim, useSim} from '../../helpers/sim.js'

/** A test-only async command: waits `seconds` of simulated time, then succeeds or fails. */
const testSleepApi = defineApi({
  description: 'Test-only async command',
  handler({clock, jobs, model, params}) {
    const host = model.state.hosts[0]
    return jobs.submit({
      instanceId: host.id,
      instanceType: 'Host',
      async run() {
        await clock.sleep(params.seconds * 1000)
        if (params.fail) throw SimApiError.internal('Failed to prepare host for maintenance due to: boom')
        return {success: true}
      },
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.test.TestSleepCmd',
  name: 'testSleep',
  params: [
    {description: 'simulated seconds', name: 'seconds', required: true, type: 'integer'},
    {description: 'fail the job', name: 'fail', type: 'boolean'},
  ],
})

async function waitForJob(sim: TestSim, jobid: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const res = await sim.call('queryAsyncJobResult', {jobid})
    const job = res.body.queryasyncjobresultresponse
    if (job.jobstatus !== 0) return job
    await delay(5)
  }

  throw new Error(`job ${jobid} did not finish`)
}

describe('async jobs', () => {
  const sim = useSim({apis: [testSleepApi], speed: 1000})

  it('returns a job id at once, reports pending, then the result', async () => {
    // Held pending by the stuck-jobs fault, so the pending answer is seen however slow the machine.
    await sim.setFaults({stuckJobs: true})
    const submit = await sim.call('testSleep', {seconds: '60'})
    assert.equal(submit.status, 200)
    const {jobid} = submit.body.testsleepresponse
    assert.match(jobid, /^[\da-f-]{36}$/)

    const pending = (await sim.call('queryAsyncJobResult', {jobid})).body.queryasyncjobresultresponse
    assert.equal(pending.jobstatus, 0)
    assert.equal(pending.jobresultcode, 0)
    assert.equal(pending.jobresult, undefined)
    assert.equal(pending.completed, undefined)
    assert.equal(pending.cmd, 'org.apache.cloudstack.api.command.test.TestSleepCmd')
    assert.equal(pending.jobinstancetype, 'Host')
    assert.equal(pending.jobinstanceid, sim.model.state.hosts[0].id)
    await sim.clearFaults()

    const done = await waitForJob(sim, jobid)
    assert.equal(done.jobstatus, 1)
    assert.equal(done.jobresultcode, 0)
    assert.equal(done.jobresulttype, 'object')
    assert.deepEqual(done.jobresult, {success: true})
    assert.match(done.completed as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/)
    assert.equal(done.account, 'admin')
  })

  it('reports a failed job with its code and text', async () => {
    const submit = await sim.call('testSleep', {fail: 'true', seconds: '1'})
    const done = await waitForJob(sim, submit.body.testsleepresponse.jobid)
    assert.equal(done.jobstatus, 2)
    assert.equal(done.jobresultcode, 530)
    assert.deepEqual(done.jobresult, {
      errorcode: 530,
      errortext: 'Failed to prepare host for maintenance due to: boom',
    })
  })

  it('validates parameters before queueing', async () => {
    const res = await sim.call('testSleep', {seconds: 'soon'})
    assert.equal(res.status, 431)
  })

  it('answers an unknown job id with 431', async () => {
    const res = await sim.call('queryAsyncJobResult', {jobid: '00000000-0000-4000-8000-000000000000'})
    assert.equal(res.status, 431)
  })

  it('lists jobs under the asyncjobs key', async () => {
    const res = await sim.call('listAsyncJobs')
    const list = res.body.listasyncjobsresponse
    assert.ok(list.count >= 2)
    assert.equal(list.asyncjobs.length, list.count)
    assert.ok(list.asyncjobs.every((job: {cmd: string}) => job.cmd.endsWith('TestSleepCmd')))
  })

  it('lists the jobs created since startdate, oldest first, also after a job dated earlier', async () => {
    const created: string[] = []
    for (let i = 0; i < 3; i++) {
      const submit = await sim.call('testSleep', {seconds: '1'})
      const {jobid} = submit.body.testsleepresponse
      created.push(sim.model.jobs.get(jobid)!.created)
      await delay(5) // 5 s of simulated time: each job in a second of its own
    }

    const asDate = (iso: string) => iso.slice(0, 19).replace('T', ' ')
    const since = async () =>
      ((await sim.call('listAsyncJobs', {startdate: asDate(created[1])})).body.listasyncjobsresponse
        .asyncjobs ?? []) as Array<{created: string}>
    assert.deepEqual(
      (await since()).map((job) => job.created),
      [created[1], created[2]],
    )
    // A job kept out of order (a clock set back): dated before startdate, then one after it.
    const last = sim.model.jobs.get(sim.model.state.jobs.at(-1)!.jobid)!
    sim.model.state.jobs.push(
      {...last, created: created[0], jobid: '00000000-0000-4000-8000-00000000000a'},
      {...last, created: created[2], jobid: '00000000-0000-4000-8000-00000000000b'},
    )
    assert.deepEqual(
      (await since()).map((job) => job.created),
      [created[1], created[2], created[2]],
    )
  })

  it('holds jobs while the stuckJobs fault is set and resumes them when cleared', async () => {
    await sim.setFaults({stuckJobs: true})
    const submit = await sim.call('testSleep', {seconds: '1'})
    const {jobid} = submit.body.testsleepresponse
    await delay(50) // 50 s of simulated time: far beyond the job's 1 s
    const held = (await sim.call('queryAsyncJobResult', {jobid})).body.queryasyncjobresultresponse
    assert.equal(held.jobstatus, 0)
    await sim.clearFaults()
    const done = await waitForJob(sim, jobid)
    assert.equal(done.jobstatus, 1)
  })

  it('fails the job itself with failCommand inJob', async () => {
    await sim.setFaults({failCommand: {command: 'testSleep', errortext: 'injected', inJob: true, times: 1}})
    const first = await sim.call('testSleep', {seconds: '1'})
    assert.equal(first.status, 200)
    const failed = await waitForJob(sim, first.body.testsleepresponse.jobid)
    assert.deepEqual(failed.jobresult, {errorcode: 530, errortext: 'injected'})
    const second = await sim.call('testSleep', {seconds: '1'})
    const ok = await waitForJob(sim, second.body.testsleepresponse.jobid)
    assert.equal(ok.jobstatus, 1)
    await sim.clearFaults()
  })
})

describe('job ids', () => {
  it('differ between two simulators started with the same seed', async () => {
    const first = await startTestSim({topology: 'small'})
    const second = await startTestSim({topology: 'small'})
    try {
      const hostId = (await first.call('listHosts', {name: 'kvm-host-01'})).body.listhostsresponse.host[0].id
      assert.equal(
        (await second.call('listHosts', {name: 'kvm-host-01'})).body.listhostsresponse.host[0].id,
        hostId,
      )
      const a = await first.call('reconnectHost', {id: hostId})
      const b = await second.call('reconnectHost', {id: hostId})
      assert.match(a.body.reconnecthostresponse.jobid, /^[0-9a-f-]{36}$/)
      assert.notEqual(a.body.reconnecthostresponse.jobid, b.body.reconnecthostresponse.jobid)
    } finally {
      await first.close()
      await second.close()
    }
  })
})
