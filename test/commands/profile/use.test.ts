import assert from 'node:assert/strict'
import {stat} from 'node:fs/promises'
import {after, before, describe, it} from 'node:test'

import {type CliHome, json, makeHome, runCli} from '../../helpers/cli.js'
import {readProfiles, writeProfiles} from '../../helpers/profiles.js'

describe('profile use', () => {
  let home: CliHome

  before(async () => {
    home = makeHome()
    await writeProfiles(home)
  })

  after(() => home.remove())

  it('makes a profile current, keeping the file 0600', async () => {
    const result = await runCli(['profile', 'use', 'lab'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Current profile: lab/)
    const config = await readProfiles(home)
    assert.equal(config.current, 'lab')
    assert.equal(Object.keys(config.profiles).length, 2)
    assert.equal((await stat(`${home.configDir}/config.yaml`)).mode & 0o777, 0o600)
    assert.deepEqual(json(await runCli(['profile', 'use', 'prod', '--json'], {home})), {current: 'prod'})
  })

  it('an unknown name is exit 2, lists the profiles and changes nothing', async () => {
    const before = await readProfiles(home)
    const result = await runCli(['profile', 'use', 'staging'], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /no profile named "staging"; existing profiles: lab, prod/)
    assert.deepEqual(await readProfiles(home), before)
  })

  it('a missing name is exit 2', async () => {
    const result = await runCli(['profile', 'use'], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /name/)
  })

  it('has examples in --help', async () => {
    const result = await runCli(['profile', 'use', '--help'])
    assert.equal(result.code, 0)
    assert.match(result.stdout, /EXAMPLES[\s\S]*profile use lab/)
  })
})
