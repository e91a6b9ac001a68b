/**
 * What the management server reads from `db.properties` and its key to reach the `cloud`
 * database: connection settings, the database key (`db.cloud.encrypt.secret`) and the
 * encryptor version. `ENC(...)` values are encrypted with the management-server key, which
 * comes from the `key` file (first line), `CLOUD_SECRET_KEY`, or the operator.
 */
import {readFile} from 'node:fs/promises'

import {ConfigError} from '../core/errors.js'
import {
  AutoDecryptor,
  type EncryptorVersion,
  isEncWrapped,
  parseEncryptorVersion,
  unwrapEnc,
} from './encryptor.js'
import {parseJavaProperties} from './java-properties.js'

export const DEFAULT_DB_PROPERTIES = '/etc/cloudstack/management/db.properties'
export const DEFAULT_KEY_FILE = '/etc/cloudstack/management/key'

export type EncryptionType = 'env' | 'file' | 'none' | 'web'

export type CloudDbProperties = {
  database: string
  encryptionType: EncryptionType
  /** `db.cloud.encryptor.version`; undefined means "auto". */
  encryptorVersion?: EncryptorVersion
  /** `db.cloud.encrypt.secret` as written (normally `ENC(...)`). */
  encryptSecret?: string
  host: string
  /** `db.cloud.password` as written (plain or `ENC(...)`). */
  password: string
  port: number
  username: string
  useSsl: boolean
}

/** host, port and database out of `jdbc:mysql://h1[,h2]:port/name?params` (`db.cloud.uri`). */
function parseJdbcUri(uri: string): {database?: string; host?: string; port?: number} {
  const match = /^(?:jdbc:)?[a-z]+:\/\/([^/?]*)(?:\/([^?]*))?/i.exec(uri.trim())
  if (!match) throw new ConfigError(`db.cloud.uri is not a JDBC URL: ${uri}`)
  const [firstHost] = match[1].split(',', 1)
  const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(firstHost)
  return {
    database: match[2] || undefined,
    host: hostPort?.[1].replaceAll(/^\[|\]$/g, ''),
    port: hostPort?.[2] ? Number(hostPort[2]) : undefined,
  }
}

function parseEncryptionType(value: string | undefined): EncryptionType {
  const type = (value ?? '').trim().toLowerCase()
  if (type === '' || type === 'none') return 'none'
  if (type === 'file' || type === 'env' || type === 'web') return type
  throw new ConfigError(`db.cloud.encryption.type "${value}" is not one of file, env, web, none`)
}

/** The `db.cloud.*` settings, from the bytes of a db.properties file. */
export function parseDbProperties(content: Buffer | string, source = 'db.properties'): CloudDbProperties {
  let props: Record<string, string>
  try {
    props = parseJavaProperties(content)
  } catch (error) {
    throw new ConfigError(`${source}: ${(error as Error).message}`)
  }

  let encryptorVersion: EncryptorVersion | undefined
  try {
    encryptorVersion = parseEncryptorVersion(props['db.cloud.encryptor.version'])
  } catch (error) {
    throw new ConfigError(`${source}: db.cloud.encryptor.version: ${(error as Error).message}`)
  }

  const fromUri = props['db.cloud.uri'] ? parseJdbcUri(props['db.cloud.uri']) : {}
  const portText = props['db.cloud.port']?.trim()
  const port = fromUri.port ?? (portText ? Number(portText) : 3306)
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new ConfigError(`${source}: db.cloud.port "${portText}" is not a port number`)
  }

  const username = props['db.cloud.username']
  if (!username) throw new ConfigError(`${source} has no db.cloud.username`)
  return {
    database: fromUri.database ?? (props['db.cloud.name']?.trim() || 'cloud'),
    encryptionType: parseEncryptionType(props['db.cloud.encryption.type']),
    encryptorVersion,
    encryptSecret: props['db.cloud.encrypt.secret'],
    host: fromUri.host ?? (props['db.cloud.host']?.trim() || 'localhost'),
    password: props['db.cloud.password'] ?? '',
    port,
    username,
    useSsl: (props['db.cloud.useSSL'] ?? '').trim().toLowerCase() === 'true',
  }
}

function describeReadError(path: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `${path} does not exist`
  if (error.code === 'EACCES') return `${path} is not readable by this user (it normally needs root)`
  return `cannot read ${path}: ${error.message}`
}

