/**
 * The host-password rotation, as pure decisions over rows already read: is the database key
 * right, which encryptor to write with, does the password fit, what every row becomes, and
 * whether what the database holds afterwards is exactly that. The transactional part that
 * reads and writes is in db-apply.ts.
 */
import type {HostRow} from '../db/hosts.js'

import {ConfigError, MoldctlError, UsageError} from '../core/errors.js'
import {
  AutoDecryptor,
  encryptedLength,
  type EncryptorVersion,
  maxPlaintextBytes,
} from '../crypto/encryptor.js'
import {type CredentialName, type DetailRow} from '../db/host-details.js'

/** How `host_details.password` values are stored: encrypted V1/V2, or plain (encryption type none). */
export type StoredFormat = 'plain' | EncryptorVersion

/** Encrypts and decrypts stored values in one format, with one key. */
export interface ValueCodec {
  decrypt(value: string): string
  encrypt(plaintext: string): string
  readonly format: StoredFormat
}

export const plainCodec: ValueCodec = {
  decrypt: (value) => value,
  encrypt: (plaintext) => plaintext,
  format: 'plain',
}

export const SUPPORTED_HYPERVISORS = ['KVM', 'XenServer']

export interface HostCredentials {
  host: HostRow
  password?: DetailRow
  username?: DetailRow
}

/** Pairs each host with its `username` and `password` rows. */
export function groupCredentials(hosts: HostRow[], rows: DetailRow[]): HostCredentials[] {
  const byHost = new Map<number, HostCredentials>(hosts.map((host) => [host.id, {host}]))
  for (const row of rows) {
    const entry = byHost.get(row.hostId)
    if (entry) entry[row.name] = row
  }

  return [...byHost.values()]
}

export function hostLabel(host: {ip?: string; name: string; uuid: null | string}): string {
  return `${host.name} (${host.uuid ?? 'no uuid'})`
}

/** The server's rules for updateHostPassword, applied before anything is written. */
export function checkHostsSupported(hosts: HostRow[], byCluster: boolean): void {
  const unsupported = hosts.filter((h) => !SUPPORTED_HYPERVISORS.includes(h.hypervisor ?? ''))
  if (unsupported.length > 0) {
    throw new UsageError(
      `host passwords are kept by the management server only for KVM and XenServer hosts: ${unsupported
        .map((h) => `${hostLabel(h)} is ${h.hypervisor ?? 'of no hypervisor'}`)
        .join('; ')}`,
    )
  }

  const xen = hosts.filter((h) => h.hypervisor === 'XenServer')
  if (!byCluster && xen.length > 0) {
    throw new UsageError(
      `XenServer hosts share one pool password, so they are updated per cluster: ${xen.map((h) => hostLabel(h)).join(', ')}`,
      ['use --cluster'],
    )
  }
}

/**
 * Like the server, the username given must be the one already stored for every host (the
 * server compares it with its whitespace removed). A host with no username row gets one.
 */
export function checkUsernames(credentials: HostCredentials[], username: string): string {
  const normalized = username.replaceAll(/\s/g, '')
  if (normalized === '') throw new UsageError('the username must not be empty')
  const different = credentials.filter((c) => c.username && c.username.value !== normalized)
  if (different.length > 0) {
    throw new UsageError(
      `the username is not "${normalized}" on every host: ${different
        .map((c) => `${hostLabel(c.host)} has "${c.username!.value}"`)
        .join('; ')}`,
      ['rotate those hosts separately with their own --username'],
    )
  }

  return normalized
}

export interface ExistingValueCheck {
  /** Detail ids of the values that decrypt, with the version each decrypts with. */
  decrypted: Map<number, EncryptorVersion>
  /** Detail ids of the values that decrypt with neither V2 nor V1. */
  undecryptable: number[]
}

/** Tries every existing password value with the database key, in CloudStack's V2-then-V1 order. */
export function checkExistingValues(rows: DetailRow[], decryptor: AutoDecryptor): ExistingValueCheck {
  const decrypted = new Map<number, EncryptorVersion>()
  const undecryptable: number[] = []
  for (const row of rows) {
    const result = decryptor.tryDecrypt(row.value)
    if (result) decrypted.set(row.id, result.version)
    else undecryptable.push(row.id)
  }

  return {decrypted, undecryptable}
}

/**
 * Refuses unless the key is shown right: when no value decrypts the key is wrong; when only
 * some do, those rows were written some other way and overwriting them blind is not safe.
 */
export function requireKeyMatches(check: ExistingValueCheck, credentials: HostCredentials[]): void {
  if (check.decrypted.size === 0 && check.undecryptable.length > 0) {
    throw new ConfigError('the database key does not decrypt any existing host password value: wrong key?', [
      'the database key is db.cloud.encrypt.secret decrypted with the management key, not the management key itself',
    ])
  }

  if (check.undecryptable.length > 0) {
    const bad = new Set(check.undecryptable)
    const hosts = credentials
      .filter((c) => c.password && bad.has(c.password.id))
      .map((c) => hostLabel(c.host))
    throw new MoldctlError(
      `the stored password of ${hosts.length} host(s) does not decrypt with the database key: ${hosts.join(', ')}; nothing was changed`,
      {suggestions: ['leave those hosts out, or set their password through the API (--via api)']},
    )
  }
}

