import {assert as checkProperty, constantFrom, domain, integer, option, property} from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {ConfigFile} from '../../../src/lib/config/profiles.js'

import {
  type ConnectionFlags,
  normaliseEndpoint,
  parseEndpointList,
  resolveConnection,
  resolveMaxAnswer,
} from '../../../src/lib/config/connection.js'
import {ConfigError, ExitCode, UsageError} from '../../../src/lib/core/errors.js'

const twoProfiles: ConfigFile = {
  current: 'prod',
  profiles: {
    lab: {
      domain: '/lab',
      flavor: 'cloudstack',
      password: 'lab-pass',
      url: 'http://10.0.0.5:8080',
      username: 'ops',
      verifytls: false,
    },
    prod: {
      apikey: 'PROD-KEY',
      cafile: '/etc/ssl/prod-ca.pem',
      flavor: 'mold',
      secretkey: 'PROD-SECRET',
      timeout: 45,
      url: 'https://mold.example/client/api',
    },
  },
}

const resolve = (
  flags: ConnectionFlags = {},
  env: NodeJS.ProcessEnv = {},
  config: ConfigFile = twoProfiles,
) => resolveConnection(flags, env, config)

function rejects(fn: () => unknown, check: (error: ConfigError | UsageError) => void): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError || error instanceof UsageError, String(error))
    check(error)
    return true
  })
}

describe('resolveConnection: profile selection', () => {
  it('uses the current profile with its settings', () => {
    assert.deepEqual(resolve(), {
      apiKey: 'PROD-KEY',
      caFile: '/etc/ssl/prod-ca.pem',
      flavor: 'mold',
      profileName: 'prod',
      proxy: {source: 'none'},
      secretKey: 'PROD-SECRET',
      source: 'profile "prod"',
      maxAnswer: {bytes: 64 * 1024 * 1024, source: 'the default'},
      timeoutMs: 45_000,
      urls: ['https://mold.example/client/api'],
      verifyTls: true,
    })
  })

  it('--profile wins over MOLDCTL_PROFILE, which wins over current', () => {
    assert.equal(resolve({profile: 'lab'}, {MOLDCTL_PROFILE: 'prod'}).profileName, 'lab')
    assert.equal(resolve({}, {MOLDCTL_PROFILE: 'lab'}).profileName, 'lab')
    assert.equal(resolve({}, {MOLDCTL_PROFILE: ''}).profileName, 'prod')
  })

  it('uses a lone profile even when none is current', () => {
    const config: ConfigFile = {profiles: {only: {apikey: 'K', secretkey: 'S', url: 'https://only.example'}}}
    const settings = resolve({}, {}, config)
    assert.equal(settings.profileName, 'only')
    assert.deepEqual(settings.urls, ['https://only.example/client/api'])
  })

  it('takes a login profile: username, password, domain; no keys; TLS checks off; defaults', () => {
    const settings = resolve({profile: 'lab'})
    assert.deepEqual(settings, {
      domain: '/lab',
      flavor: 'cloudstack',
      password: 'lab-pass',
      profileName: 'lab',
      proxy: {source: 'none'},
      source: 'profile "lab"',
      maxAnswer: {bytes: 64 * 1024 * 1024, source: 'the default'},
      timeoutMs: 30_000,
      urls: ['http://10.0.0.5:8080/client/api'],
      username: 'ops',
      verifyTls: false,
    })
  })

  it('an unknown --profile lists the existing profiles (exit 3)', () => {
    rejects(
      () => resolve({profile: 'staging'}),
      (error) => {
        assert.equal(error.exitCode, ExitCode.Config)
        assert.equal(error.message, 'no profile named "staging"; existing profiles: lab, prod')
      },
    )
  })

  it('an unknown MOLDCTL_PROFILE says where the name came from', () => {
    rejects(
      () => resolve({}, {MOLDCTL_PROFILE: 'staging'}),
      (error) =>
        assert.match(error.message, /"staging" \(from MOLDCTL_PROFILE\); existing profiles: lab, prod/),
    )
  })

  it('an unknown profile with no profiles at all suggests adding it', () => {
    rejects(
      () => resolve({profile: 'new'}, {}, {profiles: {}}),
      (error) => {
        assert.match(error.message, /no profiles exist yet/)
        assert.deepEqual(error.suggestions, [
          'moldctl profile add new --url URL --api-key KEY --secret-key-stdin',
        ])
      },
    )
  })

  it('does not treat inherited object keys as profiles', () => {
    rejects(
      () => resolve({profile: 'constructor'}),
      (error) => assert.match(error.message, /no profile named "constructor"/),
    )
  })
})

