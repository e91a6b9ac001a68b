import type {MoldClient} from '../api/client.js'
import type {Host, Vm} from '../api/models.js'
import type {ProgressSink} from '../core/ui.js'
import type {Column} from '../output/columns.js'

import {fetchClusters, fetchHosts, fetchVms} from '../api/fetch.js'
import {
  ApiError,
  ExitCode,
  InterruptedError,
  JobFailedError,
  MoldctlError,
  UsageError,
} from '../core/errors.js'
import {vmDemand} from './capacity-check.js'
import {type CandidateHost, candidateOf, parseOvercommitRatio, whyVmDoesNotFit} from './capacity-rules.js'
import {readHost} from './fetch.js'
import {keepRecordedVms, type RecordedVm, recordedVms, type RecordScope} from './vm-record.js'

/*
 * Putting VMs back on a host after its maintenance: each VM recorded as having left the host
 * that is still running elsewhere in the cluster and fits (the host's free capacity after the
 * cluster's overprovisioning factors, counting the VMs already planned back) is live-migrated
 * back with migrateVirtualMachine, a few at a time. The rest is skipped, each with its reason.
 */

export interface MigrateBackRow {
  from?: string
  /** The host the VM goes back to. */
  host?: string
  id: string
  jobid?: string
  name: string
  reason?: string
  result: 'failed' | 'moved' | 'skipped'
}

export interface MigrateBackPlan {
  host: Host
  moves: {from: string; vm: Vm}[]
  skipped: MigrateBackRow[]
}

export interface MigrateBackOptions {
  concurrency: number
  progress: ProgressSink
  signal?: AbortSignal
  /** Per migration job. */
  timeoutMs?: number
}

function candidateFrom(host: Host): CandidateHost {
  return candidateOf(host, {
    cpuMhz: Number(host.cpuallocatedvalue ?? 0),
    memoryBytes: Number(host.memoryallocatedbytes ?? 0),
  })
}

/**
 * The recorded VMs not found running in the cluster, looked up one by one (the server answers a
 * list of ids with an error when one of them is gone); a VM that is gone is simply absent.
 */
async function withVmsOutside(client: MoldClient, found: Vm[], recorded: RecordedVm[]): Promise<Vm[]> {
  const known = new Set(found.map((vm) => vm.id))
  const missing = recorded.filter((v) => !known.has(v.id))
  const lookups = await Promise.all(
    missing.map(async (v) => {
      try {
        return await fetchVms(client, {id: v.id, listall: true})
      } catch (error) {
        if (error instanceof ApiError && error.errorcode === 431) return []
        throw error
      }
    }),
  )
  return [...found, ...lookups.flat()]
}

/** What would move back and what not (and why), before any change. */
export async function planMigrateBack(
  client: MoldClient,
  hostId: string,
  recorded: RecordedVm[],
): Promise<MigrateBackPlan> {
  const host = await readHost(client, hostId)
  if (host.state !== 'Up' || host.resourcestate !== 'Enabled') {
    throw new UsageError(
      `${host.name} is ${host.state} and ${host.resourcestate}; VMs can move back only to an Up and Enabled host`,
      host.resourcestate === 'Maintenance' ? [`first: moldctl host maintenance cancel ${host.name}`] : [],
    )
  }

  const [[cluster], inClusterVms, hosts] = await Promise.all([
    fetchClusters(client, {id: host.clusterid}),
    fetchVms(client, {clusterid: host.clusterid, listall: true}),
    fetchHosts(client, {clusterid: host.clusterid, type: 'Routing'}),
  ])
  const vms = await withVmsOutside(client, inClusterVms, recorded)
  const factors = {
    cpu: parseOvercommitRatio(cluster?.cpuovercommitratio),
    memory: parseOvercommitRatio(cluster?.memoryovercommitratio),
  }
  const inCluster = new Map(hosts.map((h) => [h.id, h]))
  const target = candidateFrom(host)
  const byId = new Map(vms.map((vm) => [vm.id, vm]))
  const plan: MigrateBackPlan = {host, moves: [], skipped: []}
  for (const entry of recorded) {
    const vm = byId.get(entry.id)
    const skip = (reason: string, from?: string) =>
      plan.skipped.push({from, id: entry.id, name: vm?.name ?? entry.name, reason, result: 'skipped'})
    if (!vm) {
      skip('no longer exists')
      continue
    }

    const from = vm.hostid ? String(vm.hostname ?? vm.hostid) : undefined
    if (vm.hostid === host.id) skip(`already on ${host.name}`, from)
    else if (vm.state !== 'Running') skip(`is ${vm.state}, not running (only running VMs live-migrate)`, from)
    else if (!vm.hostid || !inCluster.has(vm.hostid))
      skip(`now runs outside cluster ${host.clustername}`, from)
    else {
      const demand = vmDemand(vm)
      const why = whyVmDoesNotFit(demand, target, factors)
      if (why) {
        skip(`does not fit: ${why}`, from)
        continue
      }

      target.allocatedCpuMhz += demand.cpuNumber * demand.cpuSpeedMhz
      target.allocatedMemoryBytes += demand.memoryBytes
      plan.moves.push({from: from ?? '', vm})
    }
  }

  return plan
}

