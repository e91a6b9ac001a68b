/**
 * `host remove`: read the host and decide (refusals before any call), ask, drain first when
 * asked (--drain), then delete. The command parses and renders; this does the work.
 */
import type {MoldClient} from '../api/client.js'
import type {HostRecord, ProgressSink} from '../maintenance/types.js'

import {describeEnterPlan, prepareEnter} from '../maintenance/plan.js'
import {removeHostReminder} from '../maintenance/reminders.js'
import {runEnterPlan} from '../maintenance/run.js'
import {formatCall, type PlannedCall} from './allocation.js'
import {deleteHost, planRemove} from './host-admin.js'

export interface RemoveHostOptions {
  /** Asks the operator; false changes nothing. */
  confirm(question: string): Promise<boolean>
  /** Enter maintenance first and wait until the host is drained. */
  drain: boolean
  /** Print the calls that would be made (through `log`) and make none. */
  dryRun: boolean
  /** deleteHost forced=true: delete even when not in maintenance. */
  force: boolean
  /** The lines of a dry run (stdout). */
  log(line: string): void
  maxPollMs: number
  minPollMs: number
  /** Reminders and outcomes (stderr). */
  note(line: string): void
  /** Where the drain's progress goes; asked for only when a drain happens. */
  progress(): Promise<ProgressSink>
  /** Ctrl-C stops waiting for the drain; asked for only when a drain happens. */
  signal(): AbortSignal | undefined
  /** With `drain`: stop waiting after this long (exit 5). */
  timeoutMs?: number
}

/** What `host remove --json` prints. */
export type RemoveHostResult = (HostRecord & {removed: true}) | {calls: PlannedCall[]} | {removed: false}

export async function removeHost(
  client: MoldClient,
  ref: string,
  opts: RemoveHostOptions,
): Promise<RemoveHostResult> {
  const plan = await planRemove(client, ref, {drain: opts.drain, force: opts.force})
  const {host} = plan
  for (const line of removeHostReminder(host.hypervisor, host.name)) opts.note(line)
  if (opts.dryRun) {
    // The drain is checked exactly as the real run checks it (a refusal is exit 2 here too).
    if (plan.decision.action === 'drain-first') {
      const prep = await prepareEnter(client, [host.id], {force: false, wait: true})
      for (const line of describeEnterPlan(prep).lines) opts.log(line)
    }

    for (const call of plan.calls) opts.log(`would call: ${formatCall(call)}`)
    return {calls: plan.calls}
  }

  const vms = plan.vms.length > 0 ? ` with ${plan.vms.length} VM(s) on it` : ''
  const verb = plan.decision.action === 'drain-first' ? 'Drain and remove' : 'Remove'
  if (!(await opts.confirm(`${verb} host ${host.name} (${host.resourcestate}${vms})?`))) {
    opts.note('nothing was changed')
    return {removed: false}
  }

  if (plan.decision.action === 'drain-first') {
    const prep = await prepareEnter(client, [host.id], {force: false, wait: true})
    await runEnterPlan(client, prep, {
      force: false,
      maxPollMs: opts.maxPollMs,
      minPollMs: opts.minPollMs,
      progress: await opts.progress(),
      signal: opts.signal(),
      timeoutMs: opts.timeoutMs,
      wait: true,
    })
  }

  await deleteHost(client, plan)
  opts.note(`removed ${host.name}`)
  return {...host, removed: true}
}
