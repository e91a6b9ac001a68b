import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import http from 'node:http'
import {type AddressInfo} from 'node:net'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {smallTopology} from '../../../src/sim/state/topology/presets.js'
import {type TopologySpec} from '../../../src/sim/state/topology/spec.js'
import {type CliHome, json, makeHome, runCli, simEnv} from '../../helpers/cli.js'
import {startTestSim, useSim} from '../../helpers/sim.js'

interface Check {
  check: string
  detail: string
  fix?: string
  status: 'fail' | 'ok' | 'skip' | 'warn'
  target?: string
}

interface Report {
  checks: Check[]
  ok: boolean
}

async function doctor(args: string[], opts: {env?: Record<string, string>; home?: CliHome} = {}) {
  const r = await runCli(['doctor', '--json', ...args], opts)
  const report = json<Report>(r)
  const find = (name: string) => report.checks.find((c) => c.check === name)!
  const statuses = Object.fromEntries(report.checks.map((c) => [c.check, c.status]))
  return {code: r.code, find, report, statuses}
}

/** A cloud where the CA settings are as the admin guide wants them (strictness on). */
function strictTopology(): TopologySpec {
  return {...smallTopology(), settings: {'ca.plugin.root.auth.strictness': 'true'}}
}

describe('doctor: everything in order', () => {
  const sim = useSim({topology: strictTopology()})
  let home: CliHome

  before(async () => {
    home = makeHome()
    const add = await runCli(
      ['profile', 'add', 'lab', '--url', sim.url, '--api-key', sim.apiKey, '--secret-key-stdin'],
      {
        home,
        stdin: sim.secretKey,
      },
    )
    assert.equal(add.code, 0, add.stderr)
  })

  after(() => home.remove())

  it('passes every check for a profile (--profile), exit 0', async () => {
    const {code, find, report, statuses} = await doctor(['--profile', 'lab'], {home})
    assert.equal(code, 0, JSON.stringify(report, null, 2))
    assert.deepEqual(statuses, {
      apis: 'ok',
      auth: 'ok',
      ca: 'ok',
      clock: 'ok',
      endpoint: 'ok',
      profile: 'ok',
      role: 'ok',
      tls: 'ok',
    })
    assert.equal(report.ok, true)
    assert.match(find('profile').detail, /profile "lab"/)
    assert.match(find('auth').detail, /HmacSHA256 \(mold\); server version 4\.22/)
    assert.match(find('role').detail, /user admin of account admin \(domain ROOT\) is a root admin/)
    assert.match(find('apis').detail, /all \d+ APIs moldctl uses are available/)
    assert.match(
      find('ca').detail,
      /auth strictness true, validity 365 days, auto-renewal on, 4 of 4 KVM hosts secured/,
    )
  })

  it('prints one line per check without --json', async () => {
    const r = await runCli(['doctor', '--profile', 'lab'], {home})
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trim().split('\n')
    for (const name of ['profile', 'endpoint', 'tls', 'auth', 'clock', 'role', 'apis', 'ca']) {
      assert.ok(
        lines.some((l) => new RegExp(`^ok\\s+${name}\\s`).test(l)),
        `${name} in\n${r.stdout}`,
      )
    }

    assert.match(lines.at(-1)!, /^8 ok, 0 warning\(s\), 0 failed, 0 skipped$/)
    assert.ok(!r.stdout.includes(sim.secretKey) && !r.stdout.includes(sim.apiKey), 'no key in the output')
  })

  it('says which flavor a CloudStack server takes, and passes a login session too', async () => {
    const cs = await startTestSim({flavor: 'cloudstack', topology: strictTopology()})
    try {
      const keys = await doctor([], {env: simEnv(cs)})
      assert.equal(keys.code, 0)
      assert.match(keys.find('auth').detail, /HmacSHA1 \(cloudstack\)/)
      const login = await doctor([], {
        env: {
          MOLDCTL_DOMAIN: '/',
          MOLDCTL_PASSWORD: cs.adminPassword,
          MOLDCTL_URL: cs.url,
          MOLDCTL_USERNAME: 'admin',
        },
      })
      assert.equal(login.code, 0, JSON.stringify(login.report, null, 2))
      assert.match(login.find('auth').detail, /login as admin accepted/)
      assert.match(login.find('role').detail, /is a root admin/)
    } finally {
      await cs.close()
    }
  })
})

