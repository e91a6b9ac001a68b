import type {MoldClient} from '../api/client.js'
import type {ApiObject} from '../api/types.js'
import type {Column} from '../output/columns.js'

import {
  ApiError,
  ExitCode,
  InterruptedError,
  JobFailedError,
  MoldctlError,
  TransportError,
  UsageError,
  WaitTimeoutError,
} from '../core/errors.js'
import {sleep} from '../core/sleep.js'
import {hostsOfCluster} from '../infra/list.js'
import {resolveEntities} from '../infra/resolve.js'
import {
  decideCancel,
  decideEnter,
  describeFailedWait,
  type EnterDecision,
  interpretMaintenanceWait,
  MAINTENANCE_FAMILY,
} from '../infra/resource-state.js'
import {isLiveStderr} from '../output/tty.js'
import {
  type CandidateHost,
  checkDrainCapacity,
  describeVmDemand,
  type DrainCapacityResult,
  explainDrainCapacity,
  type OvercommitFactors,
  parseOvercommitRatio,
  type VmDemand,
} from './capacity-rules.js'
import {drainOrderByCluster, type MaintenancePlan, planMaintenance, quoteArg, resumeCommand} from './plan.js'
import {cancelMaintenanceReminder, enterMaintenanceReminder} from './reminders.js'

/*
 * `host maintenance enter|cancel|status`: resolve the hosts, check before changing anything
 * (resource states, the cluster's spare capacity), then drain one host after another, showing
 * per host its state and the VMs still on it, until the server reports Maintenance.
 */

export interface HostRecord extends ApiObject {
  clusterid: string
  clustername: string
  hypervisor: string
  id: string
  name: string
  resourcestate: string
  state: string
}

export interface VmRecord extends ApiObject {
  cpunumber?: number
  cpuspeed?: number
  hostid?: string
  id: string
  memory?: number
  name: string
  state: string
}

/** Where progress goes: on a terminal a live line per host, otherwise plain lines. */
export interface ProgressSink {
  done(): void
  note(text: string): void
  set(key: string, text: string): void
}

export interface WaitSettings {
  /** The longest pause between two looks at the host. */
  maxPollMs: number
  /** The first pause; pauses grow by half up to maxPollMs. */
  minPollMs: number
  signal?: AbortSignal
  /** Per host: give up waiting after this long (exit 5). */
  timeoutMs?: number
}

export interface EnterOptions extends WaitSettings {
  /** Go on even when the capacity check says some VMs fit nowhere. */
  force: boolean
  progress: ProgressSink
  /** Elapsed time in the progress lines (default: when stderr is a live terminal). */
  showElapsed?: boolean
  /** Submit and return the job ids without waiting. */
  wait: boolean
}

/** One host's outcome: the host as last read, plus the job that moved it (API field names). */
export type HostOutcome = HostRecord & {jobid?: string}

const VM_STATES_ON_HOST = new Set(['Error', 'Migrating', 'Running', 'Starting', 'Stopping', 'Unknown'])

export async function readHost(client: MoldClient, id: string): Promise<HostRecord> {
  const [host] = await client.list<HostRecord>('listHosts', {id})
  if (!host) throw new MoldctlError(`host ${id} is gone`)
  return host
}

/** The VMs placed on the host (running, migrating away, or stuck in a transitional state). */
export async function listVmsOnHost(client: MoldClient, hostId: string): Promise<VmRecord[]> {
  const vms = await client.list<VmRecord>('listVirtualMachines', {hostid: hostId, listall: true})
  return vms
    .filter((vm) => vm.hostid === undefined || vm.hostid === hostId)
    .filter((vm) => VM_STATES_ON_HOST.has(vm.state))
}

export function vmDemand(vm: VmRecord): VmDemand {
  return {
    cpuNumber: Number(vm.cpunumber ?? 0),
    cpuSpeedMhz: Number(vm.cpuspeed ?? 0),
    id: vm.id,
    memoryBytes: Number(vm.memory ?? 0) * 1024 * 1024,
    name: vm.name,
  }
}

/** "web-01, db-01 (Migrating)": the VMs still on a host, with the state of those not simply running. */
export function describeVms(vms: VmRecord[], max = 6): string {
  const names = vms.map((vm) => (vm.state === 'Running' ? vm.name : `${vm.name} (${vm.state})`))
  const shown = names.slice(0, max).join(', ')
  return names.length > max ? `${shown}, … ${names.length - max} more` : shown
}

