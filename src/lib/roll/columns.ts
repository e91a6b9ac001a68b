import type {Column} from '../output/columns.js'

import {formatDuration} from '../rolling-maintenance/report.js'
import {type HostRun, ROLL_STAGES, type RollState} from './state.js'

/* The report of a roll: one row per host, as a table, JSON, or one file per host. */

export interface RollReportRow extends Record<string, unknown> {
  cancel?: string
  cluster: string
  drain?: string
  end?: string
  error?: string
  exec?: string
  exit?: number | string
  host: string
  id: string
  'migrate-back'?: string
  migrated?: string
  output?: string
  result: string
  start?: string
  up?: string
  verify?: string
  version: string
}

function stageDuration(h: HostRun, stage: keyof HostRun['stages']): string | undefined {
  const s = h.stages[stage]
  if (!s?.start || !s.end) return s?.start ? 'running' : undefined
  return formatDuration(Date.parse(s.end) - Date.parse(s.start))
}

function result(h: HostRun): string {
  if (h.skipped) return 'skipped'
  if (h.stage === 'done') return 'rolled'
  if (h.stage === 'pending') return 'not started'
  return h.error ? `failed in ${h.stage}` : `stopped in ${h.stage}`
}

function exitOf(h: HostRun): number | string | undefined {
  if (!h.exec) return undefined
  return h.exec.exitCode ?? h.exec.stopped ?? 'running'
}

const time = (iso?: string) => (iso ? iso.slice(11, 19) : undefined)

export function rollReportRows(state: RollState): RollReportRow[] {
  return state.clusters.flatMap((c) =>
    c.hostIds.map((id) => {
      const h = state.hosts[id]
      const stages = Object.fromEntries(ROLL_STAGES.map((s) => [s, stageDuration(h, s)]))
      const back = h.migrateBack
      return {
        ...stages,
        cluster: h.cluster,
        end: time(h.end),
        error: h.error,
        exit: exitOf(h),
        host: h.name,
        id: h.id,
        migrated: back ? `${back.moved.length} back, ${back.skipped.length} skipped` : undefined,
        output: h.exec?.tail
          .filter((l) => l.trim() !== '')
          .slice(-2)
          .join(' ⏎ '),
        result: result(h),
        start: time(h.start),
        version:
          h.versionBefore || h.versionAfter ? `${h.versionBefore ?? '?'} → ${h.versionAfter ?? '?'}` : '',
      }
    }),
  )
}

export const ROLL_REPORT_COLUMNS: Column<RollReportRow>[] = [
  {header: 'HOST', key: 'host'},
  {header: 'CLUSTER', key: 'cluster'},
  {header: 'RESULT', key: 'result'},
  {header: 'START', key: 'start'},
  {header: 'END', key: 'end'},
  {header: 'DRAIN', key: 'drain'},
  {header: 'COMMAND', key: 'exec'},
  {header: 'REBOOT', key: 'up'},
  {header: 'CANCEL', key: 'cancel'},
  {header: 'BACK', key: 'migrate-back'},
  {header: 'EXIT', key: 'exit'},
  {header: 'LAST OUTPUT', key: 'output'},
  {header: 'VERSION', key: 'version'},
]