/**
 * Migrates the planned VMs back, `concurrency` at a time; one row per VM, skipped ones included.
 * On an interrupt no new migration starts and `interrupted` is true (those under way go on on
 * the server; their rows say so).
 */
export async function runMigrateBack(
  client: MoldClient,
  plan: MigrateBackPlan,
  opts: MigrateBackOptions,
): Promise<{interrupted: boolean; rows: MigrateBackRow[]}> {
  const rows: MigrateBackRow[] = []
  const queue = [...plan.moves]
  const {host} = plan
  const worker = async () => {
    for (let move = queue.shift(); move && !opts.signal?.aborted; move = queue.shift()) {
      // eslint-disable-next-line no-await-in-loop
      rows.push(await moveOne(client, host, move, opts))
    }
  }

  await Promise.all(Array.from({length: Math.max(1, Math.min(opts.concurrency, queue.length))}, worker))
  opts.progress.done()
  const interrupted = Boolean(opts.signal?.aborted)
  for (const move of queue)
    rows.push({
      from: move.from,
      id: move.vm.id,
      name: move.vm.name,
      reason: 'not started (interrupted)',
      result: 'skipped',
    })
  return {interrupted, rows: [...rows, ...plan.skipped]}
}

const INTERRUPTED = 'interrupted while waiting; the migration goes on on the server'

async function moveOne(
  client: MoldClient,
  host: Host,
  move: {from: string; vm: Vm},
  opts: MigrateBackOptions,
): Promise<MigrateBackRow> {
  const {progress} = opts
  const {vm} = move
  const row = {from: move.from, id: vm.id, name: vm.name}
  progress.set(vm.id, `${vm.name}  ${move.from} → ${host.name}  migrating`)
  try {
    const {jobid} = await client.submitJob('migrateVirtualMachine', {
      hostid: host.id,
      virtualmachineid: vm.id,
    })
    try {
      await client.waitForJob(jobid, {
        command: 'migrateVirtualMachine',
        signal: opts.signal,
        timeoutMs: opts.timeoutMs,
      })
    } catch (error) {
      if (error instanceof InterruptedError) return {...row, jobid, reason: INTERRUPTED, result: 'failed'}
      throw error
    }

    progress.set(vm.id, `${vm.name}  ${move.from} → ${host.name}  moved`)
    return {...row, jobid, result: 'moved'}
  } catch (error) {
    const reason =
      error instanceof JobFailedError || error instanceof ApiError
        ? error.errortext
        : (error as Error).message
    progress.set(vm.id, `${vm.name}  ${move.from} → ${host.name}  failed: ${reason}`)
    return {...row, jobid: (error as {jobId?: string}).jobId, reason, result: 'failed'}
  }
}

/** The dry-run lines: what would move and what would be skipped. */
export function describeMigrateBack(plan: MigrateBackPlan): {calls: string[]; lines: string[]} {
  return {
    calls: plan.moves.map((m) => `migrateVirtualMachine virtualmachineid=${m.vm.id} hostid=${plan.host.id}`),
    lines: [
      ...plan.moves.map((m) => `${m.vm.name}: would move back from ${m.from} to ${plan.host.name}`),
      ...plan.skipped.map((s) => `${s.name}: skipped, ${s.reason}`),
    ],
  }
}

