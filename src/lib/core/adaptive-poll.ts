/**
 * When to ask again whether an async job has finished, for batches of similar jobs (one power
 * action per host, many in flight). A fixed 1 s poll would dominate a 100 ms BMC answer, and a
 * tight fixed poll would flood the server when BMCs are slow. So the schedule learns when to look
 * first (the "aim"):
 *
 * - Before anything is learnt, a job is polled after `initialMs` (100 ms: a BMC rarely answers
 *   sooner), then after a quarter of the time spent so far each time.
 * - From then on most jobs are polled first at the aim, and — if not done yet — again after a
 *   small share of the time spent (3% just past the aim, 10% up to twice it, then 25%), so a poll
 *   never lags a job by more than that share.
 * - Every eighth job is a probe: it is polled a little before the aim (90%, then 95%), which
 *   brackets when it finished. The aim is the 90th percentile of the last probes' (and first
 *   jobs') finishing times, so it follows the batch without being pulled up by the slow jobs
 *   alone or swung by the many jobs in flight at once. A probe already finished at its first
 *   poll makes the next one start lower (half as far); three probes in a row far from the aim
 *   (below 80% or above 125%) mean the jobs changed, and the older estimates are dropped.
 */
export interface AdaptivePollOptions {
  /** First wait before anything has been learned. */
  initialMs?: number
  /** Longest wait between two polls. */
  maxMs?: number
  /** Shortest wait between two polls. */
  minMs?: number
}

/** The polling of one job: ask it for each wait, tell it when the job is seen finished. */
export interface JobPolling {
  /** Records the job as seen finished (`elapsedMs` after polling began: when the answer came). */
  finished(elapsedMs: number): void
  /** Milliseconds to wait before the next poll, `elapsedMs` after polling began (0 before the first). */
  nextDelay(elapsedMs: number): number
}

const PROBE_EVERY = 8
/** A probe's first poll, as a share of the aim (lowered while probes finish before it). */
const PROBE_START = 0.9
const PROBE_LAST = 0.95
const WINDOW = 24
const QUANTILE = 0.9

export class AdaptivePollSchedule {
  private aim?: number
  private readonly estimates: number[] = []
  private readonly initialMs: number
  private jobs = 0
  private readonly maxMs: number
  private readonly minMs: number
  private probeStart = PROBE_START
  private readonly recentProbes: number[] = []

  constructor(options: AdaptivePollOptions = {}) {
    this.initialMs = options.initialMs ?? 100
    this.maxMs = options.maxMs ?? 5000
    this.minMs = options.minMs ?? 2
  }

  /** The current first-poll aim in milliseconds (undefined until a job has finished). */
  get aimMs(): number | undefined {
    return this.aim
  }

  /** Milliseconds to wait before the next poll of a job whose polling began `elapsedMs` ago. */
  nextDelay(elapsedMs: number): number {
    const {aim} = this
    if (aim === undefined) return elapsedMs <= 0 ? this.initialMs : this.clamp(elapsedMs * 0.25)
    if (elapsedMs < aim) return this.clamp(aim - elapsedMs)
    if (elapsedMs < aim * 1.2) return this.clamp(elapsedMs * 0.03)
    return this.clamp(elapsedMs * (elapsedMs < aim * 2 ? 0.1 : 0.25))
  }

  /** Adds one estimate of when a job finishes; the aim becomes the 90th percentile of the recent ones. */
  record(estimateMs: number): void {
    if (!Number.isFinite(estimateMs) || estimateMs < 0) return
    this.estimates.push(estimateMs)
    if (this.estimates.length > WINDOW) this.estimates.shift()
    this.updateAim()
  }

  /**
   * Polling of one job. Probes and jobs polled before there was an aim teach the schedule. Times
   * are those at which polls were sent (when each wait ends), not when their answers came: the
   * job finished after the last poll sent that found it pending and before the one that found it
   * done, and aiming at answer times would add a round trip to every job.
   */
  startJob(): JobPolling {
    const probe = this.aim !== undefined && this.jobs++ % PROBE_EVERY === 0
    let learning = false
    let sentAt: number | undefined
    let pendingSentAt: number | undefined
    return {
      finished: (elapsedMs) => {
        if (!learning) return
        const doneSentAt = sentAt ?? elapsedMs
        const estimate = pendingSentAt === undefined ? doneSentAt : (pendingSentAt + doneSentAt) / 2
        if (probe) this.recordProbe(estimate, pendingSentAt === undefined)
        else this.record(estimate)
      },
      nextDelay: (elapsedMs) => {
        if (sentAt === undefined) learning = probe || this.aim === undefined
        else pendingSentAt = sentAt
        const delay = probe ? this.probeDelay(elapsedMs) : this.nextDelay(elapsedMs)
        sentAt = elapsedMs + delay
        return delay
      },
    }
  }

  private clamp(ms: number): number {
    return Math.max(this.minMs, Math.min(this.maxMs, ms))
  }

  /** A probe polls at probeStart × aim, then 25% later each time up to 90%, then at 95%. */
  private probeDelay(elapsedMs: number): number {
    const aim = this.aim!
    if (elapsedMs < aim * this.probeStart) return this.clamp(aim * this.probeStart - elapsedMs)
    if (elapsedMs < aim * PROBE_START)
      return this.clamp(Math.min(elapsedMs * 0.25, aim * PROBE_START - elapsedMs))
    if (elapsedMs < aim * PROBE_LAST) return this.clamp(aim * PROBE_LAST - elapsedMs)
    return this.nextDelay(elapsedMs)
  }

  private recordProbe(estimateMs: number, finishedBeforeFirstPoll: boolean): void {
    const aim = this.aim!
    this.probeStart = finishedBeforeFirstPoll ? Math.max(0.05, this.probeStart / 2) : PROBE_START
    this.recentProbes.push(estimateMs)
    if (this.recentProbes.length > 3) this.recentProbes.shift()
    const changed =
      this.recentProbes.length === 3 &&
      (this.recentProbes.every((e) => e < aim * 0.8) || this.recentProbes.every((e) => e > aim * 1.25))
    // The jobs changed: keep only the probes that showed it (this one is added just below).
    if (changed) this.estimates.splice(0, this.estimates.length, ...this.recentProbes.slice(0, -1))
    this.record(estimateMs)
  }

  private updateAim(): void {
    const sorted = [...this.estimates].sort((a, b) => a - b)
    const at = Math.min(sorted.length - 1, Math.floor(sorted.length * QUANTILE))
    this.aim = Math.max(this.minMs, Math.min(this.maxMs * 10, sorted[at]))
  }
}
