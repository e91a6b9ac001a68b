import {BaseCommand, connectionFlags} from '../base-command.js'

/**
 * Hidden: the background refresh of the names completion offers, started detached by
 * `moldctl __complete` (src/run.ts) when its cache is stale. Reads the names and writes the
 * cache; prints nothing and always exits 0 (its output goes nowhere).
 */
export default class CompleteRefresh extends BaseCommand<typeof CompleteRefresh> {
  static override baseFlags = {
    'ca-file': connectionFlags['ca-file'],
    insecure: connectionFlags.insecure,
    profile: connectionFlags.profile,
    url: connectionFlags.url,
  }
  static override description = 'Refresh the names shell completion offers (started by completion itself).'
  static override enableJsonFlag = false
  static override hidden = true

  async run(): Promise<void> {
    const [{cacheKey, cachePath, releaseRefreshLock, writeNameCache}, {fetchNames}, {moldctlDirs}] =
      await Promise.all([
        import('../lib/completion/name-cache.js'),
        import('../lib/completion/fetch.js'),
        import('../lib/core/dirs.js'),
      ])
    let file: string | undefined
    try {
      const settings = await this.connectionSettings()
      file = cachePath(moldctlDirs().cache, cacheKey(settings))
      writeNameCache(file, await fetchNames(await this.client()))
    } catch {
      // Nothing to tell anyone: a Tab offers what it has; a cache that failed is retried later.
      if (file) writeNameCache(file, {failed: true, fetchedAt: Date.now(), names: {}, version: 1})
    } finally {
      if (file) releaseRefreshLock(file)
    }
  }
}
