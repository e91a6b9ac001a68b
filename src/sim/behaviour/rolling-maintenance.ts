import type {Cluster, Host, RollingStage, SimModel, Vm} from '../state/model.js'
import type {SimClock} from './clock.js'

import {SimApiError} from '../catalog/registry.js'
import {cancelMaintenance, describeHostRecord, enterMaintenance, hostCanTake} from './maintenance.js'

/*
 * startRollingMaintenance as RollingMaintenanceManagerImpl runs it (reference §6 and
 * mold-db-hooks §4.4): per cluster, the VM-state gate, disabling the cluster, state and capacity
 * checks, PreFlight on every host, then host by host PreMaintenance → maintenance →
 * Maintenance → cancel → PostMaintenance; forced turns failures into skipped hosts. Stage
 * scripts (exit code, output, duration) come from each host's `rollingMaintenance` in the
 * topology; the management server's polling of the agent is replayed on the simulated clock.
 */

export type RollingScopeType = 'Cluster' | 'Host' | 'Pod' | 'Zone'

export interface RollingRequest {
  forced: boolean
  ids: string[]
  payload?: string
  /** Seconds per stage (the `timeout` parameter or kvm.rolling.maintenance.stage.timeout). */
  timeout: number
  type: RollingScopeType
}

export interface HostUpdated {
  enddate: string
  hostid: string
  hostname: string
  output: string
  startdate: string
}

export interface HostSkipped {
  hostid: string
  hostname: string
  reason: string
}

export interface RollingOutcome {
  details: string
  hostsskipped: HostSkipped[]
  hostsupdated: HostUpdated[]
  success: boolean
}

export const PING_INTERVAL_SETTING = 'kvm.rolling.maintenance.ping.interval'
export const STAGE_TIMEOUT_SETTING = 'kvm.rolling.maintenance.stage.timeout'
export const WAIT_MAINTENANCE_TIMEOUT_SETTING = 'kvm.rolling.maintenance.wait.maintenance.timeout'

/** Exit status of a stage script meaning "this host needs no maintenance". */
const AVOID_MAINTENANCE_EXIT = 70
/** VM states that stop the rolling maintenance of a cluster. */
const BLOCKING_VM_STATES = new Set(['Error', 'Migrating', 'Starting', 'Stopping', 'Unknown'])
const OFF_HOST_VM_STATES = new Set(['Destroyed', 'Expunging', 'Stopped'])
/** waitForHostInMaintenance checks the database every 30 s. */
const MAINTENANCE_POLL_MS = 30_000

/** The scope parameters in the order the server looks at them: pods, clusters, zones, hosts. */
export function rollingScopeOf(params: {
  clusterids?: string[]
  hostids?: string[]
  podids?: string[]
  zoneids?: string[]
}): {ids: string[]; type: RollingScopeType} {
  if (params.podids?.length) return {ids: params.podids, type: 'Pod'}
  if (params.clusterids?.length) return {ids: params.clusterids, type: 'Cluster'}
  if (params.zoneids?.length) return {ids: params.zoneids, type: 'Zone'}
  if (params.hostids?.length) return {ids: params.hostids, type: 'Host'}
  throw SimApiError.internal(
    'Parameters podId, clusterId, zoneId, hostId are mutually exclusive, please set only one of them',
  )
}

