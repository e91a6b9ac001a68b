/* eslint-disable camelcase -- the proxy variables are spelled so (http_proxy, no_proxy) */
import assert from 'node:assert/strict'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {type AddressInfo} from 'node:net'
import path from 'node:path'
import {after, before, beforeEach, describe, it} from 'node:test'
import {parse} from 'yaml'

import {json, makeHome, runCli, simEnv} from '../helpers/cli.js'
import {type ForwardProxy, startForwardProxy} from '../helpers/forward-proxy.js'
import {writeProfiles} from '../helpers/profiles.js'
import {startTestSim, type TestSim} from '../helpers/sim.js'
import {simulateWorkApi} from '../helpers/test-apis.js'
import {runInTerminal} from '../helpers/tty.js'

const PROXY_PASSWORD = 'pr0xy-s3cret-do-not-show'

let sim: TestSim
let tlsSim: TestSim
let proxy: ForwardProxy
let other: ForwardProxy
let authProxy: ForwardProxy
let caFile: string
const scratch = makeHome()

before(async () => {
  ;[sim, tlsSim, proxy, other, authProxy] = await Promise.all([
    startTestSim({apis: [simulateWorkApi]}),
    startTestSim({tls: true}),
    startForwardProxy(),
    startForwardProxy(),
    startForwardProxy({auth: {password: PROXY_PASSWORD, user: 'ops'}}),
  ])
  caFile = path.join(scratch.root, 'ca.pem')
  writeFileSync(caFile, tlsSim.caCertificatePem!)
})
after(async () => {
  await Promise.all([sim.close(), tlsSim.close(), proxy.close(), other.close(), authProxy.close()])
  scratch.remove()
})
beforeEach(() => {
  for (const p of [proxy, other, authProxy]) p.relayed.length = 0
})

const simPort = () => new URL(sim.url).port
const zoneNames = (stdout: string) => (JSON.parse(stdout) as Array<{name: string}>).map((z) => z.name)

/** A loopback port that nothing listens on (opened, then closed again). */
async function closedPort(): Promise<number> {
  const dead = createServer()
  await new Promise<void>((resolve) => {
    dead.listen(0, '127.0.0.1', resolve)
  })
  const {port} = dead.address() as AddressInfo
  await new Promise((resolve) => {
    dead.close(resolve)
  })
  return port
}

