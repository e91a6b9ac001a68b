import {writeFileSync} from 'node:fs'
import path from 'node:path'

import type {MoldClient} from '../api/client.js'
import type {Host} from '../api/models.js'
import type {ApiObject} from '../api/types.js'
import type {ProgressSink} from '../core/ui.js'
import type {HostRun, RollStage, RollState} from './state.js'

import {fetchHosts} from '../api/fetch.js'
import {
  ApiError,
  InterruptedError,
  JobFailedError,
  MoldctlError,
  TransportError,
  UsageError,
  WaitTimeoutError,
} from '../core/errors.js'
import {sleep} from '../core/sleep.js'
import {MAINTENANCE_FAMILY} from '../infra/resource-state.js'
import {checkClusterCapacity} from '../maintenance/capacity-check.js'
import {explainDrainCapacity} from '../maintenance/capacity-rules.js'
import {formatElapsed} from '../maintenance/columns.js'
import {listVmsOnHost, readHost} from '../maintenance/fetch.js'
import {planMigrateBack, runMigrateBack, unmovedRows} from '../maintenance/migrate-back.js'
import {quoteArg} from '../maintenance/plan.js'
import {keepRecordedVms, type RecordScope, recordVmsLeaving} from '../maintenance/vm-record.js'
import {waitForMaintenance} from '../maintenance/wait.js'
import {runHostCommand} from './exec.js'
import {hostEnvironment, substituteCommand} from './plan.js'
import {hostRefusal, reportedVersion} from './prepare.js'

/*
 * The stages of one host in a roll, each a step that first looks at what the server says (so a
 * resumed roll neither submits a call twice nor runs a command again), and the host's record.
 */

export interface RollContext {
  /** Asks at a terminal whether to go on after the canary; undefined when nobody can answer. */
  askContinue?: (question: string) => Promise<boolean>
  client: MoldClient
  poll: {maxPollMs: number; minPollMs: number}
  progress: ProgressSink
  recordScope: RecordScope
  rerunExec: boolean
  /** The command that continues this roll. */
  resume: string
  save: () => void
  showElapsed: boolean
  signal: AbortSignal
  state: RollState
}

export const now = (): string => new Date().toISOString()

export const STAGE_RUNNERS: Record<RollStage, (ctx: RollContext, h: HostRun) => Promise<void>> = {
  cancel: cancelStage,
  async done() {},
  drain: drainStage,
  exec: execStage,
  'migrate-back': migrateBackStage,
  pending: beginHost,
  up: upStage,
  verify: verifyStage,
}

export function show(ctx: RollContext, h: HostRun, text: string, sinceMs?: number): void {
  const clock = ctx.showElapsed && sinceMs !== undefined ? `  ${formatElapsed(Date.now() - sinceMs)}` : ''
  const cluster = ctx.state.clusters.find((c) => c.id === h.clusterId)!
  const position = `${cluster.hostIds.indexOf(h.id) + 1}/${cluster.hostIds.length}`
  ctx.progress.set(h.clusterId, `${h.cluster}  ${h.name} (${position})  ${text}${clock}`)
}

function stageStart(h: HostRun): number {
  const started = h.stages[h.stage]?.start
  return started ? Date.parse(started) : Date.now()
}

/** Checks before this host changes: its state, no other host of the cluster in maintenance, capacity. */
async function beginHost(ctx: RollContext, h: HostRun): Promise<void> {
  const {client, state} = ctx
  show(ctx, h, 'checking')
  const host = await readHost(client, h.id)
  const clusterHosts = await fetchHosts(client, {clusterid: h.clusterId, type: 'Routing'})
  const refusal = hostRefusal(host, clusterHosts)
  const check = refusal ? undefined : await checkClusterCapacity(client, h.clusterId, [h.id])
  const lines = check && !check.result.ok ? explainDrainCapacity(check.result, check.factors) : []
  if (refusal || lines.length > 0) {
    const nothingChanged = Object.values(state.hosts).every((x) => x.stage === 'pending')
    const message =
      refusal ?? `${h.name} cannot be drained now: the other hosts of ${h.cluster} cannot take its VMs`
    const suggestions = [...lines, `leave it out: ${ctx.resume} --skip ${quoteArg(h.name)}`]
    throw nothingChanged
      ? new UsageError(`${message}; nothing was changed`, suggestions)
      : new MoldctlError(`${message}; the roll stops before changing it`, {suggestions})
  }

  const vms = (await listVmsOnHost(client, h.id)).filter((vm) => vm.state === 'Running')
  h.movedVms = vms.map((vm) => ({id: vm.id, name: vm.name}))
  h.versionBefore = reportedVersion(host)
  h.disconnectedBefore = host.disconnected === undefined ? undefined : String(host.disconnected)
  recordVmsLeaving(ctx.recordScope, {hostId: h.id, hostName: h.name, recorded: now(), vms: h.movedVms})
}

