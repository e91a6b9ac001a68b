/**
 * Rotating and restoring host passwords in `host_details`, all or nothing: one transaction with
 * the rows locked, the values read back and checked before commit, and the backup of the
 * previous values written before commit. Any failure rolls back, leaving every row as it was.
 */
import type {CloudDb} from '../db/connection.js'
import type {HostRow} from '../db/hosts.js'

import {ConfigError, MoldctlError, UsageError} from '../core/errors.js'
import {AutoDecryptor, type EncryptorVersion} from '../crypto/encryptor.js'
import {
  DEFAULT_BATCH_SIZE,
  deleteDetailRows,
  type DetailRow,
  insertDetailRows,
  readCredentialRows,
  readDetailRowsById,
  samplePasswordValues,
  updateDetailValues,
  valueColumnLength,
} from '../db/host-details.js'
import {
  type BackupRow,
  buildBackup,
  markBackupCommitted,
  type PasswordBackup,
  writeBackupFile,
} from './backup.js'
import {
  checkExistingValues,
  checkHostsSupported,
  checkPasswordFits,
  checkUsernames,
  chooseEncryptor,
  groupCredentials,
  hostLabel,
  plainCodec,
  type PlannedChange,
  planRotation,
  requireKeyMatches,
  type StoredFormat,
  type ValueCodec,
  verifyWrittenRows,
} from './rules.js'

export interface RotationRequest {
  /** Test seam: runs inside the transaction after the writes, before the read-back check. */
  afterWrite?: (db: CloudDb) => Promise<void>
  backupFile: string
  batchSize?: number
  /** Test seam: runs after the backup is written, just before the commit (a crash there). */
  beforeCommit?: (db: CloudDb) => Promise<void>
  byCluster: boolean
  /** db.cloud.encryptor.version, when db.properties was read. */
  configuredVersion?: EncryptorVersion
  /** `user@host:port/db`, recorded in the backup. */
  database: string
  /** The database key; undefined when the install stores values unencrypted (type none). */
  databaseKey?: string
  dryRun?: boolean
  hosts: HostRow[]
  onProgress?: (message: string) => void
  password: string
  requestedVersion?: EncryptorVersion
  username: string
}

export interface RotationOutcome {
  backupFile?: string
  changes: PlannedChange[]
  dryRun: boolean
  format: StoredFormat
  reason: string
  warnings: string[]
}

const SAMPLE_SIZE = 20

async function rollbackQuietly(db: CloudDb): Promise<void> {
  try {
    await db.rollback()
  } catch {
    // the connection may be gone; the server rolls back an unfinished transaction itself
  }
}

/** Picks the codec for the new values after proving the database key against stored values. */
async function chooseCodec(
  db: CloudDb,
  request: RotationRequest,
  passwordRows: DetailRow[],
  credentials: ReturnType<typeof groupCredentials>,
): Promise<{codec: ValueCodec; reason: string; warnings: string[]}> {
  if (request.databaseKey === undefined) {
    return {
      codec: plainCodec,
      reason: 'db.cloud.encryption.type is none: values are stored unencrypted',
      warnings: [],
    }
  }

  const decryptor = await AutoDecryptor.create(request.databaseKey)
  request.onProgress?.(`checking ${passwordRows.length} stored password value(s) against the database key`)
  await decryptor.prepare(passwordRows.map((row) => row.value))
  let check = checkExistingValues(passwordRows, decryptor)
  if (passwordRows.length === 0) {
    // none of these hosts has a password yet: prove the key on other hosts' values
    const sample = await samplePasswordValues(
      db,
      request.hosts.map((h) => h.id),
      SAMPLE_SIZE,
    )
    if (sample.length === 0) {
      throw new ConfigError(
        'there is no stored host password to check the database key against; nothing was changed',
        ['set the first password through the API (--via api)'],
      )
    }

    check = checkExistingValues(
      sample.map((value, i) => ({hostId: -1, id: -1 - i, name: 'password', value})),
      decryptor,
    )
    if (check.decrypted.size === 0) requireKeyMatches(check, [])
  } else {
    requireKeyMatches(check, credentials)
  }

  const choice = chooseEncryptor({
    configured: request.configuredVersion,
    existing: check.decrypted.values(),
    requested: request.requestedVersion,
  })
  const cipher = decryptor.cipher(choice.version)
  if (!cipher) throw new UsageError('the database key is not printable ASCII, so encryptor V1 cannot use it')
  if (choice.version === 'V1') await decryptor.prepareV1Encrypt(request.hosts.length)
  return {codec: {...bind(cipher), format: choice.version}, reason: choice.reason, warnings: choice.warnings}
}

