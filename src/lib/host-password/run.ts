import path from 'node:path'

/**
 * What the `host password` and `db` commands share: where their secrets come from (standard
 * input one per line, files, a hidden prompt; never argv), how the db path's flags become a
 * database connection, and the audit line a database change leaves.
 */
import type {MoldClient} from '../api/client.js'
import type {AuditEntry} from '../api/types.js'
import type {Ui} from '../core/ui.js'
import type {Column} from '../output/columns.js'

import {auditLogPath, createAuditWriter} from '../core/audit.js'
import {UsageError} from '../core/errors.js'
import {readSecretFile, StdinLines} from '../core/secret-input.js'
import {parseEncryptorVersion} from '../crypto/encryptor.js'
import {promptSecret} from '../output/prompt.js'
import {defaultBackupPath} from './backup.js'
import {type PlannedCall, rotateViaApi} from './via-api.js'
import {
  type DbAccess,
  type DbRotateResult,
  type HostPasswordRow,
  resolveDbAccess,
  type RestoredRow,
  restoreViaDb,
  rotateViaDb,
} from './via-db.js'

/** Where the new password comes from (neither: typed twice at a terminal). */
export interface PasswordSource {
  passwordFile?: string
  passwordStdin?: boolean
}

/** The new password: from standard input (its next line), a file (first line), or typed twice. */
export async function readNewPassword(
  flags: PasswordSource,
  stdin: StdinLines,
  warn: (message: string) => void,
): Promise<string> {
  if (flags.passwordStdin) return stdin.next('the new password')
  if (flags.passwordFile) return readSecretFile(flags.passwordFile, 'the password', warn)
  const password = await promptSecret('New host password', {stdinFlag: '--password-stdin', twice: true})
  if (password === '') throw new UsageError('the new password is empty')
  return password
}

/** How to reach the database (--db-properties, --db-url, --db-key-file, --key-file). */
export interface DbSource {
  dbKeyFile?: string
  dbProperties: string
  dbUrl?: string
  keyFile?: string
}

/**
 * The database to use and its key. With --db-url the database key comes from --db-key-file or,
 * read first, from the first line of standard input.
 */
export async function dbAccessFrom(
  flags: DbSource,
  stdin: StdinLines,
  warn: (message: string) => void,
): Promise<DbAccess> {
  if (!flags.dbUrl && flags.dbKeyFile) {
    throw new UsageError('--db-key-file goes with --db-url (with db.properties the key comes from there)')
  }

  if (flags.dbUrl && flags.keyFile) {
    throw new UsageError('--key-file goes with db.properties; with --db-url give the database key itself')
  }

  const databaseKey = flags.dbUrl
    ? flags.dbKeyFile
      ? await readSecretFile(flags.dbKeyFile, 'the database key', warn)
      : await stdin.next('the database key')
    : undefined
  return resolveDbAccess({
    dbPassword: process.env.MOLDCTL_DB_PASSWORD,
    dbPropertiesPath: flags.dbProperties,
    dbUrl: flags.dbUrl,
    env: process.env,
    keyFile: flags.keyFile,
    readDatabaseKey: async () => databaseKey!,
  })
}

/** Appends one line to the audit log for a change made straight in the database. */
export function auditDbChange(dataDir: string, entry: Omit<AuditEntry, 'time'>): void {
  const file = auditLogPath(dataDir)
  if (!file) return
  try {
    createAuditWriter(file)({...entry, time: new Date().toISOString()})
  } catch {
    // the change itself is done; a read-only data directory must not turn it into a failure
  }
}

export interface RotateOptions extends DbSource, PasswordSource {
  backup?: string
  cluster?: string
  dryRun: boolean
  encryptor?: string
  updateOnHost: boolean
  username: string
  via: string
}

