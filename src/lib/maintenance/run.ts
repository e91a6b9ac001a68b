import type {MoldClient} from '../api/client.js'
import type {Host} from '../api/models.js'
import type {ApiObject} from '../api/types.js'
import type {
  CancelOptions,
  EnterOptions,
  EnterPreparation,
  HostOutcome,
  StatusRow,
  WaitContext,
} from './types.js'

import {fetchHosts} from '../api/fetch.js'
import {submitOnce} from '../api/pending-jobs.js'
import {ExitCode, JobFailedError, MoldctlError, UsageError} from '../core/errors.js'
import {hostsOfCluster} from '../infra/list.js'
import {resolveEntities} from '../infra/resolve.js'
import {decideCancel, MAINTENANCE_FAMILY} from '../infra/resource-state.js'
import {describeVms, formatElapsed, formatHostProgress} from './columns.js'
import {listVmsOnHost, readHost} from './fetch.js'
import {quoteArg, resumeCommand} from './plan.js'
import {cancelMaintenanceReminder, enterMaintenanceReminder} from './reminders.js'
import {tickClock, waitForMaintenance} from './wait.js'

/*
 * `host maintenance enter|cancel|status`: resolve the hosts, check before changing anything
 * (resource states, the cluster's spare capacity), then drain one host after another, showing
 * per host its state and the VMs still on it, until the server reports Maintenance.
 */

/**
 * Drains the planned hosts one after another. With `wait` false, submits and returns the job
 * ids. Stops at the first host that fails (exit 1), naming the hosts not started.
 */
export async function runEnterPlan(
  client: MoldClient,
  prep: EnterPreparation,
  opts: EnterOptions,
): Promise<HostOutcome[]> {
  const outcomes: HostOutcome[] = []
  const {plan} = prep
  const {ui, ...settings} = opts
  const {signal} = ui
  const progress = await ui.progress()
  for (const line of prep.reminders) progress.note(line)
  for (const line of prep.warnings) progress.note(`warning (--force): ${line}`)
  if (plan.steps.length > 1)
    progress.note(
      `Draining ${plan.steps.length} hosts one after another: ${plan.steps.map((s) => s.name).join(', ')}`,
    )
  for (const [index, step] of plan.steps.entries()) {
    const decision = prep.decisions.get(step.id)!
    const ctx: WaitContext = {
      ...settings,
      notStarted: plan.steps.slice(index + 1).map((s) => s.name),
      progress,
      resume: resumeCommand(plan, index),
      showElapsed: ui.live,
      signal,
    }
    // eslint-disable-next-line no-await-in-loop
    const host = await readHost(client, step.id)
    if (decision.action === 'none') {
      progress.set(step.id, `${step.name}  Maintenance  already in maintenance, nothing to do`)
      outcomes.push(host)
      continue
    }

    const reminder = enterMaintenanceReminder(step.hypervisor, step.name)
    if (reminder.length > 0) progress.note(reminder.join('\n'))
    if (decision.action === 'wait') {
      progress.note(decision.reason)
      if (!opts.wait) {
        outcomes.push(host)
        continue
      }

      // eslint-disable-next-line no-await-in-loop
      outcomes.push(await waitForMaintenance(client, host, ctx))
      continue
    }

    // eslint-disable-next-line no-await-in-loop
    const outcome = await drainOne(client, host, ctx, opts.wait)
    outcomes.push(outcome)
  }

  progress.done()
  return outcomes
}

async function drainOne(
  client: MoldClient,
  host: Host,
  ctx: WaitContext,
  wait: boolean,
): Promise<HostOutcome> {
  const started = Date.now()
  await ctx.beforeSubmit?.(host)
  const {adopted, jobid} = await submitOnce(client, {
    command: 'prepareHostForMaintenance',
    note: (line) => ctx.progress.note(line),
    params: {id: host.id},
    target: {command: 'prepareHostForMaintenance', instanceId: host.id, label: host.name},
  })
  ctx.jobid = jobid
  if (!wait) {
    ctx.progress.note(
      `${host.name}: prepareHostForMaintenance job ${jobid} ${adopted ? 'found' : 'submitted'}; follow it: moldctl job wait ${jobid}`,
    )
    return {...host, jobid}
  }

  const asking = () => {
    const clock = ctx.showElapsed ? `${formatElapsed(Date.now() - started)}  ` : ''
    return `${host.name}  ${host.resourcestate}  ${clock}asking the server (job ${jobid})`
  }

  ctx.progress.set(host.id, asking())
  const stopClock = tickClock(ctx, host.id, asking)
  let result: ApiObject
  try {
    result = await client.waitForJob(jobid, {
      command: 'prepareHostForMaintenance',
      resumeHint: ctx.resume,
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
    })
  } catch (error) {
    if (error instanceof JobFailedError) throw await jobFailed(client, host, error, ctx)
    throw error
  } finally {
    stopClock()
  }

  // The job answers with the host: Maintenance at once when nothing had to move.
  const answered = result.host as Host | undefined
  if (answered?.resourcestate === 'Maintenance') {
    ctx.progress.set(
      host.id,
      formatHostProgress(host.name, 'Maintenance', [], ctx.showElapsed ? Date.now() - started : undefined),
    )
    return {...answered, jobid}
  }

  const done = await waitForMaintenance(client, host, ctx, {firstLookAfterPause: true, started})
  return {...done, jobid}
}

