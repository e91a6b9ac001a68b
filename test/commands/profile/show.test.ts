import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import {type CliHome, json, makeHome, runCli} from '../../helpers/cli.js'
import {assertNoSecrets, SECRETS, TWO_PROFILES, writeProfiles} from '../../helpers/profiles.js'

describe('profile show', () => {
  let home: CliHome

  before(async () => {
    home = makeHome()
    await writeProfiles(home)
  })

  after(() => home.remove())

  it('shows the current profile with the secret key masked', async () => {
    const result = await runCli(['profile', 'show'], {home})
    assert.equal(result.code, 0, result.stderr)
    assertNoSecrets(result)
    assert.match(result.stdout, /^name\s+prod$/m)
    assert.match(result.stdout, /^current\s+true$/m)
    assert.match(result.stdout, /^secretkey\s+\*\*\*\*$/m)
    assert.match(result.stdout, new RegExp(`^apikey\\s+\\*\\*\\*\\*${SECRETS.apiKey.slice(-4)}$`, 'm'))
  })

  it('shows a named login profile with --json, password masked', async () => {
    const result = await runCli(['profile', 'show', 'lab', '--json'], {home})
    assert.equal(result.code, 0, result.stderr)
    assertNoSecrets(result)
    assert.deepEqual(json(result), {
      current: false,
      domain: '/ROOT/ops',
      name: 'lab',
      password: '****',
      proxyinuse: 'none (no proxy variable is set)',
      url: 'http://10.0.0.10:8080/client/api',
      username: 'ops',
    })
  })

  it('an unknown name is exit 2 and lists the profiles', async () => {
    const result = await runCli(['profile', 'show', 'staging'], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /no profile named "staging"; existing profiles: lab, prod/)
  })

  it('without a current profile asks for a name', async () => {
    const other = makeHome()
    try {
      await writeProfiles(other, {profiles: TWO_PROFILES.profiles})
      const result = await runCli(['profile', 'show'], {home: other})
      assert.equal(result.code, 2)
      assert.match(result.stderr, /no current profile; name one of: lab, prod/)
    } finally {
      other.remove()
    }
  })

  it('has examples in --help', async () => {
    const result = await runCli(['profile', 'show', '--help'])
    assert.equal(result.code, 0)
    assert.match(result.stdout, /EXAMPLES[\s\S]*profile show lab/)
  })
})
