import type {MoldClient} from '../api/client.js'
import type {ApiObject, AsyncJob, Params} from '../api/types.js'
import type {PlanCluster, PlanHost, RollingPlan} from './plan.js'
import type {RollingMaintenanceResult} from './report.js'
import type {RollingScope} from './scope.js'

import {fetchClusters, fetchHosts, fetchVms} from '../api/fetch.js'
import {JobStatus} from '../api/types.js'
import {ApiError, InterruptedError, JobFailedError, TransportError, WaitTimeoutError} from '../core/errors.js'
import {sleep} from '../core/sleep.js'
import {hostsOfCluster} from '../infra/list.js'
import {type Entity, resolveEntities} from '../infra/resolve.js'
import {buildRollingPlan} from './plan.js'
import {
  applySnapshot,
  type LiveLine,
  liveLines,
  newProgressState,
  nextPollDelay,
  type ProgressSnapshot,
} from './progress.js'
import {formatDuration} from './report.js'
import {checkStageTimeout, integerSetting, PING_INTERVAL_SETTING, STAGE_TIMEOUT_SETTING} from './scope.js'

const SCOPE_FILTER = {clusters: 'clusterid', pods: 'podid', zones: 'zoneid'} as const
const KIND_OF_SCOPE = {clusters: 'cluster', pods: 'pod', zones: 'zone'} as const

/** A global setting's value (listConfigurations filters by name loosely; keep the exact one). */
export async function readSetting(client: MoldClient, name: string): Promise<unknown> {
  const items = await client.list<{name: string; value?: unknown}>('listConfigurations', {name})
  return items.find((item) => item.name === name)?.value
}

/** The ping interval and stage timeout settings, and the effective stage timeout (checked). */
export async function checkedStageTimeout(
  client: MoldClient,
  timeout?: number,
): Promise<{pingInterval: number; stageTimeout: number}> {
  const [ping, stage] = await Promise.all([
    readSetting(client, PING_INTERVAL_SETTING),
    timeout === undefined ? readSetting(client, STAGE_TIMEOUT_SETTING) : Promise.resolve(timeout),
  ])
  const pingInterval = integerSetting(PING_INTERVAL_SETTING, ping)
  const stageTimeoutSetting = integerSetting(STAGE_TIMEOUT_SETTING, stage)
  return {pingInterval, stageTimeout: checkStageTimeout({pingInterval, stageTimeoutSetting, timeout})}
}

export interface ResolvedScope {
  /** UUIDs for the API parameter. */
  ids: string[]
  /** Hosts in scope, any hypervisor, in the order the server lists them. */
  scopeHosts: PlanHost[]
}

/** Resolves names/IPs to UUIDs (unknown → exit 2) and lists the hosts the scope covers. */
export async function resolveScope(client: MoldClient, scope: RollingScope): Promise<ResolvedScope> {
  if (scope.kind === 'hosts') {
    const hosts = await resolveEntities<Entity & PlanHost>(client, 'host', scope.refs)
    return {ids: hosts.map((host) => host.id), scopeHosts: hosts}
  }

  const entities = await resolveEntities(client, KIND_OF_SCOPE[scope.kind], scope.refs)
  const ids = entities.map((entity) => entity.id)
  const filter = SCOPE_FILTER[scope.kind]
  const lists = await Promise.all(
    ids.map((id) => fetchHosts(client, {[filter]: id, type: 'Routing'} as Params)),
  )
  const seen = new Set<string>()
  const scopeHosts = lists.flat().filter((host) => !seen.has(host.id) && seen.add(host.id))
  return {ids, scopeHosts}
}

/** Everything the dry-run plan and the pre-start checks look at, read from the cloud. */
export async function planRollingMaintenance(
  client: MoldClient,
  opts: {
    forced: boolean
    payload?: string
    pingInterval: number
    scopeHosts: PlanHost[]
    stageTimeout: number
  },
): Promise<RollingPlan> {
  const clusterIds = [
    ...new Set(opts.scopeHosts.filter((h) => h.hypervisor === 'KVM').map((h) => h.clusterid ?? '')),
  ].filter(Boolean)
  const [clusters, clusterHosts, vms] = await Promise.all([
    fetchClusters(client, {}),
    Promise.all(clusterIds.map((id) => hostsOfCluster(client, id))),
    Promise.all(clusterIds.map((id) => fetchVms(client, {clusterid: id, listall: true}))),
  ])
  return buildRollingPlan({
    clusterHosts: clusterHosts.flat(),
    clusters,
    forced: opts.forced,
    payload: opts.payload,
    pingInterval: opts.pingInterval,
    scopeHosts: opts.scopeHosts,
    stageTimeout: opts.stageTimeout,
    vms: vms.flat(),
  })
}

/** The startRollingMaintenance parameters (what --dry-run prints and the run sends). */
export function startParams(
  scope: RollingScope,
  ids: string[],
  opts: {forced: boolean; payload?: string; timeout?: number},
): Params {
  return {
    [scope.param]: ids,
    forced: opts.forced ? true : undefined,
    payload: opts.payload,
    timeout: opts.timeout,
  }
}

