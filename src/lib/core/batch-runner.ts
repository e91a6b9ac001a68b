import pLimit from 'p-limit'

/** What happened to one target of a batch. */
export type BatchStatus = 'cancelled' | 'failed' | 'ok'

export interface BatchOutcome<T, R> {
  /** Set when status is 'failed'. */
  error?: unknown
  /** Position of the target in the input (outcomes are returned in input order). */
  index: number
  /** Set when status is 'ok'. */
  result?: R
  /** Wall time the task took, in seconds (0 for cancelled targets). */
  seconds: number
  status: BatchStatus
  target: T
}

export interface BatchProgress<T, R> {
  cancelled: number
  done: number
  failed: number
  /** The outcome that just finished. */
  last: BatchOutcome<T, R>
  ok: number
  running: number
  total: number
}

export interface BatchOptions<T, R> {
  /** Most tasks running at once (≥ 1). */
  concurrency: number
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number
  /** Called after each target finishes (also for cancelled targets). */
  onProgress?: (progress: BatchProgress<T, R>) => void
  /** Called when a task starts. */
  onStart?: (target: T, index: number) => void
  /** Once aborted, targets not yet started are recorded as cancelled; running tasks finish. */
  signal?: AbortSignal
}

/**
 * Runs `task` for every target with at most `concurrency` tasks in flight. A failing task never
 * stops the others: each target gets exactly one outcome, in input order, with its duration.
 */
export async function runBatch<T, R>(
  targets: readonly T[],
  task: (target: T, index: number) => Promise<R>,
  options: BatchOptions<T, R>,
): Promise<Array<BatchOutcome<T, R>>> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number ≥ 1, got ${options.concurrency}`)
  }

  const now = options.now ?? (() => performance.now())
  const limit = pLimit(options.concurrency)
  const counts = {cancelled: 0, done: 0, failed: 0, ok: 0, running: 0}

  const record = (outcome: BatchOutcome<T, R>): BatchOutcome<T, R> => {
    counts.done++
    counts[outcome.status]++
    options.onProgress?.({...counts, last: outcome, total: targets.length})
    return outcome
  }

  const runOne = async (target: T, index: number): Promise<BatchOutcome<T, R>> => {
    if (options.signal?.aborted) return record({index, seconds: 0, status: 'cancelled', target})
    counts.running++
    options.onStart?.(target, index)
    const started = now()
    try {
      const result = await task(target, index)
      counts.running--
      return record({index, result, seconds: (now() - started) / 1000, status: 'ok', target})
    } catch (error) {
      counts.running--
      return record({error, index, seconds: (now() - started) / 1000, status: 'failed', target})
    }
  }

  return Promise.all(targets.map((target, index) => limit(runOne, target, index)))
}

/** Counts of a finished batch. */
export function countOutcomes(outcomes: ReadonlyArray<{status: BatchStatus}>): Record<BatchStatus, number> {
  const counts: Record<BatchStatus, number> = {cancelled: 0, failed: 0, ok: 0}
  for (const o of outcomes) counts[o.status]++
  return counts
}
