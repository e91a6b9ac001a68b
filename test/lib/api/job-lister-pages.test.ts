import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {JobListClient} from '../../../src/lib/api/job-lister.js'
import type {ApiObject, AsyncJob, Params} from '../../../src/lib/api/types.js'

import {JobLister, pageFor, serverDate} from '../../../src/lib/api/job-lister.js'
import {ApiError} from '../../../src/lib/core/errors.js'

/**
 * The lister against a server kept in memory, so that which jobs share a second and where each
 * one is in the listing are set by the test: listAsyncJobs lists the jobs created at or after
 * `startdate`, in id order, paged from (page - 1) × pagesize, as upstream's searchForAsyncJobs
 * does (and refuses a page above `maxPageSize`, as BaseListCmd does).
 */
class JobServer implements JobListClient {
  readonly jobs: Array<AsyncJob & {created: string}> = []
  readonly listings: Array<{at: number; page: number; pagesize: number; returned: number}> = []
  maxPageSize = 500
  queried = 0
  private next = 0

  /** A job created now (all in one second: the test's clock second, in UTC). */
  add(status = 0): string {
    const jobid = `job-${String(this.next++).padStart(4, '0')}`
    const created = `${new Date().toISOString().slice(0, 19)}+0000`
    this.jobs.push({created, jobid, jobstatus: status})
    return jobid
  }

  end(jobid: string): void {
    const job = this.jobs.find((j) => j.jobid === jobid)!
    job.jobstatus = 1
    job.jobresult = {done: jobid}
  }

  async queryJob(jobid: string): Promise<AsyncJob> {
    this.queried++
    return {...this.jobs.find((j) => j.jobid === jobid)!}
  }

  async request(command: string, params: Params = {}): Promise<ApiObject> {
    assert.equal(command, 'listAsyncJobs')
    const page = Number(params.page)
    const pagesize = Number(params.pagesize)
    if (pagesize > this.maxPageSize) {
      throw new ApiError(
        command,
        431,
        `Page size can't exceed max allowed page size value: ${this.maxPageSize}`,
      )
    }

    const since = Date.parse(`${String(params.startdate).replace(' ', 'T')}Z`)
    const all = this.jobs.filter((j) => Date.parse(j.created) >= since)
    const items = all.slice((page - 1) * pagesize, page * pagesize).map((j) => ({...j}))
    this.listings.push({at: performance.now(), page, pagesize, returned: items.length})
    return all.length === 0 ? {} : {asyncjobs: items, count: all.length}
  }
}

/** A lister told of a job submitted now (the server's clock is ours: no offset to learn). */
function submit(server: JobServer, lister: JobLister): string {
  const sent = Date.now()
  const jobid = server.add()
  lister.submitted(jobid, sent, Date.now())
  return jobid
}

/** The lister shows each of the jobs with the result the server ended it with. */
async function assertEachEnded(lister: JobLister, jobids: string[]): Promise<void> {
  const ended = await Promise.all(jobids.map((id) => lister.fetch(id)))
  assert.deepEqual(
    ended.map((job) => job.jobresult),
    jobids.map((id) => ({done: id})),
  )
}

/** Runs `body` at the start of a second, so that every job it makes is created in that second. */
async function inOneSecond(body: () => Promise<void>): Promise<void> {
  const intoSecond = Date.now() % 1000
  if (intoSecond > 200) await new Promise((resolve) => setTimeout(resolve, 1000 - intoSecond + 5))
  await body()
}

