import {closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

import type {AuditEntry, BulkAuditSummary} from '../api/types.js'

/*
 * The audit log: JSON lines in one file (docs/audit.md is the format's contract). Three kinds of
 * record, each with `type` and the `run` id that ties a run's records together:
 * - `call`: one API change (a mutating call, and the end of its job);
 * - `bulk`: the summary of a bulk action (counts, hosts by outcome) in place of its calls;
 * - `run`: one per run that changed or tried to change something, written at its end (who,
 *   where, the command line with secrets redacted, start, end, exit code).
 */

/**
 * Where audit lines go: `MOLDCTL_AUDIT_LOG` (a path, or `off`), else `audit.log` in the data
 * directory. One JSON object a line; the file is created mode 0600.
 */
export function auditLogPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.MOLDCTL_AUDIT_LOG
  if (setting && ['0', 'false', 'no', 'off'].includes(setting.toLowerCase())) return undefined
  return setting || path.join(dataDir, 'audit.log')
}

/** The file rotates when it reaches this size (MOLDCTL_AUDIT_MAX_BYTES; 10 MiB). */
export function auditMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const bytes = Number(env.MOLDCTL_AUDIT_MAX_BYTES)
  return Number.isInteger(bytes) && bytes > 0 ? bytes : 10 * 1024 * 1024
}

/** Rotated files kept: audit.log.1 (the newest) to audit.log.5. */
export const AUDIT_KEEP = 5

/** The audit files, newest first: the current one, then audit.log.1 ... audit.log.5. */
export function auditFiles(file: string): string[] {
  return [file, ...Array.from({length: AUDIT_KEEP}, (_, i) => `${file}.${i + 1}`)]
}

/** Moves audit.log to audit.log.1 (and .1 to .2 ...) when it holds `maxBytes` or more. */
export function rotateIfFull(file: string, maxBytes: number): boolean {
  let size: number
  try {
    size = statSync(file).size
  } catch {
    return false
  }

  if (size < maxBytes) return false
  const files = auditFiles(file)
  rmSync(files.at(-1)!, {force: true})
  for (let i = files.length - 2; i >= 0; i--) {
    try {
      renameSync(files[i], files[i + 1])
    } catch {
      // a gap in the numbering: nothing to move
    }
  }

  return true
}

/** Who ran moldctl, where, which moldctl. */
export interface RunOrigin {
  host: string
  /** The user sudo was run by, when moldctl runs under sudo. */
  sudoUser?: string
  user: string
  version: string
}

/** The record of one run (`type: run`). */
export interface RunRecord extends RunOrigin {
  /** API changes (and database changes) the run made or tried, bulk calls included. */
  changes: number
  /** Command id (`host:maintenance:enter`). */
  command: string
  /** The command line, secrets redacted. */
  commandLine: string
  end: string
  endpoint?: string
  exit: number
  profile?: string
  run: string
  start: string
  type: 'run'
}

/** node's crypto module, loaded when a run id is made (RunAudit#id). */
const requireHere = createRequire(import.meta.url)

/**
 * The audit of one run: its `call` and `bulk` records as they happen, its `run` record at the
 * end. The file is opened on the first record (rotated first if full) and closed by `finish`.
 */
export class RunAudit {
  readonly start = new Date()
  private changeCount = 0
  private fd?: number
  private readonly file: string
  private readonly maxBytes: number
  private profileName?: string
  private runId?: string

  constructor(file: string, opts: {id?: string; maxBytes?: number; profile?: string} = {}) {
    this.file = file
    this.runId = opts.id
    this.maxBytes = opts.maxBytes ?? auditMaxBytes()
    this.profileName = opts.profile
  }

  /** Whether the run made (or tried) a change: only then is its run record written. */
  get changes(): number {
    return this.changeCount
  }

  /**
   * The run's id, made when a record first needs it: most runs change nothing and write none, and
   * making it loads node's crypto module, some 2 ms of a start.
   */
  get id(): string {
    this.runId ??= (requireHere('node:crypto') as typeof import('node:crypto')).randomUUID()
    return this.runId
  }

  get profile(): string | undefined {
    return this.profileName
  }

  set profile(name: string | undefined) {
    this.profileName = name
  }

  /** A bulk action's summary, in place of its calls (counted as changes). */
  bulk(summary: BulkAuditSummary): void {
    this.changeCount += summary.calls
    this.write({
      type: 'bulk',
      run: this.id,
      profile: this.profileName,
      time: new Date().toISOString(),
      ...summary,
    })
  }

  /** One API change. The end of a job is part of the change that submitted it. */
  call(entry: AuditEntry): void {
    if (entry.outcome !== 'job-succeeded' && entry.outcome !== 'job-failed') this.changeCount++
    this.write({type: 'call', run: this.id, profile: this.profileName, ...entry})
  }

  /** Writes the run record (when the run changed something) and closes the file. */
  finish(
    run: Omit<RunRecord, 'changes' | 'end' | 'profile' | 'run' | 'start' | 'type'>,
    always = false,
  ): void {
    try {
      if (this.changeCount > 0 || always) {
        const record: RunRecord = {
          changes: this.changeCount,
          ...run,
          end: new Date().toISOString(),
          profile: this.profileName,
          run: this.id,
          start: this.start.toISOString(),
          type: 'run',
        }
        this.write(record)
      }
    } finally {
      if (this.fd !== undefined) closeSync(this.fd)
      this.fd = undefined
    }
  }

  private write(record: object): void {
    if (this.fd === undefined) {
      mkdirSync(path.dirname(this.file), {mode: 0o700, recursive: true})
      rotateIfFull(this.file, this.maxBytes)
      this.fd = openSync(this.file, 'a', 0o600)
    }

    writeSync(this.fd, JSON.stringify(record) + '\n')
  }
}

/** The run being audited in this process (set by the base command for each run). */
let current: RunAudit | undefined

export function setCurrentRunAudit(audit: RunAudit | undefined): void {
  current = audit
}

/**
 * An audit sink that appends each entry, with the profile's name, as one JSON line: the current
 * run's when there is one (the entry then carries its run id), else a file of its own.
 */
export function createAuditWriter(file: string, profile?: string): (entry: AuditEntry) => void {
  if (current) {
    const run = current
    if (profile !== undefined) run.profile = profile
    return (entry) => run.call(entry)
  }

  // Opened once, on the first entry, in append mode: a bulk command writes thousands of lines.
  let fd: number | undefined
  return (entry) => {
    if (fd === undefined) {
      mkdirSync(path.dirname(file), {mode: 0o700, recursive: true})
      fd = openSync(file, 'a', 0o600)
    }

    writeSync(fd, JSON.stringify({profile, type: 'call', ...entry}) + '\n')
  }
}
