import type {MoldClient} from '../api/client.js'
import type {Ui} from '../core/ui.js'

import {ExitCode, InterruptedError, MoldctlError, PartialFailureError} from '../core/errors.js'
import {POWER_ROW_COLUMNS} from './columns.js'
import {countRunningVmsOn, lookUpPendingPower, readActionTimeout, runPowerBatch} from './power-batch.js'
import {
  describePowerBatch,
  describeProblems,
  isDestructivePowerAction,
  maintenanceWarning,
  type OobmHost,
  oobmSkipReason,
  type PowerAction,
  type PowerActionRow,
  powerConfirmationMessage,
  summarizePowerBatch,
  sweepEstimateNote,
  toPowerOperation,
} from './rules.js'
import {type HostSelection, resolveOobmTargets} from './targets.js'

export interface PowerCommandOptions {
  action: PowerAction
  actionTimeoutSeconds?: number
  concurrency: number
  dryRun?: boolean
  selection: HostSelection
}

/** What a dry run would send, and which hosts it would skip. */
export interface PowerDryRunReport {
  calls: Array<{command: string; name: string; params: Record<string, number | string>}>
  skipped: Array<{hostid: string; name: string; reason: string}>
}

export type PowerCommandOutcome =
  | {
      /** Lines for stderr after the table: reasons, failures in full, the summary. */
      afterTable: string[]
      /** What to end with: partial failure (4), nothing succeeded (1), interrupted (130). */
      error?: MoldctlError
      kind: 'done'
      rows: PowerActionRow[]
    }
  | {kind: 'declined'; report: {sent: 0}}
  | {kind: 'dry-run'; report: PowerDryRunReport}

/**
 * `oobm power ACTION`: selects the hosts, warns (maintenance, the guide's estimate for big
 * batches), asks before destructive actions, runs the batch with progress on stderr and works out
 * the exit code. Nothing is sent before the selection and the confirmation succeed.
 */
export async function runPowerCommand(
  client: MoldClient,
  opts: PowerCommandOptions,
  ui: Ui,
): Promise<PowerCommandOutcome> {
  // Warnings about the hosts acted on go to stderr also with --json.
  const note = (line: string) => ui.noteAlways(line)
  // Listen for Ctrl-C from the start, as the command always did.
  const {signal} = ui
  // Read the timeout setting alongside the hosts (it is needed for big batches only).
  const settingTimeout =
    opts.actionTimeoutSeconds === undefined
      ? readActionTimeout(client)
      : Promise.resolve(opts.actionTimeoutSeconds)
  // Nothing asks in between for ON and STATUS (nor a dry run, which sends nothing): the look-up
  // for power jobs already pending runs beside the host listing. Before a question, it waits for
  // the answer, so that it sees what is pending when the actions go.
  const pending =
    opts.dryRun || isDestructivePowerAction(opts.action) ? undefined : lookUpPendingPower(client)
  const targets = await resolveOobmTargets(client, opts.selection)
  if (targets.hosts.length === 0) throw new MoldctlError(`no hosts in ${targets.scopeLabel}`)
  const actionable = targets.hosts.filter((h) => oobmSkipReason(h, targets.scopes) === undefined)
  const skippedCount = targets.hosts.length - actionable.length
  const operation = toPowerOperation(opts.action)

  const warning = maintenanceWarning(actionable, opts.action)
  if (warning) note(warning)
  if (skippedCount > 0) {
    note(
      `${skippedCount} of ${targets.hosts.length} hosts will be skipped (out-of-band management not usable; reasons in the table).`,
    )
  }

  if (actionable.length > opts.concurrency) {
    const timeout = await settingTimeout
    note(sweepEstimateNote(actionable.length, timeout, opts.concurrency)!)
  }

  if (opts.dryRun)
    return {kind: 'dry-run', report: dryRunReport(targets.hosts, actionable, opts, targets.scopes)}

  if (isDestructivePowerAction(opts.action) && actionable.length > 0) {
    const running = await countRunningVmsOn(client, actionable, targets.vmScope)
    if (!(await ui.confirm(powerConfirmationMessage(opts.action, actionable.length, running)))) {
      note('Nothing sent.')
      return {kind: 'declined', report: {sent: 0}}
    }
  }

  const progress = await ui.batchProgress(operation)
  const table = tableAhead(targets.hosts, operation, ui)
  const result = await runPowerBatch(client, targets.hosts, targets.scopes, {
    action: opts.action,
    actionTimeoutSeconds: opts.actionTimeoutSeconds,
    concurrency: opts.concurrency,
    note,
    onProgress: (counts) => progress.update(counts),
    onRow: table?.settle,
    pending,
    signal,
  })
  const summary = summarizePowerBatch(result.rows)
  progress.finish({...summary, done: summary.total})
  const afterTable = [...describeProblems(result.rows), describePowerBatch(opts.action, summary)]
  const {interruptedJobs} = result
  const error =
    interruptedJobs.length > 0
      ? new InterruptedError(
          `interrupted: ${interruptedJobs.length} power actions go on on the server`,
          `moldctl job wait ${interruptedJobs[0]}  (jobs: ${interruptedJobs.join(' ')})`,
        )
      : batchError(summary.exitCode, summary)
  return {afterTable, error, kind: 'done', rows: result.rows}
}

