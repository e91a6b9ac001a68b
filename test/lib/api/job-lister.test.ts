import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {MoldClient} from '../../../src/lib/api/client.js'

import {JobLister} from '../../../src/lib/api/job-lister.js'
import {JobStatus} from '../../../src/lib/api/types.js'
import {oobmTopology} from '../../helpers/oobm-topology.js'
import {simClient, useSim} from '../../helpers/sim.js'

describe('JobLister', () => {
  // At real speed, so that the server's clock keeps one offset to ours.
  const sim = useSim({jobStartDelayMs: 0, speed: 1, topology: oobmTopology()})
  const client = () => simClient(sim)

  /** Submits a power status action on the host, telling the lister when it was sent and answered. */
  async function submit(mold: MoldClient, lister: JobLister, name: string, sentAt?: number): Promise<string> {
    const hostid = sim.model.state.hosts.find((h) => h.name === name)!.id
    const sent = Date.now()
    const {jobid} = await mold.submitJob('issueOutOfBandManagementPowerAction', {action: 'STATUS', hostid})
    lister.submitted(jobid, sentAt ?? sent, Date.now())
    return jobid
  }

  /** Polls through the lister until the job ended; its outcome is the one the server keeps for it. */
  async function settle(lister: JobLister, jobid: string): Promise<void> {
    let job = await lister.fetch(jobid)
    while (job.jobstatus === JobStatus.InProgress) job = await lister.fetch(jobid)
    lister.done(jobid)
    const record = sim.model.jobs.get(jobid)!
    assert.equal(job.jobid, jobid)
    assert.equal(job.jobstatus, record.status)
    assert.deepEqual(job.jobresult, record.result)
  }

  it('lists jobs from their sending once the server clock is known, and lists only jobs since then', async () => {
    const mold = client()
    const lister = new JobLister(mold, {gapMs: 1})
    await settle(lister, await submit(mold, lister, 'kvm-a01'))
    const queriedFirst = lister.calls.queried
    await sim.clearRequests()
    const jobs = await Promise.all(['kvm-a02', 'kvm-a03'].map((name) => submit(mold, lister, name)))
    await Promise.all(jobs.map((jobid) => settle(lister, jobid)))
    assert.equal(lister.calls.queried, queriedFirst, 'no job asked for alone')
    const listings = (await sim.requests()).filter((r) => r.command === 'listAsyncJobs')
    assert.ok(listings.length > 0)
    // Each listing starts at most a second (truncation) before the jobs it waits for.
    const firstCreated = Math.min(...jobs.map((id) => Date.parse(sim.model.jobs.get(id)!.created)))
    for (const r of listings)
      assert.ok(Date.parse(`${r.params.startdate}Z`) >= firstCreated - 1000, r.params.startdate)
  })

  it('asks alone for a job the listing missed, with its outcome, and then lists from early enough', async () => {
    const mold = client()
    const lister = new JobLister(mold, {gapMs: 1})
    await settle(lister, await submit(mold, lister, 'kvm-a01'))
    // Told that its submission was sent a minute later than it was: the listing misses it.
    const late = await submit(mold, lister, 'kvm-a02', Date.now() + 60_000)
    const {queried} = lister.calls
    await settle(lister, late)
    assert.ok(lister.calls.queried > queried, 'the missed job was asked for alone')
    // The offset was lowered: a job told 60 s late again is now found by the listing.
    const next = await submit(mold, lister, 'kvm-a03', Date.now() + 60_000)
    const before = lister.calls.queried
    await settle(lister, next)
    assert.equal(lister.calls.queried, before)
  })
})
