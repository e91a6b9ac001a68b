import type {MoldClient} from '../api/client.js'
import type {Column} from '../output/columns.js'
import type {RollingPlan} from './plan.js'
import type {RollingMaintenanceResult} from './report.js'

import {confirmAction} from '../output/prompt.js'
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

export interface StartFlags {
  clusters?: string
  'dry-run'?: boolean
  forced?: boolean
  hosts?: string
  'max-wait'?: number
  'output-dir'?: string
  payload?: string
  pods?: string
  timeout?: number
  yes?: boolean
  zones?: string
}

export interface StartIo {
  client: () => Promise<MoldClient>
  json: boolean
  log: (line: string) => void
  printRows: (rows: Record<string, unknown>[], columns: Column[]) => Promise<void>
  signal: AbortSignal
  stderr: (line: string) => void
}

function pollWindow(env: NodeJS.ProcessEnv): {maxMs: number; minMs: number} {
  const minMs = Number(env.MOLDCTL_POLL_MIN_MS) || 2000
  return {maxMs: Math.max(minMs, Number(env.MOLDCTL_POLL_MAX_MS) || 30_000), minMs}
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
  flags: StartFlags,
  io: StartIo,
): Promise<RollingMaintenanceResult | RollingPlan> {
  const scope = rollingScope(flags)
  const forced = flags.forced ?? false
  for (const warning of payloadWarnings(flags.payload)) io.stderr(`Warning: ${warning}`)
  const client = await io.client()
  const {pingInterval, stageTimeout} = await checkedStageTimeout(client, flags.timeout)
  const {ids, scopeHosts} = await resolveScope(client, scope)
  const plan = await planRollingMaintenance(client, {
    forced,
    payload: flags.payload,
    pingInterval,
    scopeHosts,
    stageTimeout,
  })
  const params = startParams(scope, ids, {forced, payload: flags.payload, timeout: flags.timeout})
  if (flags['dry-run']) {
    if (!io.json)
      for (const line of formatPlan(plan, describeCall('startRollingMaintenance', params))) io.log(line)
    return plan
  }

  for (const host of plan.ignoredhosts) io.stderr(`Ignored: ${host.name} is ${host.hypervisor}, not KVM`)
  for (const line of plan.expectations) io.stderr(`Expected: ${line}`)
  const question = `Start rolling maintenance of ${summary(plan)}? Each host goes into maintenance in turn`
  if (!(await confirmAction(`${question}.`, {yes: flags.yes}))) {
    io.stderr('Nothing was started.')
    return plan
  }

  const {jobid} = await client.submitJob('startRollingMaintenance', params)
  const {ProgressLines} = await import('../output/progress.js')
  const progress = new ProgressLines()
  io.stderr(`Rolling maintenance job ${jobid} started (stage timeout ${stageTimeout} s).`)
  const result = await watchRollingJob(client, jobid, {
    ...pollWindow(process.env),
    clusterIds: plan.clusters.map((cluster) => cluster.id),
    initial: {
      clusters: plan.clusters,
      hosts: plan.clusters.flatMap((cluster) =>
        cluster.hosts.map((host) => ({...host, clusterid: cluster.id})),
      ),
    },
    event: (line) => progress.note(line),
    heartbeatMs: 5 * 60_000,
    live: process.stderr.isTTY
      ? (lines) => {
          for (const line of lines) progress.set(line.key, line.text)
        }
      : undefined,
    maxWaitMs: flags['max-wait'] === undefined ? undefined : flags['max-wait'] * 1000,
    signal: io.signal,
  })
  progress.done()
  await report({client, flags, io, plan, result})
  return result
}

async function report({
  client,
  flags,
  io,
  plan,
  result,
}: {
  client: MoldClient
  flags: StartFlags
  io: StartIo
  plan: RollingPlan
  result: RollingMaintenanceResult
}): Promise<void> {
  const updated = updatedHostRows(result)
  const skipped = skippedHostRows(result)
  if (!io.json) {
    io.log(`Updated hosts (${updated.length}):`)
    const offsets = (result.hostsupdated ?? []).map((host) => rollingDateOffset(host.startdate))
    if (updated.length > 0)
      await io.printRows(updated as unknown as Record<string, unknown>[], updatedColumns(offsets))
    io.log('')
    io.log(`Skipped hosts (${skipped.length}):`)
    if (skipped.length > 0)
      await io.printRows(skipped as unknown as Record<string, unknown>[], SKIPPED_COLUMNS)
  }

  if (flags['output-dir']) {
    const {saveStageOutputs} = await import('./save-outputs.js')
    const files = await saveStageOutputs(flags['output-dir'], result)
    io.stderr(
      `Saved ${files.length} Maintenance stage output${files.length === 1 ? '' : 's'} in ${flags['output-dir']}`,
    )
  }

  if (result.success) {
    io.stderr(`Rolling maintenance succeeded: ${result.details ?? 'OK'}`)
    return
  }

  process.exitCode = 1
  io.stderr(`Error: rolling maintenance failed: ${result.details ?? 'no details'}`)
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
    io.stderr(
      `  ${host.name} was left in ${host.resourcestate}: moldctl host maintenance cancel ${host.name}`,
    )
  }
}
