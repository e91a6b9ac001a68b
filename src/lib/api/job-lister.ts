/**
 * Polling many async jobs with one call: every job waiting in a batch asks this lister instead
 * of sending its own queryAsyncJobResult. Polls that come close together share one
 * `listAsyncJobs` call (at most one every `gapMs`, one in flight at a time), whose answer holds
 * each job's status and, once it ended, its `jobresult` — the same fields queryAsyncJobResult
 * answers (upstream: AsyncJobJoinDaoImpl.newAsyncJobResponse builds the listed jobs, jobresult
 * included, from the same serialized result; ListAsyncJobsCmd lists the caller's jobs, filtered
 * by `startdate`, paged by `page`/`pagesize`).
 *
 * The listing asks only for jobs created since the oldest job still waited for: `startdate` as
 * `yyyy-MM-dd HH:mm:ss`, which the server reads in its own time zone (ParamProcessWorker, DATE
 * parameters) and compares with each job's `created` at the second (`created >=`,
 * QueryManagerImpl.searchForAsyncJobs), so the zone and the offset of the server's clock to ours
 * are learnt from the `created` of the jobs seen (`2025-01-01T12:00:00+0900`). A job is created
 * after its submission was sent and before its answer came: each job's `created` (truncated to the
 * second, so never later than the instant) minus the time its answer came bounds the offset from
 * below, and the largest of these bounds is kept. A job told to the lister with `submitted()` is
 * listed from the time its submission was sent plus that offset, which is never later than its
 * `created`; a job first seen by `fetch()` alone (its sending unknown) from the time it was first
 * asked for, less 2 s of margin. The window's start is truncated to the second, which only widens it.
 *
 * The listing reads one page, not every job of the window: the server lists in id order
 * (`Filter(AsyncJobJoinVO.class, "id", true, startIndex, pageSize)`) from `(page - 1) × pagesize`
 * (BaseListCmd.getStartIndex), so while the window's start stays put (until the oldest job polled
 * is of a later second) each job keeps its place in it: jobs are only ever added at the end, with
 * higher ids. A job's place is known once a listing showed it; before that, it is at
 * least the count of the last listing answered before its submission was sent (that listing's
 * jobs were all created before it). The page asked for starts at or before the lowest place of
 * the jobs polled and reaches the count expected (the last count, the jobs sent since, a margin),
 * so a listing costs about what it waits for, not every job since the window's start (at 1,000
 * power actions, 50 at a time, a listing carried about 400 jobs before, 60 now). When the answer's
 * count shows that a job polled may be on another page (more jobs than expected, or places that
 * moved), those pages are read too, one call each.
 *
 * A job the listing does not show (before those are known, a clock that stepped, a page limit, a
 * server that lists differently) is asked for alone with queryAsyncJobResult — whose answer
 * teaches them, and lowers the offset so that the next listing would have shown it — so no
 * outcome depends on the listing: at worst a poll costs what it did before.
 */
import type {MoldClient} from './client.js'
import type {AsyncJob} from './types.js'

import {listPage} from './envelope.js'
import {pageSizeLimit} from './paging.js'

export type JobListClient = Pick<MoldClient, 'queryJob' | 'request'>

/** Margin for a job first seen by fetch(): the time from its creation to its first poll is not known. */
const MARGIN_MS = 2000
/** Jobs expected beyond those known to the lister (other callers' jobs created meanwhile). */
const SLACK_JOBS = 8
/** The server's default.page.size unless it names a lower one (the most a page may hold). */
const MAX_PAGE_SIZE = 500
/** How much further apart listings come once the budget is spent. */
const SLOW_DOWN = 4
/** Listings remembered for the places of jobs not yet listed (their count, when they were answered). */
const COUNTS_KEPT = 16

/** The jobs listed since one start date: where each of the jobs waited for is in that list. */
interface ListWindow {
  /** Counts answered for this window, oldest first: when (local Date.now()) and how many. */
  counts: Array<{at: number; count: number}>
  /** Place (0-based) of each job waited for in the window, once a listing showed it. */
  places: Map<string, number>
  startdate: string
}

export class JobLister {
  /** Jobs listed or queried this many times: for tests and benchmarks. */
  readonly calls = {listed: 0, queried: 0}
  /** Local time each job's submission answered (submitted()), else when it was first asked for. */
  private readonly answered = new Map<string, number>()
  private readonly budget: number
  /** Offset bound from the jobs missed by a listing: the listing is never started later than this. */
  private capMs = Infinity
  private readonly client: JobListClient
  /** Local time from which each job is listed (its sending, else its first poll less the margin). */
  private readonly firstAsked = new Map<string, number>()
  private readonly gapMs: number
  private inFlight?: Promise<void>
  private lastListAt = -Infinity
  private maxPageSize = MAX_PAGE_SIZE
  /** Server clock minus ours, ms: the largest lower bound learnt from the jobs' `created`; undefined before. */
  private offsetMs?: number
  /** Local time each job told with submitted() was sent. */
  private readonly sentAt = new Map<string, number>()
  private readonly waiting = new Map<string, Array<(job: AsyncJob | undefined) => void>>()
  private window?: ListWindow
  /** The server's time zone (ms east of UTC), from the suffix of the jobs' `created`. */
  private zoneMs = 0