async function drainStage(ctx: RollContext, h: HostRun): Promise<void> {
  const {client, state} = ctx
  const started = stageStart(h)
  let host = await readHost(client, h.id)
  if (h.drainJobId === undefined && !MAINTENANCE_FAMILY.includes(host.resourcestate)) {
    show(ctx, h, 'entering maintenance')
    const {jobid} = await client.submitJob('prepareHostForMaintenance', {id: h.id})
    h.drainJobId = jobid
    ctx.save()
  }

  if (h.drainJobId !== undefined && host.resourcestate === 'Enabled') {
    show(ctx, h, `entering maintenance (job ${h.drainJobId})`, started)
    let result: ApiObject
    try {
      result = await client.waitForJob(h.drainJobId, {
        command: 'prepareHostForMaintenance',
        resumeHint: ctx.resume,
        signal: ctx.signal,
        timeoutMs: state.options.drainTimeoutMs,
      })
    } catch (error) {
      if (error instanceof JobFailedError)
        throw new MoldctlError(
          `${h.name}: the server could not start maintenance (job ${error.jobId}): ${error.errortext}`,
        )
      throw error
    }

    host = (result.host as Host | undefined) ?? (await readHost(client, h.id))
    if (host.resourcestate === 'Enabled') host = await readHost(client, h.id)
    if (host.resourcestate === 'Enabled')
      throw new MoldctlError(`${h.name} is Enabled again: its maintenance was cancelled outside this roll`, {
        suggestions: [`enter maintenance again by resuming: ${ctx.resume}`],
      })
  }

  if (host.resourcestate === 'Maintenance') return
  await waitForMaintenance(
    client,
    host,
    {
      ...ctx.poll,
      jobid: h.drainJobId,
      notStarted: [],
      progress: {
        done() {},
        note: (text) => ctx.progress.note(text),
        set: (_key, text) => show(ctx, h, text.replace(`${h.name}  `, 'drain  ')),
      },
      resume: ctx.resume,
      showElapsed: ctx.showElapsed,
      signal: ctx.signal,
      timeoutMs: state.options.drainTimeoutMs,
    },
    {started},
  )
}

