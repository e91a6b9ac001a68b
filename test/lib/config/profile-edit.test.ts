import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {ConfigFile} from '../../../src/lib/config/profiles.js'

import {parseCmkConfig} from '../../../src/lib/config/cmk.js'
import {
  buildProfile,
  checkProfileName,
  importCmkProfiles,
  maskProfile,
  pickProfileToShow,
  requireProfile,
  secretToRead,
  summarizeProfiles,
} from '../../../src/lib/config/profile-edit.js'
import {ExitCode, UsageError} from '../../../src/lib/core/errors.js'

const config = (): ConfigFile => ({
  current: 'prod',
  profiles: {
    lab: {password: 'LAB-PASSWORD', url: 'http://10.0.0.5:8080/client/api', username: 'ops'},
    prod: {
      apikey: 'PRODAPIKEY1234',
      flavor: 'mold',
      secretkey: 'PROD-SECRET',
      url: 'https://mold.example/client/api',
    },
    stub: {url: 'https://stub/client/api'},
  },
})

const usageError = (pattern: RegExp) => (error: unknown) =>
  error instanceof UsageError && error.exitCode === ExitCode.Usage && pattern.test(error.message)

describe('profile names', () => {
  it('accepts ordinary names and refuses ones a shell or YAML would trip on', () => {
    for (const name of ['prod', 'lab-2', 'zone_a.mold', 'ops@site1', 'A1']) checkProfileName(name)
    for (const name of ['', '-x', 'a b', 'a/b', 'a:b', '.hidden', 'x'.repeat(65)]) {
      assert.throws(() => checkProfileName(name), usageError(/invalid profile name/))
    }
  })
})

describe('summaries and masking', () => {
  it('lists name, current marker, url, flavor and auth kind, sorted, without secrets', () => {
    const rows = summarizeProfiles(config())
    assert.deepEqual(rows, [
      {auth: 'password', current: false, flavor: 'auto', name: 'lab', url: 'http://10.0.0.5:8080/client/api'},
      {auth: 'api keys', current: true, flavor: 'mold', name: 'prod', url: 'https://mold.example/client/api'},
      {auth: 'none', current: false, flavor: 'auto', name: 'stub', url: 'https://stub/client/api'},
    ])
    const text = JSON.stringify(rows)
    for (const secret of ['LAB-PASSWORD', 'PROD-SECRET', 'PRODAPIKEY']) assert.ok(!text.includes(secret))
  })

  it('masks the secret key and password, and all but the last 4 characters of the API key', () => {
    assert.deepEqual(maskProfile(config().profiles.prod), {
      apikey: '****1234',
      flavor: 'mold',
      secretkey: '****',
      url: 'https://mold.example/client/api',
    })
    assert.deepEqual(maskProfile(config().profiles.lab), {
      password: '****',
      url: 'http://10.0.0.5:8080/client/api',
      username: 'ops',
    })
  })
})

describe('choosing a profile', () => {
  it('show picks the named one, else the current one, else a lone one', () => {
    assert.equal(pickProfileToShow(config(), 'lab'), 'lab')
    assert.equal(pickProfileToShow(config()), 'prod')
    assert.equal(pickProfileToShow({profiles: {solo: {url: 'https://s'}}}), 'solo')
  })

  it('show without a choice explains what to do', () => {
    assert.throws(() => pickProfileToShow({profiles: {}}), usageError(/no profiles exist yet/))
    const {profiles} = config()
    assert.throws(
      () => pickProfileToShow({profiles}),
      usageError(/no current profile; name one of: lab, prod, stub/),
    )
  })

  it('an unknown name lists the existing profiles', () => {
    assert.throws(
      () => requireProfile(config(), 'dev'),
      usageError(/no profile named "dev"; existing profiles: lab, prod, stub/),
    )
    assert.throws(() => requireProfile(config(), 'toString'), usageError(/no profile named "toString"/))
  })
})

