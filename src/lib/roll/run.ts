import {ExitCode, InterruptedError, MoldctlError} from '../core/errors.js'
import {sleep} from '../core/sleep.js'
import {formatElapsed} from '../maintenance/columns.js'
import {now, type RollContext, show, STAGE_RUNNERS, writeHostFile} from './stages.js'
import {type HostRun, ROLL_STAGES, type RollStage, type RollState} from './state.js'

export type {RollContext} from './stages.js'

/*
 * Runs a roll: per cluster one host after another (several clusters at once with
 * --parallel-clusters), each host through drain → command → back Up → maintenance cancelled →
 * (VMs moved back) → checked. The state is saved after every step, and every step first looks
 * at what the server says, so that a resumed roll neither submits a call twice nor runs a
 * command again that already ran.
 */

export type RollOutcome = 'canary' | 'done'

/** Runs (or continues) the roll; throws a MoldctlError with the documented exit code when it stops. */
export async function runRoll(ctx: RollContext): Promise<RollOutcome> {
  const {state} = ctx
  state.status = 'running'
  state.pid = process.pid
  ctx.save()
  try {
    if (!state.canaryPassed && state.options.canary > 0) {
      const order = state.clusters.flatMap((c) => c.hostIds).filter((id) => state.hosts[id].stage !== 'done')
      const canaries = order.filter((id) => !state.hosts[id].skipped).slice(0, state.options.canary)
      for (const id of canaries) {
        // eslint-disable-next-line no-await-in-loop
        await rollHost(ctx, state.hosts[id])
      }

      state.canaryPassed = true
      ctx.save()
      const left = pendingHosts(state)
      if (left.length > 0) {
        const question = `Canary done (${canaries.map((id) => state.hosts[id].name).join(', ')}). Go on with the ${left.length} other host(s)?`
        const go = ctx.askContinue ? await ctx.askContinue(question) : false
        if (!go) {
          state.status = 'canary'
          state.pid = undefined
          ctx.save()
          return 'canary'
        }
      }
    }

    await runClusters(ctx)
    state.status = 'done'
    state.pid = undefined
    ctx.save()
    return 'done'
  } catch (error) {
    throw stopped(ctx, error)
  } finally {
    ctx.progress.done()
  }
}

export function pendingHosts(state: RollState): HostRun[] {
  return Object.values(state.hosts).filter((h) => h.stage !== 'done' && !h.skipped)
}

async function runClusters(ctx: RollContext): Promise<void> {
  const {state} = ctx
  const queue = [...state.clusters]
  let failure: unknown
  const worker = async () => {
    for (let cluster = queue.shift(); cluster && failure === undefined; cluster = queue.shift()) {
      let rolledOne = false
      for (const id of cluster.hostIds) {
        const host = state.hosts[id]
        if (host.stage === 'done' || host.skipped) continue
        if (failure !== undefined || ctx.signal.aborted) return
        if (rolledOne && state.options.pauseMs > 0) {
          ctx.progress.set(
            cluster.id,
            `${cluster.name}  pausing ${formatElapsed(state.options.pauseMs)} before ${host.name}`,
          )
          // eslint-disable-next-line no-await-in-loop
          await sleep(state.options.pauseMs, ctx.signal)
          if (ctx.signal.aborted) return
        }

        try {
          // eslint-disable-next-line no-await-in-loop
          await rollHost(ctx, host)
          rolledOne = true
        } catch (error) {
          failure ??= error
          return
        }
      }
    }
  }

  const parallel = Math.max(1, Math.min(state.options.parallelClusters, queue.length))
  await Promise.all(Array.from({length: parallel}, worker))
  if (failure !== undefined) throw failure
  if (ctx.signal.aborted) throw new InterruptedError('interrupted between hosts')
}

/** The error a stopped roll ends with: the right exit code, and how to go on. */
function stopped(ctx: RollContext, error: unknown): MoldctlError {
  const {state} = ctx
  const resume = `resume with: ${ctx.resume}`
  state.pid = undefined
  if (ctx.signal.aborted || error instanceof InterruptedError) {
    state.status = 'interrupted'
    ctx.save()
    const what = error instanceof MoldctlError ? error.message : 'interrupted'
    // The command exits 130, 143 or 129 by the signal that stopped it.
    const stop = new InterruptedError(`roll ${state.id} stopped: ${what}`, ctx.resume)
    stop.suggestions.unshift(
      "the state is kept in the roll's state file; nothing was cancelled on the server",
    )
    return stop
  }

  const base =
    error instanceof MoldctlError ? error : new MoldctlError((error as Error).message ?? String(error))
  state.status = base.exitCode === ExitCode.Timeout ? 'timeout' : 'failed'
  ctx.save()
  const suggestions = base.suggestions.some((s) => s.includes('--resume'))
    ? base.suggestions
    : [...base.suggestions, resume]
  return new MoldctlError(base.message, {exitCode: base.exitCode, suggestions})
}

// ---------------------------------------------------------------------------------------------
// One host

async function rollHost(ctx: RollContext, h: HostRun): Promise<void> {
  const {state} = ctx
  h.start ??= now()
  while (h.stage !== 'done') {
    const {stage} = h
    if (stage !== 'pending') h.stages[stage] ??= {start: now()}
    try {
      // eslint-disable-next-line no-await-in-loop
      await STAGE_RUNNERS[stage](ctx, h)
    } catch (error) {
      h.error = error instanceof Error ? error.message : String(error)
      ctx.save()
      writeHostFile(ctx, h)
      throw error
    }

    if (stage !== 'pending') h.stages[stage]!.end = now()
    h.stage = nextStage(stage, state.options.migrateBack)
    if (h.stage !== 'done') h.stages[h.stage] = {start: now()}
    h.error = undefined
    if (h.stage === 'done') h.end = now()
    ctx.save()
  }

  writeHostFile(ctx, h)
  const version =
    h.versionBefore === h.versionAfter ? `${h.versionAfter}` : `${h.versionBefore ?? '?'} → ${h.versionAfter}`
  show(ctx, h, `rolled (${version})`)
  ctx.progress.note(`${h.name}: rolled (${version})`)
}

function nextStage(stage: RollStage, migrateBack: boolean): RollStage {
  if (stage === 'pending') return 'drain'
  const next = ROLL_STAGES[ROLL_STAGES.indexOf(stage) + 1] ?? 'done'
  return next === 'migrate-back' && !migrateBack ? 'verify' : next
}
