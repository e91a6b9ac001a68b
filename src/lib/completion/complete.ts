/**
 * `moldctl __complete WORDS...`: the candidates for the last word, one a line. Runs without
 * oclif and without the HTTP client: names from the cloud come from the cache (name-cache.ts),
 * refreshed by a detached child when stale; with no cache yet, it waits for that child at most
 * `waitMs` (300 ms). It never fails: whatever goes wrong, the candidates it has are given.
 */
import {sleep} from '../core/sleep.js'
import {candidates, completionPlan, type CompletionTable, type TypedConnection} from './candidates.js'
import {
  cacheKey,
  cacheLifetimeMs,
  cachePath,
  type CloudKind,
  isFresh,
  type NameCache,
  readNameCache,
  takeRefreshLock,
} from './name-cache.js'

export interface CompleteOptions {
  cacheDir: string
  configDir: string
  env: NodeJS.ProcessEnv
  now?: () => number
  /** Starts the background refresh of the names of this connection (a detached child). */
  refresh: (typed: TypedConnection) => void
  table: CompletionTable
  /** The longest wait for names when there are none yet (300 ms). */
  waitMs?: number
}

export async function complete(words: string[], opts: CompleteOptions): Promise<string[]> {
  const {plan, typed} = completionPlan(words.length === 0 ? [''] : words, opts.table)
  if (!plan.kind) return candidates(plan)
  try {
    const names =
      plan.kind === 'profile' ? await profileNames(opts) : await cloudNames(plan.kind, typed, opts)
    return candidates(plan, names)
  } catch {
    return candidates(plan)
  }
}

async function profileNames(opts: CompleteOptions): Promise<string[]> {
  const {ProfileStore} = await import('../config/profiles.js')
  const config = await new ProfileStore(opts.configDir).load()
  return Object.keys(config.profiles).sort()
}

async function cloudNames(kind: CloudKind, typed: TypedConnection, opts: CompleteOptions): Promise<string[]> {
  const [{ProfileStore}, {resolveConnection}] = await Promise.all([
    import('../config/profiles.js'),
    import('../config/connection.js'),
  ])
  const config = await new ProfileStore(opts.configDir).load()
  const connection = resolveConnection({profile: typed.profile, url: typed.url}, opts.env, config)
  const file = cachePath(opts.cacheDir, cacheKey(connection))
  const now = opts.now ?? Date.now
  let cache = readNameCache(file)
  if (cache && isFresh(cache, now(), cacheLifetimeMs(opts.env))) return cache.names[kind] ?? []
  if (takeRefreshLock(file, now())) opts.refresh(typed)
  if (!cache) cache = await waitForCache(file, opts.waitMs ?? 300)
  return cache?.names[kind] ?? []
}

async function waitForCache(file: string, waitMs: number): Promise<NameCache | undefined> {
  const until = Date.now() + waitMs
  for (;;) {
    const cache = readNameCache(file)
    if (cache || Date.now() >= until) return cache
    // eslint-disable-next-line no-await-in-loop
    await sleep(Math.min(25, until - Date.now()))
  }
}
