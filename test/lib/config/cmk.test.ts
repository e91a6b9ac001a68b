import assert from 'node:assert/strict'
import {homedir} from 'node:os'
import {describe, it} from 'node:test'

import {defaultCmkConfigPath, parseCmkConfig} from '../../../src/lib/config/cmk.js'
import {resolveConnection} from '../../../src/lib/config/connection.js'

// As CloudMonkey 6.4 writes it (go-ini SaveTo: core keys first without a section header, `=`
// aligned, values with `#` or `;` in backquotes), after a few `set` commands and a hand edit.
const cmk6Config = `prompt       = 🐱
asyncblock   = true
timeout      = 1800
output       = json
verifycert   = true
profile      = prod
autocomplete = true

[localcloud]
url       = http://localhost:8080/client/api
username  = admin
password  = password
domain    = /
apikey    =
secretkey =

[prod]
url       = https://mold.example.com/client/api
username  = admin
password  = password
domain    = /
apikey    = 6Iu7gp2dQkQ0sIGdSzIwrOAnHY4cMiZqR3qkzGKvUHzuPPOYe7l8yRzTDoNgnV6gsXgXBzxi84DlUpwYg9S0wQ
secretkey = \`Sx9#bZ;kT0_qLx-4mYBe9nJ2w7cRf3pVh1aGd8sKuWzEo5tNy6iQrXlMjHgFvCbDA\`

[lab.example]
url       = http://10.10.0.5:8080/client/api
username  = ops
password  = p@ss;word#1
domain    = /ROOT/ops
apikey    =
secretkey =
`

// Legacy Python CloudMonkey 5.3 (~/.cloudmonkey/config): [core] holds `profile`, each profile
// has its own timeout, verifysslcert, signatureversion and expires.
const legacyConfig = `[core]
asyncblock = true
paramcompletion = true
profile = staging

[ui]
color = true
prompt = > 
display = table

[staging]
url = https://staging.example/client/api
timeout = 3600
expires = 600
username = admin
password = password
domain = /
apikey = STAGING-KEY
secretkey = STAGING-SECRET
verifysslcert = false
signatureversion = 3

[dev]
url = http://dev.example:8080/client/api
timeout = 60
username = dev
password = devpass
domain = /
apikey =
secretkey =
verifysslcert = true
signatureversion = 3
`

describe('parseCmkConfig: CloudMonkey 6 file', () => {
  const parsed = parseCmkConfig(cmk6Config)

  it('takes the current profile from the core keys', () => {
    assert.equal(parsed.current, 'prod')
  })

  it('reads every profile section, including names with dots', () => {
    assert.deepEqual(Object.keys(parsed.profiles).sort(), ['lab.example', 'localcloud', 'prod'])
  })

  it('imports only the key pair when a profile has keys (drops the default admin/password)', () => {
    assert.deepEqual(parsed.profiles.prod, {
      apikey: '6Iu7gp2dQkQ0sIGdSzIwrOAnHY4cMiZqR3qkzGKvUHzuPPOYe7l8yRzTDoNgnV6gsXgXBzxi84DlUpwYg9S0wQ',
      flavor: 'auto',
      secretkey: 'Sx9#bZ;kT0_qLx-4mYBe9nJ2w7cRf3pVh1aGd8sKuWzEo5tNy6iQrXlMjHgFvCbDA',
      url: 'https://mold.example.com/client/api',
      verifytls: true,
    })
  })

  it('imports a login profile and keeps ; and # inside values, as go-ini does', () => {
    assert.deepEqual(parsed.profiles['lab.example'], {
      domain: '/ROOT/ops',
      flavor: 'auto',
      password: 'p@ss;word#1',
      url: 'http://10.10.0.5:8080/client/api',
      username: 'ops',
      verifytls: true,
    })
  })

  it('does not turn the global job timeout into a per-request timeout', () => {
    for (const profile of Object.values(parsed.profiles)) assert.equal(profile.timeout, undefined)
  })

  it('maps the global verifycert = false onto every profile', () => {
    const insecure = parseCmkConfig(cmk6Config.replace('verifycert   = true', 'verifycert   = false'))
    for (const profile of Object.values(insecure.profiles)) assert.equal(profile.verifytls, false)
  })

  it('gives profiles moldctl can resolve', () => {
    const settings = resolveConnection({}, {}, parsed)
    assert.equal(settings.profileName, 'prod')
    assert.equal(settings.apiKey, parsed.profiles.prod.apikey)
    assert.equal(settings.username, undefined)
  })
})

