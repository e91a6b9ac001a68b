import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {MoldClient} from '../../../src/lib/api/client.js'
import type {AsyncJob, Params} from '../../../src/lib/api/types.js'

import {
  findJobOfLostAnswer,
  findPendingJob,
  listJobsOf,
  submitOnce,
} from '../../../src/lib/api/pending-jobs.js'
import {ApiError, OutcomeUnknownError} from '../../../src/lib/core/errors.js'

/* Finding a command's jobs on a resource in listAsyncJobs answers, as upstream shapes them. */

const PREPARE = 'org.apache.cloudstack.api.command.admin.host.PrepareForMaintenanceCmd'
const CERT = 'org.apache.cloudstack.api.command.admin.ca.ProvisionCertificateCmd'
const HOST = '6a1c0e8e-1111-4c1e-9b3a-000000000001'
const OTHER = '6a1c0e8e-1111-4c1e-9b3a-000000000002'

function fakeClient(
  jobs: AsyncJob[],
  opts: {own?: string[]; refuse?: number; submit?: () => Promise<{jobid: string}>} = {},
) {
  const calls: Array<{command: string; params: Params}> = []
  const client = {
    async list(command: string, params: Params) {
      calls.push({command, params})
      if (opts.refuse) throw new ApiError(command, opts.refuse, 'not allowed')
      return jobs
    },
    async submitJob(command: string, params: Params) {
      calls.push({command, params})
      return opts.submit ? opts.submit() : {jobid: 'new-job'}
    },
    submittedJobs: opts.own ?? [],
    async waitForJob() {
      return {}
    },
  }
  return {calls, client: client as unknown as MoldClient}
}

const job = (jobid: string, cmd: string, extra: Partial<AsyncJob> = {}): AsyncJob => ({
  cmd,
  jobid,
  jobstatus: 0,
  ...extra,
})

describe('pending jobs', () => {
  it('lists by the command class (keyword, every account) and keeps the jobs on the resource or naming none', async () => {
    const {calls, client} = fakeClient(
      [
        job('a', PREPARE, {jobinstanceid: HOST, jobinstancetype: 'Host'}),
        job('b', PREPARE, {jobinstanceid: OTHER, jobinstancetype: 'Host'}),
        job('c', `${PREPARE}Extra`),
        job('d', PREPARE),
        job('mine', PREPARE, {jobinstanceid: HOST, jobinstancetype: 'Host'}),
      ],
      {own: ['mine']},
    )
    const found = await listJobsOf(client, {
      command: 'prepareHostForMaintenance',
      instanceId: HOST.toUpperCase(),
    })
    assert.deepEqual(
      found.map((f) => [f.job.jobid, f.named]),
      [
        ['a', true],
        ['d', false],
      ],
    )
    assert.deepEqual(calls[0], {
      command: 'listAsyncJobs',
      params: {keyword: 'PrepareForMaintenanceCmd', listall: true},
    })
  })

  it('prefers a pending job naming the resource; finished ones are not pending', async () => {
    const {client} = fakeClient([
      job('unnamed', CERT),
      job('done', CERT, {jobinstanceid: HOST, jobstatus: 1}),
      job('named', CERT, {jobinstanceid: HOST}),
    ])
    const found = await findPendingJob(client, {command: 'provisionCertificate', instanceId: HOST})
    assert.equal(found?.job.jobid, 'named')
  })

  it('a server that refuses the listing gives a warning and no job', async () => {
    const {client} = fakeClient([], {refuse: 432})
    const warnings: string[] = []
    assert.equal(
      await findPendingJob(client, {command: 'provisionCertificate'}, (l) => warnings.push(l)),
      undefined,
    )
    assert.match(warnings[0], /cannot look for provisionCertificate jobs already running/)
  })

  it('after a lost answer, takes the pending job on the resource, else one created since the submission', async () => {
    const sent = Date.parse('2026-01-01T10:00:00Z')
    const old = job('old', PREPARE, {created: '2026-01-01T09:00:00+0000', jobinstanceid: HOST, jobstatus: 1})
    const recent = job('recent', PREPARE, {
      created: '2026-01-01T10:00:01+0000',
      jobinstanceid: HOST,
      jobstatus: 1,
    })
    const target = {command: 'prepareHostForMaintenance', instanceId: HOST}
    assert.equal(
      (await findJobOfLostAnswer(fakeClient([old, recent]).client, target, sent))?.job.jobid,
      'recent',
    )
    assert.equal(await findJobOfLostAnswer(fakeClient([old]).client, target, sent), undefined)
    // A job naming no resource is not taken for this host's.
    assert.equal(
      await findJobOfLostAnswer(fakeClient([job('unnamed', PREPARE)]).client, target, sent),
      undefined,
    )
  })

  it('submitOnce: waits for a pending job instead of submitting; submits when none; rethrows a lost answer it cannot settle', async () => {
    const target = {command: 'prepareHostForMaintenance', instanceId: HOST, label: 'kvm-1'}
    const notes: string[] = []
    const pending = fakeClient([job('running', PREPARE, {jobinstanceid: HOST})])
    const adopted = await submitOnce(pending.client, {
      command: target.command,
      note: (l) => notes.push(l),
      params: {id: HOST},
      target,
    })
    assert.deepEqual(adopted, {adopted: 'pending', jobid: 'running'})
    assert.equal(
      notes[0],
      'a prepareHostForMaintenance job for kvm-1 is already running (job running); waiting for it',
    )
    assert.ok(!pending.calls.some((c) => c.command === 'prepareHostForMaintenance'))

    const none = fakeClient([])
    assert.deepEqual(
      await submitOnce(none.client, {command: target.command, note() {}, params: {id: HOST}, target}),
      {
        jobid: 'new-job',
      },
    )

    const lost = fakeClient([], {
      async submit() {
        throw new OutcomeUnknownError(target.command, 'socket hang up', {code: 'ECONNRESET'})
      },
    })
    await assert.rejects(
      submitOnce(lost.client, {command: target.command, note() {}, params: {id: HOST}, target}),
      (error: unknown) => error instanceof OutcomeUnknownError && error.exitCode === 6,
    )
  })
})
