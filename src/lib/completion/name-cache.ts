/**
 * The names completion offers from the cloud, kept per profile (or per endpoint and account
 * when the connection comes from the environment) in `<cache dir>/completion/<key>.json`: names
 * only — no ids, no credentials — mode 0600 in a 0700 directory, written whole (temporary file
 * and rename) by the background refresh (`moldctl __complete-refresh`).
 */
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import type {NameKind} from './candidates.js'

export type CloudKind = Exclude<NameKind, 'profile'>

export interface NameCache {
  /** The refresh could not read the cloud (bad credentials, server down): no names, retried later. */
  failed?: boolean
  /** Milliseconds since the epoch when the names were read. */
  fetchedAt: number
  names: Partial<Record<CloudKind, string[]>>
  version: 1
}

/** How long names are offered without a refresh (MOLDCTL_COMPLETION_TTL seconds; 5 minutes). */
export function cacheLifetimeMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.MOLDCTL_COMPLETION_TTL)
  return Number.isFinite(seconds) && seconds >= 0 && env.MOLDCTL_COMPLETION_TTL !== ''
    ? seconds * 1000
    : 300_000
}

/** A refresh that started this long ago and wrote nothing is taken as dead. */
const REFRESH_LOCK_MS = 30_000

/** The cache file's name: the profile, else a digest of the endpoints and the account. */
export function cacheKey(connection: {
  apiKey?: string
  profileName?: string
  urls: string[]
  username?: string
}): string {
  if (connection.profileName !== undefined) {
    return `profile-${connection.profileName.replaceAll(/[^\w.-]/g, (c) => `%${c.codePointAt(0)!.toString(16)}`)}`
  }

  const digest = createHash('sha256')
    .update([connection.urls.join(','), connection.apiKey ?? '', connection.username ?? ''].join('\n'))
    .digest('hex')
  return `endpoint-${digest.slice(0, 16)}`
}

export function cachePath(cacheDir: string, key: string): string {
  return path.join(cacheDir, 'completion', `${key}.json`)
}

export function readNameCache(file: string): NameCache | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as NameCache
    return parsed.version === 1 && typeof parsed.fetchedAt === 'number' ? parsed : undefined
  } catch {
    return undefined
  }
}

export function writeNameCache(file: string, cache: NameCache): void {
  mkdirSync(path.dirname(file), {mode: 0o700, recursive: true})
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify(cache), {mode: 0o600})
  renameSync(temporary, file)
}

/** Names younger than the lifetime are used as they are; a failed read is retried after 30 s. */
export function isFresh(cache: NameCache, now: number, lifetimeMs: number): boolean {
  return now - cache.fetchedAt < (cache.failed ? Math.min(lifetimeMs, REFRESH_LOCK_MS) : lifetimeMs)
}

/**
 * Takes the refresh lock for `file` (a `.refresh` file beside it): false when another refresh
 * holds it (started less than 30 s ago), so a burst of Tabs starts one refresh.
 */
export function takeRefreshLock(file: string, now: number): boolean {
  const lock = `${file}.refresh`
  try {
    mkdirSync(path.dirname(file), {mode: 0o700, recursive: true})
    writeFileSync(lock, String(process.pid), {flag: 'wx', mode: 0o600})
    return true
  } catch {
    try {
      if (now - statSync(lock).mtimeMs < REFRESH_LOCK_MS) return false
      writeFileSync(lock, String(process.pid), {mode: 0o600})
      return true
    } catch {
      return false
    }
  }
}

export function releaseRefreshLock(file: string): void {
  rmSync(`${file}.refresh`, {force: true})
}