describe('secretToRead', () => {
  it('asks for the secret key with --api-key and the password with --username', () => {
    assert.deepEqual(secretToRead({apiKey: 'K', secretKeyStdin: true}), {
      field: 'secretKey',
      fromStdin: true,
      label: 'Secret key',
      stdinFlag: '--secret-key-stdin',
    })
    assert.deepEqual(secretToRead({apiKey: 'K'}), {
      field: 'secretKey',
      fromStdin: false,
      label: 'Secret key',
      stdinFlag: '--secret-key-stdin',
    })
    assert.deepEqual(secretToRead({domain: '/', passwordStdin: true, username: 'u'}), {
      field: 'password',
      fromStdin: true,
      label: 'Password',
      stdinFlag: '--password-stdin',
    })
  })

  const refused: Array<[string, Parameters<typeof secretToRead>[0], RegExp]> = [
    [
      'two stdin secrets',
      {apiKey: 'K', passwordStdin: true, secretKeyStdin: true},
      /only one secret can come from stdin/,
    ],
    ['keys and login', {apiKey: 'K', username: 'u'}, /not both/],
    ['--secret-key-stdin alone', {secretKeyStdin: true}, /--secret-key-stdin needs --api-key/],
    ['--password-stdin alone', {passwordStdin: true}, /--password-stdin needs --username/],
    ['--domain with keys', {apiKey: 'K', domain: '/'}, /--domain only applies/],
    ['nothing', {}, /no credentials/],
  ]
  for (const [what, flags, pattern] of refused) {
    it(`refuses ${what} before anything is read`, () => {
      assert.throws(() => secretToRead(flags), usageError(pattern))
    })
  }
})

describe('buildProfile', () => {
  it('stores an API-key profile with the normalised URL and the chosen settings', () => {
    assert.deepEqual(
      buildProfile({
        apiKey: 'K',
        caFile: '/etc/ca.pem',
        flavor: 'mold',
        secretKey: 'S',
        timeout: 10,
        url: 'https://a.example, https://b.example/client',
      }),
      {
        apikey: 'K',
        cafile: '/etc/ca.pem',
        flavor: 'mold',
        secretkey: 'S',
        timeout: 10,
        url: 'https://a.example/client/api,https://b.example/client/api',
      },
    )
  })

  it('stores a login profile, defaulting the flavor to auto and recording --insecure', () => {
    assert.deepEqual(
      buildProfile({
        domain: '/ROOT/ops',
        insecure: true,
        password: 'pw',
        url: 'http://h:8080',
        username: 'u',
      }),
      {
        domain: '/ROOT/ops',
        flavor: 'auto',
        password: 'pw',
        url: 'http://h:8080/client/api',
        username: 'u',
        verifytls: false,
      },
    )
  })

  const refused: Array<[string, Parameters<typeof buildProfile>[0], RegExp]> = [
    ['no credentials', {url: 'https://a'}, /no credentials/],
    ['key without secret', {apiKey: 'K', url: 'https://a'}, /--api-key needs the secret key/],
    ['secret without key', {secretKey: 'TOPSECRET', url: 'https://a'}, /--api-key needs the secret key/],
    ['username without password', {url: 'https://a', username: 'u'}, /--username needs the password/],
    [
      'both kinds',
      {apiKey: 'K', password: 'TOPSECRET', secretKey: 'TOPSECRET', url: 'https://a', username: 'u'},
      /not both/,
    ],
    [
      'domain with keys',
      {apiKey: 'K', domain: '/', secretKey: 'TOPSECRET', url: 'https://a'},
      /--domain only applies/,
    ],
    ['empty secret', {apiKey: 'K', secretKey: '', url: 'https://a'}, /secret read was empty/],
    [
      'bad URL',
      {apiKey: 'K', secretKey: 'TOPSECRET', url: 'mold.example'},
      /--url: "mold.example" is not a URL/,
    ],
    [
      'zero timeout',
      {apiKey: 'K', secretKey: 'TOPSECRET', timeout: 0, url: 'https://a'},
      /--timeout must be a positive/,
    ],
  ]
  for (const [what, input, pattern] of refused) {
    it(`refuses ${what} (exit 2) without echoing secrets`, () => {
      assert.throws(
        () => buildProfile(input),
        (error: unknown) => usageError(pattern)(error) && !(error as Error).message.includes('TOPSECRET'),
      )
    })
  }
})