function bind(cipher: {decrypt(v: string): string; encrypt(p: string): string}) {
  return {decrypt: (v: string) => cipher.decrypt(v), encrypt: (p: string) => cipher.encrypt(p)}
}

export async function rotateHostPasswords(db: CloudDb, request: RotationRequest): Promise<RotationOutcome> {
  const {hosts} = request
  if (hosts.length === 0)
    throw new UsageError('no hosts to update (the cluster has no hosts that are not removed)')
  checkHostsSupported(hosts, request.byCluster)
  const batchSize = request.batchSize ?? DEFAULT_BATCH_SIZE
  const dryRun = Boolean(request.dryRun)

  await db.beginTransaction()
  try {
    const rows = await readCredentialRows(
      db,
      hosts.map((h) => h.id),
      {lock: !dryRun},
    )
    const credentials = groupCredentials(hosts, rows)
    const username = checkUsernames(credentials, request.username)
    const passwordRows = credentials.flatMap((c) => (c.password ? [c.password] : []))
    const {codec, reason, warnings} = await chooseCodec(db, request, passwordRows, credentials)
    checkPasswordFits(codec.format, request.password, await valueColumnLength(db))
    request.onProgress?.(`encrypting the new password for ${hosts.length} host(s) with ${codec.format}`)
    const changes = planRotation(credentials, username, request.password, codec)
    if (dryRun) {
      await rollbackQuietly(db)
      return {changes, dryRun, format: codec.format, reason, warnings}
    }

    request.onProgress?.(`writing ${changes.length} row(s) in one transaction`)
    const updates = changes.filter((c) => c.kind === 'update')
    const matched = await updateDetailValues(
      db,
      updates.map((c) => ({id: c.detailId!, value: c.value})),
      batchSize,
    )
    if (matched !== updates.length) {
      throw new MoldctlError(
        `only ${matched} of ${updates.length} rows could be updated; rolled back, nothing was changed`,
      )
    }

    const inserts = changes.filter((c) => c.kind === 'insert')
    if (inserts.length > 0) {
      const added = await insertDetailRows(
        db,
        inserts.map((c) => ({hostId: c.host.id, name: c.name, value: c.value})),
        batchSize,
      )
      const ids = new Map(added.map((row) => [`${row.hostId}/${row.name}`, row.id]))
      for (const change of inserts) change.detailId = ids.get(`${change.host.id}/${change.name}`)
    }

    await request.afterWrite?.(db)
    const ids = changes.flatMap((c) => (c.detailId === undefined ? [] : [c.detailId]))
    const problems = verifyWrittenRows(changes, await readDetailRowsById(db, ids), codec, request.password)
    if (problems.length > 0) {
      throw new MoldctlError(
        `the check after writing failed, so the transaction was rolled back and nothing was changed: ${problems
          .slice(0, 5)
          .join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`,
      )
    }

    // The backup says `committed: false` until the commit went through (a crash or a failed
    // commit in between leaves it so, and restore then says the rotation never committed).
    await writeBackupFile(request.backupFile, buildBackup(changes, codec.format, request.database))
    await request.beforeCommit?.(db)
    await commitOrExplain(db, request.backupFile)
    try {
      await markBackupCommitted(request.backupFile)
    } catch (error) {
      warnings.push(
        `the rotation was committed, but its backup ${request.backupFile} could not be marked so: ${(error as Error).message}`,
      )
    }

    return {backupFile: request.backupFile, changes, dryRun, format: codec.format, reason, warnings}
  } catch (error) {
    await rollbackQuietly(db)
    throw error
  }
}

async function commitOrExplain(db: CloudDb, backupFile: string): Promise<void> {
  try {
    await db.commit()
  } catch (error) {
    throw new MoldctlError(
      `the commit failed (${(error as Error).message}); the database normally rolls the change back, but check it: the previous values are in ${backupFile}`,
    )
  }
}

