/**
 * Scratch copies of the `cloud` schema subset in MariaDB/MySQL for tests and benchmarks: each
 * gets its own uniquely named database, created from shared/fixtures/cloud-schema-subset.sql
 * and dropped afterwards. Server: MOLDCTL_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306).
 */
import type {Connection} from 'mysql2/promise'

import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {FIXTURES_DIR} from './fixtures.js'

export const TEST_MYSQL_URL = process.env.MOLDCTL_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306'

export interface ScratchDb {
  conn: Connection
  drop(): Promise<void>
  host: string
  name: string
  password: string
  port: number
  /** mysql://user@host:port/name (no password: give it via MOLDCTL_DB_PASSWORD). */
  url: string
  user: string
}

export async function createScratchCloudDb(): Promise<ScratchDb> {
  const mysql = await import('mysql2/promise')
  const server = new URL(TEST_MYSQL_URL)
  const name = `moldctl_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const options = {
    host: server.hostname,
    password: decodeURIComponent(server.password),
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username) || 'root',
  }
  const admin = await mysql.createConnection({...options, multipleStatements: true})
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8`)
  await admin.end()
  const conn = await mysql.createConnection({...options, database: name, multipleStatements: true})
  await conn.query(readFileSync(path.join(FIXTURES_DIR, 'cloud-schema-subset.sql'), 'utf8'))
  const userPart = encodeURIComponent(options.user)
  return {
    conn,
    async drop() {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``)
      await conn.end()
    },
    host: options.host,
    name,
    password: options.password,
    port: options.port,
    url: `mysql://${userPart}@${options.host}:${options.port}/${name}`,
    user: options.user,
  }
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