describe('importCmkProfiles', () => {
  const cmk = parseCmkConfig(`profile = prod
verifycert = true
[prod]
url = https://mold.example/client/api
apikey = CMK-KEY
secretkey = CMK-SECRET
[lab]
url = http://10.0.0.9:8080/client/api
username = admin
password = CMK-PASSWORD
[bad name]
url = https://x/client/api
apikey = K
secretkey = S
[broken]
url = mold.example
apikey = K
secretkey = S
`)

  it('imports CloudMonkey’s current profile when nothing is named, and makes it current', () => {
    const target: ConfigFile = {profiles: {}}
    const result = importCmkProfiles(target, cmk, {names: []})
    assert.deepEqual(result, {current: 'prod', imported: ['prod'], replaced: [], skipped: []})
    assert.deepEqual(target, {current: 'prod', profiles: {prod: cmk.profiles.prod}})
  })

  it('--all imports every usable profile and explains the ones it skips', () => {
    const target: ConfigFile = {profiles: {}}
    const result = importCmkProfiles(target, cmk, {all: true, names: []})
    assert.deepEqual(result.imported, ['prod', 'lab'])
    assert.deepEqual(
      result.skipped.map((s) => s.name),
      ['bad name', 'broken'],
    )
    assert.match(result.skipped[0].reason, /cannot be used as a moldctl profile name/)
    assert.match(result.skipped[1].reason, /URL is not usable/)
    assert.deepEqual(Object.keys(target.profiles), ['prod', 'lab'])
  })

  it('keeps existing moldctl profiles unless forced, and keeps the current one', () => {
    const mine = {apikey: 'MINE', secretkey: 'MINE-S', url: 'https://mine/client/api'}
    const target: ConfigFile = {current: 'mine', profiles: {mine, prod: mine}}
    const kept = importCmkProfiles(target, cmk, {names: ['prod', 'lab']})
    assert.deepEqual(kept.imported, ['lab'])
    assert.deepEqual(kept.skipped, [
      {name: 'prod', reason: 'a moldctl profile with this name exists (--force replaces it)'},
    ])
    assert.equal(target.profiles.prod, mine)

    const forced = importCmkProfiles(target, cmk, {force: true, names: ['prod']})
    assert.deepEqual(forced, {imported: ['prod'], replaced: ['prod'], skipped: []})
    assert.equal(target.profiles.prod.apikey, 'CMK-KEY')
    assert.equal(target.current, 'mine')
  })

  it('refuses unknown names listing what the file has, and names with --all', () => {
    assert.throws(
      () => importCmkProfiles({profiles: {}}, cmk, {names: ['prod', 'nope']}),
      usageError(/not in the CloudMonkey config: nope; its profiles: prod, lab, bad name, broken/),
    )
    assert.throws(
      () => importCmkProfiles({profiles: {}}, cmk, {all: true, names: ['prod']}),
      usageError(/not both/),
    )
  })

  it('without a current CloudMonkey profile, asks for names or --all', () => {
    const noCurrent = {profiles: cmk.profiles}
    assert.throws(
      () => importCmkProfiles({profiles: {}}, noCurrent, {names: []}),
      usageError(/names no current profile/),
    )
  })

  it('does not change the configuration when it refuses', () => {
    const target: ConfigFile = {profiles: {}}
    assert.throws(() => importCmkProfiles(target, cmk, {names: ['nope']}))
    assert.deepEqual(target, {profiles: {}})
  })
})