/** ApiResponseHelper.getDateStringInternal in UTC: a literal quoted T and a +hh:mm offset. */
export function rollingDate(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 10)}'T'${iso.slice(11, 19)}+00:00`
}

/** VMInstanceVO.toString() as newer servers print it inside messages. */
export function describeVmRecord(vm: Vm): string {
  return `VM instance {"id":${vm.internalId},"instanceName":"${vm.instanceName}","type":"User","uuid":"${vm.id}"}`
}

/** Ends the run: the server's CloudRuntimeException, reported as "Error starting rolling maintenance: …". */
class RollingError extends Error {}

interface StageResult {
  avoidMaintenance: boolean
  details: string
  success: boolean
}

interface Run {
  avoid: Map<string, string>
  clock: SimClock
  disabledClusters: Set<string>
  model: SimModel
  onChange: () => void
  outcome: RollingOutcome
  pingMs: number
  request: RollingRequest
}

/** KVM hosts in scope (any status), grouped by cluster; clusters and hosts by internal id. */
export function hostsByCluster(model: SimModel, type: RollingScopeType, ids: string[]): Map<Cluster, Host[]> {
  const wanted = new Set(ids)
  const inScope = (host: Host): boolean =>
    type === 'Host'
      ? wanted.has(host.id)
      : type === 'Cluster'
        ? wanted.has(host.clusterId)
        : type === 'Pod'
          ? wanted.has(host.podId)
          : wanted.has(host.zoneId)
  const hosts = model.state.hosts
    .filter((host) => host.hypervisor === 'KVM' && host.type === 'Routing' && inScope(host))
    .sort((a, b) => a.internalId - b.internalId)
  const clusters = [...new Set(hosts.map((host) => host.clusterId))]
    .map((id) => model.clusters.get(id)!)
    .filter(Boolean)
    .sort((a, b) => a.internalId - b.internalId)
  return new Map(clusters.map((cluster) => [cluster, hosts.filter((host) => host.clusterId === cluster.id)]))
}

function skip(run: Run, host: Host, reason: string): void {
  run.outcome.hostsskipped.push({hostid: host.id, hostname: host.name, reason})
}

function setClusterState(run: Run, cluster: Cluster, state: 'Disabled' | 'Enabled'): void {
  cluster.allocationState = state
  run.onChange()
}

/**
 * One stage on one host, as the management server sees it: the agent starts the script, then
 * answers "still running" to a RollingMaintenanceCommand sent every ping interval until the
 * script ends; waiting as long as the stage timeout is a failure even if the script then ends.
 */
async function runStage(run: Run, host: Host, stage: RollingStage): Promise<StageResult> {
  const script = host.rollingMaintenance[stage]
  if (!script) return {avoidMaintenance: false, details: `Skipped stage ${stage}`, success: true}
  const timeoutMs = run.request.timeout * 1000
  const pingsToFinish = Math.max(1, Math.ceil((script.durationSeconds * 1000) / run.pingMs))
  const pingsToTimeout = Math.ceil(timeoutMs / run.pingMs)
  const pings = Math.min(pingsToFinish, pingsToTimeout)
  await run.clock.sleep(pings * run.pingMs)
  if (pings * run.pingMs >= timeoutMs) {
    return {
      avoidMaintenance: false,
      details: `Timeout exceeded for rolling maintenance on host ${host.id} and stage ${stage}`,
      success: false,
    }
  }

  const ok = script.exitCode === 0 || script.exitCode === AVOID_MAINTENANCE_EXIT
  return {avoidMaintenance: script.exitCode === AVOID_MAINTENANCE_EXIT, details: script.output, success: ok}
}

/** performStageOnHost: a failed stage ends the run unless forced. */
async function performStage(run: Run, host: Host, stage: RollingStage): Promise<StageResult> {
  const result = await runStage(run, host, stage)
  if (!result.success && !run.request.forced) {
    throw new RollingError(`Stage: ${stage} failed on host ${host.id}: ${result.details}`)
  }

  return result
}

function vmsOn(model: SimModel, host: Host): Vm[] {
  return model.vmsOnHost(host.id).filter((vm) => !OFF_HOST_VM_STATES.has(vm.state))
}

/** performCapacityChecksBeforeHostInMaintenance: [ok, message]; no other host at all ends the run. */
function capacityCheck(run: Run, host: Host, cluster: Cluster): [boolean, string] {
  const others = run.model
    .hostsInCluster(cluster.id)
    .filter((h) => h.id !== host.id && h.resourceState === 'Enabled' && h.status === 'Up')
  if (others.length === 0) {
    throw new RollingError(
      `No host available in cluster ${cluster.id} (${cluster.name}) to support host ${host.id} (${host.name}) in maintenance`,
    )
  }

  for (const vm of vmsOn(run.model, host)) {
    const fits = others.some(
      (target) => target.hypervisor === host.hypervisor && hostCanTake(run.model, target, vm),
    )
    if (!fits) {
      return [
        false,
        `${describeVmRecord(vm)} cannot be migrated away from ${describeHostRecord(host)} to any other host in the cluster`,
      ]
    }
  }

  return [true, 'OK']
}

/** Puts the host into maintenance and waits, polling every 30 s, until it is in Maintenance. */
async function putIntoMaintenance(run: Run, host: Host): Promise<void> {
  try {
    enterMaintenance(run.model, run.clock, host.id, {allowDisabledCluster: true, onChange: run.onChange})
  } catch (error) {
    if (error instanceof SimApiError) {
      throw new RollingError(error.errortext.replace(/^Failed to prepare host for maintenance due to: /, ''))
    }

    throw error
  }

  run.onChange()
  const timeoutMs = run.model.settingNumber(WAIT_MAINTENANCE_TIMEOUT_SETTING) * 1000
  let waited = 0
  while (waited < timeoutMs && host.resourceState !== 'Maintenance') {
    // eslint-disable-next-line no-await-in-loop -- the server polls the database every 30 s
    await run.clock.sleep(MAINTENANCE_POLL_MS)
    waited += MAINTENANCE_POLL_MS
  }

  if (host.resourceState !== 'Maintenance') {
    throw new RollingError(
      `Timeout: waited ${timeoutMs}ms for host ${host.id}(${host.name}) to be in Maintenance state, but after timeout it is in ${host.resourceState} state`,
    )
  }
}

function cancelHostMaintenance(run: Run, host: Host): void {
  try {
    cancelMaintenance(run.model, host.id)
    run.onChange()
  } catch {
    throw new RollingError(`Could not cancel maintenance on host ${host.id}`)
  }
}

type HostVerdict = 'continue' | {fail: string}

/** startRollingMaintenanceHostInCluster: the stages and maintenance of one host. */
async function maintainHost(run: Run, cluster: Cluster, host: Host): Promise<HostVerdict> {
  const {forced} = run.request
  if (!host.rollingMaintenance.Maintenance) {
    skip(run, host, 'There is no maintenance script on the host')
    return 'continue'
  }

  const pre = await performStage(run, host, 'PreMaintenance')
  if (!pre.success) {
    skip(run, host, `Pre-maintenance script failed: ${pre.details}`)
    return 'continue'
  }

  if (pre.avoidMaintenance && !run.avoid.has(host.id)) {
    run.avoid.set(host.id, 'Pre-maintenance stage set to avoid maintenance')
  }

  const avoided = run.avoid.get(host.id)
  if (avoided) {
    skip(run, host, avoided)
    return 'continue'
  }

  const [fits, message] = capacityCheck(run, host, cluster)
  if (!fits) {
    if (!forced) return {fail: message}
    skip(run, host, `Capacity check failed for ${describeHostRecord(host)}: ${message}`)
    return 'continue'
  }

  const start = run.clock.nowMs()
  await putIntoMaintenance(run, host)
  const maintenance = await performStage(run, host, 'Maintenance')
  if (!maintenance.success) {
    skip(run, host, `Maintenance script failed: ${maintenance.details}`)
    cancelHostMaintenance(run, host)
    return 'continue'
  }

  cancelHostMaintenance(run, host)
  const end = run.clock.nowMs()
  run.outcome.hostsupdated.push({
    enddate: rollingDate(end),
    hostid: host.id,
    hostname: host.name,
    output: maintenance.details,
    startdate: rollingDate(start),
  })
  const post = await performStage(run, host, 'PostMaintenance')
  if (!post.success) skip(run, host, `Post-maintenance script failed: ${post.details}`)
  return 'continue'
}

/** isMaintenanceAllowedByVMStates: the first host with VMs in blocking states is skipped, with the cluster. */
function blockedByVmStates(run: Run, hosts: Host[]): boolean {
  const blocked = hosts.find((host) =>
    run.model.vmsOnHost(host.id).some((vm) => BLOCKING_VM_STATES.has(vm.state)),
  )
  if (!blocked) return false
  skip(
    run,
    blocked,
    'There are VMs in starting/stopping/migrating/error/unknown state, not allowing rolling maintenance in the cluster',
  )
  return true
}

/** performStateChecks: hosts must be Up and Enabled; forced drops (and skips) the others. */
function stateChecked(run: Run, hosts: Host[]): Host[] {
  const checked: Host[] = []
  for (const host of hosts) {
    const problem =
      host.status === 'Up'
        ? host.resourceState === 'Enabled'
          ? null
          : `Host ${host.id} is not enabled, state = ${host.resourceState}`
        : `Host ${host.id} is not connected, state = ${host.status}`
    if (problem && !run.request.forced) throw new RollingError(problem)
    if (problem) skip(run, host, problem)
    else checked.push(host)
  }

  return checked
}

/** One cluster: 'done', 'skip' (forced past blocking VMs), or the failure that ends the run. */
async function maintainCluster(
  run: Run,
  cluster: Cluster,
  hosts: Host[],
): Promise<'done' | 'skip' | {fail: string}> {
  const {forced} = run.request
  if (blockedByVmStates(run, hosts))
    return forced ? 'skip' : {fail: `VMs in invalid states in cluster: ${cluster.id}`}
  if (cluster.allocationState === 'Enabled' && !run.disabledClusters.has(cluster.id)) {
    setClusterState(run, cluster, 'Disabled')
    run.disabledClusters.add(cluster.id)
  }

  const checked = stateChecked(run, hosts)
  for (const host of checked) {
    const [fits, message] = capacityCheck(run, host, cluster)
    if (!fits && !forced)
      throw new RollingError(`Capacity check failed for ${describeHostRecord(host)} : ${message}`)
  }

  // Hosts are worked on one after another, as the server does.
  for (const host of checked) {
    // eslint-disable-next-line no-await-in-loop
    const result = await performStage(run, host, 'PreFlight')
    if (result.avoidMaintenance && !run.avoid.has(host.id)) {
      run.avoid.set(host.id, 'Pre-flight stage set to avoid maintenance')
    }
  }

  for (const host of checked) {
    // eslint-disable-next-line no-await-in-loop
    const verdict = await maintainHost(run, cluster, host)
    if (verdict !== 'continue') return verdict
  }

  if (cluster.allocationState === 'Disabled' && run.disabledClusters.has(cluster.id)) {
    setClusterState(run, cluster, 'Enabled')
  }

  return 'done'
}

/** The body of a startRollingMaintenance job: the `rollingmaintenance` result object. */
export async function runRollingMaintenance(
  model: SimModel,
  clock: SimClock,
  request: RollingRequest,
  onChange: () => void = () => {},
): Promise<RollingOutcome> {
  const outcome: RollingOutcome = {details: '', hostsskipped: [], hostsupdated: [], success: false}
  const pingInterval = model.settingNumber(PING_INTERVAL_SETTING)
  if (request.timeout <= pingInterval) {
    outcome.details = `The timeout value provided must be greater or equal than the ping interval defined in '${PING_INTERVAL_SETTING}'`
    return outcome
  }

  const run: Run = {
    avoid: new Map(),
    clock,
    disabledClusters: new Set(),
    model,
    onChange,
    outcome,
    pingMs: pingInterval * 1000,
    request,
  }
  try {
    for (const [cluster, hosts] of hostsByCluster(model, request.type, request.ids)) {
      // eslint-disable-next-line no-await-in-loop
      const result = await maintainCluster(run, cluster, hosts)
      if (typeof result === 'object') {
        outcome.details = result.fail
        return outcome
      }
    }
  } catch (error) {
    if (!(error instanceof RollingError)) throw error
    outcome.details = `Error starting rolling maintenance: ${error.message}`
    return outcome
  } finally {
    for (const id of run.disabledClusters) {
      const cluster = model.clusters.get(id)
      if (cluster?.allocationState === 'Disabled') setClusterState(run, cluster, 'Enabled')
    }
  }

  outcome.success = true
  outcome.details = 'OK'
  return outcome
}