/**
 * The progress line of one host, e.g. "kvm-01  PrepareForMaintenance  0:42  3 VMs left: a, b
 * (Migrating), c". The elapsed time is left out where lines are time-stamped (not a terminal),
 * so that a line is printed only when something changed.
 */
export function formatHostProgress(
  name: string,
  resourceState: string,
  vms: VmRecord[],
  elapsedMs?: number,
): string {
  const left =
    vms.length === 0
      ? 'no VMs left'
      : `${vms.length} VM${vms.length === 1 ? '' : 's'} left: ${describeVms(vms)}`
  const clock = elapsedMs === undefined ? '' : `${formatElapsed(elapsedMs)}  `
  return `${name}  ${resourceState}  ${clock}${left}`
}

export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

// ---------------------------------------------------------------------------------------------
// Checks before any change

interface ClusterFacts {
  factors: OvercommitFactors
  hosts: HostRecord[]
  name: string
  placementAllowed: boolean
}

async function clusterFacts(client: MoldClient, clusterId: string): Promise<ClusterFacts> {
  const [[cluster], hosts] = await Promise.all([
    client.list<ApiObject>('listClusters', {id: clusterId}),
    hostsOfCluster<HostRecord>(client, clusterId),
  ])
  if (!cluster) throw new MoldctlError(`cluster ${clusterId} is gone`)
  const [[pod], [zone]] = await Promise.all([
    client.list<ApiObject>('listPods', {id: String(cluster.podid)}),
    client.list<ApiObject>('listZones', {id: String(cluster.zoneid)}),
  ])
  const placementAllowed = [cluster, pod, zone].every((g) => g?.allocationstate !== 'Disabled')
  return {
    factors: {
      cpu: parseOvercommitRatio(cluster.cpuovercommitratio),
      memory: parseOvercommitRatio(cluster.memoryovercommitratio),
    },
    hosts,
    name: String(cluster.name ?? clusterId),
    placementAllowed,
  }
}

async function candidateHost(client: MoldClient, host: HostRecord): Promise<CandidateHost> {
  let cpu = Number(host.cpuallocatedvalue)
  let memory = Number(host.memoryallocatedbytes)
  if (!Number.isFinite(cpu) || !Number.isFinite(memory)) {
    // Older servers do not report the allocated values: add up the VMs instead.
    const vms = await listVmsOnHost(client, host.id)
    cpu = vms.reduce((sum, vm) => sum + Number(vm.cpunumber ?? 0) * Number(vm.cpuspeed ?? 0), 0)
    memory = vms.reduce((sum, vm) => sum + Number(vm.memory ?? 0) * 1024 * 1024, 0)
  }

  return {
    allocatedCpuMhz: cpu,
    allocatedMemoryBytes: memory,
    cpuNumber: Number(host.cpunumber ?? 0),
    cpuSpeedMhz: Number(host.cpuspeed ?? 0),
    id: host.id,
    memoryTotalBytes: Number(host.memorytotal ?? 0),
    name: host.name,
    resourceState: host.resourcestate,
    state: host.state,
  }
}

export interface CapacityCheck {
  factors: OvercommitFactors
  /** Every host of the cluster as listed for the check. */
  hosts: HostRecord[]
  result: DrainCapacityResult
}

/** Simulates draining `drainOrder` (all in one cluster) on the cluster's other Up and Enabled hosts. */
export async function checkClusterCapacity(
  client: MoldClient,
  clusterId: string,
  drainOrder: string[],
): Promise<CapacityCheck> {
  const facts = await clusterFacts(client, clusterId)
  const clusterHosts = await Promise.all(facts.hosts.map((h) => candidateHost(client, h)))
  const lists = await Promise.all(drainOrder.map((id) => listVmsOnHost(client, id)))
  const vmsByHost = new Map(
    drainOrder.map((id, i) => [
      id,
      lists[i].filter((vm) => vm.state === 'Running').map((vm) => vmDemand(vm)),
    ]),
  )
  const result = checkDrainCapacity({
    clusterHosts,
    clusterName: facts.name,
    drainOrder,
    factors: facts.factors,
    placementAllowed: facts.placementAllowed,
    vmsByHost,
  })
  return {factors: facts.factors, hosts: facts.hosts, result}
}

