/**
 * `host password rotate|restore --via db`: reach the `cloud` database the way the management
 * server does (db.properties + management key) or through --db-url with the database key
 * given, find the hosts, and run the transactional rotation or restore.
 */
import type {EncryptorVersion} from '../crypto/encryptor.js'
import type {StoredFormat} from './rules.js'

import {UsageError} from '../core/errors.js'
import {decryptDbSecrets, readDbProperties, resolveManagementKey} from '../crypto/db-properties.js'
import {type CloudDb, connectCloudDb, type DbTarget, describeDbTarget, parseDbUrl} from '../db/connection.js'
import {findCluster, findClusterHosts, findHosts, type HostRow} from '../db/hosts.js'
import {readBackupFile} from './backup.js'
import {restoreHostPasswords, rotateHostPasswords} from './db-apply.js'

export interface DbAccessOptions {
  /** MOLDCTL_DB_PASSWORD, for --db-url. */
  dbPassword?: string
  dbPropertiesPath: string
  dbUrl?: string
  /** The key file a `file` install uses (default /etc/cloudstack/management/key). */
  defaultKeyFile?: string
  env: NodeJS.ProcessEnv
  /** --key-file: the management key's file, overriding what db.properties implies. */
  keyFile?: string
  /** The database key, for --db-url (asked only then). */
  readDatabaseKey: () => Promise<string>
}

export interface DbAccess {
  configuredVersion?: EncryptorVersion
  databaseKey?: string
  /** `user@host:port/db` (never a secret). */
  description: string
  target: DbTarget
}

/** Where the database is and which key its values use. */
export async function resolveDbAccess(options: DbAccessOptions): Promise<DbAccess> {
  if (options.dbUrl) {
    const target = parseDbUrl(options.dbUrl, options.dbPassword)
    return {databaseKey: await options.readDatabaseKey(), description: describeDbTarget(target), target}
  }

  const props = await readDbProperties(options.dbPropertiesPath)
  const managementKey =
    props.encryptionType === 'none'
      ? undefined
      : await resolveManagementKey({
          encryptionType: props.encryptionType,
          env: options.env,
          explicitKeyFile: options.keyFile,
          keyFile: options.defaultKeyFile,
        })
  const secrets = await decryptDbSecrets(props, managementKey)
  const target: DbTarget = {
    database: props.database,
    host: props.host,
    password: secrets.dbPassword,
    port: props.port,
    ssl: props.useSsl,
    user: props.username,
  }
  return {
    configuredVersion: props.encryptorVersion,
    databaseKey: secrets.databaseKey,
    description: describeDbTarget(target),
    target,
  }
}

export interface HostPasswordRow {
  action: string
  clustername: null | string
  /** How the new value is stored (db path); null through the API, where the server decides. */
  encryptor: null | StoredFormat
  id: null | string
  ipaddress: string
  name: string
}

async function withDb<T>(access: DbAccess, work: (db: CloudDb) => Promise<T>): Promise<T> {
  const db = await connectCloudDb(access.target)
  try {
    return await work(db)
  } finally {
    await db.end().catch(() => {})
  }
}

async function findTargets(db: CloudDb, hosts: string[], cluster: string | undefined): Promise<HostRow[]> {
  if (cluster && hosts.length > 0) throw new UsageError('name hosts or --cluster, not both')
  if (cluster) return findClusterHosts(db, await findCluster(db, cluster))
  if (hosts.length === 0) throw new UsageError('name the hosts to update, or --cluster')
  return findHosts(db, hosts)
}

export interface DbRotateOptions {
  access: DbAccess
  backupFile: string
  cluster?: string
  dryRun: boolean
  hosts: string[]
  onProgress?: (message: string) => void
  password: string
  requestedVersion?: EncryptorVersion
  username: string
}

export interface DbRotateResult {
  backupFile?: string
  format: StoredFormat
  reason: string
  rows: HostPasswordRow[]
  warnings: string[]
}

export async function rotateViaDb(options: DbRotateOptions): Promise<DbRotateResult> {
  return withDb(options.access, async (db) => {
    const hosts = await findTargets(db, options.hosts, options.cluster)
    options.onProgress?.(`${hosts.length} host(s) found in ${options.access.description}`)
    const outcome = await rotateHostPasswords(db, {
      backupFile: options.backupFile,
      byCluster: Boolean(options.cluster),
      configuredVersion: options.access.configuredVersion,
      database: options.access.description,
      databaseKey: options.access.databaseKey,
      dryRun: options.dryRun,
      hosts,
      onProgress: options.onProgress,
      password: options.password,
      requestedVersion: options.requestedVersion,
      username: options.username,
    })
    const rows = outcome.changes
      .filter((change) => change.name === 'password')
      .map((change) => ({
        action: `${options.dryRun ? 'would be ' : ''}${change.kind === 'update' ? 'updated' : 'added'}`,
        clustername: change.host.clusterName,
        encryptor: outcome.format,
        id: change.host.uuid,
        ipaddress: change.host.ip,
        name: change.host.name,
      }))
    return {
      backupFile: outcome.backupFile,
      format: outcome.format,
      reason: outcome.reason,
      rows,
      warnings: outcome.warnings,
    }
  })
}

export interface RestoredRow {
  action: string
  detail: string
  id: null | string
  name: string
}

export async function restoreViaDb(options: {
  access: DbAccess
  backupFile: string
  dryRun: boolean
}): Promise<{database: string; rows: RestoredRow[]}> {
  const backup = await readBackupFile(options.backupFile)
  return withDb(options.access, async (db) => {
    const outcome = await restoreHostPasswords(db, {
      backup,
      databaseKey: options.access.databaseKey,
      dryRun: options.dryRun,
    })
    const rows = outcome.rows.map((row) => ({
      action: `${options.dryRun ? 'would be ' : ''}${row.kind === 'update' ? 'restored' : 'removed'}`,
      detail: row.name,
      id: row.hostUuid,
      name: row.hostName,
    }))
    return {database: backup.database, rows}
  })
}
