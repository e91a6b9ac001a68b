import {setMaxListeners} from 'node:events'

import type {MoldClient} from '../api/client.js'
import type {Params} from '../api/types.js'

import {fetchVms} from '../api/fetch.js'
import {JobLister} from '../api/job-lister.js'
import {
  describeRunningJob,
  findJobOfLostAnswer,
  type FoundJob,
  type JobTarget,
  pendingJobsByInstance,
} from '../api/pending-jobs.js'
import {AdaptivePollSchedule} from '../core/adaptive-poll.js'
import {type BatchOutcome, type BatchProgress, runBatch} from '../core/batch-runner.js'
import {InterruptedError, JobFailedError, OutcomeUnknownError, WaitTimeoutError} from '../core/errors.js'
import {sleep, turns} from '../core/sleep.js'
import {
  countRunningVms,
  OOBM_ACTION_TIMEOUT_DEFAULT,
  type OobmHost,
  oobmSkipReason,
  type PowerAction,
  type PowerActionRow,
  type ScopeEnablement,
  toPowerOperation,
} from './rules.js'

/** Listing calls a batch may make at the lister's pace, per host (see issuePowerActions). */
const LISTINGS_PER_ACTION = 0.25
/** Extra time a job may take beyond the action timeout (queueing, the server's own work). */
const JOB_WAIT_MARGIN_SECONDS = 60

export interface PowerBatchOptions {
  action: PowerAction
  /** Seconds the server waits for the action (the `timeout` parameter); also bounds our wait. */
  actionTimeoutSeconds?: number
  concurrency: number
  /** Lines for stderr: jobs found already running, answers lost and how they were settled. */
  note?: (line: string) => void
  /** After each host finishes (ok, failed or skipped). */
  onProgress?: (counts: PowerBatchCounts) => void
  /** Each host's row as soon as it is final (the skipped ones first), the object the result holds. */
  onRow?: (host: OobmHost, row: PowerActionRow) => void
  /**
   * The pending power jobs by host (lookUpPendingPower), when the caller started the look-up
   * already; else the batch looks them up before its first action.
   */
  pending?: PendingPowerLookUp
  /** Longest wait for the power state to settle a lost answer (default 30 s). */
  settleMs?: number
  signal?: AbortSignal
}

export interface PowerBatchCounts {
  done: number
  failed: number
  /** In flight when the operator interrupted: still running on the server. */
  interrupted: number
  ok: number
  skipped: number
  total: number
  /** Answers lost after sending that no read settled. */
  unknown: number
}

export interface PowerBatchResult {
  /** Job ids still running on the server when the operator interrupted. */
  interruptedJobs: string[]
  rows: PowerActionRow[]
}

/** The row of a host that is not acted on. */
function skippedRow(host: OobmHost, action: PowerAction, reason: string): PowerActionRow {
  return {
    action: toPowerOperation(action),
    hostid: host.id,
    message: reason,
    name: host.name,
    outcome: 'skipped',
    powerstate: host.outofbandmanagement?.powerstate ?? 'Disabled',
    seconds: 0,
  }
}

/**
 * Issues one power action per host with at most `concurrency` in flight, each one submitted and
 * then polled until its job ends. Hosts whose OOBM is not configured or not enabled (at host,
 * cluster or zone level, or Degraded) are skipped without a call. One slow or failing BMC only
 * costs its own slot: every host ends with one row (ok, failed or skipped), in the given order.
 */
export async function runPowerBatch(
  client: MoldClient,
  hosts: readonly OobmHost[],
  scopes: ScopeEnablement,
  options: PowerBatchOptions,
): Promise<PowerBatchResult> {
  // One audit record for the whole batch: counts and hosts by outcome, not a line per call.
  return client.auditedBulk(
    () => issuePowerActions(client, hosts, scopes, options),
    (result) => ({
      action: `oobm power ${options.action}`,
      command: 'issueOutOfBandManagementPowerAction',
      ...hostsByOutcome(result?.rows ?? []),
    }),
  )
}

/** Host names per outcome, and how many of each. */
export function hostsByOutcome(rows: ReadonlyArray<{name: string; outcome: string}>): {
  counts: Record<string, number>
  hosts: Record<string, string[]>
} {
  const hosts: Record<string, string[]> = {}
  for (const row of rows) (hosts[row.outcome] ??= []).push(row.name)
  const counts = Object.fromEntries(Object.entries(hosts).map(([outcome, names]) => [outcome, names.length]))
  return {counts, hosts}
}

