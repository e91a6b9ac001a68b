/**
 * Connections to the `cloud` database (mysql2, imported only here and only when connecting).
 * The database password never travels on the command line: it comes from db.properties or the
 * environment, and it appears in no message.
 */
import type {Connection} from 'mysql2/promise'

import {ConfigError, MoldctlError, UsageError} from '../core/errors.js'

export type CloudDb = Connection

export interface DbTarget {
  database: string
  host: string
  password?: string
  port: number
  ssl?: boolean
  user: string
}

/** `user@host:port/database`, for messages (never the password). */
export function describeDbTarget(target: DbTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host
  return `${target.user}@${host}:${target.port}/${target.database}`
}

/**
 * `mysql://user@host[:port][/database]`. A password inside the URL is refused, because a URL
 * given as a flag sits in the shell history and the process list; it comes from `password`
 * (the MOLDCTL_DB_PASSWORD environment variable) instead.
 */
export function parseDbUrl(url: string, password?: string): DbTarget {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UsageError('--db-url is not a URL; expected mysql://USER@HOST[:PORT][/DATABASE]')
  }

  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new UsageError(`--db-url must start with mysql:// (got ${parsed.protocol}//)`)
  }

  if (parsed.password) {
    throw new UsageError('--db-url must not contain the database password', [
      'put it in the MOLDCTL_DB_PASSWORD environment variable instead',
    ])
  }

  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'cloud'
  return {
    database,
    host: parsed.hostname.replaceAll(/^\[|\]$/g, '') || '127.0.0.1',
    password,
    port: parsed.port ? Number(parsed.port) : 3306,
    ssl: parsed.searchParams.get('ssl') === 'true',
    user: decodeURIComponent(parsed.username) || 'root',
  }
}

interface MysqlError extends Error {
  code?: string
}

export async function connectCloudDb(target: DbTarget): Promise<CloudDb> {
  const mysql = await import('mysql2/promise')
  try {
    return await mysql.createConnection({
      charset: 'utf8mb4',
      connectTimeout: 10_000,
      database: target.database,
      host: target.host,
      password: target.password,
      port: target.port,
      ssl: target.ssl ? {} : undefined,
      supportBigNumbers: true,
      user: target.user,
    })
  } catch (error) {
    const {code, message} = error as MysqlError
    const where = describeDbTarget(target)
    if (
      code === 'ER_ACCESS_DENIED_ERROR' ||
      code === 'ER_DBACCESS_DENIED_ERROR' ||
      code === 'ER_BAD_DB_ERROR'
    ) {
      throw new ConfigError(`cannot use the database ${where}: ${message}`)
    }

    throw new MoldctlError(`cannot connect to the database ${where}: ${message || code}`)
  }
}
