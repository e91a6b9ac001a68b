/**
 * Scratch copies of the `cloud` schema subset in MariaDB/MySQL for tests and benchmarks: each
 * gets its own uniquely named database, created from test/fixtures/cloud-schema-subset.sql
 * and dropped afterwards. Server: MOLDCTL_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306).
 *
 * Nothing here may keep a test process alive or leave a database behind:
 * - a file's database suite is skipped, with the reason, when no server answers within a few
 *   seconds (`dbSkipReason`); MOLDCTL_TEST_DB_REQUIRED=1 makes that a failure instead (CI);
 * - a failed creation drops what it made and closes its connections;
 * - `drop()` ends other sessions still using the database (a failed test may leave one holding
 *   a lock that would make DROP DATABASE wait for ever), drops it and closes the connection,
 *   also when something fails on the way; calling it again does nothing;
 * - on SIGINT/SIGTERM/SIGHUP the databases still open are dropped before the process exits,
 *   and a database left by a process that no longer exists (killed with SIGKILL) is dropped by
 *   the next run.
 */
import type {Connection, ConnectionOptions} from 'mysql2/promise'

import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {FIXTURES_DIR} from './fixtures.js'

export const TEST_MYSQL_URL = process.env.MOLDCTL_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'

/** How long to wait for the server to answer before the database tests are skipped. */
const CONNECT_TIMEOUT_MS = 3000
const NAME_PREFIX = 'moldctl_test_'

export interface ScratchDb {
  conn: Connection
  /** Drops the database and closes `conn`; safe to call more than once. */
  drop(): Promise<void>
  host: string
  name: string
  password: string
  port: number
  /** mysql://user@host:port/name (no password: give it via MOLDCTL_DB_PASSWORD). */
  url: string
  user: string
}

function serverOptions(): ConnectionOptions & {host: string; password: string; port: number; user: string} {
  const server = new URL(TEST_MYSQL_URL)
  return {
    connectTimeout: CONNECT_TIMEOUT_MS,
    host: server.hostname,
    password: decodeURIComponent(server.password),
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username) || 'root',
  }
}

/** The URL without its password, for messages. */
function describeServer(): string {
  const url = new URL(TEST_MYSQL_URL)
  url.password = ''
  return url.toString()
}

async function connect(options: ConnectionOptions): Promise<Connection> {
  const mysql = await import('mysql2/promise')
  const conn = await mysql.createConnection(options)
  // A connection lost later must fail the queries using it, never crash or hold the process.
  conn.on('error', () => {})
  return conn
}

/** Ends a connection, or destroys it when the server does not answer the goodbye in time. */
async function close(conn: Connection): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CONNECT_TIMEOUT_MS)
  })
  const outcome = await Promise.race([conn.end().then(() => 'ended' as const), timeout]).catch(() => 'failed')
  clearTimeout(timer)
  if (outcome !== 'ended') conn.destroy()
}

let probe: Promise<false | string> | undefined

/**
 * False when the test server answers, else why the database tests are skipped (give it to
 * `describe(..., {skip})`). Throws instead when MOLDCTL_TEST_DB_REQUIRED=1.
 */
export function dbSkipReason(): Promise<false | string> {
  probe ??= (async () => {
    try {
      const conn = await connect(serverOptions())
      await close(conn)
      return false as const
    } catch (error) {
      const {code, message} = error as {code?: string; message?: string}
      const reason =
        `no MariaDB/MySQL answers at ${describeServer()} (${code ?? message ?? 'no answer'}); ` +
        'set MOLDCTL_TEST_MYSQL_URL to a server where the tests may create databases'
      if (process.env.MOLDCTL_TEST_DB_REQUIRED === '1')
        throw new Error(`${reason} (MOLDCTL_TEST_DB_REQUIRED=1)`)
      return reason
    }
  })()
  return probe
}

const open = new Set<ScratchDb>()
let guarded = false

/** Drops, on the way out, what a signal would otherwise leave behind. */
function guardProcess(): void {
  if (guarded) return
  guarded = true
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => {
      const drops = Promise.allSettled([...open].map((db) => db.drop()))
      const cap = new Promise((resolve) => {
        setTimeout(resolve, 2 * CONNECT_TIMEOUT_MS).unref()
      })
      Promise.race([drops, cap]).finally(() => process.exit(code))
    })
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Databases of earlier runs whose process is gone (killed before it could drop them). */
async function dropOrphans(admin: Connection): Promise<void> {
  const [rows] = await admin.query<import('mysql2/promise').RowDataPacket[]>(
    `SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '${NAME_PREFIX}%'`,
  )
  for (const {name} of rows as Array<{name: string}>) {
    const pid = Number(/^moldctl_test_(\d+)_[0-9a-f]+$/.exec(name)?.[1])
    if (pid && pid !== process.pid && !isAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``)
  }
}

/** Ends every other session using the database, so that dropping it cannot wait on a lock. */
async function endOtherSessions(admin: Connection, name: string): Promise<void> {
  const [rows] = await admin.query<import('mysql2/promise').RowDataPacket[]>(
    'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
    [name],
  )
  for (const {id} of rows as Array<{id: number}>) await admin.query(`KILL ${Number(id)}`).catch(() => {})
}