describe('doctor: failing checks', () => {
  const sim = useSim({topology: strictTopology()})
  let env: Record<string, string>

  before(async () => {
    env = simEnv(sim)
  })

  it('profile: nothing configured — exit 3, a fix, the rest skipped', async () => {
    const {code, find, statuses} = await doctor([])
    assert.equal(code, 3)
    assert.equal(statuses.profile, 'fail')
    assert.match(find('profile').detail, /no management server URL configured/)
    assert.match(find('profile').fix!, /moldctl profile add/)
    for (const name of ['endpoint', 'tls', 'auth', 'clock', 'role', 'apis', 'ca'])
      assert.equal(statuses[name], 'skip', name)
  })

  it('profile: an unknown --profile — exit 3', async () => {
    const {code, find} = await doctor(['--profile', 'nope'])
    assert.equal(code, 3)
    assert.match(find('profile').detail, /no profile named "nope"/)
  })

  it('endpoint: nothing listening — exit 1, said plainly', async () => {
    const server = http.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const {port} = server.address() as AddressInfo
    await new Promise((resolve) => server.close(resolve))
    const {code, find, statuses} = await doctor([], {env: {...env, MOLDCTL_URL: `http://127.0.0.1:${port}`}})
    assert.equal(code, 1)
    assert.equal(statuses.endpoint, 'fail')
    assert.match(find('endpoint').detail, /cannot connect: ECONNREFUSED/)
    assert.equal(statuses.auth, 'skip')
  })

  it('endpoint: a URL that is not the API', async () => {
    const {code, find, statuses} = await doctor([], {
      env: {...env, MOLDCTL_URL: sim.url.replace('/client/api', '/ui')},
    })
    assert.equal(code, 1)
    assert.match(find('endpoint').detail, /answers HTTP 404 .*not the management API/)
    assert.match(find('endpoint').fix!, /\/client\/api/)
    assert.equal(statuses.auth, 'skip')
  })

  it('auth: a wrong secret key — exit 3, both signatures refused', async () => {
    const {code, find, statuses} = await doctor([], {env: {...env, MOLDCTL_SECRET_KEY: 'wrong'}})
    assert.equal(code, 3)
    assert.equal(statuses.auth, 'fail')
    assert.match(find('auth').detail, /refused the signature \(401\) with both HmacSHA256 and HmacSHA1/)
    assert.match(find('auth').fix!, /keys/)
    assert.equal(statuses.clock, 'ok')
    assert.equal(statuses.role, 'skip')
  })

  it('auth: a profile pinned to the wrong flavor — the fix names the right one', async () => {
    const {code, find} = await doctor([], {env: {...env, MOLDCTL_FLAVOR: 'cloudstack'}})
    assert.equal(code, 3)
    assert.match(find('auth').detail, /refuses HmacSHA1 \(cloudstack\) signatures but accepts HmacSHA256/)
    assert.match(find('auth').fix!, /flavor to mold/)
  })

  it('role: the key of a user who is not a root admin — exit 1', async () => {
    const tenant = sim.model.state.accounts.find((a) => a.name === 'tenant-a')!
    if (!sim.model.userByApiKey('tenant-key')) {
      sim.model.state.users.push({
        accountId: tenant.id,
        apiKey: 'tenant-key',
        firstname: 'T',
        id: '11111111-2222-4333-8444-555555555555',
        lastname: 'A',
        password: 'pw',
        secretKey: 'tenant-secret',
        state: 'enabled',
        username: 'tenant-user',
      })
      sim.model.reindex()
    }

    const {code, find, statuses} = await doctor([], {
      env: {...env, MOLDCTL_API_KEY: 'tenant-key', MOLDCTL_SECRET_KEY: 'tenant-secret'},
    })
    assert.equal(code, 1)
    assert.equal(statuses.auth, 'ok')
    assert.equal(statuses.role, 'fail')
    assert.match(find('role').detail, /may not call getUser.*not a root admin/)
    assert.match(find('role').fix!, /root admin/)
  })

  it('ca: strictness on while a KVM host has no certificate — exit 1 with the provision command', async () => {
    const host = sim.model.state.hosts.find((h) => h.name === 'kvm-host-02')!
    host.details.secured = 'false'
    try {
      const {code, find, statuses} = await doctor([], {env})
      assert.equal(code, 1)
      assert.equal(statuses.ca, 'fail')
      assert.match(
        find('ca').detail,
        /auth strictness is on but 1 KVM hosts have no certificate.*kvm-host-02/,
      )
      assert.match(find('ca').fix!, /moldctl host cert provision kvm-host-02 --reconnect/)
    } finally {
      host.details.secured = 'true'
    }
  })

  it('ca: the defaults (strictness off) are a warning, not a failure', async () => {
    sim.model.state.settings['ca.plugin.root.auth.strictness'] = 'false'
    sim.model.state.settings['ca.framework.cert.automatic.renewal'] = 'false'
    try {
      const {code, find, statuses} = await doctor([], {env})
      assert.equal(code, 0)
      assert.equal(statuses.ca, 'warn')
      assert.match(find('ca').detail, /auth strictness off/)
      assert.match(find('ca').detail, /not renewed automatically/)
      assert.match(
        find('ca').fix!,
        /ca\.plugin\.root\.auth\.strictness true, then restart the management server/,
      )
    } finally {
      sim.model.state.settings['ca.plugin.root.auth.strictness'] = 'true'
      delete sim.model.state.settings['ca.framework.cert.automatic.renewal']
    }
  })

  it('prints the report and exits non-zero without --json as well', async () => {
    const r = await runCli(['doctor'], {env: {...env, MOLDCTL_SECRET_KEY: 'Wr0ng-S3cret'}})
    assert.equal(r.code, 3)
    assert.match(r.stdout, /^FAIL\s+auth\s+/m)
    assert.match(r.stdout, /^\s+fix: /m)
    assert.match(r.stderr, /1 check\(s\) failed: auth/)
    assert.ok(
      !r.stdout.includes('Wr0ng-S3cret') && !r.stderr.includes('Wr0ng-S3cret'),
      'the secret is not echoed',
    )
  })
})

