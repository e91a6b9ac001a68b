/**
 * When to ask again whether an async job has finished, for batches of similar jobs (one power
 * action per host). A fixed 1 s poll would dominate a 100 ms BMC answer, and a tight fixed poll
 * would flood the server on a slow BMC. So the schedule learns: once some jobs of the batch have
 * finished, the first poll of the next job waits for about their typical duration; until then,
 * and after that estimate has passed, it waits a fraction of the time already spent, so a poll
 * never lags a job by more than that fraction.
 */
export interface AdaptivePollOptions {
  /** First wait before anything has been learned. */
  initialMs?: number
  /** Longest wait between two polls. */
  maxMs?: number
  /** Shortest wait between two polls. */
  minMs?: number
  /** Durations remembered (the most recent ones). */
  window?: number
}

export class AdaptivePollSchedule {
  private readonly durations: number[] = []
  private readonly initialMs: number
  private readonly maxMs: number
  private readonly minMs: number
  private readonly window: number

  constructor(options: AdaptivePollOptions = {}) {
    this.initialMs = options.initialMs ?? 50
    this.maxMs = options.maxMs ?? 5000
    this.minMs = options.minMs ?? 5
    this.window = options.window ?? 64
  }

  /**
   * Milliseconds to wait before the next poll of a job submitted `elapsedMs` ago
   * (`elapsedMs` is 0 before the first poll).
   */
  nextDelay(elapsedMs: number): number {
    const typical = this.typicalMs()
    if (typical === undefined) {
      if (elapsedMs <= 0) return this.initialMs
      return this.clamp(elapsedMs * 0.25)
    }

    // Aim a little before the typical duration so that a batch getting faster is noticed.
    const aim = typical * 0.95
    if (elapsedMs < aim) return Math.max(this.minMs, Math.min(this.maxMs, aim - elapsedMs))
    // Just missed it: look again soon. Far past it: back off like the unlearned case.
    return this.clamp(elapsedMs * (elapsedMs < typical * 1.5 ? 0.1 : 0.25))
  }

  /** Records how long a finished job took from submission until its result was seen. */
  record(durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return
    this.durations.push(durationMs)
    if (this.durations.length > this.window) this.durations.shift()
  }

  /** The median of the remembered durations, or undefined before any job finished. */
  typicalMs(): number | undefined {
    if (this.durations.length === 0) return undefined
    const sorted = [...this.durations].sort((a, b) => a - b)
    const mid = Math.floor(sorted.length / 2)
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }

  private clamp(ms: number): number {
    return Math.max(this.minMs, Math.min(this.maxMs, ms))
  }
}