async function execStage(ctx: RollContext, h: HostRun): Promise<void> {
  const {state} = ctx
  const previous = h.exec
  if (previous && !ctx.rerunExec) {
    if (previous.exitCode === 0) {
      ctx.progress.note(
        `${h.name}: the command already ran (${previous.started}, exit 0); not run again (--rerun-exec would)`,
      )
      return
    }

    const how =
      previous.stopped === 'interrupted'
        ? 'was interrupted while it ran and may have done part of its work'
        : previous.stopped === 'timeout'
          ? 'was stopped by --exec-timeout'
          : `failed (exit ${previous.exitCode ?? 'by a signal'})`
    throw new UsageError(
      `the command on ${h.name} ${how}; ${h.name} is still in maintenance and nothing was changed`,
      [
        `run it again: ${ctx.resume} --rerun-exec`,
        `or take ${h.name} back by hand (moldctl host maintenance cancel ${quoteArg(h.name)}) and go on without it: ${ctx.resume} --skip ${quoteArg(h.name)}`,
      ],
    )
  }

  const command = substituteCommand(state.options.exec, h)
  const started = Date.now()
  h.exec = {command, started: now(), tail: []}
  ctx.save()
  show(ctx, h, 'running the command', started)
  const outcome = await runHostCommand(command, {
    env: hostEnvironment(h, state.id),
    onLine(line) {
      if (ctx.showElapsed) show(ctx, h, `command: ${line}`, started)
      else ctx.progress.note(`${h.name} | ${line}`)
    },
    outputFile: state.options.outputDir
      ? path.join(state.options.outputDir, `${fileName(h)}.log`)
      : undefined,
    signal: ctx.signal,
    timeoutMs: state.options.execTimeoutMs,
  })
  h.exec = {
    ...h.exec,
    durationMs: outcome.durationMs,
    exitCode: outcome.exitCode,
    stopped: outcome.stopped,
    tail: outcome.tail,
  }
  ctx.save()
  const output = outcome.tail.slice(-10).map((line) => `| ${line}`)
  if (outcome.stopped === 'interrupted')
    throw new InterruptedError(`the command on ${h.name} was stopped; ${h.name} stays in maintenance`)
  if (outcome.stopped === 'timeout') {
    const error = new WaitTimeoutError(
      `the command on ${h.name} ran longer than --exec-timeout (${formatElapsed(state.options.execTimeoutMs)}) and was stopped; ${h.name} stays in maintenance`,
    )
    error.suggestions.push(...output, `run it again: ${ctx.resume} --rerun-exec`)
    throw error
  }

  if (outcome.exitCode !== 0) {
    const exit = outcome.exitCode === undefined ? `killed by ${outcome.signal}` : `exit ${outcome.exitCode}`
    throw new MoldctlError(`the command on ${h.name} failed (${exit}); ${h.name} stays in maintenance`, {
      suggestions: [
        ...output,
        `fix it, then run it again: ${ctx.resume} --rerun-exec`,
        `or take ${h.name} back by hand (moldctl host maintenance cancel ${quoteArg(h.name)}) and go on without it: ${ctx.resume} --skip ${quoteArg(h.name)}`,
      ],
    })
  }
}

const TRANSIENT = new Set([429, 500, 502, 503, 504])

async function lookAt(ctx: RollContext, h: HostRun): Promise<Host | undefined> {
  try {
    return await readHost(ctx.client, h.id)
  } catch (error) {
    if (error instanceof TransportError || (error instanceof ApiError && TRANSIENT.has(error.errorcode))) {
      ctx.progress.note(`${h.name}: the server did not answer; still waiting`)
      return undefined
    }

    throw error
  }
}

/** Waits until the host is Up again after its reboot (seen down, a newer `disconnected` date, or a new version). */
async function upStage(ctx: RollContext, h: HostRun): Promise<void> {
  const {options} = ctx.state
  const started = Date.now()
  const deadline = started + options.upTimeoutMs
  let interval = ctx.poll.minPollMs
  let last: Host | undefined
  for (;;) {
    if (ctx.signal.aborted) throw new InterruptedError(`stopped waiting for ${h.name} to come back Up`)
    // eslint-disable-next-line no-await-in-loop
    const host = await lookAt(ctx, h)
    if (host) {
      last = host
      if (host.state !== 'Up' && !h.sawDown) {
        h.sawDown = true
        ctx.save()
      }

      const version = reportedVersion(host)
      const rebooted =
        h.sawDown ||
        !options.expectReboot ||
        (host.disconnected !== undefined && String(host.disconnected) !== h.disconnectedBefore) ||
        (version !== undefined && version !== h.versionBefore)
      if (host.state === 'Up' && rebooted) return
      show(ctx, h, `waiting for Up (${host.state}${rebooted ? '' : ', no reboot seen yet'})`, started)
    }

    if (Date.now() >= deadline) {
      const seen = last ? `it is ${last.state}` : 'the server did not answer'
      const error = new WaitTimeoutError(
        `${h.name} did not come back Up within --up-timeout (${formatElapsed(options.upTimeoutMs)}); ${seen}, still in maintenance`,
      )
      error.suggestions.push(
        `look at its console or power: moldctl oobm power status ${quoteArg(h.name)}`,
        `when it is back, continue: ${ctx.resume}`,
      )
      throw error
    }

    interval = Math.min(ctx.poll.maxPollMs, Math.round(interval * 1.5))
    // eslint-disable-next-line no-await-in-loop
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())), ctx.signal)
  }
}

