import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'

import {type CliHome, makeHome} from '../../helpers/cli.js'
import {readProfiles, SECRETS, writeProfiles} from '../../helpers/profiles.js'
import {runInTerminal} from '../../helpers/tty.js'

// At a terminal, profile add asks for the secret with a hidden prompt and profile remove asks
// for confirmation. These run the built CLI in a pseudo-terminal.
describe('profile commands at a terminal', () => {
  const homes: CliHome[] = []
  const home = () => {
    const h = makeHome()
    homes.push(h)
    return h
  }

  after(() => {
    for (const h of homes) h.remove()
  })

  it('profile add asks for the secret key without echoing it', async () => {
    const h = home()
    const result = await runInTerminal(
      ['profile', 'add', 'prod', '--url', 'https://mold.example.com', '--api-key', 'KEY1'],
      {
        home: h,
        steps: [{send: `${SECRETS.secretKey}\r`, when: /Secret key for profile "prod"/}],
      },
    )
    assert.equal(result.code, 0, result.screen)
    assert.ok(!result.screen.includes(SECRETS.secretKey), result.screen)
    assert.match(result.screen, /Saved profile "prod" \(current\)/)
    assert.equal((await readProfiles(h)).profiles.prod.secretkey, SECRETS.secretKey)
  })

  it('profile add asks for the password of --username', async () => {
    const h = home()
    const result = await runInTerminal(
      ['profile', 'add', 'lab', '--url', 'http://10.0.0.10:8080', '--username', 'ops'],
      {
        home: h,
        steps: [{send: `${SECRETS.password}\r`, when: /Password for profile "lab"/}],
      },
    )
    assert.equal(result.code, 0, result.screen)
    assert.ok(!result.screen.includes(SECRETS.password), result.screen)
    assert.deepEqual((await readProfiles(h)).profiles.lab, {
      flavor: 'auto',
      password: SECRETS.password,
      url: 'http://10.0.0.10:8080/client/api',
      username: 'ops',
    })
  })

  it('profile remove asks first; "no" keeps the profile, "yes" removes it', async () => {
    const h = home()
    await writeProfiles(h)
    const declined = await runInTerminal(['profile', 'remove', 'lab'], {
      home: h,
      steps: [{send: 'n\r', when: /Remove profile "lab" \(http:\/\/10\.0\.0\.10:8080\/client\/api\)\?/}],
    })
    assert.equal(declined.code, 0, declined.screen)
    assert.match(declined.screen, /Nothing removed/)
    assert.deepEqual(Object.keys((await readProfiles(h)).profiles).sort(), ['lab', 'prod'])

    const accepted = await runInTerminal(['profile', 'remove', 'lab'], {
      home: h,
      steps: [{send: 'y\r', when: /Remove profile "lab"/}],
    })
    assert.equal(accepted.code, 0, accepted.screen)
    assert.deepEqual(Object.keys((await readProfiles(h)).profiles), ['prod'])
  })
})
