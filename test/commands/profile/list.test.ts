import assert from 'node:assert/strict'
import {chmod} from 'node:fs/promises'
import {after, before, describe, it} from 'node:test'

import {type CliHome, json, makeHome, runCli} from '../../helpers/cli.js'
import {assertNoSecrets, writeProfiles} from '../../helpers/profiles.js'

describe('profile list', () => {
  let home: CliHome

  before(async () => {
    home = makeHome()
    await writeProfiles(home)
  })

  after(() => home.remove())

  it('shows name, current marker, url, flavor and auth kind, never secrets', async () => {
    const result = await runCli(['profile', 'list'], {home})
    assert.equal(result.code, 0, result.stderr)
    assertNoSecrets(result)
    const lines = result.stdout.trim().split('\n')
    assert.match(lines[0], /NAME\s+CURRENT\s+URL\s+FLAVOR\s+AUTH/)
    assert.ok(
      lines.some((l) => /lab\s+http:\/\/10\.0\.0\.10:8080\/client\/api\s+auto\s+password/.test(l)),
      result.stdout,
    )
    assert.ok(
      lines.some((l) => /prod\s+\*\s+https:\/\/mold\.example\.com\/client\/api\s+mold\s+api keys/.test(l)),
      result.stdout,
    )
  })

  it('--json gives the same rows without secrets', async () => {
    const result = await runCli(['profile', 'list', '--json'], {home})
    assert.equal(result.code, 0, result.stderr)
    assertNoSecrets(result)
    assert.deepEqual(json(result), [
      {
        auth: 'password',
        current: false,
        flavor: 'auto',
        name: 'lab',
        url: 'http://10.0.0.10:8080/client/api',
      },
      {
        auth: 'api keys',
        current: true,
        flavor: 'mold',
        name: 'prod',
        url: 'https://mold.example.com/client/api',
      },
    ])
  })

  it('-o csv --columns picks columns', async () => {
    const result = await runCli(['profile', 'list', '-o', 'csv', '--columns', 'name,url'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(
      result.stdout.trim(),
      'name,url\nlab,http://10.0.0.10:8080/client/api\nprod,https://mold.example.com/client/api',
    )
  })

  it('says how to add a profile when there is none', async () => {
    const empty = makeHome()
    try {
      const result = await runCli(['profile', 'list'], {home: empty})
      assert.equal(result.code, 0)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /No profiles\. Add one: moldctl profile add NAME --url URL/)
      assert.deepEqual(json(await runCli(['profile', 'list', '--json'], {home: empty})), [])
    } finally {
      empty.remove()
    }
  })

  it('refuses a profiles file other users can read (exit 3), saying how to fix it', async () => {
    const shared = makeHome()
    try {
      const store = await writeProfiles(shared)
      await chmod(store.path, 0o644)
      const result = await runCli(['profile', 'list'], {home: shared})
      assert.equal(result.code, 3)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /other users can access it \(mode 0644\)/)
      assert.ok(result.stderr.includes(`chmod 600 ${store.path}`), result.stderr)
      assertNoSecrets(result)
    } finally {
      shared.remove()
    }
  })

  it('has examples in --help', async () => {
    const result = await runCli(['profile', 'list', '--help'])
    assert.equal(result.code, 0)
    assert.match(result.stdout, /EXAMPLES[\s\S]*profile list --json/)
  })
})
