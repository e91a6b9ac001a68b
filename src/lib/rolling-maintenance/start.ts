import type {MoldClient} from '../api/client.js'
import type {Ui} from '../core/ui.js'
import type {RollingPlan} from './plan.js'
import type {RollingMaintenanceResult} from './report.js'

import {submitOnce} from '../api/pending-jobs.js'
import {describeCall, formatPlan, SKIPPED_COLUMNS, updatedColumns} from './format.js'
import {rollingDateOffset, skippedHostRows, updatedHostRows} from './report.js'
import {
  checkedStageTimeout,
  hostsLeftInMaintenance,
  planRollingMaintenance,
  resolveScope,
  startParams,
  watchRollingJob,
} from './run.js'
import {payloadWarnings, rollingScope} from './scope.js'

export interface StartOptions {
  /** The scope: exactly one of clusters, hosts, pods, zones (names or ids, comma-separated). */
  clusters?: string
  dryRun: boolean
  forced: boolean
  hosts?: string
  /** Stop waiting after this long (exit 5; the run goes on). */
  maxWaitMs?: number
  /** Where to save each updated host's Maintenance stage output. */
  outputDir?: string
  payload?: string
  pods?: string
  /** How often to look at the job (the pause grows from minMs to maxMs). */
  poll: {maxMs: number; minMs: number}
  /** Seconds per stage. */
  timeout?: number
  zones?: string
}

function summary(plan: RollingPlan): string {
  const hosts = plan.clusters.reduce((n, cluster) => n + cluster.hosts.length, 0)
  const names = plan.clusters.map((cluster) => cluster.name).join(', ')
  return `${hosts} KVM host${hosts === 1 ? '' : 's'} in ${plan.clusters.length} cluster${plan.clusters.length === 1 ? '' : 's'} (${names})`
}

/**
 * `rolling-maintenance start`: checks, plan, confirmation, the job with live progress, and the
 * report. Returns the API's rollingmaintenance object (or the plan for --dry-run).
 */
export async function startRollingMaintenance(
  client: () => Promise<MoldClient>,
  options: StartOptions,
  ui: Ui,
): Promise<RollingMaintenanceResult | RollingPlan> {
  const flags = options
  // Listen for Ctrl-C from the start: a signal during the checks stops the command cleanly too.
  const {signal} = ui
  const scope = rollingScope(flags)
  const {forced} = flags
  // Also with --json: stdout keeps the JSON, stderr says what happened.
  for (const warning of payloadWarnings(flags.payload)) ui.noteAlways(`Warning: ${warning}`)
  const api = await client()
  const {pingInterval, stageTimeout} = await checkedStageTimeout(api, flags.timeout)
  const {ids, scopeHosts} = await resolveScope(api, scope)
  const plan = await planRollingMaintenance(api, {
    forced,
    payload: flags.payload,
    pingInterval,
    scopeHosts,
    stageTimeout,
  })
  const params = startParams(scope, ids, {forced, payload: flags.payload, timeout: flags.timeout})
  if (flags.dryRun) {
    for (const line of await formatPlan(plan, describeCall('startRollingMaintenance', params))) ui.log(line)
    return plan
  }

  for (const host of plan.ignoredhosts) ui.noteAlways(`Ignored: ${host.name} is ${host.hypervisor}, not KVM`)
  for (const line of plan.expectations) ui.noteAlways(`Expected: ${line}`)
  const question = `Start rolling maintenance of ${summary(plan)}? Each host goes into maintenance in turn`
  if (!(await ui.confirm(`${question}.`))) {
    ui.noteAlways('Nothing was started.')
    return plan
  }

  // A rolling maintenance already pending on the scope is followed instead of starting another
  // (one that names nothing — older servers' jobs carry no instance — is followed too).
  const {adopted, jobid} = await submitOnce(api, {
    command: 'startRollingMaintenance',
    note: (line) => ui.noteAlways(line),
    onUnnamed: 'adopt',
    params,
    target: {command: 'startRollingMaintenance', instanceId: ids[0], label: summary(plan)},
  })
  const progress = await ui.progress()
  ui.noteAlways(
    `Rolling maintenance job ${jobid} ${adopted ? 'followed' : 'started'} (stage timeout ${stageTimeout} s).`,
  )
  const result = await watchRollingJob(api, jobid, {
    ...flags.poll,
    clusterIds: plan.clusters.map((cluster) => cluster.id),
    initial: {
      clusters: plan.clusters,
      hosts: plan.clusters.flatMap((cluster) =>
        cluster.hosts.map((host) => ({...host, clusterid: cluster.id})),
      ),
    },
    event: (line) => progress.note(line),
    heartbeatMs: 5 * 60_000,
    live: ui.live
      ? (lines) => {
          for (const line of lines) progress.set(line.key, line.text)
        }
      : undefined,
    maxWaitMs: flags.maxWaitMs,
    signal,
  })
  progress.done()
  await report({client: api, flags, plan, result, ui})
  return result
}

async function report({
  client,
  flags,
  plan,
  result,
  ui,
}: {
  client: MoldClient
  flags: StartOptions
  plan: RollingPlan
  result: RollingMaintenanceResult
  ui: Ui
}): Promise<void> {
  const updated = updatedHostRows(result)
  const skipped = skippedHostRows(result)
  if (!ui.json) {
    ui.log(`Updated hosts (${updated.length}):`)
    const offsets = (result.hostsupdated ?? []).map((host) => rollingDateOffset(host.startdate))
    if (updated.length > 0) await ui.printRows(updated, updatedColumns(offsets))
    ui.log('')
    ui.log(`Skipped hosts (${skipped.length}):`)
    if (skipped.length > 0) await ui.printRows(skipped, SKIPPED_COLUMNS)
  }

  if (flags.outputDir) {
    const {saveStageOutputs} = await import('./save-outputs.js')
    const files = await saveStageOutputs(flags.outputDir, result)
    ui.noteAlways(
      `Saved ${files.length} Maintenance stage output${files.length === 1 ? '' : 's'} in ${flags.outputDir}`,
    )
  }

  if (result.success) {
    ui.noteAlways(`Rolling maintenance succeeded: ${result.details ?? 'OK'}`)
    return
  }

  ui.noteAlways(`Error: rolling maintenance failed: ${result.details ?? 'no details'}`)
  const wasEnabled = new Set(
    plan.clusters.flatMap((c) => c.hosts.filter((h) => h.resourcestate === 'Enabled').map((h) => h.id)),
  )
  const left = (
    await hostsLeftInMaintenance(
      client,
      plan.clusters.map((c) => c.id),
    )
  ).filter((h) => wasEnabled.has(h.id))
  for (const host of left) {
    ui.noteAlways(
      `  ${host.name} was left in ${host.resourcestate}: moldctl host maintenance cancel ${host.name}`,
    )
  }
}
