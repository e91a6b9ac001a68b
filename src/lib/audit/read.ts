/**
 * Reading the audit log back (`moldctl audit list|show`): every file, the rotated ones too,
 * oldest first; lines that are not JSON objects are skipped (a line cut by a full disk).
 */
import {readFileSync} from 'node:fs'

import type {RunRecord} from '../core/audit.js'

import {auditFiles} from '../core/audit.js'
import {NotFoundError, UsageError} from '../core/errors.js'

export interface AuditRecord {
  [field: string]: unknown
  run?: string
  time?: string
  type?: 'bulk' | 'call' | 'run'
}

/** A run record as read back: the fields a run record has, and whatever else its line holds. */
export type AuditRun = AuditRecord & RunRecord

/** A run record, with the fields listing and finding runs rely on. */
function isRunRecord(record: AuditRecord): record is AuditRun {
  return (
    record.type === 'run' &&
    typeof record.run === 'string' &&
    typeof record.command === 'string' &&
    typeof record.start === 'string'
  )
}

export function readAuditRecords(file: string): AuditRecord[] {
  const records: AuditRecord[] = []
  for (const name of auditFiles(file).reverse()) {
    let text: string
    try {
      text = readFileSync(name, 'utf8')
    } catch {
      continue
    }

    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      try {
        const record = JSON.parse(line) as unknown
        if (record && typeof record === 'object' && !Array.isArray(record))
          records.push(record as AuditRecord)
      } catch {
        // not a record
      }
    }
  }

  return records
}

const UNITS: Record<string, number> = {d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, w: 604_800_000}

/** `--since`: a duration back from now (`90m`, `24h`, `7d`) or a date (`2026-12-01`, ISO 8601). */
export function parseSince(text: string, now: number = Date.now()): Date {
  const duration = /^(\d+)([smhdw])$/.exec(text.trim())
  if (duration) return new Date(now - Number(duration[1]) * UNITS[duration[2]])
  const date = Date.parse(text)
  if (Number.isNaN(date)) {
    throw new UsageError(`--since: "${text}" is neither a duration nor a date`, [
      'e.g. --since 90m, --since 24h, --since 7d, --since 2026-12-01T08:00:00Z',
    ])
  }

  return new Date(date)
}

/** The run records, oldest first, started since `since` and of `command` (`host:maintenance:enter` or spaced). */
export function listRuns(records: AuditRecord[], filter: {command?: string; since?: Date}): AuditRun[] {
  const command = filter.command?.trim().replaceAll(/\s+/g, ':')
  return records
    .filter((record) => isRunRecord(record))
    .filter(
      (run) =>
        (!filter.since || Date.parse(run.start) >= filter.since.getTime()) &&
        (!command || run.command === command || run.command.startsWith(`${command}:`)),
    )
}

/** A run by its id (or the first 6 or more characters of it), with its call and bulk records. */
export function findRun(records: AuditRecord[], id: string): {records: AuditRecord[]; run: AuditRun} {
  if (id.length < 6) throw new UsageError(`run id "${id}" is too short: give at least 6 characters`)
  const runs = listRuns(records, {}).filter((r) => r.run.startsWith(id))
  if (runs.length === 0) {
    throw new NotFoundError(`no run ${id} in the audit log`, ['see the runs: moldctl audit list --since 7d'])
  }

  if (runs.length > 1) {
    throw new UsageError(`run id "${id}" is ambiguous: ${runs.map((r) => r.run).join(', ')}`)
  }

  const [run] = runs
  return {records: records.filter((r) => r.type !== 'run' && r.run === run.run), run}
}

/** One line describing a call or bulk record, for `audit show`. */
export function describeRecord(record: AuditRecord): string {
  if (record.type === 'bulk') {
    const counts = Object.entries((record.counts ?? {}) as Record<string, number>)
      .map(([outcome, n]) => `${n} ${outcome}`)
      .join(', ')
    const hosts = Object.entries((record.hosts ?? {}) as Record<string, string[]>)
      .map(([outcome, names]) => `${outcome}: ${names.join(' ')}`)
      .join('; ')
    return `${String(record.action)} (${String(record.calls)} calls): ${counts}${hosts ? ` — ${hosts}` : ''}${record.error ? `; error: ${String(record.error)}` : ''}`
  }

  const params = Object.entries((record.params ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')
  const job = record.jobid ? ` job ${String(record.jobid)}` : ''
  const error = record.error ? `: ${String(record.error)}` : ''
  return `${String(record.command)} ${String(record.outcome)}${job}${params ? ` ${params}` : ''}${error}`
}
