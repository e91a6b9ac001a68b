import {randomBytes} from 'node:crypto'
import {chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import path from 'node:path'

import type {HostFacts, RollOrder} from './plan.js'

import {UsageError} from '../core/errors.js'

/*
 * A roll's state: everything needed to continue exactly where it stopped, written (atomically,
 * mode 0600) after every step to $XDG_STATE_HOME/moldctl/rolls/<run-id>.json.
 */

export type RollStage = 'cancel' | 'done' | 'drain' | 'exec' | 'migrate-back' | 'pending' | 'up' | 'verify'
/** The stages a host goes through, in order (pending and done excluded). */
export const ROLL_STAGES: RollStage[] = ['drain', 'exec', 'up', 'cancel', 'migrate-back', 'verify']

export interface RollOptions {
  canary: number
  drainTimeoutMs?: number
  exec: string
  execTimeoutMs: number
  expectReboot: boolean
  migrateBack: boolean
  migrateConcurrency: number
  order: RollOrder
  outputDir?: string
  parallelClusters: number
  pauseMs: number
  upTimeoutMs: number
}

export interface ExecRecord {
  command: string
  durationMs?: number
  /** Undefined while the command runs or when it was stopped (interrupt, timeout). */
  exitCode?: number
  started: string
  /** Why it has no exit code: `timeout` or `interrupted`. */
  stopped?: 'interrupted' | 'timeout'
  /** The last lines of its output (stdout and stderr together). */
  tail: string[]
}

export interface MigrateBackRecord {
  moved: {id: string; name: string}[]
  skipped: {id: string; name: string; reason: string}[]
}

export interface HostRun extends HostFacts {
  cancelJobId?: string
  /** The host's `disconnected` date before the command (a newer one proves a reboot). */
  disconnectedBefore?: string
  drainJobId?: string
  end?: string
  error?: string
  exec?: ExecRecord
  migrateBack?: MigrateBackRecord
  /** Running VMs on the host before its drain (moved back with --migrate-back). */
  movedVms?: {id: string; name: string}[]
  /** Seen not Up after the command ran (the reboot). */
  sawDown?: boolean
  skipped?: string
  stage: RollStage
  stages: Partial<Record<RollStage, {end?: string; start: string}>>
  start?: string
  versionAfter?: string
  versionBefore?: string
}

export type RollStatus = 'canary' | 'done' | 'failed' | 'interrupted' | 'running' | 'timeout'

export interface RollState {
  /** After a canary stop: the canary hosts are done, the rest goes on when resumed. */
  canaryPassed?: boolean
  clusters: {hostIds: string[]; id: string; name: string}[]
  created: string
  /** The API endpoint the roll talks to (a resume must use the same one). */
  endpoint: string
  hosts: Record<string, HostRun>
  id: string
  options: RollOptions
  /** The process running it (a second one refuses to run the same roll). */
  pid?: number
  profile?: string
  status: RollStatus
  updated: string
  version: 1
}

/** $XDG_STATE_HOME/moldctl/rolls (default ~/.local/state/moldctl/rolls). */
export function rollsDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || path.join(env.HOME || homedir(), '.local', 'state')
  return path.join(base, 'moldctl', 'rolls')
}

/** e.g. 20261204-201500-3f9a: sortable, short enough to type. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replaceAll(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${stamp}-${randomBytes(2).toString('hex')}`
}

const RUN_ID = /^[\w.-]+$/

export function rollStatePath(id: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!RUN_ID.test(id))
    throw new UsageError(`"${id}" is not a roll run id`, ['list them: moldctl cluster roll --list'])
  return path.join(rollsDir(env), `${id}.json`)
}

/** Writes the state atomically (a crash leaves the old or the new file, never half of one). */
export function saveRollState(state: RollState, env: NodeJS.ProcessEnv = process.env): string {
  const file = rollStatePath(state.id, env)
  mkdirSync(path.dirname(file), {mode: 0o700, recursive: true})
  state.updated = new Date().toISOString()
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, {mode: 0o600})
  chmodSync(temporary, 0o600)
  renameSync(temporary, file)
  return file
}

export function loadRollState(id: string, env: NodeJS.ProcessEnv = process.env): RollState {
  const file = rollStatePath(id, env)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new UsageError(`no roll ${id} (looked for ${file})`, ['list them: moldctl cluster roll --list'])
  }

  const state = JSON.parse(text) as RollState
  if (state.version !== 1 || state.id !== id) throw new UsageError(`${file} is not a roll state file`)
  return state
}

/** Whether another live process is running the roll. */
export function heldByOther(state: RollState): boolean {
  if (!state.pid || state.pid === process.pid) return false
  try {
    process.kill(state.pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