async function cancelStage(ctx: RollContext, h: HostRun): Promise<void> {
  const {client} = ctx
  const host = await readHost(client, h.id)
  if (host.resourcestate === 'Enabled') return
  if (h.cancelJobId === undefined) {
    show(ctx, h, 'cancelling maintenance')
    const {jobid} = await client.submitJob('cancelHostMaintenance', {id: h.id})
    h.cancelJobId = jobid
    ctx.save()
  }

  try {
    await client.waitForJob(h.cancelJobId, {
      command: 'cancelHostMaintenance',
      resumeHint: ctx.resume,
      signal: ctx.signal,
    })
  } catch (error) {
    if (error instanceof JobFailedError)
      throw new MoldctlError(
        `${h.name}: the server could not cancel maintenance (job ${error.jobId}): ${error.errortext}`,
        {
          suggestions: [
            `${h.name} stays in maintenance; try by hand: moldctl host maintenance cancel ${quoteArg(h.name)}`,
          ],
        },
      )
    throw error
  }
}

async function migrateBackStage(ctx: RollContext, h: HostRun): Promise<void> {
  const before = h.migrateBack?.moved ?? []
  const movedIds = new Set(before.map((v) => v.id))
  const wanted = (h.movedVms ?? []).filter((v) => !movedIds.has(v.id))
  show(ctx, h, `moving ${wanted.length} VM(s) back`)
  const plan = await planMigrateBack(ctx.client, h.id, wanted)
  const {interrupted, rows} = await runMigrateBack(ctx.client, plan, {
    concurrency: ctx.state.options.migrateConcurrency,
    progress: {
      done() {},
      note: (t) => ctx.progress.note(t),
      set: (_k, text) => show(ctx, h, `back: ${text}`),
    },
    signal: ctx.signal,
  })
  const moved = [
    ...before,
    ...rows.filter((r) => r.result === 'moved').map((r) => ({id: r.id, name: r.name})),
  ]
  const skipped = rows
    .filter((r) => r.result !== 'moved')
    .map((r) => ({id: r.id, name: r.name, reason: r.reason ?? r.result}))
  h.migrateBack = {moved, skipped}
  keepRecordedVms(
    ctx.recordScope,
    h.id,
    unmovedRows(rows).map((r) => ({id: r.id, name: r.name})),
  )
  ctx.save()
  if (interrupted) throw new InterruptedError(`stopped moving VMs back to ${h.name}`)
  for (const s of skipped) ctx.progress.note(`${h.name}: ${s.name} not moved back: ${s.reason}`)
}

async function verifyStage(ctx: RollContext, h: HostRun): Promise<void> {
  const host = await readHost(ctx.client, h.id)
  const version = reportedVersion(host)
  h.versionAfter = version
  const problems = [
    ...(host.state === 'Up' ? [] : [`state ${host.state}`]),
    ...(host.resourcestate === 'Enabled' ? [] : [`resource state ${host.resourcestate}`]),
    ...(version ? [] : ['no hypervisor version reported']),
  ]
  if (problems.length > 0)
    throw new MoldctlError(`${h.name} fails the check after its roll: ${problems.join(', ')}`, {
      suggestions: [`look at it: moldctl host show ${quoteArg(h.name)}`],
    })
}

function fileName(h: HostRun): string {
  return h.name.replaceAll(/[^\w.-]/g, '_')
}

/** With --output-dir: the host's record as JSON beside its command output. */
export function writeHostFile(ctx: RollContext, h: HostRun): void {
  const dir = ctx.state.options.outputDir
  if (!dir) return
  writeFileSync(path.join(dir, `${fileName(h)}.json`), `${JSON.stringify(h, null, 2)}\n`, {mode: 0o600})
}
