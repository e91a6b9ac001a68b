/** Waiting for a draining host to reach Maintenance, and what to say when it does not. */
import type {MoldClient} from '../api/client.js'
import type {Host, Vm} from '../api/models.js'
import type {WaitContext} from './types.js'

import {
  ApiError,
  ExitCode,
  InterruptedError,
  MoldctlError,
  TransportError,
  WaitTimeoutError,
} from '../core/errors.js'
import {HOST_POLL, pollWindow} from '../core/poll-window.js'
import {sleep} from '../core/sleep.js'
import {describeFailedWait, interpretMaintenanceWait} from '../infra/resource-state.js'
import {whyVmsStay} from './capacity-check.js'
import {describeVms, formatHostProgress} from './columns.js'
import {DrainSchedule} from './drain-schedule.js'
import {listVmsOnHost, readHost} from './fetch.js'
import {quoteArg} from './plan.js'

/**
 * Polls the host until it is in Maintenance, showing its state and the VMs still on it. Throws
 * MoldctlError (exit 1) for ErrorInPrepareForMaintenance / ErrorInMaintenance (or any other
 * state: someone cancelled), WaitTimeoutError (exit 5) and InterruptedError (Ctrl-C, exit 130).
 *
 * The looks are scheduled by the drain's expected end (see drain-schedule.ts), and a look is one
 * listHosts call where that suffices: the VMs on the host are listed again only when the host's
 * allocated memory or CPU changed since they were last listed (a VM left), when the server does
 * not report those, or when the drain failed (to say which VMs stayed).
 */
export async function waitForMaintenance(
  client: MoldClient,
  host: Host,
  ctx: WaitContext,
  opts: {firstLookAfterPause?: boolean; started?: number} = {},
): Promise<Host> {
  const started = opts.started ?? Date.now()
  const schedule = new DrainSchedule({
    firstMs: ctx.minPollMs,
    maxMs: ctx.maxPollMs,
    stepMs: Math.min(ctx.minPollMs, STEP_MS),
  })
  let current = host
  let vms: Vm[] = []
  let vmsListedAt: string | undefined
  let looked = false
  const elapsed = () => (ctx.showElapsed ? Date.now() - started : undefined)
  const line = () => formatHostProgress(host.name, current.resourcestate, vms, elapsed())
  // Between looks, the clock goes on from what the last look saw.
  const stopClock = tickClock(ctx, host.id, () => (looked ? line() : undefined))
  try {
    if (opts.firstLookAfterPause) await sleep(schedule.nextPause(Date.now() - started), ctx.signal)
    for (;;) {
      if (ctx.signal?.aborted) throw interrupted(current, ctx)
      // eslint-disable-next-line no-await-in-loop
      const look = await lookAt(client, host.id, (seen) => {
        const mark = allocationMark(seen)
        const phase = interpretMaintenanceWait(seen.resourcestate)
        const listVms =
          phase === 'failed' || (phase !== 'done' && (mark === undefined || mark !== vmsListedAt))
        if (listVms) vmsListedAt = mark
        return listVms
      })
      if (look) {
        current = look[0]
        const phase = interpretMaintenanceWait(current.resourcestate)
        if (phase === 'done') vms = []
        else if (look[1]) vms = look[1]
        looked = true
        schedule.observe(Date.now() - started, vms.length)
        ctx.progress.set(host.id, line())
        if (phase === 'done') return current
        // eslint-disable-next-line no-await-in-loop
        if (phase === 'failed') throw await maintenanceFailed(client, current, vms, ctx)
      } else {
        ctx.progress.note(`${host.name}: the server did not answer; still waiting`)
      }

      const remaining = ctx.timeoutMs === undefined ? Infinity : started + ctx.timeoutMs - Date.now()
      if (remaining <= 0) throw timedOut(current, vms, ctx)
      const pause = schedule.nextPause(Date.now() - started)
      // eslint-disable-next-line no-await-in-loop
      await sleep(Math.min(pause, remaining), ctx.signal)
    }
  } finally {
    stopClock()
  }
}

/**
 * With a live clock, redraws a host's line every second from what is already known, so that
 * the elapsed time runs between two looks at the server (it makes no API call). `line` answers
 * undefined while there is nothing to show yet. Returns the function that stops it.
 */
export function tickClock(ctx: WaitContext, key: string, line: () => string | undefined): () => void {
  if (!ctx.showElapsed) return () => {}
  const timer = setInterval(() => {
    const text = line()
    if (text !== undefined) ctx.progress.set(key, text)
  }, 1000)
  timer.unref()
  return () => clearInterval(timer)
}

/** Shortest pause between two looks by default: the server's state changes no faster. */
const STEP_MS = 1000

/**
 * What the host's allocation says about the VMs on it: memory and CPU allocated change when a VM
 * leaves. Undefined when the server reports neither (then the VMs are listed at every look).
 */
function allocationMark(host: Host): string | undefined {
  const memory = host.memoryallocated ?? host.memoryallocatedbytes
  const cpu = host.cpuallocatedvalue ?? host.cpuallocated
  if (memory === undefined && cpu === undefined) return undefined
  return `${memory ?? ''}/${cpu ?? ''}`
}

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504])

/**
 * The host, and the VMs on it when `wantVms(host)` says so; undefined when the server could not
 * be reached or answered with a transient error even after the client's retries (the wait goes
 * on, as job polling does).
 */
async function lookAt(
  client: MoldClient,
  hostId: string,
  wantVms: (host: Host) => boolean,
): Promise<[Host, undefined | Vm[]] | undefined> {
  try {
    const host = await readHost(client, hostId)
    return [host, wantVms(host) ? await listVmsOnHost(client, hostId) : undefined]
  } catch (error) {
    const transient =
      error instanceof TransportError || (error instanceof ApiError && TRANSIENT_STATUS.has(error.errorcode))
    if (transient) return undefined
    throw error
  }
}

function interrupted(host: Host, ctx: WaitContext): InterruptedError {
  const job = ctx.jobid ? ` (job ${ctx.jobid})` : ''
  return new InterruptedError(
    `stopped waiting; ${host.name} goes on draining on the server${job}: nothing was cancelled`,
    ctx.resume,
    ctx.jobid,
  )
}

function timedOut(host: Host, vms: Vm[], ctx: WaitContext): WaitTimeoutError {
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
  host: Host,
  vms: Vm[],
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

/**
 * Polling of a draining host: first pause from MOLDCTL_POLL_MIN_MS (2 s), growing by half up to
 * --poll or MOLDCTL_POLL_MAX_MS (15 s) until a VM has left; then by the expected end of the drain
 * (drain-schedule.ts) — some 15 calls for a one-minute drain, the last within about a second of its end.
 */
export function hostPollSettings(
  env: NodeJS.ProcessEnv,
  pollSeconds?: number,
): {maxPollMs: number; minPollMs: number} {
  const {maxMs, minMs} = pollWindow(
    env,
    HOST_POLL,
    pollSeconds === undefined ? undefined : pollSeconds * 1000,
  )
  return {maxPollMs: maxMs, minPollMs: minMs}
}