export interface EncryptorChoice {
  reason: string
  version: EncryptorVersion
  warnings: string[]
}

/**
 * The encryptor for the new values: `--encryptor`, else db.properties'
 * `db.cloud.encryptor.version`, else the one the existing values use, else V2 (CloudStack's
 * default for new values). One run never writes both versions.
 */
export function chooseEncryptor(options: {
  configured?: EncryptorVersion
  existing: Iterable<EncryptorVersion>
  requested?: EncryptorVersion
}): EncryptorChoice {
  const {configured, requested} = options
  const existing = new Set(options.existing)
  const warnings: string[] = []
  if (requested && configured && requested !== configured) {
    throw new UsageError(
      `--encryptor ${requested.toLowerCase()} contradicts db.cloud.encryptor.version=${configured} in db.properties: the management server could not read the new values`,
    )
  }

  if (requested) {
    const other = [...existing].filter((v) => v !== requested)
    if (other.length > 0 && !configured) {
      warnings.push(
        `existing password values use ${other.join(' and ')}; with db.cloud.encryptor.version unset the management server reads only one version, so make sure it is ${requested}`,
      )
    }

    return {reason: '--encryptor', version: requested, warnings}
  }

  if (configured)
    return {reason: 'db.cloud.encryptor.version in db.properties', version: configured, warnings}
  if (existing.size > 1) {
    throw new UsageError(
      'the existing password values use both V1 and V2; say which to write with --encryptor',
    )
  }

  if (existing.size === 1) {
    const [version] = existing
    return {reason: 'the version the existing values use', version, warnings}
  }

  return {reason: "no existing value to follow: CloudStack's default", version: 'V2', warnings}
}

/** Refuses a password whose stored form would not fit the column, before anything is written. */
export function checkPasswordFits(format: StoredFormat, password: string, columnLength: number): void {
  if (password.length === 0) throw new UsageError('the new password is empty')
  const length = format === 'plain' ? [...password].length : encryptedLength(format, password)
  if (length <= columnLength) return
  const limit =
    format === 'plain'
      ? `${columnLength} characters`
      : `${maxPlaintextBytes(format, columnLength)} UTF-8 bytes once encrypted with ${format}`
  throw new UsageError(
    `the new password is too long for host_details.value (varchar(${columnLength})): at most ${limit}`,
  )
}

export interface PlannedChange {
  detailId?: number
  host: HostRow
  kind: 'insert' | 'update'
  name: CredentialName
  previous?: string
  value: string
}

/**
 * What every row becomes. As the server does, a host with no username row gets both rows; a
 * password value is encrypted afresh for each host (own salt or nonce).
 */
export function planRotation(
  credentials: HostCredentials[],
  username: string,
  password: string,
  codec: ValueCodec,
) {
  const changes: PlannedChange[] = []
  for (const {host, password: passwordRow, username: usernameRow} of credentials) {
    if (!usernameRow) changes.push({host, kind: 'insert', name: 'username', value: username})
    changes.push(
      passwordRow
        ? {
            detailId: passwordRow.id,
            host,
            kind: 'update',
            name: 'password',
            previous: passwordRow.value,
            value: codec.encrypt(password),
          }
        : {host, kind: 'insert', name: 'password', value: codec.encrypt(password)},
    )
  }

  return changes
}

/**
 * Compares what the database holds after the writes with the plan: every row present, holding
 * exactly the value written, and every password value decrypting to the new password.
 * Returns one line per problem (no values in them); empty means verified.
 */
export function verifyWrittenRows(
  changes: PlannedChange[],
  rowsNow: DetailRow[],
  codec: ValueCodec,
  password: string,
): string[] {
  const byId = new Map(rowsNow.map((row) => [row.id, row]))
  const byHostAndName = new Map(rowsNow.map((row) => [`${row.hostId}/${row.name}`, row]))
  const problems: string[] = []
  for (const change of changes) {
    const row =
      change.detailId === undefined
        ? byHostAndName.get(`${change.host.id}/${change.name}`)
        : byId.get(change.detailId)
    const where = `${change.name} of ${hostLabel(change.host)}`
    if (!row) {
      problems.push(`${where}: row missing after the write`)
      continue
    }

    if (row.value !== change.value) {
      problems.push(`${where}: the database holds a different value than was written`)
      continue
    }

    if (change.name === 'password') {
      let decrypted: string | undefined
      try {
        decrypted = codec.decrypt(row.value)
      } catch {
        decrypted = undefined
      }

      if (decrypted !== password)
        problems.push(`${where}: the value read back does not decrypt to the new password`)
    }
  }

  return problems
}
