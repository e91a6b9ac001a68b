import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'

import {type CliHome, json, makeHome, runCli} from '../../helpers/cli.js'
import {readProfiles, writeProfiles} from '../../helpers/profiles.js'

describe('profile remove', () => {
  const homes: CliHome[] = []
  const seeded = async () => {
    const home = makeHome()
    homes.push(home)
    await writeProfiles(home)
    return home
  }

  after(() => {
    for (const home of homes) home.remove()
  })

  it('without a terminal and without --yes: exit 2, says to add --yes, removes nothing', async () => {
    const home = await seeded()
    const result = await runCli(['profile', 'remove', 'lab'], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--yes/)
    assert.deepEqual(Object.keys((await readProfiles(home)).profiles).sort(), ['lab', 'prod'])
  })

  it('--yes removes a profile and keeps the current one', async () => {
    const home = await seeded()
    const result = await runCli(['profile', 'remove', 'lab', '--yes', '--json'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(json(result), {removed: 'lab', wasCurrent: false})
    const config = await readProfiles(home)
    assert.deepEqual(Object.keys(config.profiles), ['prod'])
    assert.equal(config.current, 'prod')
  })

  it('removing the current profile leaves none current and says so', async () => {
    const home = await seeded()
    const result = await runCli(['profile', 'remove', 'prod', '-y'], {home})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Removed profile "prod"; there is no current profile now/)
    assert.equal((await readProfiles(home)).current, undefined)
  })

  it('an unknown name is exit 2 and lists the profiles', async () => {
    const home = await seeded()
    const result = await runCli(['profile', 'remove', 'staging', '--yes'], {home})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /no profile named "staging"; existing profiles: lab, prod/)
  })

  it('has examples in --help', async () => {
    const result = await runCli(['profile', 'remove', '--help'])
    assert.equal(result.code, 0)
    assert.match(result.stdout, /EXAMPLES[\s\S]*profile remove lab --yes/)
  })
})