const DRAINING_STATES = new Set(['ErrorInPrepareForMaintenance', 'PrepareForMaintenance'])

export interface EnterPreparation {
  decisions: Map<string, EnterDecision>
  plan: MaintenancePlan
  /** Capacity explanations that --force overrode. */
  warnings: string[]
}

/**
 * Resolves the hosts and checks, before any change, that each can enter maintenance and that
 * the other hosts of its cluster can take its VMs. Throws UsageError (exit 2) on a refusal.
 */
export async function prepareEnter(
  client: MoldClient,
  refs: string[],
  opts: {force: boolean; wait: boolean},
): Promise<EnterPreparation> {
  const hosts = await resolveEntities<HostRecord>(client, 'host', refs)
  const plan = planMaintenance(
    hosts.map((h) => ({
      clusterId: h.clusterid,
      clusterName: h.clustername,
      hypervisor: h.hypervisor,
      id: h.id,
      name: h.name,
    })),
  )
  const decisions = new Map(hosts.map((h) => [h.id, decideEnter(h.name, h.resourcestate)]))
  const refusals = [...decisions.values()].filter((d) => d.action === 'refuse')
  if (refusals.length > 0) {
    throw new UsageError(
      refusals.length === 1 ? refusals[0].reason : 'some hosts cannot enter maintenance; nothing was changed',
      refusals.flatMap((r) => [
        ...(refusals.length > 1 ? [r.reason] : []),
        ...(r.suggestion ? [r.suggestion] : []),
      ]),
    )
  }

  // Hosts already preparing are waited for first: until they are done the server refuses to
  // start another host of their cluster.
  const waiting = (id: string) => decisions.get(id)?.action === 'wait'
  plan.steps = [...plan.steps.filter((s) => waiting(s.id)), ...plan.steps.filter((s) => !waiting(s.id))]
  const toSubmit = plan.steps.filter((s) => decisions.get(s.id)?.action === 'submit')
  if (!opts.wait) {
    const clusters = toSubmit.map((s) => s.clusterId)
    const repeated = toSubmit.find((s, i) => clusters.indexOf(s.clusterId) !== i)
    if (repeated)
      throw new UsageError(
        `--no-wait cannot start two hosts of cluster ${repeated.clusterName}: the server drains one host per cluster at a time`,
        ['leave out --no-wait to drain them one after another'],
      )
  }

  // The capacity check covers every cluster where something starts, counting the VMs still on
  // hosts already preparing (they move first).
  const starting = new Set(toSubmit.map((s) => s.clusterId))
  const moving = plan.steps.filter((s) => starting.has(s.clusterId) && decisions.get(s.id)?.action !== 'none')
  const byCluster = drainOrderByCluster({repeated: [], steps: moving})
  const warnings: string[] = []
  for (const [clusterId, order] of byCluster) {
    // eslint-disable-next-line no-await-in-loop
    const check = await checkClusterCapacity(client, clusterId, order)
    refuseOtherDrains(check.hosts, plan, decisions)
    if (check.result.ok) continue
    const lines = explainDrainCapacity(check.result, check.factors)
    if (!opts.force) {
      throw new UsageError('the other hosts of the cluster cannot take all the VMs; nothing was changed', [
        ...lines,
        'free capacity (enable a host, stop VMs) or add --force to let the server try anyway',
      ])
    }

    warnings.push(...lines)
  }

  return {decisions, plan, warnings}
}

/** The server drains one host per cluster at a time; another drain under way would make it refuse. */
function refuseOtherDrains(
  hosts: HostRecord[],
  plan: MaintenancePlan,
  decisions: Map<string, EnterDecision>,
): void {
  const ours = new Set(plan.steps.filter((s) => decisions.get(s.id)?.action === 'wait').map((s) => s.id))
  const busy = hosts.find((h) => DRAINING_STATES.has(h.resourcestate) && !ours.has(h.id))
  if (busy) {
    throw new UsageError(
      `${busy.name} of cluster ${busy.clustername} is in ${busy.resourcestate}; the server drains one host per cluster at a time`,
      [
        `wait for it: moldctl host maintenance enter ${quoteArg(busy.name)}`,
        `or stop it: moldctl host maintenance cancel ${quoteArg(busy.name)}`,
      ],
    )
  }
}

