/* eslint-disable no-await-in-loop -- the batches share one connection and transaction, so they run one after another */

/**
 * The `username` and `password` rows of `host_details`, read and written in batches: one
 * statement per few hundred rows rather than one round trip per host.
 */
import type {ResultSetHeader, RowDataPacket} from 'mysql2/promise'

import type {CloudDb} from './connection.js'

export type CredentialName = 'password' | 'username'

export interface DetailRow {
  hostId: number
  id: number
  name: CredentialName
  value: string
}

export const DEFAULT_BATCH_SIZE = 500

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function toDetail(row: RowDataPacket): DetailRow {
  return {hostId: Number(row.host_id), id: Number(row.id), name: row.name, value: row.value}
}

/** The credential rows of these hosts; `lock` takes row locks until the transaction ends. */
export async function readCredentialRows(
  db: CloudDb,
  hostIds: number[],
  options: {batchSize?: number; lock?: boolean} = {},
): Promise<DetailRow[]> {
  const rows: DetailRow[] = []
  for (const batch of chunks(hostIds, options.batchSize ?? DEFAULT_BATCH_SIZE * 4)) {
    const [found] = await db.query<RowDataPacket[]>(
      `SELECT id, host_id, name, value FROM host_details
       WHERE host_id IN (?) AND name IN ('username', 'password') ORDER BY id${options.lock ? ' FOR UPDATE' : ''}`,
      [batch],
    )
    rows.push(...found.map((row) => toDetail(row)))
  }

  return rows
}

/** Rows by id (for the read-back check and for restores). */
export async function readDetailRowsById(
  db: CloudDb,
  ids: number[],
  options: {batchSize?: number; lock?: boolean} = {},
): Promise<DetailRow[]> {
  const rows: DetailRow[] = []
  for (const batch of chunks(ids, options.batchSize ?? DEFAULT_BATCH_SIZE * 4)) {
    const [found] = await db.query<RowDataPacket[]>(
      `SELECT id, host_id, name, value FROM host_details WHERE id IN (?) ORDER BY id${options.lock ? ' FOR UPDATE' : ''}`,
      [batch],
    )
    rows.push(...found.map((row) => toDetail(row)))
  }

  return rows
}

/** Up to `limit` password values of other hosts, to check a database key when the targets have none. */
export async function samplePasswordValues(
  db: CloudDb,
  excludeHostIds: number[],
  limit: number,
): Promise<string[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT d.value FROM host_details d JOIN host h ON h.id = d.host_id
     WHERE d.name = 'password' AND h.removed IS NULL${excludeHostIds.length > 0 ? ' AND d.host_id NOT IN (?)' : ''}
     ORDER BY d.id LIMIT ${Number(limit)}`,
    excludeHostIds.length > 0 ? [excludeHostIds] : [],
  )
  return rows.map((row) => row.value as string)
}

/** The declared length of `host_details.value` (255 in every released schema). */
export async function valueColumnLength(db: CloudDb): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT CHARACTER_MAXIMUM_LENGTH AS length FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'host_details' AND COLUMN_NAME = 'value'`,
  )
  return rows.length > 0 && rows[0].length > 0 ? Number(rows[0].length) : 255
}

/**
 * Sets `value` on existing rows, a batch per statement (`CASE id WHEN ...`). Returns how many
 * rows matched, so a row that vanished is noticed.
 */
export async function updateDetailValues(
  db: CloudDb,
  updates: Array<{id: number; value: string}>,
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<number> {
  let matched = 0
  for (const batch of chunks(updates, batchSize)) {
    const cases = batch.map(() => 'WHEN ? THEN ?').join(' ')
    const params: Array<number | string> = batch.flatMap((u) => [u.id, u.value])
    const [result] = await db.query<ResultSetHeader>(
      `UPDATE host_details SET value = CASE id ${cases} END WHERE id IN (?)`,
      [...params, batch.map((u) => u.id)],
    )
    matched += result.affectedRows
  }

  return matched
}

/** Adds rows; returns them with their new ids (read back through the (host_id, name) key). */
export async function insertDetailRows(
  db: CloudDb,
  rows: Array<{hostId: number; name: CredentialName; value: string}>,
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<DetailRow[]> {
  const inserted: DetailRow[] = []
  for (const batch of chunks(rows, batchSize)) {
    await db.query('INSERT INTO host_details (host_id, name, value) VALUES ?', [
      batch.map((r) => [r.hostId, r.name, r.value]),
    ])
    const [found] = await db.query<RowDataPacket[]>(
      'SELECT id, host_id, name, value FROM host_details WHERE (host_id, name) IN (?)',
      [batch.map((r) => [r.hostId, r.name])],
    )
    inserted.push(...found.map((row) => toDetail(row)))
  }

  return inserted
}

export async function deleteDetailRows(
  db: CloudDb,
  ids: number[],
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<number> {
  let deleted = 0
  for (const batch of chunks(ids, batchSize)) {
    const [result] = await db.query<ResultSetHeader>('DELETE FROM host_details WHERE id IN (?)', [batch])
    deleted += result.affectedRows
  }

  return deleted
}