describe('resolveConnection: flags and environment over the profile', () => {
  it('--url replaces the profile URL but keeps its credentials', () => {
    const settings = resolve({url: 'https://mold-b.example'})
    assert.deepEqual(settings.urls, ['https://mold-b.example/client/api'])
    assert.equal(settings.apiKey, 'PROD-KEY')
    assert.equal(settings.source, 'flags, profile "prod"')
  })

  it('--insecure, --ca-file and --timeout win over the profile', () => {
    const settings = resolve({caFile: '/tmp/other.pem', insecure: true, timeout: 2.5})
    assert.equal(settings.verifyTls, false)
    assert.equal(settings.caFile, '/tmp/other.pem')
    assert.equal(settings.timeoutMs, 2500)
  })

  it('rejects a non-positive --timeout as a usage error', () => {
    for (const timeout of [0, -3, Number.NaN]) {
      rejects(
        () => resolve({timeout}),
        (error) => {
          assert.ok(error instanceof UsageError)
          assert.match(error.message, /the request timeout must be a positive number of seconds/)
        },
      )
    }
  })

  it('MOLDCTL_* variables win over the profile', () => {
    const settings = resolve(
      {},
      {
        MOLDCTL_API_KEY: 'ENV-KEY',
        MOLDCTL_FLAVOR: 'cloudstack',
        MOLDCTL_SECRET_KEY: 'ENV-SECRET',
        MOLDCTL_URL: 'https://env.example/client',
      },
    )
    assert.deepEqual(settings.urls, ['https://env.example/client/api'])
    assert.equal(settings.apiKey, 'ENV-KEY')
    assert.equal(settings.secretKey, 'ENV-SECRET')
    assert.equal(settings.flavor, 'cloudstack')
    assert.equal(settings.source, 'environment')
    // Settings with no environment counterpart still come from the profile.
    assert.equal(settings.timeoutMs, 45_000)
    assert.equal(settings.profileName, 'prod')
  })

  it('refuses MOLDCTL_URL with the credentials of a profile that has another URL (exit 3)', () => {
    for (const env of [
      {MOLDCTL_URL: 'https://other.example'},
      {CLOUDSTACK_API_URL: 'https://other.example'},
    ]) {
      rejects(
        () => resolve({}, env),
        (error) => {
          assert.ok(error instanceof ConfigError)
          assert.match(
            error.message,
            /is not the URL of profile "prod" \(https:\/\/mold\.example\/client\/api\)/,
          )
          assert.ok(error.suggestions.some((s) => s.includes('--url https://other.example/client/api')))
        },
      )
    }

    // The profile's own URL (in any short form), one of its failover URLs, or --url: no refusal.
    assert.equal(resolve({}, {MOLDCTL_URL: 'https://mold.example'}).apiKey, 'PROD-KEY')
    assert.equal(resolve({url: 'https://other.example'}, {}).apiKey, 'PROD-KEY')
    const failover: ConfigFile = {
      current: 'k',
      profiles: {k: {apikey: 'K', secretkey: 'S', url: 'https://a.example,https://b.example'}},
    }
    assert.deepEqual(resolve({}, {MOLDCTL_URL: 'https://b.example/client'}, failover).urls, [
      'https://b.example/client/api',
    ])
  })

  it('--url wins over MOLDCTL_URL', () => {
    const settings = resolve({url: 'https://flag.example'}, {MOLDCTL_URL: 'https://env.example'})
    assert.deepEqual(settings.urls, ['https://flag.example/client/api'])
  })

  it('MOLDCTL_USERNAME/PASSWORD/DOMAIN give a login', () => {
    const settings = resolve(
      {},
      {
        MOLDCTL_DOMAIN: '/ops',
        MOLDCTL_PASSWORD: ' p w ',
        MOLDCTL_URL: 'http://h:8080',
        MOLDCTL_USERNAME: 'u',
      },
      {profiles: {}},
    )
    assert.equal(settings.username, 'u')
    assert.equal(settings.password, ' p w ', 'secrets are used exactly as given')
    assert.equal(settings.domain, '/ops')
    assert.equal(settings.apiKey, undefined)
    assert.equal(settings.profileName, undefined)
    assert.equal(settings.source, 'environment')
  })

  it('MOLDCTL_DOMAIN alone changes the domain of a profile login', () => {
    assert.equal(resolve({}, {MOLDCTL_DOMAIN: '/other', MOLDCTL_PROFILE: 'lab'}).domain, '/other')
  })

  it('a profile named with --profile comes before the environment (never the exported server instead)', () => {
    const env = {
      MOLDCTL_API_KEY: 'ENV-KEY',
      MOLDCTL_DOMAIN: '/other',
      MOLDCTL_FLAVOR: 'mold',
      MOLDCTL_SECRET_KEY: 'ENV-SECRET',
      MOLDCTL_URL: 'https://env.example',
    }
    const settings = resolve({profile: 'lab'}, env)
    assert.deepEqual(settings.urls, ['http://10.0.0.5:8080/client/api'])
    assert.deepEqual([settings.username, settings.password, settings.domain], ['ops', 'lab-pass', '/lab'])
    assert.equal(settings.apiKey, undefined)
    assert.equal(settings.flavor, 'cloudstack')
    assert.equal(settings.source, 'profile "lab"')
    // Named through MOLDCTL_PROFILE instead, the profile ranks after the other variables.
    const viaEnv = resolve({}, {...env, MOLDCTL_PROFILE: 'lab'})
    assert.deepEqual(
      [viaEnv.urls[0], viaEnv.apiKey, viaEnv.source],
      ['https://env.example/client/api', 'ENV-KEY', 'environment'],
    )
  })

  it('with --profile, the environment still fills in what the profile lacks', () => {
    const config: ConfigFile = {profiles: {urlOnly: {url: 'https://ci.example'}}}
    const settings = resolve(
      {profile: 'urlOnly'},
      {CLOUDSTACK_API_KEY: 'K', CLOUDSTACK_SECRET_KEY: 'S'},
      config,
    )
    assert.deepEqual(
      [settings.urls[0], settings.apiKey, settings.secretKey],
      ['https://ci.example/client/api', 'K', 'S'],
    )
    assert.equal(settings.source, 'profile "urlOnly", environment')
  })

  it('reads the Terraform provider variables', () => {
    const settings = resolve(
      {},
      {
        CLOUDSTACK_API_KEY: 'TF-KEY',
        CLOUDSTACK_API_URL: 'https://tf.example/client/api',
        CLOUDSTACK_SECRET_KEY: 'TF-SECRET',
      },
      {profiles: {}},
    )
    assert.deepEqual(
      {apiKey: settings.apiKey, secretKey: settings.secretKey, source: settings.source, urls: settings.urls},
      {
        apiKey: 'TF-KEY',
        secretKey: 'TF-SECRET',
        source: 'environment',
        urls: ['https://tf.example/client/api'],
      },
    )
  })

  it('reads the cs library / Ansible variables', () => {
    const settings = resolve(
      {},
      {
        CLOUDSTACK_ENDPOINT: 'https://cs.example/client/api',
        CLOUDSTACK_KEY: 'CS-KEY',
        CLOUDSTACK_SECRET: 'CS-SECRET',
      },
      {profiles: {}},
    )
    assert.deepEqual(
      [settings.apiKey, settings.secretKey, settings.urls[0]],
      ['CS-KEY', 'CS-SECRET', 'https://cs.example/client/api'],
    )
  })

  it('prefers MOLDCTL_* over the Terraform names over the cs names', () => {
    const all = {
      CLOUDSTACK_API_KEY: 'TF-KEY',
      CLOUDSTACK_API_URL: 'https://tf.example',
      CLOUDSTACK_ENDPOINT: 'https://cs.example',
      CLOUDSTACK_KEY: 'CS-KEY',
      CLOUDSTACK_SECRET: 'CS-SECRET',
      CLOUDSTACK_SECRET_KEY: 'TF-SECRET',
      MOLDCTL_API_KEY: 'M-KEY',
      MOLDCTL_SECRET_KEY: 'M-SECRET',
      MOLDCTL_URL: 'https://m.example',
    }
    const pick = (env: NodeJS.ProcessEnv) => {
      const s = resolve({}, env, {profiles: {}})
      return [s.urls[0], s.apiKey, s.secretKey]
    }

    const without = (prefix: string, env: NodeJS.ProcessEnv) =>
      Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith(prefix)))
    assert.deepEqual(pick(all), ['https://m.example/client/api', 'M-KEY', 'M-SECRET'])
    const noMoldctl = without('MOLDCTL_', all)
    assert.deepEqual(pick(noMoldctl), ['https://tf.example/client/api', 'TF-KEY', 'TF-SECRET'])
    assert.deepEqual(pick(without('CLOUDSTACK_API_', without('CLOUDSTACK_SECRET_KEY', noMoldctl))), [
      'https://cs.example/client/api',
      'CS-KEY',
      'CS-SECRET',
    ])
  })

  it('never mixes a key from one place with a secret from another', () => {
    rejects(
      () => resolve({}, {MOLDCTL_API_KEY: 'ENV-KEY'}),
      (error) => {
        assert.equal(error.exitCode, ExitCode.Config)
        assert.equal(error.message, 'the environment (MOLDCTL_*) has an API key but no secret key')
      },
    )
    rejects(
      () => resolve({}, {CLOUDSTACK_SECRET: 'S'}),
      (error) =>
        assert.equal(
          error.message,
          'the environment (CLOUDSTACK_KEY/CLOUDSTACK_SECRET) has a secret key but no API key',
        ),
    )
  })

  it('uses the keys and drops the login when a profile has both (no silent fallback)', () => {
    const config: ConfigFile = {
      profiles: {
        both: {apikey: 'K', password: 'password', secretkey: 'S', url: 'https://b', username: 'admin'},
      },
    }
    const settings = resolve({}, {}, config)
    assert.equal(settings.apiKey, 'K')
    assert.equal(settings.username, undefined)
    assert.equal(settings.password, undefined)
  })

  it('rejects a bad MOLDCTL_FLAVOR', () => {
    rejects(
      () => resolve({}, {MOLDCTL_FLAVOR: 'sha1'}),
      (error) => assert.match(error.message, /MOLDCTL_FLAVOR must be one of auto, cloudstack, mold/),
    )
  })

  it('ignores blank variables', () => {
    assert.equal(resolve({}, {MOLDCTL_API_KEY: '  ', MOLDCTL_URL: ''}).apiKey, 'PROD-KEY')
  })
})