describe('proxies from the environment', () => {
  it('sends https:// requests through HTTPS_PROXY as a CONNECT tunnel, the server verified with --ca-file', async () => {
    const r = await runCli(['zone', 'list', '--json', '--ca-file', caFile], {
      env: {...simEnv(tlsSim), HTTPS_PROXY: proxy.url},
    })
    assert.equal(r.code, 0, r.stderr)
    assert.ok(zoneNames(r.stdout).length > 0)
    const tunnels = proxy.relayed.filter((q) => q.method === 'CONNECT')
    assert.ok(tunnels.length > 0, 'the proxy relayed a tunnel')
    assert.deepEqual(
      new Set(tunnels.map((q) => q.target)),
      new Set([`127.0.0.1:${new URL(tlsSim.url).port}`]),
    )
  })

  it('still verifies the server at the end of the tunnel (no --ca-file: exit 3, TLS)', async () => {
    const r = await runCli(['zone', 'list'], {env: {...simEnv(tlsSim), HTTPS_PROXY: proxy.url}})
    assert.equal(r.code, 3, r.stderr)
    assert.match(r.stderr, /TLS verification of 127\.0\.0\.1:\d+ failed/)
    assert.ok(proxy.relayed.some((q) => q.method === 'CONNECT'))
  })

  it('sends http:// requests through http_proxy as absolute-URI requests', async () => {
    const r = await runCli(['zone', 'list', '--json'], {env: {...simEnv(sim), http_proxy: proxy.url}})
    assert.equal(r.code, 0, r.stderr)
    assert.ok(proxy.relayed.length > 0)
    for (const q of proxy.relayed) {
      assert.equal(q.method, 'GET')
      assert.match(
        q.target,
        new RegExp(`^http://127\\.0\\.0\\.1:${simPort()}/client/api\\?.*command=listZones`),
      )
    }
  })

  it('takes HTTP_PROXY in upper case too, and the lower-case form when both are set', async () => {
    let r = await runCli(['zone', 'list', '--json'], {env: {...simEnv(sim), HTTP_PROXY: other.url}})
    assert.equal(r.code, 0, r.stderr)
    assert.ok(other.relayed.length > 0, 'HTTP_PROXY was used')
    other.relayed.length = 0
    r = await runCli(['zone', 'list', '--json'], {
      env: {...simEnv(sim), HTTP_PROXY: other.url, http_proxy: proxy.url},
    })
    assert.equal(r.code, 0, r.stderr)
    assert.ok(proxy.relayed.length > 0, 'http_proxy was used')
    assert.equal(other.relayed.length, 0, 'HTTP_PROXY was not')
  })

  it('goes direct for hosts NO_PROXY names: the host, *, and host:port of the right port only', async () => {
    for (const noProxy of [
      '127.0.0.1',
      '*',
      `127.0.0.1:${simPort()}`,
      '127.0.0.0/8',
      'example.org, 127.0.0.1',
    ]) {
      const r = await runCli(['zone', 'list', '--json'], {
        env: {...simEnv(sim), HTTP_PROXY: proxy.url, NO_PROXY: noProxy},
      })
      assert.equal(r.code, 0, `${noProxy}: ${r.stderr}`)
      assert.equal(proxy.relayed.length, 0, `NO_PROXY=${noProxy} went through the proxy`)
    }

    const r = await runCli(['zone', 'list', '--json'], {
      env: {...simEnv(sim), HTTP_PROXY: proxy.url, no_proxy: '127.0.0.1:1'},
    })
    assert.equal(r.code, 0, r.stderr)
    assert.ok(proxy.relayed.length > 0, 'another port of the host still goes through the proxy')
  })

  it('goes direct for NO_PROXY suffixes (example.com and .example.com), as profile show reports', async () => {
    const home = makeHome()
    try {
      await writeProfiles(home, {
        current: 'lab',
        profiles: {lab: {apikey: 'k', secretkey: 's', url: 'https://api.cloud.test/client/api'}},
      })
      for (const [noProxy, expected] of [
        ['cloud.test', 'none (NO_PROXY matches api.cloud.test)'],
        ['.cloud.test', 'none (NO_PROXY matches api.cloud.test)'],
        ['api.cloud.test:443', 'none (NO_PROXY matches api.cloud.test)'],
        ['api.cloud.test:8443', `http://127.0.0.1:${proxy.port} (from HTTPS_PROXY)`],
        ['ud.test', `http://127.0.0.1:${proxy.port} (from HTTPS_PROXY)`],
      ] as const) {
        const r = await runCli(['profile', 'show', '--json'], {
          env: {HTTPS_PROXY: proxy.url, NO_PROXY: noProxy},
          home,
        })
        assert.equal(json<{proxyinuse: string}>(r).proxyinuse, expected, `NO_PROXY=${noProxy}`)
      }
    } finally {
      home.remove()
    }
  })
})