export interface HostPasswordResult {
  backup?: string
  /** API calls made or, with --dry-run, that would be made (secrets redacted). */
  calls?: PlannedCall[]
  dryRun: boolean
  encryptor?: string
  hosts: HostPasswordRow[]
  via: 'api' | 'db'
  /** Also printed on stderr (except with --json, where oclif keeps stderr quiet). */
  warnings?: string[]
}

export interface CommandContext<F> {
  client: () => Promise<MoldClient>
  dataDir: string
  flags: F
  hosts: string[]
  /** Notes, warnings, debug lines (the steps of a database change) and the confirmation. */
  ui: Ui
}

export function hostPasswordColumns(via: 'api' | 'db'): Column<HostPasswordRow>[] {
  const columns: Column<HostPasswordRow>[] = [
    {key: 'name', shrink: false},
    {key: 'id', shrink: false},
    {key: 'ipaddress', shrink: false},
    {key: 'clustername'},
    {key: 'action', shrink: false},
  ]
  return via === 'db' ? [...columns, {key: 'encryptor'}] : columns
}

/** The options that go with --via db only, and their flags. */
const DB_ONLY_FLAGS = [
  ['backup', 'backup'],
  ['dbKeyFile', 'db-key-file'],
  ['dbUrl', 'db-url'],
  ['encryptor', 'encryptor'],
  ['keyFile', 'key-file'],
] as const

function describeTargets(flags: RotateOptions, hosts: string[]): string {
  return flags.cluster
    ? `every host of cluster ${flags.cluster}`
    : `host${hosts.length > 1 ? 's' : ''} ${hosts.join(', ')}`
}

export async function rotateHostPasswordCommand(
  ctx: CommandContext<RotateOptions>,
): Promise<HostPasswordResult> {
  const {flags} = ctx
  const via = flags.via === 'db' ? 'db' : 'api'
  const {dryRun} = flags
  if (via === 'api') {
    const misplaced = DB_ONLY_FLAGS.filter(([option]) => flags[option] !== undefined)
    if (misplaced.length > 0) throw new UsageError(`--${misplaced[0][1]} goes with --via db`)
  } else if (flags.updateOnHost) {
    throw new UsageError('--update-on-host goes with --via api: the database path cannot reach the hosts')
  }

  if (flags.cluster && ctx.hosts.length > 0) throw new UsageError('name hosts or --cluster, not both')
  if (!flags.cluster && ctx.hosts.length === 0) throw new UsageError('name the hosts to update, or --cluster')
  const stdin = new StdinLines()
  const access = via === 'db' ? await dbAccessFrom(flags, stdin, (line) => ctx.ui.warn(line)) : undefined
  const password = await readNewPassword(flags, stdin, (line) => ctx.ui.warn(line))
  const target = describeTargets(flags, ctx.hosts)
  if (via === 'api') {
    const {passwordRotationWarnings} = await import('./guide-checks.js')
    const warnings = await passwordRotationWarnings(await ctx.client(), {
      cluster: flags.cluster,
      hosts: ctx.hosts,
      updateOnHost: Boolean(flags.updateOnHost),
    })
    for (const line of warnings) ctx.ui.warn(line)
  }

  if (!dryRun) {
    const where = access ? ` in ${access.description}` : ''
    if (!(await ctx.ui.confirm(`Change the stored password of ${target}${where}?`))) {
      throw new UsageError('not confirmed; nothing was changed')
    }
  }

  if (via === 'api') {
    const result = await rotateViaApi(await ctx.client(), {
      cluster: flags.cluster,
      dryRun,
      hosts: ctx.hosts,
      password,
      updateOnHost: flags.updateOnHost,
      username: flags.username,
    })
    if (dryRun) for (const call of result.calls) ctx.ui.note(`would call ${formatCall(call)}`)
    else if (!flags.updateOnHost) {
      ctx.ui.note(
        "Only the stored password was changed: the hosts' own passwords must already be the new one.",
      )
    }

    return {calls: result.calls, dryRun, hosts: result.rows, via}
  }

  return rotateInDatabase(ctx, access!, password, dryRun)
}