export const MIGRATE_BACK_COLUMNS: Column<MigrateBackRow>[] = [
  {header: 'VM', key: 'name'},
  {header: 'TO', key: 'host'},
  {header: 'FROM', key: 'from'},
  {header: 'RESULT', key: 'result'},
  {header: 'REASON', key: 'reason'},
]

export interface HostMigrateBack {
  host: Host
  interrupted: boolean
  /** False when nothing was recorded for the host. */
  recorded: boolean
  rows: MigrateBackRow[]
  /** VMs that should have moved and did not (failed, did not fit): exit 4. */
  unmoved: MigrateBackRow[]
}

/** Rows whose VM is still where it was for a reason worth an exit code (not "already there"). */
export function unmovedRows(rows: MigrateBackRow[]): MigrateBackRow[] {
  return rows.filter(
    (r) =>
      r.result === 'failed' ||
      (r.result === 'skipped' && /^(does not fit|now runs outside|not started)/.test(r.reason ?? '')),
  )
}

/**
 * `host migrate-back H` and `host maintenance cancel H --migrate-back`: the VMs recorded as having
 * left the host, moved back; the record keeps only those still away for a reason that may pass
 * (did not fit, failed), so that a later run can try them again.
 */
export async function migrateHostBack(
  client: MoldClient,
  hostId: string,
  scope: RecordScope,
  opts: MigrateBackOptions & {dryRun?: boolean},
): Promise<HostMigrateBack & {plan: MigrateBackPlan}> {
  const record = recordedVms(scope, hostId)
  const plan = await planMigrateBack(client, hostId, record?.vms ?? [])
  if (!record || opts.dryRun) {
    const rows = plan.skipped.map((r) => ({...r, host: plan.host.name}))
    return {host: plan.host, interrupted: false, plan, recorded: Boolean(record), rows, unmoved: []}
  }

  const {interrupted, rows: moved} = await runMigrateBack(client, plan, opts)
  const rows = moved.map((r) => ({...r, host: plan.host.name}))
  const unmoved = unmovedRows(rows)
  keepRecordedVms(
    scope,
    hostId,
    unmoved.map((r) => ({id: r.id, name: r.name})),
  )
  return {host: plan.host, interrupted, plan, recorded: true, rows, unmoved}
}

/**
 * After `host maintenance cancel --migrate-back`: each host's VMs back, one host after another.
 * `failure` (exit 4, or 130 on an interrupt) is for the caller to throw after showing the rows.
 */
export async function moveBackAfterCancel(
  client: MoldClient,
  hosts: Host[],
  opts: {progress: ProgressSink; scope: RecordScope; signal?: AbortSignal},
): Promise<{failure?: MoldctlError; rows: MigrateBackRow[]}> {
  const rows: MigrateBackRow[] = []
  const unmoved: MigrateBackRow[] = []
  for (const host of hosts) {
    // eslint-disable-next-line no-await-in-loop
    const outcome = await migrateHostBack(client, host.id, opts.scope, {concurrency: 2, ...opts})
    if (!outcome.recorded)
      opts.progress.note(`${host.name}: no VMs recorded as having left it; nothing to move back`)
    rows.push(...outcome.rows)
    unmoved.push(...outcome.unmoved)
    if (outcome.interrupted) {
      const failure = new InterruptedError(
        `stopped moving VMs back to ${host.name}`,
        `moldctl host migrate-back ${host.name}`,
      )
      return {failure, rows}
    }
  }

  if (unmoved.length === 0) return {rows}
  const failure = new MoldctlError(`${unmoved.length} VM(s) could not move back`, {
    exitCode: ExitCode.Partial,
    suggestions: [
      ...unmoved.map((r) => `${r.name} (to ${r.host}): ${r.reason}`),
      'try again later: moldctl host migrate-back HOST',
    ],
  })
  return {failure, rows}
}