describe('proxies from the environment, by name and case', () => {
  it('takes https_proxy in lower case, over HTTPS_PROXY when both are set', async () => {
    const r = await runCli(['zone', 'list', '--json', '--ca-file', caFile], {
      env: {...simEnv(tlsSim), HTTPS_PROXY: other.url, https_proxy: proxy.url},
    })
    assert.equal(r.code, 0, r.stderr)
    assert.ok(
      proxy.relayed.some((q) => q.method === 'CONNECT'),
      'https_proxy was used',
    )
    assert.equal(other.relayed.length, 0, 'HTTPS_PROXY was not')
  })

  it('applies NO_PROXY suffixes to real requests: localhost and .localhost go direct, calhost (no label boundary) does not', async () => {
    const url = sim.url.replace('127.0.0.1', 'localhost')
    for (const noProxy of ['localhost', '.localhost', 'LOCALHOST', `.localhost:${simPort()}`]) {
      const r = await runCli(['zone', 'list', '--json'], {
        env: {...simEnv(sim), HTTP_PROXY: proxy.url, MOLDCTL_URL: url, no_proxy: noProxy},
      })
      assert.equal(r.code, 0, `${noProxy}: ${r.stderr}`)
      assert.equal(proxy.relayed.length, 0, `no_proxy=${noProxy} went through the proxy`)
    }

    const r = await runCli(['zone', 'list', '--json'], {
      env: {...simEnv(sim), HTTP_PROXY: proxy.url, MOLDCTL_URL: url, NO_PROXY: 'calhost'},
    })
    assert.equal(r.code, 0, r.stderr)
    assert.ok(
      proxy.relayed.some((q) => q.target.startsWith(`http://localhost:${simPort()}/client/api?`)),
      'calhost is not a suffix of localhost: through the proxy',
    )
  })

  it('goes through the proxy for a name NO_PROXY does not cover (ud.test is no suffix of cloud.test; the proxy resolves the name)', async () => {
    const url = sim.url.replace('127.0.0.1', 'api.cloud.test')
    const r = await runCli(['zone', 'list', '--json'], {
      env: {...simEnv(sim), HTTP_PROXY: proxy.url, MOLDCTL_URL: url, NO_PROXY: 'ud.test,.example.org'},
    })
    assert.equal(r.code, 0, r.stderr)
    assert.ok(proxy.relayed.some((q) => q.target.startsWith(`http://api.cloud.test:${simPort()}/`)))
    assert.ok(zoneNames(r.stdout).length > 0)
  })
})

describe('the profile and --proxy override the environment', () => {
  it("uses the profile's proxy: over HTTPS_PROXY/HTTP_PROXY, and --proxy over both", async () => {
    const home = makeHome()
    try {
      await writeProfiles(home, {
        current: 'lab',
        profiles: {lab: {apikey: sim.apiKey, proxy: other.url, secretkey: sim.secretKey, url: sim.url}},
      })
      let r = await runCli(['zone', 'list', '--json'], {env: {HTTP_PROXY: proxy.url}, home})
      assert.equal(r.code, 0, r.stderr)
      assert.ok(other.relayed.length > 0, "the profile's proxy was used")
      assert.equal(proxy.relayed.length, 0, 'the environment was overridden')

      other.relayed.length = 0
      r = await runCli(['zone', 'list', '--json', '--proxy', proxy.url], {env: {HTTP_PROXY: other.url}, home})
      assert.equal(r.code, 0, r.stderr)
      assert.ok(proxy.relayed.length > 0, '--proxy was used')
      assert.equal(other.relayed.length, 0)

      proxy.relayed.length = 0
      r = await runCli(['zone', 'list', '--json', '--proxy', ''], {env: {HTTP_PROXY: proxy.url}, home})
      assert.equal(r.code, 0, r.stderr)
      assert.equal(proxy.relayed.length + other.relayed.length, 0, "--proxy '' goes direct")

      // As in curl, NO_PROXY applies to --proxy too.
      r = await runCli(['zone', 'list', '--json', '--proxy', proxy.url], {env: {NO_PROXY: '127.0.0.1'}, home})
      assert.equal(r.code, 0, r.stderr)
      assert.equal(proxy.relayed.length, 0, 'NO_PROXY excluded the server from --proxy')
    } finally {
      home.remove()
    }
  })

  it('goes direct with proxy: none in the profile, whatever the environment says', async () => {
    const home = makeHome()
    try {
      await writeProfiles(home, {
        current: 'lab',
        profiles: {lab: {apikey: sim.apiKey, proxy: 'none', secretkey: sim.secretKey, url: sim.url}},
      })
      const r = await runCli(['zone', 'list', '--json'], {env: {HTTP_PROXY: proxy.url}, home})
      assert.equal(r.code, 0, r.stderr)
      assert.equal(proxy.relayed.length, 0)
      const shown = await runCli(['profile', 'show', '--json'], {env: {HTTP_PROXY: proxy.url}, home})
      assert.equal(
        json<{proxyinuse: string}>(shown).proxyinuse,
        'none (turned off by the profile: proxy: none)',
      )
    } finally {
      home.remove()
    }
  })

  it('profile show says which proxy is used and why, the password hidden', async () => {
    const home = makeHome()
    try {
      await writeProfiles(home, {
        current: 'lab',
        profiles: {lab: {apikey: sim.apiKey, secretkey: sim.secretKey, url: sim.url}},
      })
      let r = await runCli(['profile', 'show'], {env: {HTTP_PROXY: authProxy.url}, home})
      assert.equal(r.code, 0, r.stderr)
      assert.match(
        r.stdout,
        new RegExp(
          `proxyinuse +http://ops:\\*\\*\\*\\*@127\\.0\\.0\\.1:${authProxy.port} \\(from HTTP_PROXY\\)`,
        ),
      )
      assert.ok(!r.stdout.includes(PROXY_PASSWORD) && !r.stderr.includes(PROXY_PASSWORD))
      r = await runCli(['profile', 'show', '--proxy', proxy.url], {env: {HTTP_PROXY: authProxy.url}, home})
      assert.match(r.stdout, /proxyinuse +http:\/\/127\.0\.0\.1:\d+ \(from --proxy\)/)
      r = await runCli(['profile', 'show'], {home})
      assert.match(r.stdout, /proxyinuse +none \(no proxy variable is set\)/)
    } finally {
      home.remove()
    }
  })

  it('refuses a password in --proxy (other users see the command line): exit 2', async () => {
    const r = await runCli(
      ['zone', 'list', '--proxy', `http://ops:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`],
      {
        env: simEnv(sim),
      },
    )
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, /--proxy: a password on the command line/)
    assert.ok(!r.stderr.includes(PROXY_PASSWORD))
    assert.equal(proxy.relayed.length, 0)
  })

  it('rejects a proxy URL of an unsupported kind: exit 2 from the flag', async () => {
    const r = await runCli(['zone', 'list', '--proxy', 'socks5://127.0.0.1:1080'], {env: simEnv(sim)})
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, /--proxy: socks5:\/\/ proxies are not supported/)
  })
})