// ---------------------------------------------------------------------------------------------
// Draining

interface WaitContext extends WaitSettings {
  jobid?: string
  /** Hosts of the plan not started yet (named when a host fails). */
  notStarted: string[]
  progress: ProgressSink
  /** The command that continues where this one stopped. */
  resume: string
  /** Put the elapsed time in the progress line (live terminal lines). */
  showElapsed: boolean
}

/**
 * Polls the host until it is in Maintenance, showing its state and the VMs still on it. Throws
 * MoldctlError (exit 1) for ErrorInPrepareForMaintenance / ErrorInMaintenance (or any other
 * state: someone cancelled), WaitTimeoutError (exit 5) and InterruptedError (Ctrl-C, exit 130).
 */
export async function waitForMaintenance(
  client: MoldClient,
  host: HostRecord,
  ctx: WaitContext,
  opts: {firstLookAfterPause?: boolean; started?: number} = {},
): Promise<HostRecord> {
  const started = opts.started ?? Date.now()
  let interval = ctx.minPollMs
  let current = host
  let vms: VmRecord[] = []
  const elapsed = () => (ctx.showElapsed ? Date.now() - started : undefined)
  if (opts.firstLookAfterPause) await sleep(interval, ctx.signal)
  for (;;) {
    if (ctx.signal?.aborted) throw interrupted(current, ctx)
    // eslint-disable-next-line no-await-in-loop
    const look = await lookAt(client, host.id)
    if (look) {
      ;[current, vms] = look
      ctx.progress.set(host.id, formatHostProgress(host.name, current.resourcestate, vms, elapsed()))
      const phase = interpretMaintenanceWait(current.resourcestate)
      if (phase === 'done') return current
      // eslint-disable-next-line no-await-in-loop
      if (phase === 'failed') throw await maintenanceFailed(client, current, vms, ctx)
    } else {
      ctx.progress.note(`${host.name}: the server did not answer; still waiting`)
    }

    const remaining = ctx.timeoutMs === undefined ? Infinity : started + ctx.timeoutMs - Date.now()
    if (remaining <= 0) throw timedOut(current, vms, ctx)
    interval = Math.min(ctx.maxPollMs, Math.max(ctx.minPollMs, Math.round(interval * 1.5)))
    // eslint-disable-next-line no-await-in-loop
    await sleep(Math.min(interval, remaining), ctx.signal)
  }
}

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504])

/**
 * The host and the VMs on it; undefined when the server could not be reached or answered with
 * a transient error even after the client's retries (the wait goes on, as job polling does).
 */
async function lookAt(client: MoldClient, hostId: string): Promise<[HostRecord, VmRecord[]] | undefined> {
  try {
    return await Promise.all([readHost(client, hostId), listVmsOnHost(client, hostId)])
  } catch (error) {
    const transient =
      error instanceof TransportError || (error instanceof ApiError && TRANSIENT_STATUS.has(error.errorcode))
    if (transient) return undefined
    throw error
  }
}

function interrupted(host: HostRecord, ctx: WaitContext): InterruptedError {
  const job = ctx.jobid ? ` (job ${ctx.jobid})` : ''
  return new InterruptedError(
    `stopped waiting; ${host.name} goes on draining on the server${job}: nothing was cancelled`,
    ctx.resume,
    ctx.jobid,
  )
}

function timedOut(host: HostRecord, vms: VmRecord[], ctx: WaitContext): WaitTimeoutError {
  const error = new WaitTimeoutError(
    `timed out waiting for ${host.name} to reach Maintenance; it is ${host.resourcestate} with ${vms.length} VM(s) left and goes on draining on the server`,
    ctx.jobid,
  )
  error.suggestions.push(
    `watch it: moldctl host maintenance status ${quoteArg(host.name)}`,
    `continue waiting: ${ctx.resume}`,
  )
  return error
}