export async function readDbProperties(path: string): Promise<CloudDbProperties> {
  let content: Buffer
  try {
    content = await readFile(path)
  } catch (error) {
    throw new ConfigError(describeReadError(path, error as NodeJS.ErrnoException), [
      "point --db-properties at the management server's db.properties, or use --db-url with the database key on stdin",
    ])
  }

  return parseDbProperties(content, path)
}

/**
 * The management key as the server reads its `key` file: the first line, without its line
 * break, not trimmed, and not empty.
 */
export function firstLineOfKeyFile(content: string, path: string): string {
  const line = content.split(/\r\n|\r|\n/, 1)[0]
  if (line.length === 0)
    throw new ConfigError(`the key file ${path} is empty (the management key is its first line)`)
  return line
}

export async function readKeyFile(path: string): Promise<string> {
  let content: string
  try {
    content = await readFile(path, 'utf8')
  } catch (error) {
    throw new ConfigError(describeReadError(path, error as NodeJS.ErrnoException), [
      'on ABLESTACK Mold installs that keep only key.enc, give the management key in CLOUD_SECRET_KEY',
    ])
  }

  return firstLineOfKeyFile(content, path)
}

export type ManagementKey = {
  key: string
  /** Where it came from, for messages (never the key itself). */
  source: string
}

/**
 * Finds the management key the way the server would for `db.cloud.encryption.type`, with the
 * operator's explicit `--key-file` first. `CLOUD_SECRET_KEY` also stands in when the key file
 * of a `file` install is missing (Mold can keep only an encrypted `key.enc` at rest).
 */
export async function resolveManagementKey(options: {
  encryptionType: EncryptionType
  env: NodeJS.ProcessEnv
  explicitKeyFile?: string
  keyFile?: string
}): Promise<ManagementKey> {
  const fromEnv = options.env.CLOUD_SECRET_KEY
  if (options.explicitKeyFile) {
    return {key: await readKeyFile(options.explicitKeyFile), source: options.explicitKeyFile}
  }

  switch (options.encryptionType) {
    case 'env':
    case 'web': {
      if (fromEnv) return {key: fromEnv, source: 'CLOUD_SECRET_KEY'}
      throw new ConfigError(
        options.encryptionType === 'env'
          ? 'db.cloud.encryption.type is env but CLOUD_SECRET_KEY is not set'
          : 'db.cloud.encryption.type is web: the management key is typed in at server start-up, not stored',
        ['give the management key in CLOUD_SECRET_KEY or with --key-file'],
      )
    }

    case 'file': {
      const path = options.keyFile ?? DEFAULT_KEY_FILE
      try {
        return {key: await readKeyFile(path), source: path}
      } catch (error) {
        if (fromEnv) return {key: fromEnv, source: 'CLOUD_SECRET_KEY'}
        throw error
      }
    }

    case 'none': {
      throw new ConfigError('db.cloud.encryption.type is none: there is no management key to read')
    }
  }
}

export type CloudDbSecrets = {
  /** The key of every encrypted column value; undefined when encryption is off (type none). */
  databaseKey?: string
  dbPassword: string
}

/** Decrypts `db.cloud.password` (if `ENC(...)`) and `db.cloud.encrypt.secret`, each V2 then V1. */
export async function decryptDbSecrets(
  props: CloudDbProperties,
  managementKey?: ManagementKey,
): Promise<CloudDbSecrets> {
  if (props.encryptionType === 'none') return {dbPassword: props.password}
  if (!managementKey) throw new ConfigError('a management key is needed to read db.properties')
  const decryptor = await AutoDecryptor.create(managementKey.key)
  const decryptProperty = (name: string, value: string): string => {
    if (!isEncWrapped(value)) return value
    const result = decryptor.tryDecrypt(unwrapEnc(value))
    if (!result) {
      throw new ConfigError(`the management key from ${managementKey.source} does not decrypt ${name}`, [
        'check the key file (its first line is the key) or CLOUD_SECRET_KEY',
      ])
    }

    return result.plaintext
  }

  if (!props.encryptSecret) throw new ConfigError('db.properties has no db.cloud.encrypt.secret')
  return {
    databaseKey: decryptProperty('db.cloud.encrypt.secret', props.encryptSecret),
    dbPassword: decryptProperty('db.cloud.password', props.password),
  }
}