describe('an authenticating proxy', () => {
  it('is sent the user and password (Basic), which never appear in output, --debug or the audit log', async () => {
    const home = makeHome()
    try {
      const r = await runCli(['api', 'simulateWork', 'seconds=1', '--debug'], {
        env: {...simEnv(sim), HTTP_PROXY: authProxy.url},
        home,
      })
      assert.equal(r.code, 0, r.stderr)
      const expected = `Basic ${Buffer.from(`ops:${PROXY_PASSWORD}`).toString('base64')}`
      assert.ok(authProxy.relayed.length > 0)
      for (const q of authProxy.relayed) assert.equal(q.authorization, expected)
      assert.match(r.stderr, /proxy for http:\/\/127\.0\.0\.1:\d+\/client\/api: http:\/\/ops:\*\*\*\*@127/)
      const audit = readFileSync(path.join(home.dataDir, 'audit.log'), 'utf8')
      assert.ok(audit.includes('simulateWork'))
      for (const text of [r.stdout, r.stderr, audit]) {
        assert.ok(!text.includes(PROXY_PASSWORD), 'the proxy password was shown')
        assert.ok(!text.includes(expected.slice(6)), 'the encoded credentials were shown')
      }
    } finally {
      home.remove()
    }
  })

  it('through a CONNECT tunnel too', async () => {
    const r = await runCli(['zone', 'list', '--json', '--ca-file', caFile], {
      env: {...simEnv(tlsSim), HTTPS_PROXY: authProxy.url},
    })
    assert.equal(r.code, 0, r.stderr)
    assert.ok(authProxy.relayed.every((q) => q.method === 'CONNECT' && q.refused === undefined))
  })

  it('with a wrong password is a clear error naming the proxy (exit 3), for http and https servers', async () => {
    const wrong = `http://ops:wrong-${PROXY_PASSWORD}@127.0.0.1:${authProxy.port}`
    for (const [target, variable, extra] of [
      [sim, 'HTTP_PROXY', []],
      [tlsSim, 'HTTPS_PROXY', ['--ca-file', caFile]],
    ] as const) {
      const r = await runCli(['zone', 'list', ...extra], {env: {...simEnv(target), [variable]: wrong}})
      assert.equal(r.code, 3, r.stderr)
      assert.match(
        r.stderr,
        new RegExp(
          `the proxy http://ops:\\*\\*\\*\\*@127\\.0\\.0\\.1:${authProxy.port} \\(from ${variable}\\) refused the connection to 127\\.0\\.0\\.1:\\d+: HTTP 407`,
        ),
      )
      assert.match(r.stderr, /check the user and password in the proxy URL/)
      assert.ok(!r.stderr.includes(PROXY_PASSWORD))
    }

    assert.equal(authProxy.relayed.filter((q) => q.refused === 407).length, 2, 'each tried once, not retried')
  })
})