function formatCall(call: PlannedCall): string {
  return `${call.command} ${Object.entries(call.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`
}

async function rotateInDatabase(
  ctx: CommandContext<RotateOptions>,
  access: DbAccess,
  password: string,
  dryRun: boolean,
): Promise<HostPasswordResult> {
  const {flags} = ctx
  const backupFile = flags.backup ?? defaultBackupPath(path.join(ctx.dataDir, 'backups'))
  const audit = (outcome: 'error' | 'ok', extra: Record<string, string>, error?: string) =>
    dryRun ||
    auditDbChange(ctx.dataDir, {
      command: 'host password rotate --via db',
      endpoint: `mysql://${access.description}`,
      error,
      outcome,
      params: {
        ...(flags.cluster ? {cluster: flags.cluster} : {hosts: ctx.hosts.join(',')}),
        username: flags.username,
        ...extra,
      },
    })
  let result: DbRotateResult
  const activity = await ctx.ui.activity(`host password rotate: ${access.description}`)
  try {
    result = await rotateViaDb({
      access,
      backupFile,
      cluster: flags.cluster,
      dryRun,
      hosts: ctx.hosts,
      onProgress(line) {
        ctx.ui.debug(line)
        activity.update(line)
      },
      password,
      requestedVersion: parseEncryptorVersion(flags.encryptor),
      username: flags.username,
    })
  } catch (error) {
    activity.fail()
    audit('error', {}, (error as Error).message)
    throw error
  }

  activity.stop()
  audit('ok', {backup: backupFile, encryptor: result.format, rows: String(result.rows.length)})
  for (const warning of result.warnings) ctx.ui.warn(warning)
  ctx.ui.note(`Encryptor ${result.format}: ${result.reason}.`)
  if (result.backupFile)
    ctx.ui.note(
      `Previous values saved to ${result.backupFile} (undo: moldctl host password restore --backup ${result.backupFile}).`,
    )
  if (!dryRun) {
    ctx.ui.note(
      "The hosts' own passwords must already be the new one; the management server uses the new value once each host's agent reconnects.",
    )
  }

  return {
    backup: result.backupFile,
    dryRun,
    encryptor: result.format,
    hosts: result.rows,
    via: 'db',
    warnings: result.warnings,
  }
}

export interface RestoreOptions extends DbSource {
  backup: string
  dryRun: boolean
}

export interface RestoreResult {
  backup: string
  dryRun: boolean
  rows: RestoredRow[]
}

export const restoredColumns: Column<RestoredRow>[] = [
  {key: 'name', shrink: false},
  {key: 'id', shrink: false},
  {key: 'detail'},
  {key: 'action', shrink: false},
]

export async function restoreHostPasswordCommand(
  ctx: Omit<CommandContext<RestoreOptions>, 'client' | 'hosts'>,
) {
  const {flags} = ctx
  const {dryRun} = flags
  const access = await dbAccessFrom(flags, new StdinLines(), (line) => ctx.ui.warn(line))
  if (!dryRun) {
    const question = `Put back the host passwords saved in ${flags.backup} into ${access.description}?`
    if (!(await ctx.ui.confirm(question))) throw new UsageError('not confirmed; nothing was changed')
  }

  const audit = (outcome: 'error' | 'ok', error?: string) =>
    dryRun ||
    auditDbChange(ctx.dataDir, {
      command: 'host password restore',
      endpoint: `mysql://${access.description}`,
      error,
      outcome,
      params: {backup: flags.backup},
    })
  try {
    const {database, rows} = await restoreViaDb({access, backupFile: flags.backup, dryRun})
    audit('ok')
    if (database !== access.description) ctx.ui.warn(`the backup was taken from ${database}`)
    const result: RestoreResult = {backup: flags.backup, dryRun, rows}
    return result
  } catch (error) {
    audit('error', (error as Error).message)
    throw error
  }
}