  /**
   * `gapMs`: the least time between two listings. `budget`: how many listing calls a batch may
   * make at that pace; past it, listings come SLOW_DOWN times further apart, so a batch that
   * runs slow (a loaded server, slow BMCs) does not cost more calls per job than one that runs
   * well, and its last jobs are still seen.
   */
  constructor(client: JobListClient, opts: {budget?: number; gapMs?: number} = {}) {
    this.client = client
    this.gapMs = opts.gapMs ?? 20
    this.budget = opts.budget ?? Infinity
  }

  /** Stops tracking a job (it ended, or its waiter gave up). */
  done(jobid: string): void {
    this.firstAsked.delete(jobid)
    this.answered.delete(jobid)
    this.sentAt.delete(jobid)
    this.window?.places.delete(jobid)
  }

  /** The job as the server reports it now (listed with the others, else queried alone). */
  async fetch(jobid: string): Promise<AsyncJob> {
    if (!this.firstAsked.has(jobid)) {
      const now = Date.now()
      this.firstAsked.set(jobid, now - MARGIN_MS)
      this.answered.set(jobid, now)
    }

    const listed = await new Promise<AsyncJob | undefined>((resolve) => {
      const list = this.waiting.get(jobid) ?? []
      list.push(resolve)
      this.waiting.set(jobid, list)
      this.schedule()
    })
    if (listed) return listed
    this.calls.queried++
    const job = await this.client.queryJob(jobid)
    this.learnOffset(job)
    this.learnMiss(job)
    return job
  }

  /**
   * Tells the lister when a job's submission was sent and when its answer came (local
   * Date.now()), before its first fetch(): it is then listed from its sending, with no margin.
   */
  submitted(jobid: string, sentAtMs: number, answeredAtMs: number): void {
    this.firstAsked.set(jobid, sentAtMs)
    this.answered.set(jobid, answeredAtMs)
    this.sentAt.set(jobid, sentAtMs)
  }

  /** How many jobs the window is expected to hold now: the last count, the jobs sent since, a margin. */
  private expectedCount(window: ListWindow): number {
    const last = window.counts.at(-1)?.count ?? 0
    let placed = last
    let unplaced = 0
    for (const id of this.firstAsked.keys()) {
      const place = window.places.get(id)
      if (place === undefined) unplaced++
      else placed = Math.max(placed, place + 1)
    }

    return placed + unplaced + SLACK_JOBS
  }

  /** A job the listing did not show: the next listing starts no later than its `created`. */
  private learnMiss(job: AsyncJob): void {
    const created = job.created === undefined ? Number.NaN : Date.parse(job.created)
    const from = this.firstAsked.get(job.jobid)
    if (Number.isNaN(created) || from === undefined || this.offsetMs === undefined) return
    if (from + this.offsetMs <= created) return
    this.capMs = Math.min(this.capMs, created - from)
    this.offsetMs = Math.min(this.offsetMs, this.capMs)
  }

  private learnOffset(job: AsyncJob): void {
    const zone = job.created === undefined ? null : /([+-])(\d\d):?(\d\d)$/.exec(job.created)
    if (zone) this.zoneMs = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60_000
    const created = job.created === undefined ? Number.NaN : Date.parse(job.created)
    const answered = this.answered.get(job.jobid)
    if (Number.isNaN(created) || answered === undefined) return
    // The job was created before its submission answered: created - answered bounds the offset below.
    const offset = Math.min(created - answered, this.capMs)
    this.offsetMs = this.offsetMs === undefined ? offset : Math.max(this.offsetMs, offset)
  }

  private async listOnce(): Promise<void> {
    const batch = new Map(this.waiting)
    this.waiting.clear()
    this.lastListAt = Date.now()
    const oldest = Math.min(...[...batch.keys()].map((id) => this.firstAsked.get(id) ?? Date.now()))
    const startdate = serverDate(oldest + (this.offsetMs ?? 0), this.zoneMs)
    // Another start (the oldest job polled changed second): places are learnt again from there.
    if (this.window?.startdate !== startdate) this.window = {counts: [], places: new Map(), startdate}
    const {window} = this
    const byId = new Map<string, AsyncJob>()
    try {
      await this.listWindow(window, [...batch.keys()], byId)
    } catch {
      // Each waiter not seen asks for its job alone (which has its own retries and errors).
    }

    for (const [jobid, waiters] of batch) {
      const job = byId.get(jobid)
      if (job) this.learnOffset(job)
      for (const resolve of waiters) resolve(job)
    }
  }