describe('an unreachable proxy', () => {
  it('is exit 3 naming the proxy, not the server, and no other endpoint is tried', async () => {
    const port = await closedPort()
    await sim.clearRequests()
    const r = await runCli(['zone', 'list', '--url', `${sim.url},${tlsSim.url}`], {
      env: {...simEnv(sim), HTTP_PROXY: `http://127.0.0.1:${port}`, HTTPS_PROXY: `http://127.0.0.1:${port}`},
    })
    assert.equal(r.code, 3, r.stderr)
    assert.match(
      r.stderr,
      new RegExp(`cannot reach the proxy http://127\\.0\\.0\\.1:${port} \\(from HTTP_PROXY\\): ECONNREFUSED`),
    )
    assert.doesNotMatch(r.stderr, /cannot reach 127\.0\.0\.1:\d+:/)
    assert.equal((await sim.requests()).length, 0)
  })
})

describe('a refusing proxy', () => {
  it('that denies the server (403, as squid does) is exit 3 naming the proxy, for http and https servers', async () => {
    const denying = await startForwardProxy({
      denyPorts: [Number(simPort()), Number(new URL(tlsSim.url).port)],
    })
    try {
      await sim.clearRequests()
      for (const [target, variable, extra] of [
        [sim, 'HTTP_PROXY', []],
        [tlsSim, 'HTTPS_PROXY', ['--ca-file', caFile]],
      ] as const) {
        const r = await runCli(['zone', 'list', ...extra], {
          env: {...simEnv(target), [variable]: denying.url},
        })
        assert.equal(r.code, 3, r.stderr)
        assert.match(
          r.stderr,
          new RegExp(
            `^Error: the proxy http://127\\.0\\.0\\.1:${denying.port} \\(from ${variable}\\) refused the connection to 127\\.0\\.0\\.1:${new URL(target.url).port}: HTTP 403 Forbidden`,
            'm',
          ),
        )
        assert.match(r.stderr, /check that the proxy allows connections to this server/)
      }

      assert.deepEqual(
        denying.relayed.map((q) => [q.method, q.refused]),
        [
          ['GET', 403],
          ['CONNECT', 403],
        ],
        'each refused once, not retried',
      )
      assert.equal((await sim.requests()).length, 0)
    } finally {
      await denying.close()
    }
  })

  it("that cannot reach the server: its 503 page is named as the proxy's (a read retried, exit 1); a CONNECT closed unanswered is exit 3", async () => {
    const port = await closedPort()
    const plain = await runCli(['zone', 'list'], {
      env: {...simEnv(sim), HTTP_PROXY: proxy.url, MOLDCTL_URL: `http://127.0.0.1:${port}/client/api`},
    })
    assert.equal(plain.code, 1, plain.stderr)
    assert.match(
      plain.stderr,
      new RegExp(
        `listZones failed \\(503\\): HTTP 503 Service Unavailable through the proxy http://127\\.0\\.0\\.1:${proxy.port} \\(from HTTP_PROXY\\): The system returned: \\(111\\) Connection refused`,
      ),
    )
    assert.ok(proxy.relayed.length > 1, 'a read is retried on 503')

    const tunnel = await runCli(['zone', 'list'], {
      env: {...simEnv(sim), HTTPS_PROXY: proxy.url, MOLDCTL_URL: `https://127.0.0.1:${port}/client/api`},
    })
    assert.equal(tunnel.code, 3, tunnel.stderr)
    assert.match(
      tunnel.stderr,
      new RegExp(
        `the proxy http://127\\.0\\.0\\.1:${proxy.port} \\(from HTTPS_PROXY\\) closed the connection to 127\\.0\\.0\\.1:${port} without answering the CONNECT`,
      ),
    )
  })
})

