import assert from 'node:assert/strict'
import {chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {
  type ConfigFile,
  parseConfigText,
  ProfileStore,
  serializeConfig,
} from '../../../src/lib/config/profiles.js'
import {ConfigError, ExitCode} from '../../../src/lib/core/errors.js'

const modeOf = async (file: string): Promise<number> => (await stat(file)).mode & 0o777

const sample: ConfigFile = {
  current: 'prod',
  profiles: {
    lab: {
      flavor: 'cloudstack',
      password: 'lab-pass',
      url: 'http://10.0.0.5:8080/client/api',
      username: 'admin',
    },
    prod: {
      apikey: 'KEY',
      flavor: 'mold',
      secretkey: 'SECRET',
      timeout: 45,
      url: 'https://mold.example/client/api',
    },
  },
}

describe('ProfileStore', () => {
  let root: string

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'moldctl-profiles-'))
  })

  after(async () => {
    await rm(root, {force: true, recursive: true})
  })

  const freshDir = async (name: string): Promise<string> => path.join(root, name, 'moldctl')

  it('names its file config.yaml in the config directory', async () => {
    const dir = await freshDir('path')
    assert.equal(new ProfileStore(dir).path, path.join(dir, 'config.yaml'))
  })

  it('loads an empty configuration when the file does not exist', async () => {
    const store = new ProfileStore(await freshDir('missing'))
    assert.deepEqual(await store.load(), {profiles: {}})
  })

  it('saves with directory 0700 and file 0600, and loads back what it saved', async () => {
    const dir = await freshDir('roundtrip')
    const store = new ProfileStore(dir)
    await store.save(sample)
    assert.equal(await modeOf(dir), 0o700)
    assert.equal(await modeOf(store.path), 0o600)
    assert.deepEqual(await store.load(), sample)
  })

  it('tightens an existing directory to 0700 and leaves no temporary files behind', async () => {
    const dir = await freshDir('existing')
    await mkdir(dir, {mode: 0o755, recursive: true})
    await chmod(dir, 0o755)
    const store = new ProfileStore(dir)
    await store.save(sample)
    await store.save({profiles: {}})
    assert.equal(await modeOf(dir), 0o700)
    assert.deepEqual(await readdir(dir), ['config.yaml'])
  })

  it('writes a 0600 file even under a permissive umask', async () => {
    const dir = await freshDir('umask')
    const previous = process.umask(0)
    try {
      await new ProfileStore(dir).save(sample)
    } finally {
      process.umask(previous)
    }

    assert.equal(await modeOf(path.join(dir, 'config.yaml')), 0o600)
  })

  it('replaces the file atomically: a reader never sees a partial file', async () => {
    const dir = await freshDir('atomic')
    const store = new ProfileStore(dir)
    await store.save(sample)
    const before = (await stat(store.path)).ino
    await store.save({...sample, current: 'lab'})
    // A rename gives a new inode; an in-place rewrite would keep the old one.
    assert.notEqual((await stat(store.path)).ino, before)
    assert.equal((await store.load()).current, 'lab')
  })

  for (const mode of [0o644, 0o640, 0o604, 0o620, 0o660]) {
    it(`refuses a file with mode ${mode.toString(8)} and says how to fix it`, async () => {
      const dir = await freshDir(`mode-${mode.toString(8)}`)
      const store = new ProfileStore(dir)
      await store.save(sample)
      await chmod(store.path, mode)
      await assert.rejects(store.load(), (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.equal(error.exitCode, ExitCode.Config)
        assert.match(error.message, new RegExp(`0${mode.toString(8)}`))
        assert.ok(error.message.includes(store.path))
        assert.ok(error.suggestions.includes(`chmod 600 ${store.path}`))
        assert.ok(!error.message.includes('SECRET'))
        return true
      })
    })
  }

  it('accepts a read-only 0400 file', async () => {
    const dir = await freshDir('readonly')
    const store = new ProfileStore(dir)
    await store.save(sample)
    await chmod(store.path, 0o400)
    assert.deepEqual(await store.load(), sample)
  })

  it('names the file when the YAML is malformed', async () => {
    const dir = await freshDir('malformed')
    await mkdir(dir, {mode: 0o700, recursive: true})
    const file = path.join(dir, 'config.yaml')
    await writeFile(file, 'profiles:\n  prod: {url: "https://x\n', {mode: 0o600})
    await assert.rejects(new ProfileStore(dir).load(), (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.exitCode, ExitCode.Config)
      assert.ok(error.message.startsWith(`${file} is not valid YAML`))
      return true
    })
  })

  it('update loads, applies the change and saves', async () => {
    const dir = await freshDir('update')
    const store = new ProfileStore(dir)
    await store.save(sample)
    const result = await store.update((config) => {
      delete config.profiles.lab
      config.current = 'prod'
    })
    assert.deepEqual(Object.keys(result.profiles), ['prod'])
    assert.deepEqual(await store.load(), result)
    assert.equal(await modeOf(store.path), 0o600)
  })

  it('writes readable YAML: current first, then each profile from url to credentials, no empty fields', async () => {
    const dir = await freshDir('yaml')
    const store = new ProfileStore(dir)
    await store.save({
      current: 'a',
      profiles: {
        a: {
          apikey: 'K',
          domain: undefined,
          secretkey: 'S',
          timeout: 9,
          url: 'https://a/client/api',
          verifytls: false,
        },
      },
    })
    const text = await readFile(store.path, 'utf8')
    assert.equal(
      text,
      'current: a\nprofiles:\n  a:\n    url: https://a/client/api\n    verifytls: false\n    timeout: 9\n    apikey: K\n    secretkey: S\n',
    )
  })
})

describe('parseConfigText', () => {
  it('reads an empty file as no profiles', async () => {
    assert.deepEqual(await parseConfigText('', 'f.yaml'), {profiles: {}})
    assert.deepEqual(await parseConfigText('# nothing yet\n', 'f.yaml'), {profiles: {}})
  })

  it('round-trips through serializeConfig', async () => {
    assert.deepEqual(await parseConfigText(await serializeConfig(sample), 'f.yaml'), sample)
  })

  const invalidCases: Array<[string, RegExp]> = [
    ['- a\n- b\n', /top level must be a mapping/],
    ['current: 3\nprofiles: {}\n', /`current` must be a profile name/],
    ['profiles: [a]\n', /`profiles` must be a mapping/],
    ['profiles:\n  a: https://x\n', /profile "a" must be a mapping/],
    ['profiles:\n  a: {apikey: k}\n', /profile "a" has no `url`/],
    ['profiles:\n  a: {url: 5}\n', /profile "a": `url` must be a string/],
    ['profiles:\n  a: {url: "https://x", flavor: fast}\n', /`flavor` must be one of auto, cloudstack, mold/],
    ['profiles:\n  a: {url: "https://x", verifytls: "no"}\n', /`verifytls` must be true or false/],
    ['profiles:\n  a: {url: "https://x", timeout: -1}\n', /`timeout` must be a positive number/],
    ['profiles:\n  a: {url: "https://x", secretkey: 12345}\n', /`secretkey` must be a string/],
  ]
  for (const [text, pattern] of invalidCases) {
    it(`rejects ${JSON.stringify(text)} naming the file`, async () => {
      await assert.rejects(
        () => parseConfigText(text, '/cfg/config.yaml'),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message.startsWith('/cfg/config.yaml') &&
          pattern.test(error.message),
      )
    })
  }
})
