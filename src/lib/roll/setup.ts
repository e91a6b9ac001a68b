import {readdirSync} from 'node:fs'

import {UsageError} from '../core/errors.js'
import {durationFlag, ROLL_ORDERS, type RollOrder} from './plan.js'
import {heldByOther, loadRollState, type RollOptions, rollsDir, type RollState} from './state.js'

/* From flags to a roll's options; the checks a resume makes; the list of runs. */

export interface RollFlags {
  canary?: number
  concurrency?: number
  'drain-timeout'?: string
  exec?: string
  'exec-timeout'?: string
  'expect-reboot'?: boolean
  'migrate-back'?: boolean
  order?: string
  'output-dir'?: string
  'parallel-clusters'?: number
  pause?: string
  'up-timeout'?: string
}

/** Flags that shape a run; a resume keeps the run's own and refuses new ones. */
export const RUN_SHAPING_FLAGS: (keyof RollFlags)[] = [
  'canary',
  'concurrency',
  'drain-timeout',
  'exec',
  'exec-timeout',
  'expect-reboot',
  'migrate-back',
  'order',
  'pause',
  'parallel-clusters',
  'up-timeout',
]

export function rollOptions(flags: RollFlags): RollOptions {
  if (!flags.exec || flags.exec.trim() === '')
    throw new UsageError('--exec COMMAND is required: what patches (and reboots) each host', [
      `e.g. --exec 'ssh root@{ip} "dnf -y update && systemctl reboot"'`,
    ])
  const order = (flags.order ?? 'name') as RollOrder
  if (!ROLL_ORDERS.includes(order)) throw new UsageError(`--order must be one of ${ROLL_ORDERS.join(', ')}`)
  return {
    canary: flags.canary ?? 0,
    drainTimeoutMs: flags['drain-timeout']
      ? durationFlag('--drain-timeout', flags['drain-timeout'], 0)
      : undefined,
    exec: flags.exec,
    execTimeoutMs: durationFlag('--exec-timeout', flags['exec-timeout'], 30 * 60_000),
    expectReboot: flags['expect-reboot'] ?? true,
    migrateBack: flags['migrate-back'] ?? false,
    migrateConcurrency: flags.concurrency ?? 2,
    order,
    outputDir: flags['output-dir'],
    parallelClusters: flags['parallel-clusters'] ?? 1,
    pauseMs: durationFlag('--pause', flags.pause, 0),
    upTimeoutMs: durationFlag('--up-timeout', flags['up-timeout'], 30 * 60_000),
  }
}

/** Loads a run to resume, refusing what would not continue it faithfully. */
export function stateToResume(
  id: string,
  opts: {clusters: string[]; endpoint: string; given: (keyof RollFlags)[]},
): RollState {
  const state = loadRollState(id)
  if (opts.clusters.length > 0 || opts.given.length > 0) {
    const named = [
      ...(opts.clusters.length > 0 ? ['CLUSTER arguments'] : []),
      ...opts.given.map((f) => `--${f}`),
    ]
    throw new UsageError(
      `--resume continues roll ${id} with its own options; ${named.join(', ')} cannot change them`,
      ['leave them out (only --skip, --rerun-exec and --output-dir may be added), or start a new roll'],
    )
  }

  if (state.endpoint !== opts.endpoint)
    throw new UsageError(
      `roll ${id} was started against ${state.endpoint}, this connection is ${opts.endpoint}`,
      [
        state.profile
          ? `resume with its profile: moldctl cluster roll --resume ${id} -p ${state.profile}`
          : 'use --url or -p for that cloud',
      ],
    )
  if (state.status === 'done') throw new UsageError(`roll ${id} is complete; nothing to resume`)
  if (heldByOther(state))
    throw new UsageError(`roll ${id} is running right now (process ${state.pid}); one process per roll`, [
      'wait for it, or stop it (Ctrl-C or kill) and resume then',
    ])
  return state
}

export interface RollListRow {
  clusters: string
  created: string
  hosts: string
  id: string
  status: string
}

export function listRolls(): RollListRow[] {
  let files: string[] = []
  try {
    files = readdirSync(rollsDir()).filter((f) => f.endsWith('.json'))
  } catch {
    return []
  }

  return files.sort().map((file) => {
    const state = loadRollState(file.replace(/\.json$/, ''))
    const hosts = Object.values(state.hosts)
    return {
      clusters: state.clusters.map((c) => c.name).join(','),
      created: state.created.slice(0, 19).replace('T', ' '),
      hosts: `${hosts.filter((h) => h.stage === 'done').length}/${hosts.length} rolled`,
      id: state.id,
      status: state.status,
    }
  })
}

/** --skip on a resume: those hosts are left as they are (a host in maintenance stays there). */
export function skipOnResume(state: RollState, refs: string[]): string[] {
  const notes: string[] = []
  for (const ref of refs) {
    const host = Object.values(state.hosts).find((h) => h.id === ref || h.name === ref || h.ip === ref)
    if (!host) throw new UsageError(`--skip ${ref}: no such host in roll ${state.id}`)
    if (host.stage === 'done') throw new UsageError(`--skip ${ref}: ${host.name} is already rolled`)
    host.skipped = `--skip on resume, left in stage ${host.stage}`
    notes.push(
      host.stage === 'pending'
        ? `${host.name}: skipped`
        : `${host.name}: skipped in stage ${host.stage}; it is left as it is (see moldctl host maintenance status ${host.name})`,
    )
  }

  return notes
}
