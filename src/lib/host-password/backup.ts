/**
 * The backup a rotation writes before it commits: for every row it changed, the value before and
 * the value written, so `host password restore` can put things back and can tell whether anyone
 * changed a row since. Values are as stored (encrypted unless the install has encryption off);
 * the file is still created mode 0600 and never overwritten.
 */
import {randomBytes} from 'node:crypto'
import {chmod, mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {CredentialName} from '../db/host-details.js'
import type {PlannedChange, StoredFormat} from './rules.js'

import {UsageError} from '../core/errors.js'

export const BACKUP_KIND = 'moldctl host-password backup'

export interface BackupRow {
  detailId: number
  hostId: number
  hostName: string
  hostUuid: null | string
  kind: 'insert' | 'update'
  name: CredentialName
  /** The value before the rotation; absent for a row the rotation added. */
  previous?: string
  /** The value the rotation wrote. */
  written: string
}

export interface PasswordBackup {
  /**
   * false from when the backup is written until the rotation's commit went through, then true;
   * absent in backups of older versions (unknown).
   */
  committed?: boolean
  createdAt: string
  database: string
  format: StoredFormat
  kind: typeof BACKUP_KIND
  rows: BackupRow[]
  version: 1
}

export function buildBackup(
  changes: PlannedChange[],
  format: StoredFormat,
  database: string,
  now = new Date(),
) {
  const rows: BackupRow[] = changes.map((change) => {
    if (change.detailId === undefined)
      throw new Error('every change needs its row id before the backup is written')
    return {
      detailId: change.detailId,
      hostId: change.host.id,
      hostName: change.host.name,
      hostUuid: change.host.uuid,
      kind: change.kind,
      name: change.name,
      previous: change.previous,
      written: change.value,
    }
  })
  const backup: PasswordBackup = {
    committed: false,
    createdAt: now.toISOString(),
    database,
    format,
    kind: BACKUP_KIND,
    rows,
    version: 1,
  }
  return backup
}

/**
 * `moldctl-host-passwords-20250101T120000.123Z-3f9a0c.json` in `dir`: the time to the millisecond
 * and a random part, so two rotations in the same second (or millisecond) never share a name.
 */
export function defaultBackupPath(
  dir: string,
  now = new Date(),
  random = randomBytes(3).toString('hex'),
): string {
  const stamp = now.toISOString().replaceAll(/[-:]/g, '')
  return path.join(dir, `moldctl-host-passwords-${stamp}-${random}.json`)
}

/** Marks the backup of a committed rotation (`committed: true`): a new file renamed over it, 0600. */
export async function markBackupCommitted(file: string): Promise<void> {
  const backup = parseBackup(await readFile(file, 'utf8'), file)
  const next = `${file}.committed-${randomBytes(3).toString('hex')}`
  await writeFile(next, JSON.stringify({...backup, committed: true}, null, 2) + '\n', {
    flag: 'wx',
    mode: 0o600,
  })
  await chmod(next, 0o600)
  await rename(next, file)
}

/** Creates the file (never replaces one), mode 0600, its folder 0700 if it has to be made. */
export async function writeBackupFile(file: string, backup: PasswordBackup): Promise<void> {
  await mkdir(path.dirname(file), {mode: 0o700, recursive: true})
  try {
    await writeFile(file, JSON.stringify(backup, null, 2) + '\n', {flag: 'wx', mode: 0o600})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`the backup file ${file} already exists; nothing was changed`, [
        'choose another --backup file',
      ])
    }

    throw error
  }

  await chmod(file, 0o600) // in case a umask or ACL widened it
}

function isBackupRow(row: unknown): row is BackupRow {
  const r = row as BackupRow
  return (
    typeof r === 'object' &&
    r !== null &&
    Number.isSafeInteger(r.detailId) &&
    Number.isSafeInteger(r.hostId) &&
    typeof r.hostName === 'string' &&
    (r.kind === 'insert' || r.kind === 'update') &&
    (r.name === 'password' || r.name === 'username') &&
    typeof r.written === 'string' &&
    (r.kind === 'insert' ? r.previous === undefined : typeof r.previous === 'string')
  )
}

export function parseBackup(text: string, source: string): PasswordBackup {
  let data: PasswordBackup
  try {
    data = JSON.parse(text) as PasswordBackup
  } catch {
    throw new UsageError(`${source} is not a moldctl host-password backup (not JSON)`)
  }

  if (data?.kind !== BACKUP_KIND || data.version !== 1 || !Array.isArray(data.rows)) {
    throw new UsageError(`${source} is not a moldctl host-password backup`)
  }

  if (data.committed !== undefined && typeof data.committed !== 'boolean')
    throw new UsageError(`${source} is damaged: "committed" is not true or false`)
  if (!['plain', 'V1', 'V2'].includes(data.format) || !data.rows.every((row) => isBackupRow(row))) {
    throw new UsageError(`${source} is damaged: a row lacks its id, host or values`)
  }

  return data
}

export async function readBackupFile(file: string): Promise<PasswordBackup> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    throw new UsageError(code === 'ENOENT' ? `no such backup file: ${file}` : `cannot read ${file}: ${code}`)
  }

  return parseBackup(text, file)
}