describe('doctor: a server without an API moldctl uses', () => {
  it('apis: names the missing API and the command that needs it — exit 1', async () => {
    const sim = await startTestSim({topology: strictTopology(), withoutApis: ['provisionCertificate']})
    try {
      const {code, find, statuses} = await doctor([], {env: simEnv(sim)})
      assert.equal(code, 1)
      assert.equal(statuses.apis, 'fail')
      assert.match(
        find('apis').detail,
        /1 of \d+ APIs moldctl uses are not available: provisionCertificate \(host cert provision\)/,
      )
    } finally {
      await sim.close()
    }
  })
})

describe('doctor: clocks', () => {
  it('a server clock 11+ minutes ahead fails clock and explains the 401', async () => {
    const sim = await startTestSim({clockSkewSeconds: 700})
    try {
      const {code, find, statuses} = await doctor([], {env: simEnv(sim)})
      assert.equal(code, 3)
      assert.equal(statuses.clock, 'fail')
      assert.match(find('clock').detail, /server clock is 11 min (39|40) s ahead.*already expired/)
      assert.match(find('clock').fix!, /NTP/)
      assert.match(find('auth').detail, /server clock is 11 min (39|40) s ahead/)
    } finally {
      await sim.close()
    }
  })

  it('a few minutes ahead still works, with a warning about the margin', async () => {
    const sim = await startTestSim({clockSkewSeconds: 240})
    try {
      const {code, find, statuses} = await doctor([], {env: simEnv(sim)})
      assert.equal(code, 0)
      assert.equal(statuses.auth, 'ok')
      assert.equal(statuses.clock, 'warn')
      assert.match(find('clock').detail, /(3 min 59 s|4 min( 1 s)?) ahead.*of their 10 min left/)
    } finally {
      await sim.close()
    }
  })
})