export interface WatchOptions {
  clusterIds: string[]
  /** Plain progress line (stderr not a terminal), or a note above the live block. */
  event: (line: string) => void
  /** Plain mode: a "still running" line after this long without any other line. */
  heartbeatMs?: number
  /** What the cloud looked like before the job was submitted (so the first poll shows changes). */
  initial?: ProgressSnapshot
  /** The live block (terminal only); undefined when not live. */
  live?: (lines: LiveLine[]) => void
  maxMs: number
  /** Stop waiting (exit 5) after this long, if given. */
  maxWaitMs?: number
  minMs: number
  signal?: AbortSignal
}

function isTransientError(error: unknown): boolean {
  if (error instanceof TransportError) return true
  return (
    error instanceof ApiError &&
    (error.errorcode === 429 || (error.errorcode >= 500 && error.errorcode !== 530))
  )
}

/**
 * Waits for a startRollingMaintenance job, reading progress from the cloud meanwhile: which
 * cluster is disabled, which host is in PrepareForMaintenance or Maintenance, for how long.
 * Polls fast while things change and backs off to `maxMs` while they do not; transient errors
 * are reported and polling goes on. Returns the `rollingmaintenance` result object.
 */
export async function watchRollingJob(
  client: MoldClient,
  jobid: string,
  opts: WatchOptions,
): Promise<RollingMaintenanceResult> {
  const started = Date.now()
  const state = newProgressState(started)
  if (opts.initial) applySnapshot(state, opts.initial, started)
  const resume = `moldctl job wait ${jobid}`
  let delay = opts.minMs
  let lastLine = started
  const event = (line: string) => {
    lastLine = Date.now()
    opts.event(line)
  }

  for (;;) {
    if (opts.signal?.aborted) {
      throw new InterruptedError(
        `stopped watching rolling maintenance job ${jobid}; it goes on on the server`,
        resume,
        jobid,
      )
    }

    let changed = false
    try {
      // eslint-disable-next-line no-await-in-loop
      const job = await client.queryJob(jobid)
      // eslint-disable-next-line no-await-in-loop
      const snapshot = await progressSnapshot(client, opts.clusterIds, state)
      const events = applySnapshot(state, snapshot, Date.now())
      changed = events.length > 0
      for (const line of events) event(line)
      opts.live?.(liveLines(state, Date.now(), jobid))
      if (!opts.live && opts.heartbeatMs !== undefined && Date.now() - lastLine >= opts.heartbeatMs) {
        event(`rolling maintenance job ${jobid} still running after ${formatDuration(Date.now() - started)}`)
      }

      if (job.jobstatus !== JobStatus.InProgress) return jobResult(jobid, job)
    } catch (error) {
      if (!isTransientError(error)) throw error
      event(`could not read progress (${(error as Error).message}); trying again`)
    }

    if (opts.maxWaitMs !== undefined && Date.now() - started >= opts.maxWaitMs) {
      throw new WaitTimeoutError(
        `stopped waiting for rolling maintenance job ${jobid}; it may still be running`,
        jobid,
      )
    }

    delay = nextPollDelay(delay, changed, opts.minMs, opts.maxMs)
    // eslint-disable-next-line no-await-in-loop
    await sleep(delay, opts.signal)
  }
}

/** Clusters of the run, and the hosts of those now disabled (the ones being worked on). */
async function progressSnapshot(
  client: MoldClient,
  clusterIds: string[],
  state: ReturnType<typeof newProgressState>,
): Promise<{clusters: PlanCluster[]; hosts: PlanHost[]}> {
  const all = await fetchClusters(client, {})
  const clusters = all.filter((cluster) => clusterIds.includes(cluster.id))
  const active = clusters.filter(
    (cluster) => cluster.allocationstate !== 'Enabled' || state.clusters.get(cluster.id)?.state !== 'Enabled',
  )
  const hosts = await Promise.all(active.map((cluster) => hostsOfCluster(client, cluster.id)))
  return {clusters, hosts: hosts.flat()}
}

function jobResult(jobid: string, job: AsyncJob): RollingMaintenanceResult {
  if (job.jobstatus === JobStatus.Succeeded) {
    const result = (job.jobresult as ApiObject | undefined)?.rollingmaintenance
    return (result ?? {
      details: 'the job returned no rollingmaintenance object',
      success: false,
    }) as RollingMaintenanceResult
  }

  const failure = (job.jobresult ?? {}) as {errorcode?: number; errortext?: string}
  throw new JobFailedError(
    'startRollingMaintenance',
    jobid,
    Number(failure.errorcode ?? job.jobresultcode ?? 530),
    failure.errortext ?? `job ended with status ${job.jobstatus}`,
  )
}

/** Hosts of the scope left in a maintenance state after the run (the server leaves them when a stage fails). */
export async function hostsLeftInMaintenance(client: MoldClient, clusterIds: string[]): Promise<PlanHost[]> {
  const hosts = await Promise.all(clusterIds.map((id) => hostsOfCluster(client, id)))
  return hosts
    .flat()
    .filter((host) =>
      ['ErrorInMaintenance', 'ErrorInPrepareForMaintenance', 'Maintenance', 'PrepareForMaintenance'].includes(
        host.resourcestate ?? '',
      ),
    )
}