async function maintenanceFailed(
  client: MoldClient,
  host: HostRecord,
  vms: VmRecord[],
  ctx: WaitContext,
): Promise<MoldctlError> {
  const suggestions: string[] = []
  if (vms.length > 0) suggestions.push(`still on ${host.name}: ${describeVms(vms, 20)}`)
  if (host.resourcestate.startsWith('ErrorIn')) {
    const running = vms.filter((vm) => vm.state === 'Running')
    if (running.length > 0) suggestions.push(...(await whyVmsStay(client, host, running)))
    suggestions.push(
      `after fixing it: moldctl host maintenance cancel ${quoteArg(host.name)}, then enter maintenance again`,
    )
  }

  if (ctx.notStarted.length > 0) suggestions.push(`not started: ${ctx.notStarted.join(', ')}`)
  return new MoldctlError(describeFailedWait(host.name, host.resourcestate), {
    exitCode: ExitCode.Failed,
    suggestions,
  })
}

/** Why the VMs left on a host fit nowhere, from a fresh capacity check (best effort). */
async function whyVmsStay(client: MoldClient, host: HostRecord, vms: VmRecord[]): Promise<string[]> {
  try {
    const facts = await clusterFacts(client, host.clusterid)
    const clusterHosts = await Promise.all(facts.hosts.map((h) => candidateHost(client, h)))
    const result = checkDrainCapacity({
      clusterHosts,
      clusterName: facts.name,
      drainOrder: [host.id],
      factors: facts.factors,
      placementAllowed: facts.placementAllowed,
      vmsByHost: new Map([[host.id, vms.map((vm) => vmDemand(vm))]]),
    })
    const lines = result.hosts[0].unplaced.map((u) => `why ${u.vm.name} stays: ${u.reason}`)
    return lines.length > 0
      ? lines
      : vms.map((vm) => `${vm.name} (${describeVmDemand(vmDemand(vm))}) could not be migrated`)
  } catch {
    return []
  }
}

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
  for (const line of prep.warnings) opts.progress.note(`warning (--force): ${line}`)
  if (plan.steps.length > 1)
    opts.progress.note(
      `Draining ${plan.steps.length} hosts one after another: ${plan.steps.map((s) => s.name).join(', ')}`,
    )
  for (const [index, step] of plan.steps.entries()) {
    const decision = prep.decisions.get(step.id)!
    const ctx: WaitContext = {
      ...opts,
      notStarted: plan.steps.slice(index + 1).map((s) => s.name),
      progress: opts.progress,
      resume: resumeCommand(plan, index),
      showElapsed: opts.showElapsed ?? isLiveStderr(),
    }
    // eslint-disable-next-line no-await-in-loop
    const host = await readHost(client, step.id)
    if (decision.action === 'none') {
      opts.progress.set(step.id, `${step.name}  Maintenance  already in maintenance, nothing to do`)
      outcomes.push(host)
      continue
    }

    const reminder = enterMaintenanceReminder(step.hypervisor, step.name)
    if (reminder.length > 0) opts.progress.note(reminder.join('\n'))
    if (decision.action === 'wait') {
      opts.progress.note(decision.reason)
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

  opts.progress.done()
  return outcomes
}

async function drainOne(
  client: MoldClient,
  host: HostRecord,
  ctx: WaitContext,
  wait: boolean,
): Promise<HostOutcome> {
  const started = Date.now()
  const {jobid} = await client.submitJob('prepareHostForMaintenance', {id: host.id})
  ctx.jobid = jobid
  if (!wait) {
    ctx.progress.note(
      `${host.name}: prepareHostForMaintenance job ${jobid} submitted; follow it: moldctl job wait ${jobid}`,
    )
    return {...host, jobid}
  }

  const clock = ctx.showElapsed ? '0:00  ' : ''
  ctx.progress.set(host.id, `${host.name}  ${host.resourcestate}  ${clock}asking the server (job ${jobid})`)
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
  }

  // The job answers with the host: Maintenance at once when nothing had to move.
  const answered = result.host as HostRecord | undefined
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
  host: HostRecord,
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

export interface CancelOptions {
  progress: ProgressSink
  signal?: AbortSignal
  timeoutMs?: number
}

/** Takes hosts out of maintenance; an Enabled host is left alone. Refusals come before any call. */
export async function cancelMaintenanceOn(
  client: MoldClient,
  refs: string[],
  opts: CancelOptions,
): Promise<HostOutcome[]> {
  const hosts = await resolveEntities<HostRecord>(client, 'host', refs)
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
  for (const [index, {decision, host}] of decisions.entries()) {
    if (decision.action === 'none') {
      opts.progress.note(decision.reason)
      outcomes.push(host)
      continue
    }

    const reminder = cancelMaintenanceReminder(host.hypervisor, host.name)
    if (reminder.length > 0) opts.progress.note(reminder.join('\n'))
    // eslint-disable-next-line no-await-in-loop
    const {jobid} = await client.submitJob('cancelHostMaintenance', {id: host.id})
    const rest = decisions.slice(index).map((d) => quoteArg(d.host.name))
    try {
      // eslint-disable-next-line no-await-in-loop
      const result = await client.waitForJob(jobid, {
        command: 'cancelHostMaintenance',
        resumeHint: `moldctl host maintenance cancel ${rest.join(' ')}`,
        signal: opts.signal,
        timeoutMs: opts.timeoutMs,
      })
      const after = (result.host as HostRecord | undefined) ?? host
      opts.progress.note(`${host.name}: maintenance cancelled, now ${after.resourcestate}`)
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

export type StatusRow = HostRecord & {virtualmachine: VmRecord[]}

/**
 * The hosts asked for (or the cluster's, or every host in a maintenance state) with the VMs
 * still on each.
 */
export async function maintenanceStatus(
  client: MoldClient,
  refs: string[],
  cluster?: string,
): Promise<StatusRow[]> {
  let hosts: HostRecord[]
  if (refs.length > 0) hosts = await resolveEntities<HostRecord>(client, 'host', refs)
  else if (cluster) {
    const [found] = await resolveEntities(client, 'cluster', [cluster])
    hosts = await hostsOfCluster<HostRecord>(client, found.id)
  } else {
    const all = await client.list<HostRecord>('listHosts', {type: 'Routing'})
    hosts = all.filter((h) => MAINTENANCE_FAMILY.includes(h.resourcestate))
  }

  return Promise.all(hosts.map(async (h) => ({...h, virtualmachine: await listVmsOnHost(client, h.id)})))
}

// ---------------------------------------------------------------------------------------------
// Command helpers

/**
 * Polling of a draining host: first pause from MOLDCTL_POLL_MIN_MS (2 s), growing by half up to
 * --poll or MOLDCTL_POLL_MAX_MS (15 s) — about 20 calls for a one-minute drain.
 */
export function hostPollSettings(
  env: NodeJS.ProcessEnv,
  pollSeconds?: number,
): {maxPollMs: number; minPollMs: number} {
  const first = Number(env.MOLDCTL_POLL_MIN_MS) || 2000
  const ceiling = pollSeconds === undefined ? Number(env.MOLDCTL_POLL_MAX_MS) || 15_000 : pollSeconds * 1000
  const minPollMs = Math.min(first, ceiling)
  return {maxPollMs: Math.max(minPollMs, ceiling), minPollMs}
}

export const OUTCOME_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name'},
  {header: 'CLUSTER', key: 'clustername'},
  {header: 'STATE', key: 'state'},
  {header: 'RESOURCE', key: 'resourcestate'},
]

export const STATUS_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name'},
  {header: 'CLUSTER', key: 'clustername'},
  {header: 'STATE', key: 'state'},
  {header: 'RESOURCE', key: 'resourcestate'},
  {get: (h) => (h.virtualmachine as VmRecord[]).length, header: 'VMS', key: 'virtualmachine'},
  {get: (h) => describeVms(h.virtualmachine as VmRecord[]), header: 'ON THE HOST', key: 'vmnames'},
]

/** One line per host of a --dry-run: what would happen, in the order it would happen. */
export function describeEnterPlan(prep: EnterPreparation): {calls: string[]; lines: string[]} {
  const lines: string[] = []
  const calls: string[] = []
  for (const [i, step] of prep.plan.steps.entries()) {
    const decision = prep.decisions.get(step.id)
    const where = `${step.name} (${step.clusterName})`
    if (decision?.action === 'submit') {
      lines.push(
        `${i + 1}. ${where}: drain its VMs to the other hosts of the cluster, then wait for Maintenance`,
      )
      calls.push(`prepareHostForMaintenance id=${step.id}`)
    } else if (decision && 'reason' in decision) {
      lines.push(`${i + 1}. ${where}: ${decision.reason}`)
    }
  }

  return {calls, lines}
}
