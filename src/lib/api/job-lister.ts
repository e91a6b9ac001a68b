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
 * parameters), so the zone and the offset of the server's clock to ours are learnt from the
 * `created` of the jobs seen (`2025-01-01T12:00:00+0900`), with 2 s of margin. A job the listing
 * does not show (before those are known, a page limit, a server that lists differently) is asked
 * for alone with queryAsyncJobResult — whose answer teaches them — so no outcome depends on the
 * listing: at worst a poll costs what it did before.
 */
import type {MoldClient} from './client.js'
import type {AsyncJob} from './types.js'

export type JobListClient = Pick<MoldClient, 'list' | 'queryJob'>

const MARGIN_MS = 2000

export class JobLister {
  /** Jobs listed or queried this many times: for tests and benchmarks. */
  readonly calls = {listed: 0, queried: 0}
  private readonly client: JobListClient
  /** Local time each job was first asked for: the oldest gives the listing's startdate. */
  private readonly firstAsked = new Map<string, number>()
  private readonly gapMs: number
  private inFlight?: Promise<void>
  private lastListAt = -Infinity
  /** Server clock minus ours, ms, as learnt from the jobs' `created`; undefined before. */
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
  }

  /** The job as the server reports it now (listed with the others, else queried alone). */
  async fetch(jobid: string): Promise<AsyncJob> {
    if (!this.firstAsked.has(jobid)) this.firstAsked.set(jobid, Date.now())
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
    return job
  }

  private learnOffset(job: AsyncJob): void {
    const zone = job.created === undefined ? null : /([+-])(\d\d):?(\d\d)$/.exec(job.created)
    if (zone) this.zoneMs = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60_000
    const created = job.created === undefined ? Number.NaN : Date.parse(job.created)
    const asked = this.firstAsked.get(job.jobid)
    if (Number.isNaN(created) || asked === undefined) return
    // The job was created before we first asked for it: created - asked bounds the offset below.
    const offset = created - asked
    this.offsetMs = this.offsetMs === undefined ? offset : Math.min(this.offsetMs, offset)
  }

  private async listOnce(): Promise<void> {
    const batch = new Map(this.waiting)
    this.waiting.clear()
    this.lastListAt = Date.now()
    const oldest = Math.min(...[...batch.keys()].map((id) => this.firstAsked.get(id) ?? Date.now()))
    const since = oldest + (this.offsetMs ?? 0) - MARGIN_MS
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