describe('which proxy is used and why: the profile, --proxy, none', () => {
  const doctorProfile = async (args: string[], home: ReturnType<typeof makeHome>, env = {}) => {
    const r = await runCli(['doctor', '--json', ...args], {env, home})
    const report = json<{checks: Array<{check: string; detail: string}>}>(r)
    return report.checks.find((c) => c.check === 'profile')!.detail
  }

  it("profile show and doctor name the profile's proxy:, --proxy and a proxy turned off", async () => {
    const home = makeHome()
    try {
      await writeProfiles(home, {
        current: 'lab',
        profiles: {
          direct: {apikey: sim.apiKey, proxy: 'none', secretkey: sim.secretKey, url: sim.url},
          lab: {apikey: sim.apiKey, proxy: other.url, secretkey: sim.secretKey, url: sim.url},
        },
      })
      const env = {HTTP_PROXY: proxy.url}
      const fromProfile = `http://127.0.0.1:${other.port} (from the profile)`
      const shown = await runCli(['profile', 'show', '--json'], {env, home})
      assert.equal(json<{proxyinuse: string}>(shown).proxyinuse, fromProfile)
      assert.match(
        await doctorProfile([], home, env),
        new RegExp(`proxy ${fromProfile.replaceAll(/[().]/g, String.raw`\$&`)}$`),
      )
      assert.ok(other.relayed.length > 0, "doctor went through the profile's proxy")
      assert.equal(proxy.relayed.length, 0)

      assert.match(
        await doctorProfile(['--proxy', proxy.url], home, env),
        new RegExp(`proxy http://127\\.0\\.0\\.1:${proxy.port} \\(from --proxy\\)$`),
      )
      assert.match(
        await doctorProfile(['--proxy', ''], home, env),
        /proxy none \(turned off by --proxy ''\)$/,
      )
      assert.match(
        await doctorProfile(['-p', 'direct'], home, env),
        /proxy none \(turned off by the profile: proxy: none\)$/,
      )
      assert.match(
        await doctorProfile([], home, {...env, NO_PROXY: '127.0.0.1'}),
        /proxy none \(NO_PROXY matches 127\.0\.0\.1:\d+\)$/,
      )
    } finally {
      home.remove()
    }
  })
})

describe('doctor through a proxy', () => {
  it('names the proxy in the profile check and probes the endpoint and TLS through it', async () => {
    const home = makeHome()
    try {
      const r = await runCli(['doctor', '--json', '--ca-file', caFile], {
        env: {...simEnv(tlsSim), HTTPS_PROXY: authProxy.url},
        home,
      })
      const report = json<{checks: Array<{check: string; detail: string; status: string}>}>(r)
      const byName = (name: string) => report.checks.find((c) => c.check === name)!
      assert.match(
        byName('profile').detail,
        new RegExp(`proxy http://ops:\\*\\*\\*\\*@127\\.0\\.0\\.1:${authProxy.port} \\(from HTTPS_PROXY\\)`),
      )
      for (const name of ['endpoint', 'tls', 'auth'])
        assert.equal(byName(name).status, 'ok', JSON.stringify(byName(name)))
      assert.ok(
        authProxy.relayed.length >= 3,
        'the probe, the TLS inspection and the API calls went through the proxy',
      )
      assert.ok(authProxy.relayed.every((q) => q.method === 'CONNECT' && q.refused === undefined))
      assert.ok(!r.stdout.includes(PROXY_PASSWORD) && !r.stderr.includes(PROXY_PASSWORD))
    } finally {
      home.remove()
    }
  })
})