async function jobFailed(
  client: MoldClient,
  host: Host,
  error: JobFailedError,
  ctx: WaitContext,
): Promise<MoldctlError> {
  const suggestions: string[] = []
  try {
    const [fresh, vms] = await Promise.all([readHost(client, host.id), listVmsOnHost(client, host.id)])
    suggestions.push(`${host.name} is now ${fresh.resourcestate}`)
    if (vms.length > 0) suggestions.push(`still on ${host.name}: ${describeVms(vms, 20)}`)
  } catch {
    // The failure itself is what matters; the extra facts are best effort.
  }

  if (ctx.notStarted.length > 0) suggestions.push(`not started: ${ctx.notStarted.join(', ')}`)
  return new MoldctlError(
    `${host.name}: the server could not start maintenance (job ${error.jobId}): ${error.errortext}`,
    {
      exitCode: ExitCode.Failed,
      suggestions,
    },
  )
}

// ---------------------------------------------------------------------------------------------
// Cancel and status

/** Takes hosts out of maintenance; an Enabled host is left alone. Refusals come before any call. */
export async function cancelMaintenanceOn(
  client: MoldClient,
  refs: string[],
  opts: CancelOptions,
): Promise<HostOutcome[]> {
  const hosts = await resolveEntities<Host>(client, 'host', refs)
  const decisions = hosts.map((h) => ({decision: decideCancel(h.name, h.resourcestate), host: h}))
  const refused = decisions.filter((d) => d.decision.action === 'refuse')
  if (refused.length > 0) {
    const reasons = refused.map((d) => (d.decision as {reason: string}).reason)
    throw new UsageError(
      reasons.length === 1 ? reasons[0] : 'some hosts are not in maintenance; nothing was changed',
      reasons.length > 1 ? reasons : [],
    )
  }

  const outcomes: HostOutcome[] = []
  const {signal} = opts.ui
  const progress = await opts.ui.progress()
  for (const [index, {decision, host}] of decisions.entries()) {
    if (decision.action === 'none') {
      progress.note(decision.reason)
      outcomes.push(host)
      continue
    }

    const reminder = cancelMaintenanceReminder(host.hypervisor, host.name)
    if (reminder.length > 0) progress.note(reminder.join('\n'))
    // eslint-disable-next-line no-await-in-loop
    const {jobid} = await submitOnce(client, {
      command: 'cancelHostMaintenance',
      note: (line) => progress.note(line),
      params: {id: host.id},
      target: {command: 'cancelHostMaintenance', instanceId: host.id, label: host.name},
    })
    const rest = decisions.slice(index).map((d) => quoteArg(d.host.name))
    try {
      // eslint-disable-next-line no-await-in-loop
      const result = await client.waitForJob(jobid, {
        command: 'cancelHostMaintenance',
        resumeHint: `moldctl host maintenance cancel ${rest.join(' ')}`,
        signal,
        timeoutMs: opts.timeoutMs,
      })
      const after = (result.host as Host | undefined) ?? host
      progress.note(`${host.name}: maintenance cancelled, now ${after.resourcestate}`)
      outcomes.push({...after, jobid})
    } catch (error) {
      if (error instanceof JobFailedError) {
        throw new MoldctlError(
          `${host.name}: the server could not cancel maintenance (job ${jobid}): ${error.errortext}`,
          {
            suggestions: rest.length > 1 ? [`not done: ${rest.slice(1).join(', ')}`] : [],
          },
        )
      }

      throw error
    }
  }

  return outcomes
}

/**
 * The hosts asked for (or the cluster's, or every host in a maintenance state) with the VMs
 * still on each.
 */
export async function maintenanceStatus(
  client: MoldClient,
  refs: string[],
  cluster?: string,
): Promise<StatusRow[]> {
  let hosts: Host[]
  if (refs.length > 0) hosts = await resolveEntities<Host>(client, 'host', refs)
  else if (cluster) {
    const [found] = await resolveEntities(client, 'cluster', [cluster])
    hosts = await hostsOfCluster(client, found.id)
  } else {
    const all = await fetchHosts(client, {type: 'Routing'})
    hosts = all.filter((h) => MAINTENANCE_FAMILY.includes(h.resourcestate))
  }

  return Promise.all(hosts.map(async (h) => ({...h, virtualmachine: await listVmsOnHost(client, h.id)})))
}