describe('parseCmkConfig: legacy and odd files', () => {
  it('reads the legacy [core] profile, per-profile timeout and verifysslcert', () => {
    const parsed = parseCmkConfig(legacyConfig)
    assert.equal(parsed.current, 'staging')
    assert.deepEqual(Object.keys(parsed.profiles).sort(), ['dev', 'staging'])
    assert.deepEqual(parsed.profiles.staging, {
      apikey: 'STAGING-KEY',
      flavor: 'auto',
      secretkey: 'STAGING-SECRET',
      timeout: 3600,
      url: 'https://staging.example/client/api',
      verifytls: false,
    })
    assert.deepEqual(parsed.profiles.dev, {
      domain: '/',
      flavor: 'auto',
      password: 'devpass',
      timeout: 60,
      url: 'http://dev.example:8080/client/api',
      username: 'dev',
      verifytls: true,
    })
  })

  it('reads an explicit [DEFAULT] section, CRLF line ends, comments, quotes and key: value lines', () => {
    const text = [
      '; written by hand',
      '[DEFAULT]',
      'profile = b',
      '# a comment',
      '[a]',
      'url: https://a.example/client/api',
      'apikey = "KA"',
      'secretkey = """S"A"""',
      '[b]',
      'URL = https://b.example/client/api',
      'apikey = KB',
      'secretkey = SB',
      'verifycert = false',
      '',
    ].join('\r\n')
    const parsed = parseCmkConfig(text)
    assert.equal(parsed.current, 'b')
    assert.deepEqual(parsed.profiles.a, {
      apikey: 'KA',
      flavor: 'auto',
      secretkey: 'S"A',
      url: 'https://a.example/client/api',
    })
    assert.deepEqual(parsed.profiles.b, {
      apikey: 'KB',
      flavor: 'auto',
      secretkey: 'SB',
      url: 'https://b.example/client/api',
      verifytls: false,
    })
  })

  it('keeps values that look like booleans or numbers as strings', () => {
    const parsed = parseCmkConfig('[p]\nurl = https://p\nusername = true\npassword = 0123\n')
    assert.equal(parsed.profiles.p.username, 'true')
    assert.equal(parsed.profiles.p.password, '0123')
  })

  it('uses CloudMonkey’s default URL for a section without one', () => {
    assert.equal(
      parseCmkConfig('[bare]\napikey = K\nsecretkey = S\n').profiles.bare.url,
      'http://localhost:8080/client/api',
    )
  })

  it('reads the single server of pre-profile CloudMonkey 5.x as "default"', () => {
    const parsed = parseCmkConfig(
      '[core]\nasyncblock = true\n[server]\nprotocol = https\nhost = old.example\nport = 8443\npath = /client/api\ntimeout = 120\n[user]\napikey = OK\nsecretkey = OS\n',
    )
    assert.deepEqual(parsed.profiles, {
      default: {
        apikey: 'OK',
        flavor: 'auto',
        secretkey: 'OS',
        timeout: 120,
        url: 'https://old.example:8443/client/api',
      },
    })
    assert.equal(parsed.current, undefined)
  })

  it('leaves current unset when it names no section, and handles an empty file', () => {
    assert.equal(parseCmkConfig('profile = ghost\n[a]\nurl = https://a\n').current, undefined)
    assert.deepEqual(parseCmkConfig(''), {profiles: {}})
  })

  it('ignores __proto__ sections and keys', () => {
    const parsed = parseCmkConfig('[__proto__]\nurl = https://evil\n[ok]\nurl = https://ok\n__proto__ = x\n')
    assert.deepEqual(Object.keys(parsed.profiles), ['ok'])
    assert.equal(({} as Record<string, unknown>).url, undefined)
  })
})

describe('defaultCmkConfigPath', () => {
  it('is ~/.cmk/config under $HOME', () => {
    assert.equal(defaultCmkConfigPath({HOME: '/home/ops'}), '/home/ops/.cmk/config')
  })

  it('falls back to the account home directory without HOME', () => {
    assert.equal(defaultCmkConfigPath({}), `${homedir()}/.cmk/config`)
  })
})
