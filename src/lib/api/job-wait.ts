import type {ApiObject, AsyncJob, AuditEntry} from './types.js'

import {BadAnswerError, InterruptedError, JobFailedError, WaitTimeoutError} from '../core/errors.js'
import {sleep} from '../core/sleep.js'
import {changeAnswerProblem} from './envelope.js'
import {JobStatus} from './types.js'

export interface WaitOptions {
  /** Name used in messages and errors (defaults to the job's command). */
  command?: string
  /**
   * The object the answer (or the job's result) must hold, e.g. `configuration` or `host`;
   * without it the answer is a BadAnswerError (and the audit log says `bad-answer`).
   */
  expect?: string
  /**
   * Reads the job for each poll instead of a queryAsyncJobResult of its own (a JobLister: many
   * jobs polled with one listAsyncJobs call). Its errors are handled as the query's are.
   */
  fetchJob?: (jobid: string) => Promise<AsyncJob>
  /** Called after every poll, with the job as last seen. */
  onPoll?: (job: AsyncJob) => Promise<void> | void
  /**
   * Replaces the backoff: milliseconds to wait before the next poll, given the milliseconds since
   * waiting began (0 before the first poll, which then waits too). For batches of similar jobs.
   */
  pollDelayMs?: (elapsedMs: number) => number
  /** Resume command printed on Ctrl-C. */
  resumeHint?: string
  signal?: AbortSignal
  timeoutMs?: number
}

/** What polling one job takes from the client. */
export interface JobPolling {
  /** Reads the job when the caller gave no fetchJob (the client's queryJob). */
  fetchJob: (jobid: string) => Promise<AsyncJob>
  /** Errors after which the job is polled again. */
  isRetryable: (error: unknown) => boolean
  log: (line: string) => void
  /** The client's backoff: first interval and the ceiling it backs off to. */
  poll?: {maxMs: number; minMs: number}
}

/**
 * Polls until the job ends: fast at first, then backing off to the ceiling; transient errors
 * while polling are tolerated. Resolves with the ended job; throws WaitTimeoutError (exit 5) or
 * InterruptedError (Ctrl-C, exit 130), which name the job and how to resume.
 */
export async function pollUntilEnded(
  jobid: string,
  what: string,
  opts: WaitOptions,
  polling: JobPolling,
): Promise<AsyncJob> {
  const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs
  const resume = opts.resumeHint ?? `moldctl job wait ${jobid}`
  const schedule = pollSchedule(opts, polling.poll)
  const fetchJob = opts.fetchJob ?? polling.fetchJob
  if (schedule.first > 0) await sleep(schedule.first, opts.signal)
  for (;;) {
    if (opts.signal?.aborted)
      throw new InterruptedError(`stopped waiting for ${what}; it goes on on the server`, resume, jobid)
    let job: AsyncJob | undefined
    try {
      // eslint-disable-next-line no-await-in-loop
      job = await fetchJob(jobid)
    } catch (error) {
      if (!polling.isRetryable(error)) throw error
      polling.log(`polling ${jobid} failed, will poll again: ${(error as Error).message}`)
    }

    if (job) {
      // eslint-disable-next-line no-await-in-loop
      await opts.onPoll?.(job)
      if (job.jobstatus !== JobStatus.InProgress) return job
    }

    const remaining = deadline - Date.now()
    if (remaining <= 0) {
      throw new WaitTimeoutError(`timed out waiting for ${what}; it may still be running`, jobid)
    }

    // eslint-disable-next-line no-await-in-loop
    await sleep(Math.min(schedule.next(), remaining), opts.signal)
  }
}

/**
 * An ended job's result, checked for the object expected: throws BadAnswerError (no result, or
 * not the object expected) or JobFailedError. `audit` hears the outcome (for jobs this client
 * submitted).
 */
export function endedJobResult(
  command: string,
  jobid: string,
  job: AsyncJob,
  opts: {audit?: (outcome: AuditEntry['outcome'], error?: string) => void; expect?: string} = {},
): ApiObject {
  if (job.jobstatus === JobStatus.Succeeded) {
    const result: unknown = job.jobresult
    const problem =
      !result || typeof result !== 'object' || Array.isArray(result)
        ? 'the finished job has no result'
        : opts.expect
          ? changeAnswerProblem(result as ApiObject, opts.expect)
          : undefined
    if (problem) {
      opts.audit?.('bad-answer', problem)
      throw new BadAnswerError(`${command} job ${jobid}`, problem)
    }

    opts.audit?.('job-succeeded')
    return result as ApiObject
  }

  const result = (job.jobresult ?? {}) as {errorcode?: number; errortext?: string}
  const errortext = result.errortext ?? `job ended with status ${job.jobstatus}`
  opts.audit?.('job-failed', errortext)
  throw new JobFailedError(command, jobid, Number(result.errorcode ?? job.jobresultcode ?? 530), errortext)
}

/** The API name of a job's command, from its Java class (…host.PrepareForMaintenanceCmd → job). */
export function jobCommandName(job: AsyncJob): string {
  const simple = job.cmd?.split('.').pop()?.replace(/Cmd$/, '')
  return simple ? simple.charAt(0).toLowerCase() + simple.slice(1) : 'job'
}

/**
 * The waits of one job's polling: the caller's schedule (which may delay the first poll too),
 * or the client's backoff from fast to the configured ceiling.
 */
function pollSchedule(opts: WaitOptions, poll: JobPolling['poll']): {first: number; next: () => number} {
  const custom = opts.pollDelayMs
  if (custom) {
    const started = Date.now()
    return {first: custom(0), next: () => custom(Date.now() - started)}
  }

  const minMs = poll?.minMs ?? 1000
  const maxMs = poll?.maxMs ?? 10_000
  let interval = Math.min(minMs, 250)
  return {
    first: 0,
    next() {
      const current = interval
      interval = Math.min(maxMs, Math.max(minMs, interval * 1.5))
      return current
    },
  }
}
