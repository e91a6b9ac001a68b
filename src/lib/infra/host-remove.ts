/**
 * `host remove`: read the host and decide (refusals before any call), ask, drain first when
 * asked (--drain), then delete. The command parses and renders; this does the work.
 */
import type {MoldClient} from '../api/client.js'
import type {Host} from '../api/models.js'
import type {Ui} from '../core/ui.js'

import {describeEnterPlan, prepareEnter} from '../maintenance/plan.js'
import {removeHostReminder} from '../maintenance/reminders.js'
import {runEnterPlan} from '../maintenance/run.js'
import {formatCall, type PlannedCall} from './allocation.js'
import {deleteHost, planRemove} from './host-admin.js'

export interface RemoveHostOptions {
  /** Enter maintenance first and wait until the host is drained. */
  drain: boolean
  /** Print the calls that would be made (stdout) and make none. */
  dryRun: boolean
  /** deleteHost forced=true: delete even when not in maintenance. */
  force: boolean
  maxPollMs: number
  minPollMs: number
  /** With `drain`: stop waiting after this long (exit 5). */
  timeoutMs?: number
}

/** What `host remove --json` prints. */
export type RemoveHostResult = (Host & {removed: true}) | {calls: PlannedCall[]} | {removed: false}

export async function removeHost(
  client: MoldClient,
  ref: string,
  opts: RemoveHostOptions,
  ui: Ui,
): Promise<RemoveHostResult> {
  const plan = await planRemove(client, ref, {drain: opts.drain, force: opts.force})
  const {host} = plan
  for (const line of removeHostReminder(host.hypervisor, host.name)) ui.note(line)
  if (opts.dryRun) {
    // The drain is checked exactly as the real run checks it (a refusal is exit 2 here too).
    if (plan.decision.action === 'drain-first') {
      const prep = await prepareEnter(client, [host.id], {force: false, wait: true})
      for (const line of describeEnterPlan(prep).lines) ui.log(line)
    }

    for (const call of plan.calls) ui.log(`would call: ${formatCall(call)}`)
    return {calls: plan.calls}
  }

  const vms = plan.vms.length > 0 ? ` with ${plan.vms.length} VM(s) on it` : ''
  const verb = plan.decision.action === 'drain-first' ? 'Drain and remove' : 'Remove'
  if (!(await ui.confirm(`${verb} host ${host.name} (${host.resourcestate}${vms})?`))) {
    ui.note('nothing was changed')
    return {removed: false}
  }

  if (plan.decision.action === 'drain-first') {
    const prep = await prepareEnter(client, [host.id], {force: false, wait: true})
    await runEnterPlan(client, prep, {
      force: false,
      maxPollMs: opts.maxPollMs,
      minPollMs: opts.minPollMs,
      timeoutMs: opts.timeoutMs,
      ui,
      wait: true,
    })
  }

  await deleteHost(client, plan)
  ui.note(`removed ${host.name}`)
  return {...host, removed: true}
}