  /** Reads the pages of the window that hold the jobs (see the top of the file), into `byId`. */
  private async listWindow(window: ListWindow, jobids: string[], byId: Map<string, AsyncJob>): Promise<void> {
    const lowest = Math.min(...jobids.map((id) => this.placeAtLeast(window, id)))
    const expected = Math.max(this.expectedCount(window), lowest + jobids.length + SLACK_JOBS)
    let read = await this.readPage(window, pageFor(lowest, expected, this.maxPageSize), byId)
    const missing = () => jobids.some((id) => !byId.has(id))
    // More jobs than expected: the ones polled may be after the page read.
    let {end} = read
    while (missing() && end < read.count) {
      // eslint-disable-next-line no-await-in-loop
      read = await this.readPage(window, pageFor(end, read.count + SLACK_JOBS, this.maxPageSize), byId)
      end = Math.max(end, read.end)
    }

    // Places that moved (jobs deleted from before them): the jobs before the first page read.
    let {start} = read
    while (missing() && start > 0) {
      const from = Math.max(0, start - this.maxPageSize)
      // eslint-disable-next-line no-await-in-loop
      read = await this.readPage(window, pageFor(from, start, this.maxPageSize), byId)
      start = Math.min(start - 1, read.start)
    }
  }

  /** The lowest place the job can have in the window: where it was listed, else the count before it was sent. */
  private placeAtLeast(window: ListWindow, jobid: string): number {
    const place = window.places.get(jobid)
    if (place !== undefined) return place
    // Only a job whose sending is known was created after the listings answered before it.
    const sent = this.sentAt.get(jobid)
    if (sent === undefined) return 0
    // Strictly before: a listing answered in the same millisecond may have seen the job.
    return window.counts.findLast((c) => c.at < sent)?.count ?? 0
  }

  /** One page of the window; records the places and the count it shows. */
  private async readPage(
    window: ListWindow,
    {page, size}: {page: number; size: number},
    byId: Map<string, AsyncJob>,
  ): Promise<{count: number; end: number; start: number}> {
    this.calls.listed++
    let inner
    try {
      inner = await this.client.request('listAsyncJobs', {page, pagesize: size, startdate: window.startdate})
    } catch (error) {
      // A server whose default.page.size is lower names its limit: use it from now on.
      const limit = pageSizeLimit(error, size)
      if (limit === undefined) throw error
      this.maxPageSize = limit
      return this.readPage(window, pageFor((page - 1) * size, page * size, this.maxPageSize), byId)
    }

    const {count, items} = listPage<AsyncJob>('listAsyncJobs', inner, 'asyncjobs')
    const start = (page - 1) * size
    for (const [i, job] of items.entries()) {
      byId.set(job.jobid, job)
      if (this.firstAsked.has(job.jobid)) window.places.set(job.jobid, start + i)
    }

    const total = count ?? start + items.length
    window.counts.push({at: Date.now(), count: total})
    if (window.counts.length > COUNTS_KEPT) window.counts.shift()
    return {count: total, end: start + size, start}
  }

  private schedule(): void {
    if (this.inFlight) return
    const spent = this.calls.listed >= this.budget
    const wait = Math.max(0, this.lastListAt + this.gapMs * (spent ? SLOW_DOWN : 1) - Date.now())
    this.inFlight = (async () => {
      // Let the polls due at about the same time join this listing.
      await new Promise((resolve) => {
        setTimeout(resolve, wait)
      })
      await this.listOnce()
    })().finally(() => {
      this.inFlight = undefined
      if (this.waiting.size > 0) this.schedule()
    })
  }
}

/**
 * The page to ask for to list from place `from` (0-based) up to `expected` jobs: pages of one
 * size, the one read starting at or before `from` and, when a page of at most `max` allows it,
 * reaching `expected`; the smallest such page. Otherwise pages of `max` from the one holding `from`.
 */
export function pageFor(from: number, expected: number, max: number): {page: number; size: number} {
  const first = Math.max(0, Math.min(from, expected - 1))
  const want = Math.max(1, expected)
  for (let skipped = Math.floor(first / Math.max(1, want - first)); skipped >= 0; skipped--) {
    const size = Math.ceil(want / (skipped + 1))
    if (size > max) break
    if (skipped * size <= first) return {page: skipped + 1, size}
  }

  return {page: Math.floor(first / max) + 1, size: max}
}

/** `2025-01-01 12:00:00`: a DATE parameter with its time, in the server's zone (`zoneMs` east of UTC). */
export function serverDate(ms: number, zoneMs = 0): string {
  return new Date(ms + zoneMs).toISOString().slice(0, 19).replace('T', ' ')
}
