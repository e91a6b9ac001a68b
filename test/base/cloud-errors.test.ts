// Errors about the cloud say which cloud was asked; unknown names get similar names from the
// names listed; a refused connection says what to check; a URL exported for another server is
// not sent a profile's credentials; the simulator keeps off 8080 and says when its port is taken.
import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {after, describe, it} from 'node:test'

import {type CliHome, json, makeHome, runCli, simEnv} from '../helpers/cli.js'
import {writeProfiles} from '../helpers/profiles.js'
import {useSim} from '../helpers/sim.js'

let home: CliHome
let dead: string
const sim = useSim(
  {},
  {
    async afterStart() {
      dead = await closedPortUrl()
      home = makeHome()
      await writeProfiles(home, {
        current: 'sim',
        profiles: {
          elsewhere: {apikey: sim.apiKey, secretkey: sim.secretKey, url: dead},
          sim: {apikey: sim.apiKey, flavor: 'mold', secretkey: sim.secretKey, url: sim.url},
        },
      })
    },
  },
)

/** A loopback URL where nothing listens. */
async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}/client/api`
}

const escape = (s: string) => s.replaceAll(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`)

after(() => home.remove())

describe('unknown names', () => {
  it('suggest similar names from every host listed, computed locally (exit 2)', async () => {
    await sim.clearRequests()
    const r = await runCli(['host', 'show', 'kvm-host-1'], {home})
    assert.equal(r.code, 2)
    assert.match(
      r.stderr,
      new RegExp(`^Error: no host is named "kvm-host-1" \\(profile sim, ${escape(sim.url)}\\)\n`),
    )
    assert.match(
      r.stderr,
      /did you mean:\n {2}kvm-host-01 {2}[\da-f-]{36} {2}\(10\.10\.0\.11, kvm-cluster-1, Enabled\)/,
    )
    assert.doesNotMatch(r.stderr, /xen-host/)
    const lists = (await sim.requests()).filter((q) => q.command === 'listHosts')
    // The name filter first (a big cloud answers that fast), then every host, for the suggestions.
    assert.equal(lists[0].params.name, 'kvm-host-1')
    assert.equal(lists.at(-1)!.params.name, undefined)
  })

  it('a name like none at all says how to list them', async () => {
    const r = await runCli(['host', 'show', 'qqqqqqqq'], {home})
    assert.equal(r.code, 2)
    assert.match(r.stderr, /no host is named "qqqqqqqq" .*\n {2}list them with: moldctl host list\n$/)
  })
})

describe('errors about the cloud name the profile and the endpoint asked', () => {
  it('an API error, on stderr and in the JSON error object', async () => {
    const r = await runCli(['api', 'listHosts', 'details=everything', '--json'], {home})
    assert.equal(r.code, 1)
    assert.match(
      r.stderr,
      new RegExp(`^Error: listHosts failed \\(431/\\d+\\): .* \\(profile sim, ${escape(sim.url)}\\)$`, 'm'),
    )
    const body = json<{error: {endpoint: string; message: string; profile: string}}>(r)
    assert.equal(body.error.profile, 'sim')
    assert.equal(body.error.endpoint, sim.url)
    assert.doesNotMatch(body.error.message, /profile sim/)
  })

  it('without a profile, says so', async () => {
    const r = await runCli(['host', 'show', 'kvm-host-1'], {env: simEnv(sim)})
    assert.equal(r.code, 2)
    assert.match(r.stderr, new RegExp(`no host is named "kvm-host-1" \\(no profile, ${escape(sim.url)}\\)`))
  })

  it('a refused connection: the endpoint, and what to check (as doctor says)', async () => {
    const r = await runCli(['zone', 'list', '-p', 'elsewhere'], {home})
    assert.equal(r.code, 1)
    const {host} = new URL(dead)
    assert.equal(
      r.stderr,
      `Error: cannot reach ${host}: ECONNREFUSED (profile elsewhere, ${dead})\n` +
        '  is the management server running (systemctl status cloudstack-management)?\n' +
        '  is the URL right (host, port: usually 8080 for http, 443 or 8443 for https)?\n' +
        '  moldctl doctor checks the connection step by step\n',
    )
  })

  it('a usage error before anything was sent names no cloud', async () => {
    const r = await runCli(['host', 'maintenance', 'status', 'kvm-host-01', '--cluster', 'kvm-cluster-1'], {
      home,
    })
    assert.equal(r.code, 2)
    assert.equal(r.stderr, 'Error: give hosts or --cluster, not both\n')
  })
})

describe("MOLDCTL_URL with a profile's credentials", () => {
  it('is refused when the profile has another URL: exit 3, nothing sent', async () => {
    await sim.clearRequests()
    const r = await runCli(['zone', 'list'], {
      env: {MOLDCTL_PROFILE: 'elsewhere', MOLDCTL_URL: sim.url},
      home,
    })
    assert.equal(r.code, 3)
    assert.match(
      r.stderr,
      /^Error: MOLDCTL_URL \(.*\) is not the URL of profile "elsewhere" \(.*\); refusing to send/,
    )
    assert.match(r.stderr, /unset MOLDCTL_URL, or name it with -p elsewhere/)
    assert.match(r.stderr, new RegExp(`on purpose: --url ${escape(sim.url)}`))
    assert.deepEqual(await sim.requests(), [])
  })

  it('goes ahead with --url (on purpose), with -p (the profile wins), or when it is the profile URL', async () => {
    const onPurpose = await runCli(['zone', 'list', '-p', 'elsewhere', '--url', sim.url, '--json'], {home})
    assert.equal(onPurpose.code, 0, onPurpose.stderr)
    const same = await runCli(['zone', 'list', '--json'], {env: {MOLDCTL_URL: sim.url}, home})
    assert.equal(same.code, 0, same.stderr)
    assert.equal(same.stderr, '')
    const named = await runCli(['zone', 'list', '-p', 'sim', '--json'], {env: {MOLDCTL_URL: dead}, home})
    assert.equal(named.code, 0, named.stderr)
  })
})

describe('sim serve ports', () => {
  it('defaults to 8787, not the management server port 8080', async () => {
    const r = await runCli(['sim', 'serve', '--help'])
    assert.match(r.stdout, /--port=<value>\s+\[default: 8787\]/)
  })

  it('says the port is taken and suggests --port 0 (exit 1)', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const {port} = taken.address() as {port: number}
    try {
      const r = await runCli(['sim', 'serve', '--port', String(port)])
      assert.equal(r.code, 1)
      assert.equal(
        r.stderr,
        `Error: cannot start the simulator: port ${port} on 127.0.0.1 is taken\n` +
          '  --port 0 picks a free port (printed with the URL); or choose another with --port N\n',
      )
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
  })
})