async function issuePowerActions(
  client: MoldClient,
  hosts: readonly OobmHost[],
  scopes: ScopeEnablement,
  options: PowerBatchOptions,
): Promise<PowerBatchResult> {
  const operation = toPowerOperation(options.action)
  // Every job waiting in flight listens for Ctrl-C on the one signal.
  if (options.signal) setMaxListeners(options.concurrency + 10, options.signal)
  const schedule = new AdaptivePollSchedule()
  // The jobs in flight are polled together, one listAsyncJobs call for many of them. Listings
  // from the submissions' sending are small, so they may come closer together than the default
  // (oobm-power bench, 1,000 hosts: a gap of 8-12 ms gave a batch 5-15% shorter than 20 ms, 1.2
  // calls per action instead of 1.1; 5 ms and 40 ms were slower). Since a listing reads one page
  // (~70 jobs, not ~400), 8 ms sees the jobs' ends ~1 ms sooner than 10 at 1.22 calls per action;
  // 6 ms, another 0.5 ms at 1.25. A budget of 0.25 listings per action at that pace (then 4× the
  // gap): about 1.3 calls per action at the most, however long the batch runs.
  const lister = new JobLister(client, {budget: LISTINGS_PER_ACTION * hosts.length + 10, gapMs: 8})
  const waitSeconds = (options.actionTimeoutSeconds ?? OOBM_ACTION_TIMEOUT_DEFAULT) + JOB_WAIT_MARGIN_SECONDS
  // Each host's row, built once when it is final (and handed to onRow as it is).
  const byHost = new Map<string, PowerActionRow>()
  const settle = (host: OobmHost, row: PowerActionRow) => {
    byHost.set(host.id, row)
    options.onRow?.(host, row)
  }

  const skipped = new Map<string, string>()
  for (const host of hosts) {
    const reason = oobmSkipReason(host, scopes)
    if (!reason) continue
    skipped.set(host.id, reason)
    if (!byHost.has(host.id)) settle(host, skippedRow(host, options.action, reason))
  }

  const actionable = hosts.filter((h) => !skipped.has(h.id))
  const counts: PowerBatchCounts = {
    done: skipped.size,
    failed: 0,
    interrupted: 0,
    ok: 0,
    skipped: skipped.size,
    total: hosts.length,
    unknown: 0,
  }
  if (skipped.size > 0) options.onProgress?.({...counts})
  const interruptedJobs: string[] = []

  const note = options.note ?? (() => {})
  // One listing for the batch: hosts with a power action still pending are not sent another.
  const pending =
    actionable.length > 0
      ? await (options.pending?.take(note) ?? pendingJobsByInstance(client, POWER_COMMAND, note))
      : new Map<string, FoundJob>()

  /** The job for the host: one already pending, a new one, or the one a lost answer made. */
  const jobFor = async (host: OobmHost): Promise<PowerActionRow | {adopted?: FoundJob; jobid: string}> => {
    const target: JobTarget = {command: POWER_COMMAND, instanceId: host.id, label: host.name}
    const running = pending.get(host.id.toLowerCase())
    if (running) {
      pending.delete(host.id.toLowerCase())
      note(`${describeRunningJob(target, running)}; waiting for it instead of sending another`)
      return {adopted: running, jobid: running.job.jobid}
    }

    const sentAt = Date.now()
    try {
      const submitted = await client.submitJob(POWER_COMMAND, {
        action: operation,
        hostid: host.id,
        timeout: options.actionTimeoutSeconds,
      })
      // The job was created between these two instants: the lister lists it from the first.
      lister.submitted(submitted.jobid, sentAt, Date.now())
      return submitted
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError)) throw error
      const found = await findJobOfLostAnswer(client, target, sentAt)
      if (!found) return settleByReading(client, host, options, error)
      note(
        `the answer to ${POWER_COMMAND} for ${host.name} was lost (${error.code ?? 'connection lost'}), but the server has its job ${found.job.jobid}; waiting for it`,
      )
      return {jobid: found.job.jobid}
    }
  }

  // Each submission is made on a turn of its own (one after the other, in the order the slots
  // free): made together, the first 50 were all signed and set up (some 30 ms) before the first
  // went out; now each goes as soon as it is made (oobm-power bench: the first action reaches the
  // server ~4 ms after the batch starts instead of ~30 ms, the batch ends 30-50 ms sooner; the
  // listings, paced by the lister's gap and budget, stay within 1.3 calls per action).
  const nextTurn = turns()
  const issue = async (host: OobmHost): Promise<PowerActionRow> => {
    const polling = schedule.startJob()
    await nextTurn()
    const job = await jobFor(host)
    if ('outcome' in job) return job
    const {jobid} = job
    // Polling waits are counted from here, so the learnt durations are too.
    const submitted = performance.now()
    try {
      const result = await client.waitForJob(jobid, {
        command: POWER_COMMAND,
        fetchJob: (id) => lister.fetch(id),
        pollDelayMs: polling.nextDelay,
        signal: options.signal,
        timeoutMs: waitSeconds * 1000,
      })
      polling.finished(performance.now() - submitted)
      const oobm = (result.outofbandmanagement ?? {}) as Record<string, unknown>
      const powerstate = String(oobm.powerstate ?? '')
      // listAsyncJobs does not say which action a job found pending was.
      const description = String(oobm.description ?? '')
      return {
        action: operation,
        hostid: host.id,
        message: job.adopted
          ? `waited for job ${jobid} already running (its action is not reported): ${description}`
          : description,
        name: host.name,
        outcome: 'ok',
        powerstate,
        seconds: 0,
      }
    } catch (error) {
      if (error instanceof InterruptedError) interruptedJobs.push(jobid)
      throw error
    } finally {
      lister.done(jobid)
    }
  }

  // Counted as the rows are built below: cancelled (not started) is skipped, an action in
  // flight at the interrupt is interrupted, so the last progress line and the summary agree.
  const onProgress = (p: BatchProgress<OobmHost, PowerActionRow>) => {
    settle(p.last.target, rowOf(p.last))
    if (p.last.status === 'ok' && p.last.result?.outcome === 'unknown') counts.unknown++
    else if (p.last.status === 'ok') counts.ok++
    else if (p.last.status === 'cancelled') counts.skipped++
    else if (p.last.error instanceof InterruptedError) counts.interrupted++
    else counts.failed++
    counts.done++
    options.onProgress?.({...counts})
  }

  /** The row of a host acted on, from its outcome. */
  const rowOf = (outcome: BatchOutcome<OobmHost, PowerActionRow>): PowerActionRow => {
    const host = outcome.target
    if (outcome.status === 'ok') return {...outcome.result!, seconds: round(outcome.seconds)}
    if (outcome.status === 'cancelled') return skippedRow(host, options.action, 'not started: interrupted')
    if (outcome.error instanceof InterruptedError)
      return interruptedRow(host, options.action, outcome.error, round(outcome.seconds))
    return failedRow(host, options.action, outcome.error, round(outcome.seconds))
  }

  const outcomes = await runBatch(actionable, issue, {
    concurrency: options.concurrency,
    onProgress,
    signal: options.signal,
  })
  // Every outcome passed through onProgress; one that did not would be built here.
  for (const outcome of outcomes) if (!byHost.has(outcome.target.id)) settle(outcome.target, rowOf(outcome))
  const rows = hosts.map(
    (host) => byHost.get(host.id) ?? skippedRow(host, options.action, skipped.get(host.id) ?? ''),
  )
  return {interruptedJobs, rows}
}

