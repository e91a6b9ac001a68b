import {setMaxListeners} from 'node:events'

import type {MoldClient} from '../api/client.js'
import type {Params} from '../api/types.js'

import {JobLister} from '../api/job-lister.js'
import {AdaptivePollSchedule} from '../core/adaptive-poll.js'
import {type BatchProgress, runBatch} from '../core/batch-runner.js'
import {InterruptedError, JobFailedError, WaitTimeoutError} from '../core/errors.js'
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

/** Extra time a job may take beyond the action timeout (queueing, the server's own work). */
const JOB_WAIT_MARGIN_SECONDS = 60

export interface PowerBatchOptions {
  action: PowerAction
  /** Seconds the server waits for the action (the `timeout` parameter); also bounds our wait. */
  actionTimeoutSeconds?: number
  concurrency: number
  /** After each host finishes (ok, failed or skipped). */
  onProgress?: (counts: PowerBatchCounts) => void
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
  // The jobs in flight are polled together, one listAsyncJobs call for many of them.
  const lister = new JobLister(client)
  const waitSeconds = (options.actionTimeoutSeconds ?? OOBM_ACTION_TIMEOUT_DEFAULT) + JOB_WAIT_MARGIN_SECONDS
  const skipped = new Map<string, string>()
  for (const host of hosts) {
    const reason = oobmSkipReason(host, scopes)
    if (reason) skipped.set(host.id, reason)
  }

  const actionable = hosts.filter((h) => !skipped.has(h.id))
  const counts: PowerBatchCounts = {
    done: skipped.size,
    failed: 0,
    interrupted: 0,
    ok: 0,
    skipped: skipped.size,
    total: hosts.length,
  }
  if (skipped.size > 0) options.onProgress?.({...counts})
  const interruptedJobs: string[] = []

  const issue = async (host: OobmHost): Promise<PowerActionRow> => {
    const polling = schedule.startJob()
    const {jobid} = await client.submitJob('issueOutOfBandManagementPowerAction', {
      action: operation,
      hostid: host.id,
      timeout: options.actionTimeoutSeconds,
    })
    // Polling waits are counted from here, so the learnt durations are too.
    const submitted = performance.now()
    try {
      const result = await client.waitForJob(jobid, {
        command: 'issueOutOfBandManagementPowerAction',
        fetchJob: (id) => lister.fetch(id),
        pollDelayMs: polling.nextDelay,
        signal: options.signal,
        timeoutMs: waitSeconds * 1000,
      })
      polling.finished(performance.now() - submitted)
      const oobm = (result.outofbandmanagement ?? {}) as Record<string, unknown>
      return {
        action: operation,
        hostid: host.id,
        message: String(oobm.description ?? ''),
        name: host.name,
        outcome: 'ok',
        powerstate: String(oobm.powerstate ?? ''),
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
    if (p.last.status === 'ok') counts.ok++
    else if (p.last.status === 'cancelled') counts.skipped++
    else if (p.last.error instanceof InterruptedError) counts.interrupted++
    else counts.failed++
    counts.done++
    options.onProgress?.({...counts})
  }

  const outcomes = await runBatch(actionable, issue, {
    concurrency: options.concurrency,
    onProgress,
    signal: options.signal,
  })
  const byHost = new Map<string, PowerActionRow>()
  for (const outcome of outcomes) {
    const host = outcome.target
    if (outcome.status === 'ok') {
      byHost.set(host.id, {...outcome.result!, seconds: round(outcome.seconds)})
    } else if (outcome.status === 'cancelled') {
      byHost.set(host.id, skippedRow(host, options.action, 'not started: interrupted'))
    } else if (outcome.error instanceof InterruptedError) {
      byHost.set(host.id, interruptedRow(host, options.action, outcome.error, round(outcome.seconds)))
    } else {
      byHost.set(host.id, failedRow(host, options.action, outcome.error, round(outcome.seconds)))
    }
  }

  const rows = hosts.map(
    (host) => byHost.get(host.id) ?? skippedRow(host, options.action, skipped.get(host.id) ?? ''),
  )
  return {interruptedJobs, rows}
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
    ? await Promise.all([...ids].map((hostid) => client.list('listVirtualMachines', {...running, hostid})))
    : [await client.list('listVirtualMachines', {...scope, ...running})]
  return countRunningVms(lists.flat() as Array<{hostid?: string; state?: string}>, ids)
}
