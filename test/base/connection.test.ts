import assert from 'node:assert/strict'
import {generateKeyPairSync} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import {type AddressInfo} from 'node:net'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import {parse} from 'yaml'

import {json, makeHome, runCli, simEnv} from '../helpers/cli.js'
import {startTestSim, useSim} from '../helpers/sim.js'
import {simulateWorkApi} from '../helpers/test-apis.js'

let env: Record<string, string>
const sim = useSim(
  {adminPassword: 'Adm1n-pw-do-not-show', apis: [simulateWorkApi]},
  {
    clearEachTest: true,
    async afterStart() {
      env = simEnv(sim)
    },
  },
)

/** A port on which nothing listens (connection refused). */
async function deadUrl(): Promise<string> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}/client/api`
}

describe('credentials and flavors', () => {
  it('without any configuration exits 3 and says how to configure', async () => {
    const r = await runCli(['host', 'list'])
    assert.equal(r.code, 3)
    assert.match(r.stderr, /no management server URL configured/)
    assert.match(r.stderr, /moldctl profile add/)
    assert.match(r.stderr, /MOLDCTL_URL/)
  })

  it('with a wrong secret key exits 3 with the server text and a hint', async () => {
    const r = await runCli(['zone', 'list'], {env: {...env, MOLDCTL_SECRET_KEY: 'not-the-secret'}})
    assert.equal(r.code, 3)
    assert.match(
      r.stderr,
      /listZones failed \(401\): unable to verify user credentials and\/or request signature/,
    )
    assert.match(r.stderr, /flavor/)
  })

  it('auto flavor detects CloudStack (HmacSHA1) once and remembers it in the profile', async () => {
    const cs = await startTestSim({flavor: 'cloudstack'})
    const home = makeHome()
    try {
      const add = await runCli(
        ['profile', 'add', 'cs', '--url', cs.url, '--api-key', cs.apiKey, '--secret-key-stdin'],
        {home, stdin: cs.secretKey},
      )
      assert.equal(add.code, 0, add.stderr)
      const first = await runCli(['zone', 'list'], {home})
      assert.equal(first.code, 0, first.stderr)
      const config = parse(readFileSync(path.join(home.configDir, 'config.yaml'), 'utf8'))
      assert.equal(config.profiles.cs.flavor, 'cloudstack')
      await cs.clearRequests()
      const second = await runCli(['zone', 'list'], {home})
      assert.equal(second.code, 0, second.stderr)
      // Detected once: the second run signs right the first time.
      assert.deepEqual(
        (await cs.requests()).map((q) => q.status),
        [200],
      )
    } finally {
      home.remove()
      await cs.close()
    }
  })

  it('a profile pinned to the wrong flavor is refused by the server (exit 3)', async () => {
    const r = await runCli(['zone', 'list'], {env: {...env, MOLDCTL_FLAVOR: 'cloudstack'}})
    assert.equal(r.code, 3)
  })

  it('signs with signatureversion 3 and an expiry', async () => {
    await runCli(['zone', 'list'], {env})
    const [q] = await sim.requests()
    assert.equal(q.params.signatureversion, '3')
    assert.match(q.params.expires, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/)
    assert.equal(q.params.signature, '***')
  })

  it('logs in with a username and password instead of keys', async () => {
    const r = await runCli(['host', 'list', '--json'], {
      env: {
        MOLDCTL_DOMAIN: '/',
        MOLDCTL_PASSWORD: sim.adminPassword,
        MOLDCTL_URL: sim.url,
        MOLDCTL_USERNAME: sim.adminUsername,
      },
    })
    assert.equal(r.code, 0, r.stderr)
    assert.equal(json<unknown[]>(r).length, 6)
    const log = await sim.requests()
    assert.equal(log[0].command, 'login')
    assert.equal(log[0].method, 'POST')
    assert.equal(log[0].params.password, '***')
    assert.equal(log[1].command, 'listHosts')
    assert.equal(log[1].params.sessionkey, '***')
    assert.equal(log[1].params.signature, undefined)
  })

  it('a wrong password exits 3 with the server text', async () => {
    const r = await runCli(['zone', 'list'], {
      env: {MOLDCTL_PASSWORD: 'wrong', MOLDCTL_URL: sim.url, MOLDCTL_USERNAME: 'admin'},
    })
    assert.equal(r.code, 3)
    assert.match(r.stderr, /login failed \(531\): Failed to authenticate user admin/)
  })

  it('takes the Terraform and cs/Ansible environment names too', async () => {
    const tf = await runCli(['zone', 'list'], {
      env: {
        CLOUDSTACK_API_KEY: sim.apiKey,
        CLOUDSTACK_API_URL: sim.url,
        CLOUDSTACK_SECRET_KEY: sim.secretKey,
      },
    })
    assert.equal(tf.code, 0, tf.stderr)
    const cs = await runCli(['zone', 'list'], {
      env: {CLOUDSTACK_ENDPOINT: sim.url, CLOUDSTACK_KEY: sim.apiKey, CLOUDSTACK_SECRET: sim.secretKey},
    })
    assert.equal(cs.code, 0, cs.stderr)
  })
})

describe('transient faults, retries and failover', () => {
  it('retries reads on 5xx and dropped connections', async () => {
    await sim.setFaults({
      dropCommand: {command: 'listHosts', times: 1},
      failCommand: {command: 'listHosts', errorcode: 503, errortext: 'unavailable', times: 2},
    })
    const r = await runCli(['host', 'list', '--json'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.equal(json<unknown[]>(r).length, 6)
    const statuses = (await sim.requests()).filter((q) => q.command === 'listHosts').map((q) => q.status)
    assert.equal(statuses.length, 4)
    assert.equal(statuses.at(-1), 200)
  })

  it('gives up on a read after the retries with exit 1', async () => {
    await sim.setFaults({
      failCommand: {command: 'listZones', errorcode: 503, errortext: 'unavailable', times: 10},
    })
    const r = await runCli(['zone', 'list'], {env})
    assert.equal(r.code, 1)
    assert.match(r.stderr, /listZones failed \(503\)/)
    assert.equal((await sim.requests()).filter((q) => q.command === 'listZones').length, 4)
  })

  it('sends a change once, even when the server fails or the connection drops', async () => {
    await sim.setFaults({
      failCommand: {command: 'simulateWork', errorcode: 503, errortext: 'unavailable', times: 1},
    })
    const failed = await runCli(['api', 'simulateWork'], {env})
    assert.equal(failed.code, 1)
    await sim.setFaults({dropCommand: {afterExecute: true, command: 'simulateWork', times: 1}})
    const dropped = await runCli(['api', 'simulateWork'], {env})
    // The change reached the server and its answer was lost: the outcome is unknown (exit 6).
    assert.equal(dropped.code, 6, dropped.stderr)
    assert.match(
      dropped.stderr,
      /the outcome of simulateWork is unknown: cannot reach \S+: (socket hang up|ECONNRESET)/,
    )
    assert.match(dropped.stderr, /moldctl job list --pending/)
    assert.equal((await sim.requests()).filter((q) => q.command === 'simulateWork').length, 2)
  })

  it('fails over to the next endpoint when the first cannot be reached, for reads and changes', async () => {
    const urls = `${await deadUrl()},${sim.url}`
    const read = await runCli(['zone', 'list', '--url', urls], {env})
    assert.equal(read.code, 0, read.stderr)
    const change = await runCli(['api', 'simulateWork', '--url', urls], {env})
    assert.equal(change.code, 0, change.stderr)
    assert.equal((await sim.requests()).filter((q) => q.command === 'simulateWork').length, 1)
  })

  it('says which endpoint could not be reached when none can', async () => {
    const r = await runCli(['zone', 'list', '--url', await deadUrl()], {env})
    assert.equal(r.code, 1)
    assert.match(r.stderr, /cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/)
  })
})

describe('--debug', () => {
  it('logs requests and answers on stderr with every secret redacted', async () => {
    const r = await runCli(['api', 'simulateWork', 'seconds=1', 'password=hunter2', '--debug'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /\[debug\] POST http:\/\/127\.0\.0\.1:\d+\/client\/api/)
    assert.match(r.stderr, /"password":"\*\*\*"/)
    for (const secret of ['hunter2', sim.secretKey, sim.apiKey])
      assert.ok(!r.stderr.includes(secret), `stderr shows ${secret}`)
    const login = await runCli(['zone', 'list', '--debug'], {
      env: {MOLDCTL_PASSWORD: sim.adminPassword, MOLDCTL_URL: sim.url, MOLDCTL_USERNAME: 'admin'},
    })
    assert.equal(login.code, 0, login.stderr)
    assert.ok(!login.stderr.includes(sim.adminPassword))
    assert.doesNotMatch(login.stderr, /"sessionkey":"[^*]/)
  })
})

describe('TLS', () => {
  let proxy: https.Server
  let httpsUrl: string
  let caFile: string

  before(async () => {
    const forge = (await import('node-forge')).default
    const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    const cert = forge.pki.createCertificate()
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({format: 'pem', type: 'spki'}).toString())
    cert.serialNumber = '01'
    cert.validity.notBefore = new Date(Date.now() - 60_000)
    cert.validity.notAfter = new Date(Date.now() + 86_400_000)
    const name = [{name: 'commonName', value: '127.0.0.1'}]
    cert.setSubject(name)
    cert.setIssuer(name)
    cert.setExtensions([{altNames: [{ip: '127.0.0.1', type: 7}], name: 'subjectAltName'}])
    const keyPem = privateKey.export({format: 'pem', type: 'pkcs8'}).toString()
    cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create())
    const certPem = forge.pki.certificateToPem(cert)
    const home = makeHome()
    caFile = path.join(home.root, 'ca.pem')
    writeFileSync(caFile, certPem)
    const target = new URL(sim.url)
    proxy = https.createServer({cert: certPem, key: keyPem}, (req, res) => {
      const upstream = http.request(
        {headers: req.headers, host: target.hostname, method: req.method, path: req.url, port: target.port},
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        },
      )
      req.pipe(upstream)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    httpsUrl = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}/client/api`
  })

  after(() => new Promise((resolve) => proxy.close(resolve)))

  it('verifies the server certificate by default (exit 3 with what to do)', async () => {
    const r = await runCli(['zone', 'list', '--url', httpsUrl], {env})
    assert.equal(r.code, 3)
    assert.match(r.stderr, /TLS verification of 127\.0\.0\.1:\d+ failed/)
    assert.match(r.stderr, /--ca-file/)
  })

  it('trusts the CA given with --ca-file', async () => {
    const r = await runCli(['zone', 'list', '--url', httpsUrl, '--ca-file', caFile], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /zone-1/)
  })

  it('skips verification with --insecure, and warns', async () => {
    const r = await runCli(['zone', 'list', '--url', httpsUrl, '--insecure'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /verification is off/)
  })
})