const POWER_COMMAND = 'issueOutOfBandManagementPowerAction'

/** A look-up of pending power jobs under way: `take` waits for it and tells its warnings. */
export interface PendingPowerLookUp {
  take(note: (line: string) => void): Promise<Map<string, FoundJob>>
}

/**
 * The power jobs pending on the server, by host: the batch's look-up before its first action
 * (pendingJobsByInstance), started by a caller that can run it beside its other look-ups. Its
 * warnings are kept and told through `note` when the look-up is taken, where the batch tells them.
 */
export function lookUpPendingPower(client: MoldClient): PendingPowerLookUp {
  const warnings: string[] = []
  const pending = pendingJobsByInstance(client, POWER_COMMAND, (line) => warnings.push(line))
  // Taken (and its failure thrown) only if the batch starts.
  pending.catch(() => {})
  return {
    async take(note) {
      const found = await pending
      for (const line of warnings.splice(0)) note(line)
      return found
    },
  }
}

/** The power state an action leaves the host in, when it says (ON: On; OFF and SOFT: Off). */
function targetPowerState(action: PowerAction): string | undefined {
  if (action === 'on') return 'On'
  if (action === 'off' || action === 'soft') return 'Off'
  return undefined
}

/**
 * A lost answer whose job could not be found. The stored power state changes only with STATUS
 * (upstream's OutOfBandManagementServiceImpl), so the BMC is asked with STATUS — harmless to
 * repeat — until the state is the one ON, OFF or SOFT asked for (every 2 s, up to `settleMs`):
 * then the action is settled as done. Otherwise, and always for CYCLE, RESET and STATUS, which
 * leave no trace in the state, the outcome stays unknown.
 */