export async function createScratchCloudDb(): Promise<ScratchDb> {
  const options = serverOptions()
  const name = `${NAME_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`
  guardProcess()
  const admin = await connect({...options, multipleStatements: true})
  let created = false
  let conn: Connection | undefined
  try {
    await dropOrphans(admin)
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8`)
    created = true
    conn = await connect({...options, database: name, multipleStatements: true})
    await conn.query(readFileSync(path.join(FIXTURES_DIR, 'cloud-schema-subset.sql'), 'utf8'))
  } catch (error) {
    if (conn) await close(conn)
    if (created) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => {})
    await close(admin)
    throw error
  }

  await close(admin)
  const userPart = encodeURIComponent(options.user)
  const session = conn
  let dropping: Promise<void> | undefined
  const scratch: ScratchDb = {
    conn: session,
    drop() {
      dropping ??= (async () => {
        await close(session)
        const dropper = await connect(options)
        try {
          await endOtherSessions(dropper, name)
          await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``)
        } finally {
          open.delete(scratch)
          await close(dropper)
        }
      })()
      return dropping
    },
    host: options.host,
    name,
    password: options.password,
    port: options.port,
    url: `mysql://${userPart}@${options.host}:${options.port}/${name}`,
    user: options.user,
  }
  open.add(scratch)
  return scratch
}

export interface SeedHost {
  id: number
  ip: string
  name: string
  uuid: string
}

export interface SeedOptions {
  clusterName: string
  /** Hypervisor of the cluster and its hosts (default KVM). */
  hypervisor?: string
  /** Host ids start after this (lets several clusters share one database). */
  idOffset?: number
  /** Stored host_details.password value of host i (undefined: no row). */
  passwordValue: (index: number) => string | undefined
  pod?: number
  size: number
  /** Stored username of host i (undefined: no row); default "root". */
  username?: (index: number) => string | undefined
}

/** One zone and pod (made once), a cluster, and its hosts with their credential rows. */
export async function seedCluster(
  conn: Connection,
  options: SeedOptions,
): Promise<{clusterId: number; clusterUuid: string; hosts: SeedHost[]}> {
  const pod = options.pod ?? 1
  const hypervisor = options.hypervisor ?? 'KVM'
  const offset = options.idOffset ?? 0
  await conn.query(
    `INSERT IGNORE INTO data_center (id, name, uuid, dns1, internal_dns1, networktype) VALUES (1, 'zone1', 'z-0001', '8.8.8.8', '10.0.0.1', 'Advanced')`,
  )
  await conn.query(
    `INSERT IGNORE INTO host_pod_ref (id, name, uuid, data_center_id, gateway, cidr_address, cidr_size) VALUES (?, ?, ?, 1, '10.0.0.1', '10.0.0.0', 24)`,
    [pod, `pod${pod}`, `p-000${pod}`],
  )
  const clusterUuid = `c-${options.clusterName}-${randomBytes(3).toString('hex')}`
  const [cluster] = await conn.query<import('mysql2/promise').ResultSetHeader>(
    `INSERT INTO cluster (name, uuid, pod_id, data_center_id, hypervisor_type) VALUES (?, ?, ?, 1, ?)`,
    [options.clusterName, clusterUuid, pod, hypervisor],
  )
  const clusterId = cluster.insertId
  const hosts: SeedHost[] = Array.from({length: options.size}, (_, i) => {
    const id = offset + i + 1
    return {
      id,
      ip: `10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`,
      name: `${options.clusterName}-host${i + 1}`,
      uuid: `h-${clusterUuid}-${i + 1}`,
    }
  })
  const usernameOf = options.username ?? (() => 'root')
  for (let start = 0; start < hosts.length; start += 1000) {
    const batch = hosts.slice(start, start + 1000)
    await conn.query(
      `INSERT INTO host (id, name, uuid, status, type, private_ip_address, cluster_id, data_center_id, pod_id, hypervisor_type, version, dom0_memory, last_ping, resource_state) VALUES ?`,
      [
        batch.map((h) => [
          h.id,
          h.name,
          h.uuid,
          'Up',
          'Routing',
          h.ip,
          clusterId,
          1,
          pod,
          hypervisor,
          '4.22.0.0',
          0,
          0,
          'Enabled',
        ]),
      ],
    )
    const details: Array<[number, string, string]> = []
    for (const [j, h] of batch.entries()) {
      const username = usernameOf(start + j)
      const password = options.passwordValue(start + j)
      if (username !== undefined) details.push([h.id, 'username', username])
      if (password !== undefined) details.push([h.id, 'password', password])
    }

    if (details.length > 0)
      await conn.query('INSERT INTO host_details (host_id, name, value) VALUES ?', [details])
  }

  return {clusterId, clusterUuid, hosts}
}

/** Every host_details row, for before/after comparisons. */
export async function snapshotHostDetails(
  conn: Connection,
): Promise<Array<{host_id: number; id: number; name: string; value: string}>> {
  const [rows] = await conn.query('SELECT id, host_id, name, value FROM host_details ORDER BY id')
  return rows as Array<{host_id: number; id: number; name: string; value: string}>
}