describe('profile add --proxy', () => {
  const added = (home: ReturnType<typeof makeHome>) =>
    parse(readFileSync(path.join(home.configDir, 'config.yaml'), 'utf8')) as {
      profiles: Record<string, {proxy?: string}>
    }

  it('asks for the proxy password at the terminal, stores it 0600 and reaches the server through the proxy', async () => {
    const home = makeHome()
    try {
      const user = `http://ops@127.0.0.1:${authProxy.port}`
      const add = await runInTerminal(
        ['profile', 'add', 'corp', '--url', sim.url, '--api-key', sim.apiKey, '--proxy', user],
        {
          home,
          steps: [
            {send: `${sim.secretKey}\r`, when: /Secret key for profile "corp"/},
            {send: `${PROXY_PASSWORD}\r`, when: /Password of proxy user "ops"/},
          ],
        },
      )
      assert.equal(add.code, 0, add.screen)
      assert.ok(!add.screen.includes(PROXY_PASSWORD), 'the proxy password was echoed')
      const file = path.join(home.configDir, 'config.yaml')
      assert.equal(statSync(file).mode & 0o777, 0o600)
      assert.equal(
        added(home).profiles.corp.proxy,
        `http://ops:${PROXY_PASSWORD}@127.0.0.1:${authProxy.port}`,
      )

      const r = await runCli(['-p', 'corp', 'zone', 'list', '-o', 'json'], {home})
      assert.equal(r.code, 0, r.stderr)
      assert.ok(zoneNames(r.stdout).length > 0)
      const expected = `Basic ${Buffer.from(`ops:${PROXY_PASSWORD}`).toString('base64')}`
      assert.ok(authProxy.relayed.length > 0, 'the request went through the proxy')
      for (const q of authProxy.relayed) assert.equal(q.authorization, expected)

      const show = await runCli(['profile', 'show', 'corp'], {home})
      assert.equal(show.code, 0, show.stderr)
      assert.match(show.stdout, new RegExp(`http://ops:\\*\\*\\*\\*@127\\.0\\.0\\.1:${authProxy.port}`))
      assert.ok(!show.stdout.includes(PROXY_PASSWORD))
    } finally {
      home.remove()
    }
  })

  it('stores a proxy URL as curl reads it, and none; refuses a password on the command line (exit 2, nothing written)', async () => {
    const home = makeHome()
    try {
      const add = (name: string, extra: string[], stdin = `${sim.secretKey}\n`) =>
        runCli(
          ['profile', 'add', name, '--url', sim.url, '--api-key', sim.apiKey, '--secret-key-stdin', ...extra],
          {
            home,
            stdin,
          },
        )
      let r = await add('plain', ['--proxy', 'proxy.corp.example'])
      assert.equal(r.code, 0, r.stderr)
      assert.equal(added(home).profiles.plain.proxy, 'http://proxy.corp.example:1080')
      r = await add('direct', ['--proxy', 'none'])
      assert.equal(r.code, 0, r.stderr)
      assert.equal(added(home).profiles.direct.proxy, 'none')

      r = await add('leaky', ['--proxy', `http://ops:${PROXY_PASSWORD}@proxy.corp.example:3128`])
      assert.equal(r.code, 2)
      assert.match(r.stderr, /--proxy: a password on the command line is visible to other users/)
      assert.ok(!`${r.stdout}${r.stderr}`.includes(PROXY_PASSWORD))
      r = await add('two', ['--proxy', 'http://ops@proxy.corp.example:3128', '--proxy-password-stdin'])
      assert.equal(r.code, 2)
      assert.match(
        r.stderr,
        /only one secret can come from stdin: --secret-key-stdin or --proxy-password-stdin/,
      )
      r = await add('nouser', ['--proxy', 'http://proxy.corp.example:3128', '--proxy-password-stdin'])
      assert.equal(r.code, 2)
      assert.match(r.stderr, /names no user/)
      r = await add('socks', ['--proxy', 'socks5://proxy.corp.example:1080'])
      assert.equal(r.code, 2)
      assert.match(r.stderr, /socks5:\/\/ proxies are not supported/)
      assert.deepEqual(Object.keys(added(home).profiles).sort(), ['direct', 'plain'])
    } finally {
      home.remove()
    }
  })
})