describe('paging', () => {
  it('lists every page of a server whose default.page.size is below 500', async () => {
    const small = await startTestSim({hosts: 130, topology: 'large'})
    try {
      small.model.state.settings['default.page.size'] = '50'

      const r = await runCli(['host', 'list', '--json'], {env: simEnv(small)})
      assert.equal(r.code, 0, r.stderr)
      assert.equal(json<unknown[]>(r).length, 130)
      const sizes = (await small.requests())
        .filter((q) => q.command === 'listHosts')
        .map((q) => [q.status, q.params.pagesize])
      assert.deepEqual(sizes[0], [431, '500'])
      assert.deepEqual(
        sizes.slice(1).map((s) => s[1]),
        ['50', '50', '50'],
      )
    } finally {
      await small.close()
    }
  })
})

describe('per-request timeout', () => {
  it('gives up on a slow answer after --timeout (or --request-timeout) seconds', async () => {
    await sim.setFaults({latencyMs: 2500})
    for (const flag of ['--timeout', '--request-timeout']) {
      const r = await runCli(['zone', 'list', flag, '1'], {env: {...env, MOLDCTL_POLL_MIN_MS: '20'}})
      assert.equal(r.code, 1, r.stderr)
      assert.match(r.stderr, /did not answer within 1 s/)
    }

    await sim.clearFaults()
    const ok = await runCli(['zone', 'list', '--timeout', '5'], {env})
    assert.equal(ok.code, 0, ok.stderr)
  })
})