describe('resolveConnection: nothing configured', () => {
  const suggestionsMention = (error: ConfigError | UsageError, text: string) =>
    assert.ok(
      error.suggestions.some((s) => s.includes(text)),
      `${JSON.stringify(error.suggestions)} ∌ ${text}`,
    )

  it('no profiles and no environment: says how to add a profile or set variables', () => {
    rejects(
      () => resolve({}, {}, {profiles: {}}),
      (error) => {
        assert.equal(error.exitCode, ExitCode.Config)
        assert.equal(error.message, 'no management server URL configured')
        suggestionsMention(error, 'moldctl profile add NAME --url URL --api-key KEY --secret-key-stdin')
        suggestionsMention(error, 'MOLDCTL_URL, MOLDCTL_API_KEY and MOLDCTL_SECRET_KEY')
      },
    )
  })

  it('a URL but no credentials', () => {
    rejects(
      () => resolve({url: 'https://x.example'}, {}, {profiles: {}}),
      (error) => {
        assert.equal(error.exitCode, ExitCode.Config)
        assert.match(error.message, /^no credentials/)
        suggestionsMention(error, 'moldctl profile add')
        suggestionsMention(error, 'MOLDCTL_API_KEY')
      },
    )
  })

  it('a profile without credentials names the profile', () => {
    rejects(
      () => resolve({}, {}, {profiles: {bare: {url: 'https://bare'}}}),
      (error) => {
        assert.match(error.message, /^profile "bare" has no credentials/)
        suggestionsMention(error, 'moldctl profile add bare --url URL')
      },
    )
  })

  it('several profiles and none current: suggests picking one', () => {
    const config = {profiles: twoProfiles.profiles}
    rejects(
      () => resolve({}, {}, config),
      (error) => {
        assert.match(error.message, /several profiles exist \(lab, prod\) and none is current/)
        suggestionsMention(error, 'moldctl profile use NAME')
      },
    )
  })

  it('a current profile that no longer exists is reported', () => {
    rejects(
      () => resolve({}, {}, {...twoProfiles, current: 'gone'}),
      (error) => assert.match(error.message, /the current profile "gone" does not exist/),
    )
  })

  it('a dangling current profile does not matter when the environment has everything', () => {
    const settings = resolve(
      {},
      {MOLDCTL_API_KEY: 'K', MOLDCTL_SECRET_KEY: 'S', MOLDCTL_URL: 'https://e'},
      {...twoProfiles, current: 'gone'},
    )
    assert.equal(settings.profileName, undefined)
    assert.equal(settings.source, 'environment')
  })

  it('error messages never contain secrets', () => {
    const cases: Array<() => unknown> = [
      () => resolve({}, {MOLDCTL_API_KEY: 'K', MOLDCTL_PASSWORD: 'TOPSECRET'}),
      () => resolve({}, {MOLDCTL_SECRET_KEY: 'TOPSECRET'}),
      () => resolve({}, {MOLDCTL_PASSWORD: 'TOPSECRET'}),
      () => resolve({url: 'https://u:TOPSECRET@h'}),
      () => resolve({url: 'admin:TOPSECRET@mold.example'}),
      () => resolve({url: 'https://a.example,,admin:TOPSECRET@b'}),
      () => resolve({url: 'https://admin:TOPSECRET@a.example/client/api?x=1'}),
    ]
    for (const run of cases) {
      rejects(run, (error) => {
        assert.ok(!error.message.includes('TOPSECRET'))
        assert.ok(!error.suggestions.join(' ').includes('TOPSECRET'))
      })
    }
  })
})