/**
 * The table of the batch, drawn while the hosts finish (Ui#prepareRows): each host stands in
 * with its name and id until its row is final, so that the parts of hosts done early are drawn
 * during the batch and only the last ones after it.
 */
function tableAhead(
  hosts: readonly OobmHost[],
  operation: PowerActionRow['action'],
  ui: Ui,
): undefined | {settle: (host: OobmHost, row: PowerActionRow) => void} {
  const {prepareRows} = ui
  if (!prepareRows) return undefined
  const rows: PowerActionRow[] = hosts.map((host) => ({
    action: operation,
    hostid: host.id,
    message: '',
    name: host.name,
    // Shown empty until the row is final (no outcome is '').
    outcome: '' as PowerActionRow['outcome'],
    powerstate: '',
    seconds: 0,
  }))
  const final = rows.map(() => false)
  const places = new Map<string, number[]>()
  for (const [i, host] of hosts.entries()) places.set(host.id, [...(places.get(host.id) ?? []), i])
  return {
    settle(host, row) {
      for (const i of places.get(host.id) ?? []) {
        rows[i] = row
        final[i] = true
      }

      prepareRows(rows, POWER_ROW_COLUMNS, (i) => final[i])
    },
  }
}

function batchError(
  exitCode: number,
  {failed, total, unknown}: {failed: number; total: number; unknown: number},
): MoldctlError | undefined {
  const lost = unknown > 0 ? `; the outcome of ${unknown} is unknown (answer lost)` : ''
  if (exitCode === ExitCode.Partial)
    return new PartialFailureError(`${failed} of ${total} hosts failed${lost}`)
  if (exitCode === ExitCode.Unknown) {
    return new MoldctlError(
      `the outcome of ${unknown} of ${total} power actions is unknown: their answers were lost after they were sent`,
      {
        exitCode: ExitCode.Unknown,
        suggestions: ['check before repeating: moldctl job list --pending, moldctl oobm status'],
      },
    )
  }

  if (exitCode === ExitCode.Failed) {
    return new MoldctlError(
      failed > 0
        ? `no host succeeded (${failed} failed)`
        : 'no host could be acted on: every one was skipped',
    )
  }

  return undefined
}

function dryRunReport(
  hosts: readonly OobmHost[],
  actionable: readonly OobmHost[],
  opts: PowerCommandOptions,
  scopes: Parameters<typeof oobmSkipReason>[1],
): PowerDryRunReport {
  const params = (host: OobmHost): Record<string, number | string> => ({
    action: toPowerOperation(opts.action),
    hostid: host.id,
    ...(opts.actionTimeoutSeconds === undefined ? {} : {timeout: opts.actionTimeoutSeconds}),
  })
  return {
    calls: actionable.map((host) => ({
      command: 'issueOutOfBandManagementPowerAction',
      name: host.name,
      params: params(host),
    })),
    skipped: hosts
      .filter((h) => !actionable.includes(h))
      .map((h) => ({hostid: h.id, name: h.name, reason: oobmSkipReason(h, scopes) ?? ''})),
  }
}

/** The dry-run report as text: one line per call, then the skipped hosts. */
export function formatDryRun(report: PowerDryRunReport): string {
  const lines = report.calls.map(
    (c) =>
      `${c.command} ${Object.entries(c.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}  # ${c.name}`,
  )
  for (const s of report.skipped) lines.push(`# skipped ${s.name}: ${s.reason}`)
  lines.push(`# dry run: ${report.calls.length} calls not sent`)
  return lines.join('\n')
}
