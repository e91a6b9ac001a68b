/**
 * Finding hypervisor hosts in the `cloud` schema: by UUID, name or management IP, or every host
 * of a cluster. Removed hosts (`removed IS NOT NULL`) are never candidates, as in the server's
 * own DAOs.
 */
import type {RowDataPacket} from 'mysql2/promise'

import type {CloudDb} from './connection.js'

import {UsageError} from '../core/errors.js'

export interface HostRow {
  clusterId: null | number
  clusterName: null | string
  hypervisor: null | string
  id: number
  ip: string
  name: string
  uuid: null | string
}

export interface ClusterRecord {
  hypervisor: null | string
  id: number
  name: null | string
  podName: null | string
  uuid: null | string
}

const HOST_COLUMNS = `h.id, h.uuid, h.name, h.private_ip_address AS ip, h.hypervisor_type AS hypervisor,
  h.cluster_id AS clusterId, c.name AS clusterName`

function toHostRow(row: RowDataPacket): HostRow {
  return {
    clusterId: row.clusterId === null ? null : Number(row.clusterId),
    clusterName: row.clusterName,
    hypervisor: row.hypervisor,
    id: Number(row.id),
    ip: String(row.ip).trim(),
    name: row.name,
    uuid: row.uuid,
  }
}

/**
 * Which candidate each reference names: a UUID first, then an exact name, then an IP. Unknown or
 * ambiguous references are usage errors (nothing has been changed at this point).
 */
export function matchHostRefs(refs: string[], candidates: HostRow[]): HostRow[] {
  const unknown: string[] = []
  const chosen = new Map<number, HostRow>()
  for (const ref of refs) {
    const byUuid = candidates.filter((h) => h.uuid === ref)
    const byName = candidates.filter((h) => h.name === ref)
    const byIp = candidates.filter((h) => h.ip === ref)
    const matches = [byUuid, byName, byIp].find((list) => list.length > 0) ?? []
    if (matches.length === 0) {
      unknown.push(ref)
      continue
    }

    if (matches.length > 1) {
      const listed = matches.map((h) => `${h.name} (${h.uuid}, ${h.ip}, cluster ${h.clusterName ?? '-'})`)
      throw new UsageError(`host "${ref}" is ambiguous: ${listed.join('; ')}`, ['name the host by its UUID'])
    }

    chosen.set(matches[0].id, matches[0])
  }

  if (unknown.length > 0) {
    throw new UsageError(`no such host: ${unknown.join(', ')}`, [
      'hosts are named by UUID, name or management IP address; removed hosts do not count',
    ])
  }

  return [...chosen.values()]
}

export async function findHosts(db: CloudDb, refs: string[]): Promise<HostRow[]> {
  if (refs.length === 0) return []
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT ${HOST_COLUMNS} FROM host h LEFT JOIN cluster c ON c.id = h.cluster_id
     WHERE h.removed IS NULL AND h.type = 'Routing'
       AND (h.uuid IN (?) OR h.name IN (?) OR h.private_ip_address IN (?))`,
    [refs, refs, refs],
  )
  return matchHostRefs(
    refs,
    rows.map((row) => toHostRow(row)),
  )
}

export async function findCluster(db: CloudDb, ref: string): Promise<ClusterRecord> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT c.id, c.uuid, c.name, c.hypervisor_type AS hypervisor, p.name AS podName
     FROM cluster c LEFT JOIN host_pod_ref p ON p.id = c.pod_id
     WHERE c.removed IS NULL AND (c.uuid = ? OR c.name = ?)`,
    [ref, ref],
  )
  const clusters: ClusterRecord[] = rows.map((row) => ({
    hypervisor: row.hypervisor,
    id: Number(row.id),
    name: row.name,
    podName: row.podName,
    uuid: row.uuid,
  }))
  const byUuid = clusters.filter((c) => c.uuid === ref)
  const matches = byUuid.length > 0 ? byUuid : clusters
  if (matches.length === 0) throw new UsageError(`no such cluster: ${ref}`)
  if (matches.length > 1) {
    const listed = matches.map((c) => `${c.name} (${c.uuid}, pod ${c.podName ?? '-'})`)
    throw new UsageError(`cluster "${ref}" is ambiguous: ${listed.join('; ')}`, [
      'name the cluster by its UUID',
    ])
  }

  return matches[0]
}

export async function findClusterHosts(db: CloudDb, cluster: ClusterRecord): Promise<HostRow[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT ${HOST_COLUMNS} FROM host h LEFT JOIN cluster c ON c.id = h.cluster_id
     WHERE h.removed IS NULL AND h.type = 'Routing' AND h.cluster_id = ? ORDER BY h.id`,
    [cluster.id],
  )
  return rows.map((row) => toHostRow(row))
}
