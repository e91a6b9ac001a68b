import assert from 'node:assert/strict'
import {chmod} from 'node:fs/promises'
import {createServer} from 'node:net'
import {after, beforeEach, describe, it} from 'node:test'

import {type CliHome, makeHome, runCli} from '../../helpers/cli.js'
import {readProfiles, writeProfiles} from '../../helpers/profiles.js'
import {useSim} from '../../helpers/sim.js'

/** A loopback port with nothing listening: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => {
    server.close(resolve)
  })
  return port
}

// How commands that talk to the API find their server and credentials, end to end: profiles
// written by `profile add`, the environment names of moldctl, Terraform and cs/Ansible, flags.
describe('connection settings through the CLI', () => {
  const sim = useSim({flavor: 'mold'})
  const homes: CliHome[] = []
  const home = () => {
    const h = makeHome()
    homes.push(h)
    return h
  }

  beforeEach(async () => sim.clearRequests())

  after(() => {
    for (const h of homes) h.remove()
  })

  const zoneNames = (stdout: string) => (JSON.parse(stdout) as Array<{name: string}>).map((z) => z.name)

  it('a profile made by `profile add` is used, and the detected flavor is remembered', async () => {
    const h = home()
    const added = await runCli(
      ['profile', 'add', 'sim', '--url', sim.url, '--api-key', sim.apiKey, '--secret-key-stdin'],
      {
        home: h,
        stdin: `${sim.secretKey}\n`,
      },
    )
    assert.equal(added.code, 0, added.stderr)
    const result = await runCli(['zone', 'list', '--json'], {home: h})
    assert.equal(result.code, 0, result.stderr)
    assert.ok(zoneNames(result.stdout).length > 0)
    assert.ok(!result.stdout.includes(sim.secretKey) && !result.stderr.includes(sim.secretKey))
    assert.equal((await readProfiles(h)).profiles.sim.flavor, 'mold')
  })

  it('a login profile (username and password) works too', async () => {
    const h = home()
    const added = await runCli(
      [
        'profile',
        'add',
        'admin',
        '--url',
        sim.url,
        '--username',
        sim.adminUsername,
        '--password-stdin',
        '--domain',
        '/',
      ],
      {home: h, stdin: sim.adminPassword},
    )
    assert.equal(added.code, 0, added.stderr)
    const result = await runCli(['zone', 'list', '--json'], {home: h})
    assert.equal(result.code, 0, result.stderr)
    assert.ok(zoneNames(result.stdout).length > 0)
    assert.ok((await sim.requests()).some((r) => r.command === 'login'))
  })

  const ecosystems: Array<[string, Record<string, string>]> = [
    ['moldctl', {MOLDCTL_API_KEY: 'K', MOLDCTL_SECRET_KEY: 'S', MOLDCTL_URL: 'U'}],
    ['Terraform', {CLOUDSTACK_API_KEY: 'K', CLOUDSTACK_API_URL: 'U', CLOUDSTACK_SECRET_KEY: 'S'}],
    ['cs / Ansible', {CLOUDSTACK_ENDPOINT: 'U', CLOUDSTACK_KEY: 'K', CLOUDSTACK_SECRET: 'S'}],
  ]
  for (const [who, names] of ecosystems) {
    it(`works from the ${who} environment variables alone`, async () => {
      const values: Record<string, string> = {K: sim.apiKey, S: sim.secretKey, U: sim.url}
      const env = Object.fromEntries(Object.entries(names).map(([name, v]) => [name, values[v]]))
      const result = await runCli(['zone', 'list', '--json'], {env, home: home()})
      assert.equal(result.code, 0, result.stderr)
      assert.ok(zoneNames(result.stdout).length > 0)
    })
  }

  it('the environment wins over the profile, --url over both', async () => {
    const h = home()
    const dead = `http://127.0.0.1:${await closedPort()}`
    await writeProfiles(h, {
      current: 'p',
      profiles: {p: {apikey: 'WRONG', secretkey: 'WRONG', url: dead}},
    })
    const env = {MOLDCTL_API_KEY: sim.apiKey, MOLDCTL_SECRET_KEY: sim.secretKey, MOLDCTL_URL: sim.url}
    const fromEnv = await runCli(['zone', 'list', '--json'], {env, home: h})
    assert.equal(fromEnv.code, 0, fromEnv.stderr)

    const flagOverEnv = await runCli(['zone', 'list', '--json', '--url', sim.url], {
      env: {...env, MOLDCTL_URL: dead},
      home: h,
    })
    assert.equal(flagOverEnv.code, 0, flagOverEnv.stderr)
  })

  it('a profile named with -p wins over connection variables exported for another server', async () => {
    const h = home()
    await writeProfiles(h, {profiles: {good: {apikey: sim.apiKey, secretkey: sim.secretKey, url: sim.url}}})
    const dead = `http://127.0.0.1:${await closedPort()}`
    const env = {MOLDCTL_API_KEY: 'OTHER', MOLDCTL_SECRET_KEY: 'OTHER', MOLDCTL_URL: dead}
    const result = await runCli(['zone', 'list', '--json', '-p', 'good'], {env, home: h})
    assert.equal(result.code, 0, result.stderr)
    assert.ok(zoneNames(result.stdout).length > 0)
  })

  it('--url with a failover list reaches the second endpoint when the first refuses connections', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`
    const env = {MOLDCTL_API_KEY: sim.apiKey, MOLDCTL_SECRET_KEY: sim.secretKey}
    const result = await runCli(['zone', 'list', '--json', '--url', `${dead},${sim.url}`], {
      env,
      home: home(),
    })
    assert.equal(result.code, 0, result.stderr)
    assert.ok(zoneNames(result.stdout).length > 0)
  })

  it('nothing configured: exit 3, says how to add a profile or set variables, sends nothing', async () => {
    const result = await runCli(['zone', 'list'], {home: home()})
    assert.equal(result.code, 3)
    assert.match(result.stderr, /no management server URL configured/)
    assert.match(result.stderr, /moldctl profile add NAME --url URL --api-key KEY --secret-key-stdin/)
    assert.match(result.stderr, /MOLDCTL_URL, MOLDCTL_API_KEY and MOLDCTL_SECRET_KEY/)
    assert.deepEqual(await sim.requests(), [])
  })

  it('an unknown --profile or MOLDCTL_PROFILE: exit 3 listing the profiles', async () => {
    const h = home()
    await writeProfiles(h)
    const byFlag = await runCli(['zone', 'list', '--profile', 'staging'], {home: h})
    assert.equal(byFlag.code, 3)
    assert.match(byFlag.stderr, /no profile named "staging"; existing profiles: lab, prod/)
    const byEnv = await runCli(['zone', 'list'], {env: {MOLDCTL_PROFILE: 'staging'}, home: h})
    assert.equal(byEnv.code, 3)
    assert.match(byEnv.stderr, /"staging" \(from MOLDCTL_PROFILE\)/)
  })

  it('an API key from the environment is never paired with a secret from the profile', async () => {
    const h = home()
    await writeProfiles(h, {
      current: 'p',
      profiles: {p: {apikey: sim.apiKey, secretkey: sim.secretKey, url: sim.url}},
    })
    const result = await runCli(['zone', 'list'], {env: {MOLDCTL_API_KEY: sim.apiKey}, home: h})
    assert.equal(result.code, 3)
    assert.match(result.stderr, /the environment \(MOLDCTL_\*\) has an API key but no secret key/)
    assert.deepEqual(await sim.requests(), [])
  })

  it('a malformed --url is exit 2 and sends nothing', async () => {
    const env = {MOLDCTL_API_KEY: sim.apiKey, MOLDCTL_SECRET_KEY: sim.secretKey}
    const result = await runCli(['zone', 'list', '--url', 'mold.example.com'], {env, home: home()})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /--url: "mold.example.com" is not a URL/)
    assert.deepEqual(await sim.requests(), [])
  })

  it('a profiles file readable by others stops API commands too (exit 3), before any request', async () => {
    const h = home()
    const store = await writeProfiles(h, {
      current: 'p',
      profiles: {p: {apikey: sim.apiKey, secretkey: sim.secretKey, url: sim.url}},
    })
    await chmod(store.path, 0o640)
    const result = await runCli(['zone', 'list'], {home: h})
    assert.equal(result.code, 3)
    assert.ok(result.stderr.includes(`chmod 600 ${store.path}`), result.stderr)
    assert.deepEqual(await sim.requests(), [])
  })
})
