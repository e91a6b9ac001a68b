import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {candidates, completionPlan, type CompletionTable} from '../../../src/lib/completion/candidates.js'
import {complete} from '../../../src/lib/completion/complete.js'
import {type Manifest, tableFromManifest} from '../../../src/lib/completion/manifest.js'
import {
  cacheKey,
  cachePath,
  isFresh,
  readNameCache,
  takeRefreshLock,
  writeNameCache,
} from '../../../src/lib/completion/name-cache.js'
import {ROOT} from '../../helpers/cli.js'

/** The built CLI's own manifest: what the completion scripts will see. */
const table: CompletionTable = tableFromManifest(
  JSON.parse(readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as Manifest,
)

const offered = (line: string, names: string[] = []) => {
  const words = line.split(' ')
  return candidates(completionPlan(words, table).plan, names)
}

describe('completion candidates', () => {
  it('offers the topics and top-level commands, and completes a prefix', () => {
    const top = offered('')
    for (const word of ['host', 'cluster', 'completion', 'shell', 'oobm', 'zone']) {
      if (word === 'shell' && !table.commands.has('shell')) continue
      assert.ok(top.includes(word), `${word} missing from ${top.join(' ')}`)
    }

    assert.ok(!top.some((w) => w.startsWith('__')), 'a hidden command was offered')
    assert.deepEqual(offered('ho'), ['host'])
    assert.deepEqual(offered('host maintenance '), ['cancel', 'enter', 'status'])
  })

  it('offers the flags of the command being typed, once each, and --no- forms', () => {
    const flags = offered('host list --')
    assert.ok(flags.includes('--cluster') && flags.includes('--output') && flags.includes('--json'))
    assert.ok(!offered('host list --cluster c1 --').includes('--cluster'), 'a used flag was offered again')
    const enter = offered('host maintenance enter --')
    assert.ok(enter.includes('--no-wait'), enter.join(' '))
  })

  it('global flags before the command words do not hide the command', () => {
    assert.deepEqual(offered('-p lab host l'), ['list'])
    assert.deepEqual(completionPlan(['-p', 'lab', 'host', 'show', ''], table).typed, {profile: 'lab'})
    assert.deepEqual(completionPlan(['--url=http://x/client/api', 'zone', 'list', ''], table).typed, {
      url: 'http://x/client/api',
    })
  })

  it('offers fixed flag values from the manifest and from the rules', () => {
    assert.deepEqual(offered('host list -o '), ['table', 'wide', 'json', 'yaml', 'csv'])
    assert.deepEqual(offered('host list --output=y'), ['--output=yaml'])
    assert.deepEqual(offered('profile add lab --flavor '), ['auto', 'cloudstack', 'mold'])
    assert.deepEqual(offered('oobm configure h1 --driver '), ['ipmitool', 'redfish', 'nestedcloudstack'])
    assert.deepEqual(offered('oobm power s'), ['soft', 'status'])
    assert.deepEqual(offered('completion '), ['bash', 'zsh', 'fish'])
  })

  it('asks for names of the right kind for arguments and flags', () => {
    const kind = (line: string) => completionPlan(line.split(' '), table).plan.kind
    assert.equal(kind('host show '), 'host')
    assert.equal(kind('host maintenance enter h1 '), 'host', 'HOST... repeats')
    assert.equal(kind('cluster overprovision show '), 'cluster')
    assert.equal(kind('host list --zone '), 'zone')
    assert.equal(kind('host list --pod=p'), 'pod')
    assert.equal(kind('vlan range list --physical-network '), 'physicalnetwork')
    assert.equal(kind('setting get '), 'setting')
    assert.equal(kind('profile use '), 'profile')
    assert.equal(kind('host list -p '), 'profile')
    assert.equal(kind('host list --columns '), undefined)
    assert.equal(kind('zone list '), undefined, 'zone list takes no argument')
  })

  it('filters names by the prefix, keeps a flag or a list in front', () => {
    const hosts = ['kvm-01', 'kvm-02', '10.1.0.11', 'xen-01']
    assert.deepEqual(offered('host show kvm', hosts), ['kvm-01', 'kvm-02'])
    assert.deepEqual(offered('host show 10.', hosts), ['10.1.0.11'])
    assert.deepEqual(offered('host list --cluster=c', ['c1', 'c2', 'd1']), ['--cluster=c1', '--cluster=c2'])
    assert.deepEqual(offered('rolling-maintenance start --hosts kvm-01,k', hosts), [
      'kvm-01,kvm-01',
      'kvm-01,kvm-02',
    ])
  })

  it('offers nothing after a flag that takes a free value, nor after the last argument', () => {
    assert.deepEqual(offered('host list --columns '), [])
    assert.deepEqual(offered('host show kvm-01 '), [])
  })
})

describe('the name cache and the wait for it', () => {
  const withDir = async (fn: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-cache-'))
    try {
      await fn(dir)
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  }

  const env = {MOLDCTL_API_KEY: 'k', MOLDCTL_SECRET_KEY: 's', MOLDCTL_URL: 'http://127.0.0.1:9/client/api'}
  const key = cacheKey({apiKey: 'k', urls: ['http://127.0.0.1:9/client/api']})

  it('keys a profile by name and an environment connection by a digest (no secret in the name)', () => {
    assert.equal(cacheKey({profileName: 'prod', urls: ['u']}), 'profile-prod')
    assert.equal(cacheKey({profileName: '../x', urls: ['u']}), 'profile-..%2fx')
    assert.match(key, /^endpoint-[\da-f]{16}$/)
    assert.notEqual(key, cacheKey({apiKey: 'other', urls: ['http://127.0.0.1:9/client/api']}))
  })

  it('writes the cache 0600 in a 0700 directory', async () => {
    await withDir(async (dir) => {
      const file = cachePath(dir, 'profile-p')
      writeNameCache(file, {fetchedAt: 1, names: {host: ['a']}, version: 1})
      assert.equal(statSync(file).mode & 0o777, 0o600)
      assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700)
      assert.deepEqual(readNameCache(file)?.names, {host: ['a']})
      writeFileSync(file, 'not json')
      assert.equal(readNameCache(file), undefined)
    })
  })

  it('a fresh cache is used without a refresh', async () => {
    await withDir(async (dir) => {
      writeNameCache(cachePath(dir, key), {fetchedAt: 1000, names: {host: ['kvm-a', 'kvm-b']}, version: 1})
      let refreshed = 0
      const lines = await complete(['host', 'show', 'kvm-'], {
        cacheDir: dir,
        configDir: dir,
        env,
        now: () => 2000,
        refresh: () => refreshed++,
        table,
      })
      assert.deepEqual(lines, ['kvm-a', 'kvm-b'])
      assert.equal(refreshed, 0)
    })
  })

  it('a stale cache is used at once and refreshed once, however many Tabs', async () => {
    await withDir(async (dir) => {
      writeNameCache(cachePath(dir, key), {fetchedAt: 0, names: {host: ['kvm-a']}, version: 1})
      let refreshed = 0
      const opts = {cacheDir: dir, configDir: dir, env, now: () => 600_000, refresh: () => refreshed++, table}
      assert.deepEqual(await complete(['host', 'show', ''], opts), ['kvm-a'])
      assert.deepEqual(await complete(['host', 'show', ''], opts), ['kvm-a'])
      assert.equal(refreshed, 1)
    })
  })

  it('with no cache, waits for the refresh a bounded time, and takes names that arrive in it', async () => {
    await withDir(async (dir) => {
      const file = cachePath(dir, key)
      const lines = await complete(['host', 'show', ''], {
        cacheDir: dir,
        configDir: dir,
        env,
        refresh() {
          setTimeout(
            () => writeNameCache(file, {fetchedAt: Date.now(), names: {host: ['late']}, version: 1}),
            50,
          )
        },
        table,
        waitMs: 5000,
      })
      assert.deepEqual(lines, ['late'])
      const none = await complete(['zone', 'enable', ''], {
        cacheDir: path.join(dir, 'other'),
        configDir: dir,
        env,
        refresh() {},
        table,
        waitMs: 50,
      })
      assert.deepEqual(none, [])
    })
  })

  it('without a connection it offers no names and does not fail', async () => {
    await withDir(async (dir) => {
      let refreshed = 0
      const lines = await complete(['host', 'list', '-o', ''], {
        cacheDir: dir,
        configDir: dir,
        env: {},
        refresh: () => refreshed++,
        table,
      })
      assert.ok(lines.includes('json'))
      assert.deepEqual(
        await complete(['host', 'show', ''], {
          cacheDir: dir,
          configDir: dir,
          env: {},
          refresh: () => refreshed++,
          table,
        }),
        [],
      )
      assert.equal(refreshed, 0)
    })
  })

  it('a failed refresh is retried sooner than the lifetime; the lock stops a second refresh', async () => {
    assert.equal(isFresh({failed: true, fetchedAt: 0, names: {}, version: 1}, 31_000, 300_000), false)
    assert.equal(isFresh({fetchedAt: 0, names: {}, version: 1}, 31_000, 300_000), true)
    await withDir(async (dir) => {
      const file = cachePath(dir, 'x')
      assert.equal(takeRefreshLock(file, Date.now()), true)
      assert.equal(takeRefreshLock(file, Date.now()), false)
      const old = new Date(Date.now() - 60_000)
      utimesSync(`${file}.refresh`, old, old)
      assert.equal(takeRefreshLock(file, Date.now()), true)
    })
  })

  it('profile names come from the profiles file', async () => {
    await withDir(async (dir) => {
      const {ProfileStore} = await import('../../../src/lib/config/profiles.js')
      await new ProfileStore(dir).save({
        current: 'b',
        profiles: {a: {url: 'http://a/client/api'}, b: {url: 'http://b/client/api'}},
      })
      const lines = await complete(['profile', 'use', ''], {
        cacheDir: dir,
        configDir: dir,
        env: {},
        refresh() {},
        table,
      })
      assert.deepEqual(lines, ['a', 'b'])
    })
  })
})
