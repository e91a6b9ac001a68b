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
 * A job the listing does not show (before those are known, a clock that stepped, a page limit, a
 * server that lists differently) is asked for alone with queryAsyncJobResult — whose answer
 * teaches them, and lowers the offset so that the next listing would have shown it — so no
 * outcome depends on the listing: at worst a poll costs what it did before.
 */
import type {MoldClient} from './client.js'
import type {AsyncJob} from './types.js'

export type JobListClient = Pick<MoldClient, 'list' | 'queryJob'>

/** Margin for a job first seen by fetch(): the time from its creation to its first poll is not known. */
const MARGIN_MS = 2000

export class JobLister {
  /** Jobs listed or queried this many times: for tests and benchmarks. */
  readonly calls = {listed: 0, queried: 0}
  /** Local time each job's submission answered (submitted()), else when it was first asked for. */
  private readonly answered = new Map<string, number>()
  /** Offset bound from the jobs missed by a listing: the listing is never started later than this. */
  private capMs = Infinity
  private readonly client: JobListClient
  /** Local time from which each job is listed (its sending, else its first poll less the margin). */
  private readonly firstAsked = new Map<string, number>()
  private readonly gapMs: number
  private inFlight?: Promise<void>
  private lastListAt = -Infinity
  /** Server clock minus ours, ms: the largest lower bound learnt from the jobs' `created`; undefined before. */
  private offsetMs?: number
  private readonly waiting = new Map<string, Array<(job: AsyncJob | undefined) => void>>()
  /** The server's time zone (ms east of UTC), from the suffix of the jobs' `created`. */
  private zoneMs = 0

  constructor(client: JobListClient, opts: {gapMs?: number} = {}) {
    this.client = client
    this.gapMs = opts.gapMs ?? 20
  }

  /** Stops tracking a job (it ended, or its waiter gave up). */
  done(jobid: string): void {
    this.firstAsked.delete(jobid)
    this.answered.delete(jobid)
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
    const since = oldest + (this.offsetMs ?? 0)
    let jobs: AsyncJob[] = []
    try {
      this.calls.listed++
      jobs = await this.client.list<AsyncJob>(
        'listAsyncJobs',
        {startdate: serverDate(since, this.zoneMs)},
        {itemKey: 'asyncjobs'},
      )
    } catch {
      // Each waiter asks for its job alone (which has its own retries and errors).
      jobs = []
    }

    const byId = new Map(jobs.map((job) => [job.jobid, job]))
    for (const [jobid, waiters] of batch) {
      const job = byId.get(jobid)
      if (job) this.learnOffset(job)
      for (const resolve of waiters) resolve(job)
    }
  }

  private schedule(): void {
    if (this.inFlight) return
    const wait = Math.max(0, this.lastListAt + this.gapMs - Date.now())
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

/** `2025-01-01 12:00:00`: a DATE parameter with its time, in the server's zone (`zoneMs` east of UTC). */
export function serverDate(ms: number, zoneMs = 0): string {
  return new Date(ms + zoneMs).toISOString().slice(0, 19).replace('T', ' ')
}