describe('JobLister: one page of the listing', () => {
  it('pageFor: a page that starts at or before the first place and reaches the count expected', () => {
    for (let from = 0; from < 400; from += 7) {
      for (let expected = from + 1; expected < from + 300; expected += 11) {
        const {page, size} = pageFor(from, expected, 500)
        const start = (page - 1) * size
        assert.ok(size >= 1 && size <= 500, `size ${size}`)
        assert.ok(start <= from, `${from}..${expected}: page ${page} of ${size} starts at ${start}`)
        if (start + size < expected) {
          // No one page of at most 500 can: the page of 500 holding the first place (the rest follows).
          assert.equal(size, 500, `${from}..${expected}: page ${page} of ${size} ends too soon`)
          assert.ok(from < start + size)
          continue
        }

        // Not much more than what is waited for: a page is never more than twice the range.
        assert.ok(size <= 2 * (expected - from) + 1 || start === 0, `${from}..${expected}: size ${size}`)
      }
    }

    // Beyond one page of the most allowed: pages of the most, from the one holding the first place.
    assert.deepEqual(pageFor(1200, 1900, 500), {page: 3, size: 500})
    assert.deepEqual(pageFor(0, 10, 500), {page: 1, size: 10})
  })

  it('reads only the page of the jobs polled, not every job of the second before them', async () => {
    const server = new JobServer()
    const lister = new JobLister(server, {gapMs: 1})
    await inOneSecond(async () => {
      // 300 jobs of others in the same second, then ours, in waves as a batch sends them.
      for (let i = 0; i < 300; i++) server.add(1)
      for (let wave = 0; wave < 5; wave++) {
        const jobs = Array.from({length: 10}, () => submit(server, lister))
        const polls = jobs.map((id) => lister.fetch(id))
        for (const id of jobs) server.end(id)
        const seen = await Promise.all(polls)
        assert.ok(seen.every((job) => job.jobstatus === 0 || job.jobresult !== undefined))
        await assertEachEnded(lister, jobs)
        for (const id of jobs) lister.done(id)
      }
    })
    assert.equal(server.queried, 0, 'a job was asked for alone')
    // The first listing knows no places (the 300 others are read once); later ones read one small page.
    const later = server.listings.slice(2)
    assert.ok(later.length > 0)
    for (const l of later)
      assert.ok(l.returned <= 30, `a listing returned ${l.returned} jobs: ${JSON.stringify(l)}`)
  })

  it('reads the next pages when more jobs were created than expected, and asks for none alone', async () => {
    const server = new JobServer()
    const lister = new JobLister(server, {gapMs: 1})
    await inOneSecond(async () => {
      const first = submit(server, lister)
      server.end(first)
      await lister.fetch(first)
      lister.done(first)
      // Others make 200 jobs, then ours is sent: it is beyond the page the lister expects.
      for (let i = 0; i < 200; i++) server.add(1)
      const ours = submit(server, lister)
      server.end(ours)
      assert.deepEqual((await lister.fetch(ours)).jobresult, {done: ours})
    })
    assert.equal(server.queried, 0)
    assert.ok(server.listings.length <= 4, JSON.stringify(server.listings))
  })

  it('reads the pages before when jobs were deleted (places moved), and asks for none alone', async () => {
    const server = new JobServer()
    const lister = new JobLister(server, {gapMs: 1})
    await inOneSecond(async () => {
      for (let i = 0; i < 100; i++) server.add(1)
      const ours = Array.from({length: 5}, () => submit(server, lister))
      await Promise.all(ours.map((id) => lister.fetch(id)))
      // The server drops the 100 older jobs: ours move 100 places up.
      server.jobs.splice(0, 100)
      for (const id of ours) server.end(id)
      await assertEachEnded(lister, ours)
    })
    assert.equal(server.queried, 0)
  })

  it("keeps to a server's lower page size limit, learnt from its refusal", async () => {
    const server = new JobServer()
    server.maxPageSize = 20
    const lister = new JobLister(server, {gapMs: 1})
    await inOneSecond(async () => {
      for (let i = 0; i < 50; i++) server.add(1)
      const ours = Array.from({length: 30}, () => submit(server, lister))
      for (const id of ours) server.end(id)
      await assertEachEnded(lister, ours)
    })
    assert.equal(server.queried, 0)
    assert.ok(server.listings.every((l) => l.pagesize <= 20))
  })

  it('past its budget of listings, lists 4 times less often, and still sees every job end', async () => {
    const server = new JobServer()
    const lister = new JobLister(server, {budget: 20, gapMs: 5})
    const jobs = Array.from({length: 20}, () => submit(server, lister))
    // The jobs stay pending for 40 polls each: far more listings than the budget of 20.
    const polls = new Map(jobs.map((id) => [id, 0]))
    await Promise.all(
      jobs.map(async (id) => {
        for (;;) {
          const job = await lister.fetch(id)
          if (job.jobstatus !== 0) return
          polls.set(id, polls.get(id)! + 1)
          if (polls.get(id) === 40) server.end(id)
        }
      }),
    )
    assert.equal(server.queried, 0)
    const budget = 20
    assert.ok(server.listings.length > budget, 'the budget was never reached')
    // Past the budget, listings come 4 × 5 ms apart (at least 15: timers never fire early, and
    // the lister's clock, Date.now(), has whole milliseconds), where the gap alone allows 5.
    const late = server.listings.slice(budget + 1)
    for (const [i, l] of late.entries()) {
      const gap = l.at - server.listings[budget + i].at
      assert.ok(gap >= 15, `listing ${budget + 1 + i} came ${gap.toFixed(1)} ms after the one before`)
    }
  })

  it('serverDate is the DATE parameter of the listing (the server zone, to the second)', () => {
    assert.equal(serverDate(Date.parse('2025-01-01T12:00:00.900Z'), 9 * 3_600_000), '2025-01-01 21:00:00')
  })
})