describe('endpoint lists', () => {
  it('splits a comma-separated failover list, trims and normalises each entry', () => {
    assert.deepEqual(
      parseEndpointList(' http://10.0.0.1:8080 , https://b.example/client,https://c.example/client/api/ '),
      ['http://10.0.0.1:8080/client/api', 'https://b.example/client/api', 'https://c.example/client/api'],
    )
  })

  it('--url failover list reaches the settings in order', () => {
    assert.deepEqual(resolve({url: 'https://a.example,https://b.example'}).urls, [
      'https://a.example/client/api',
      'https://b.example/client/api',
    ])
  })

  it('a profile may hold a failover list too', () => {
    const config: ConfigFile = {profiles: {ha: {apikey: 'K', secretkey: 'S', url: 'https://a, https://b'}}}
    assert.deepEqual(resolve({}, {}, config).urls, ['https://a/client/api', 'https://b/client/api'])
  })

  it('drops repeated endpoints', () => {
    assert.deepEqual(parseEndpointList('https://a,https://a/client/api'), ['https://a/client/api'])
  })

  it('keeps a custom API path behind a proxy', () => {
    assert.equal(normaliseEndpoint('https://gw.example/mold/api'), 'https://gw.example/mold/api')
    assert.equal(normaliseEndpoint('https://gw.example/zone1/client'), 'https://gw.example/zone1/client/api')
  })

  const badLists: Array<[string, RegExp]> = [
    ['', /no URL given/],
    ['https://a,,https://b', /empty entry/],
    ['mold.example:8080', /must start with http:\/\/ or https:\/\//],
    ['ftp://mold.example', /must start with http:\/\/ or https:\/\//],
    ['not a url', /is not a URL/],
    ['https://a/client/api?command=listZones', /query string/],
    ['https://admin:pw@a', /credentials do not belong in the URL/],
  ]
  for (const [text, pattern] of badLists) {
    it(`--url ${JSON.stringify(text)} is a usage error (exit 2)`, () => {
      rejects(
        () => parseEndpointList(text),
        (error) => {
          assert.ok(error instanceof UsageError)
          assert.equal(error.exitCode, ExitCode.Usage)
          assert.match(error.message, pattern)
          assert.ok(error.message.startsWith('--url: '))
        },
      )
    })
  }

  it('a bad URL from the environment or a profile is a config error naming its source', () => {
    rejects(
      () => resolve({}, {MOLDCTL_URL: 'mold.example'}),
      (error) => {
        assert.ok(error instanceof ConfigError)
        assert.ok(error.message.startsWith('MOLDCTL_URL: '))
      },
    )
    rejects(
      () => resolve({}, {}, {profiles: {p: {apikey: 'K', secretkey: 'S', url: 'ftp://x'}}}),
      (error) => {
        assert.ok(error instanceof ConfigError)
        assert.ok(error.message.startsWith('profile "p" url: '))
      },
    )
  })

  it('normalising is idempotent and always ends in the API path for host-only URLs', () => {
    const host = domain()
    const port = option(integer({max: 65_535, min: 1}), {nil: undefined})
    const suffix = constantFrom('', '/', '/client', '/client/', '/client/api', '/client/api/')
    checkProperty(
      property(constantFrom('http', 'https'), host, port, suffix, (scheme, name, p, tail) => {
        const once = normaliseEndpoint(`${scheme}://${name}${p === undefined ? '' : `:${p}`}${tail}`)
        assert.ok(once.endsWith('/client/api'), once)
        assert.equal(normaliseEndpoint(once), once)
      }),
    )
  })
})

describe('resolveConnection: the proxy', () => {
  it('takes --proxy, else the profile proxy:, else the environment', () => {
    const config: ConfigFile = {
      current: 'p',
      profiles: {p: {apikey: 'K', proxy: 'http://profile:3128', secretkey: 'S', url: 'https://p.example'}},
    }
    const env = {HTTPS_PROXY: 'http://env:3128'}
    assert.deepEqual(resolve({}, env, config).proxy, {source: 'profile', url: 'http://profile:3128'})
    assert.deepEqual(resolve({proxy: 'http://flag:1'}, env, config).proxy, {
      source: 'flag',
      url: 'http://flag:1',
    })
    assert.deepEqual(resolve({proxy: ''}, env, config).proxy, {source: 'flag'})
    assert.equal(resolve({}, env).proxy?.source, 'environment')
  })

  it('refuses a password in --proxy (exit 2) and a bad profile proxy: (exit 3)', () => {
    rejects(
      () => resolve({proxy: 'http://u:pw@proxy:3128'}),
      (error) => {
        assert.equal(error.exitCode, ExitCode.Usage)
        assert.doesNotMatch(error.message, /pw/)
      },
    )
    const config: ConfigFile = {
      current: 'p',
      profiles: {p: {apikey: 'K', proxy: 'ftp://proxy:21', secretkey: 'S', url: 'https://p.example'}},
    }
    rejects(
      () => resolve({}, {}, config),
      (error) => {
        assert.equal(error.exitCode, ExitCode.Config)
        assert.match(error.message, /profile "p" proxy: ftp:\/\/ proxies are not supported/)
      },
    )
  })
})

describe('resolveMaxAnswer (the cap on one answer)', () => {
  it('MOLDCTL_MAX_ANSWER_BYTES, then the profile, then 64 MiB', () => {
    const profile = {maxanswerbytes: 1000, url: 'http://x/client/api'}
    assert.deepEqual(resolveMaxAnswer({MOLDCTL_MAX_ANSWER_BYTES: '5000'}, 'p', profile), {
      bytes: 5000,
      source: 'MOLDCTL_MAX_ANSWER_BYTES',
    })
    assert.deepEqual(resolveMaxAnswer({}, 'p', profile), {bytes: 1000, source: 'profile "p" maxanswerbytes'})
    assert.deepEqual(resolveMaxAnswer({}), {bytes: 67_108_864, source: 'the default'})
  })

  it('refuses what is not a positive whole number of bytes', () => {
    for (const value of ['0', '-1', '1e6', '64MB', '1.5', '99999999999999999999'])
      assert.throws(() => resolveMaxAnswer({MOLDCTL_MAX_ANSWER_BYTES: value}), /positive whole number/)
  })
})