async function settleByReading(
  client: MoldClient,
  host: OobmHost,
  options: PowerBatchOptions,
  error: OutcomeUnknownError,
): Promise<PowerActionRow> {
  const wanted = targetPowerState(options.action)
  const deadline = Date.now() + (options.settleMs ?? 30_000)
  const lost = `the answer was lost after sending (${error.code ?? 'connection lost'})`
  let powerstate = ''
  for (;;) {
    try {
      // eslint-disable-next-line no-await-in-loop
      const {jobid} = await client.submitJob(POWER_COMMAND, {action: 'STATUS', hostid: host.id})
      // eslint-disable-next-line no-await-in-loop
      const result = await client.waitForJob(jobid, {
        command: POWER_COMMAND,
        signal: options.signal,
        timeoutMs: 60_000,
      })
      const oobm = (result.outofbandmanagement ?? {}) as Record<string, unknown>
      powerstate = String(oobm.powerstate ?? '')
    } catch {
      // The read is best effort: the outcome stays unknown.
    }

    if (wanted === undefined || powerstate === wanted || Date.now() >= deadline || options.signal?.aborted)
      break
    // eslint-disable-next-line no-await-in-loop
    await sleep(2000, options.signal).catch(() => {})
  }

  const row = {
    action: toPowerOperation(options.action),
    hostid: host.id,
    name: host.name,
    powerstate,
    seconds: 0,
  }
  if (wanted !== undefined && powerstate === wanted) {
    options.note?.(
      `${host.name}: ${lost}; settled by asking the BMC (STATUS): the power state is ${powerstate}`,
    )
    return {...row, message: `${lost}; STATUS afterwards: ${powerstate}`, outcome: 'ok'}
  }

  return {
    ...row,
    message: `${lost}; the power state is ${powerstate || 'not known'}; check before repeating (moldctl job list --pending)`,
    outcome: 'unknown',
  }
}

/** An action in flight when the operator stopped waiting: its outcome is not known yet. */
function interruptedRow(
  host: OobmHost,
  action: PowerAction,
  error: InterruptedError,
  seconds: number,
): PowerActionRow {
  return {
    action: toPowerOperation(action),
    hostid: host.id,
    message: `still running on the server (job ${error.jobId}); outcome unknown`,
    name: host.name,
    outcome: 'interrupted',
    powerstate: host.outofbandmanagement?.powerstate ?? '',
    seconds,
  }
}

function failedRow(host: OobmHost, action: PowerAction, error: unknown, seconds: number): PowerActionRow {
  // A failed STATUS leaves the stored state Unknown on the server; other actions do not touch it.
  const known = host.outofbandmanagement?.powerstate ?? ''
  const powerstate = action === 'status' ? 'Unknown' : known
  return {
    action: toPowerOperation(action),
    hostid: host.id,
    message: failureText(error),
    name: host.name,
    outcome: 'failed',
    powerstate,
    seconds,
  }
}

function failureText(error: unknown): string {
  if (error instanceof JobFailedError) return error.errortext
  if (error instanceof WaitTimeoutError) return `no answer in time; job ${error.jobId} may still be running`
  return error instanceof Error ? error.message : String(error)
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100
}

/** The action timeout that applies when none is given: the global `outofbandmanagement.action.timeout`. */
export async function readActionTimeout(client: MoldClient): Promise<number> {
  try {
    const [setting] = await client.list('listConfigurations', {name: 'outofbandmanagement.action.timeout'})
    const value = Number(setting?.value)
    return Number.isFinite(value) && value > 0 ? value : OOBM_ACTION_TIMEOUT_DEFAULT
  } catch {
    return OOBM_ACTION_TIMEOUT_DEFAULT
  }
}

/** Running VMs on the hosts (for the confirmation question): one listing, or a few per host. */
export async function countRunningVmsOn(
  client: MoldClient,
  hosts: readonly OobmHost[],
  scope: Params | undefined,
): Promise<number> {
  const ids = new Set(hosts.map((h) => h.id))
  if (ids.size === 0) return 0
  const running = {listall: true, state: 'Running'}
  const perHost = scope === undefined && ids.size <= 10
  const lists = perHost
    ? await Promise.all([...ids].map((hostid) => fetchVms(client, {...running, hostid})))
    : [await fetchVms(client, {...scope, ...running})]
  return countRunningVms(lists.flat(), ids)
}