describe('doctor: TLS', () => {
  const sim = useSim({tls: true, topology: strictTopology()})
  let env: Record<string, string>
  let caFile: string
  let home: CliHome

  before(async () => {
    env = simEnv(sim)
    home = makeHome()
    caFile = path.join(home.root, 'ca.pem')
    writeFileSync(caFile, sim.caCertificatePem!)
  })

  after(() => home.remove())

  it('a certificate from a private CA without --ca-file fails (exit 3) and says how to get the CA', async () => {
    const {code, find, statuses} = await doctor([], {env})
    assert.equal(code, 3)
    assert.equal(statuses.endpoint, 'ok')
    assert.equal(statuses.tls, 'fail')
    assert.match(
      find('tls').detail,
      /not verified against the system's trusted CAs: SELF_SIGNED_CERT_IN_CHAIN \(chain ends at CN=ca\.cloudstack\.apache\.org, self-signed\)/,
    )
    assert.match(find('tls').fix!, /moldctl ca certificate --insecure --out ca\.pem/)
    assert.equal(statuses.auth, 'skip')
  })

  it('with --ca-file every check passes, and the expiry is shown', async () => {
    const {code, find, report} = await doctor(['--ca-file', caFile], {env})
    assert.equal(code, 0, JSON.stringify(report, null, 2))
    assert.ok(
      report.checks.every((c) => c.status === 'ok'),
      JSON.stringify(report, null, 2),
    )
    assert.match(
      find('tls').detail,
      /verified against the CA file .*ca\.pem \(TLSv1\.[23]\); certificate CN=localhost issued by CN=ca\.cloudstack\.apache\.org.*; 36[45] days left/,
    )
  })

  it('--insecure is a warning that says whether the certificate would verify', async () => {
    const {code, find, statuses} = await doctor(['--insecure'], {env})
    assert.equal(code, 0)
    assert.equal(statuses.tls, 'warn')
    assert.match(
      find('tls').detail,
      /verification is off.*it would not verify against the system's trusted CAs \(SELF_SIGNED_CERT_IN_CHAIN\)/,
    )
    assert.equal(statuses.auth, 'ok')
  })

  it('a wrong --ca-file path is a TLS failure', async () => {
    const {code, find} = await doctor(['--ca-file', path.join(home.root, 'missing.pem')], {env})
    assert.equal(code, 3)
    assert.match(find('tls').detail, /cannot read the CA file .*missing\.pem: ENOENT/)
  })

  it('an expired server certificate fails even with the right CA', async () => {
    const expired = await startTestSim({tls: {expired: true}})
    try {
      const file = path.join(home.root, 'expired-ca.pem')
      writeFileSync(file, expired.caCertificatePem!)
      const {code, find} = await doctor(['--ca-file', file], {env: simEnv(expired)})
      assert.equal(code, 3)
      assert.match(find('tls').detail, /the server certificate expired \d+ days ago/)
      assert.match(find('tls').fix!, /renew/)
    } finally {
      await expired.close()
    }
  })

  it('a certificate close to its expiry is a warning', async () => {
    const soon = await startTestSim({tls: {validDays: 10}})
    try {
      const file = path.join(home.root, 'soon-ca.pem')
      writeFileSync(file, soon.caCertificatePem!)
      const {find, statuses} = await doctor(['--ca-file', file], {env: simEnv(soon)})
      assert.equal(statuses.tls, 'warn')
      assert.match(find('tls').detail, /(9|10) days left/)
    } finally {
      await soon.close()
    }
  })
})