export interface RestoreRequest {
  afterWrite?: (db: CloudDb) => Promise<void>
  backup: PasswordBackup
  batchSize?: number
  databaseKey?: string
  dryRun?: boolean
}

export interface RestoreOutcome {
  dryRun: boolean
  rows: BackupRow[]
}

function rowLabel(row: BackupRow): string {
  return `${row.name} of ${hostLabel({name: row.hostName, uuid: row.hostUuid})}`
}

/** The previous values must decrypt with the database key (which proves the key, too). */
async function checkPreviousValues(backup: PasswordBackup, databaseKey: string | undefined): Promise<void> {
  if (backup.format === 'plain') return
  if (databaseKey === undefined) {
    throw new ConfigError('the backup holds encrypted values: the database key is needed to check them')
  }

  const previous = backup.rows.filter((row) => row.name === 'password' && row.previous !== undefined)
  const decryptor = await AutoDecryptor.create(databaseKey)
  const failed = previous.filter((row) => !decryptor.tryDecrypt(row.previous!))
  if (failed.length > 0 && failed.length === previous.length) {
    throw new ConfigError('the database key does not decrypt the backed-up values: wrong key?')
  }

  if (failed.length > 0) {
    throw new MoldctlError(
      `some backed-up values do not decrypt with the database key: ${failed.map((row) => rowLabel(row)).join(', ')}; nothing was changed`,
    )
  }
}

/** Puts back the values a rotation replaced and removes the rows it added. */
export async function restoreHostPasswords(db: CloudDb, request: RestoreRequest): Promise<RestoreOutcome> {
  const {backup} = request
  const dryRun = Boolean(request.dryRun)
  const batchSize = request.batchSize ?? DEFAULT_BATCH_SIZE
  if (backup.rows.length === 0) throw new UsageError('the backup file lists no rows')
  await checkPreviousValues(backup, request.databaseKey)

  await db.beginTransaction()
  try {
    const ids = backup.rows.map((row) => row.detailId)
    const now = new Map((await readDetailRowsById(db, ids, {lock: !dryRun})).map((row) => [row.id, row]))
    const changedSince = backup.rows.filter((row) => {
      const current = now.get(row.detailId)
      return !current || current.value !== row.written || current.hostId !== row.hostId
    })
    // None holds what was written and the backup was never marked committed: the rotation's
    // transaction never went through (a crash or failed commit after the backup was written).
    if (changedSince.length === backup.rows.length && backup.committed === false) {
      throw new MoldctlError(
        `this rotation was never committed (its backup was written, then the transaction was rolled back or the run stopped before the commit): the database does not hold its values, so there is nothing to restore; nothing was changed`,
      )
    }

    if (changedSince.length > 0) {
      throw new MoldctlError(
        `${changedSince.length} row(s) no longer hold the value the rotation wrote (changed or removed since): ${changedSince
          .slice(0, 10)
          .map((row) => rowLabel(row))
          .join(', ')}; nothing was changed`,
      )
    }

    if (dryRun) {
      await rollbackQuietly(db)
      return {dryRun, rows: backup.rows}
    }

    const updates = backup.rows.filter((row) => row.kind === 'update')
    const matched = await updateDetailValues(
      db,
      updates.map((row) => ({id: row.detailId, value: row.previous!})),
      batchSize,
    )
    const inserted = backup.rows.filter((row) => row.kind === 'insert').map((row) => row.detailId)
    const deleted = await deleteDetailRows(db, inserted, batchSize)
    if (matched !== updates.length || deleted !== inserted.length) {
      throw new MoldctlError('some rows could not be restored; rolled back, nothing was changed')
    }

    await request.afterWrite?.(db)
    const after = new Map((await readDetailRowsById(db, ids)).map((row) => [row.id, row]))
    const wrong = backup.rows.filter((row) =>
      row.kind === 'insert' ? after.has(row.detailId) : after.get(row.detailId)?.value !== row.previous,
    )
    if (wrong.length > 0) {
      throw new MoldctlError(
        `the check after restoring failed for ${wrong.map((row) => rowLabel(row)).join(', ')}; rolled back, nothing was changed`,
      )
    }

    await db.commit()
    return {dryRun, rows: backup.rows}
  } catch (error) {
    await rollbackQuietly(db)
    throw error
  }
}
