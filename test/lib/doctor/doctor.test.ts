import fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {TlsInspection} from '../../../src/lib/doctor/probes.js'

import {REQUIRED_APIS} from '../../../src/lib/api/required-apis.js'
import {
  doctorExitCode,
  type DoctorReport,
  formatSeconds,
  judgeApis,
  judgeCa,
  judgeClock,
  judgeEndpoint,
  judgeRole,
  judgeTls,
  renderDoctorReport,
  SIGNATURE_LIFETIME_SECONDS,
} from '../../../src/lib/doctor/rules.js'

const NOW = Date.parse('2026-01-01T00:00:00Z')
const inDays = (days: number) => new Date(NOW + days * 86_400_000).toUTCString()

function inspection(fields: Partial<TlsInspection> & {validTo?: string} = {}): TlsInspection {
  return {
    authorized: true,
    chain: [
      {
        fingerprint: 'AA',
        issuer: 'CN=Example CA',
        selfSigned: false,
        subject: 'CN=cloud.example.com',
        subjectAltName: 'DNS:cloud.example.com',
        validFrom: inDays(-10),
        validTo: fields.validTo ?? inDays(200),
      },
      {
        fingerprint: 'BB',
        issuer: 'CN=Example CA',
        selfSigned: true,
        subject: 'CN=Example CA',
        validFrom: inDays(-900),
        validTo: inDays(3000),
      },
    ],
    protocol: 'TLSv1.3',
    ...fields,
  }
}

const URL_ = 'https://cloud.example.com/client/api'
const verify = {verifyTls: true}

describe('judgeClock', () => {
  it('is ok within a minute either way, signed or not', () => {
    fc.assert(
      fc.property(fc.double({max: 60, min: -60, noNaN: true}), fc.boolean(), (offset, signed) => {
        assert.equal(judgeClock(offset, {signed}).status, 'ok')
      }),
    )
  })

  it('fails signed requests when the server is further ahead than the signature lifetime', () => {
    fc.assert(
      fc.property(fc.double({max: 86_400, min: SIGNATURE_LIFETIME_SECONDS + 0.5, noNaN: true}), (offset) => {
        const check = judgeClock(offset, {signed: true})
        assert.equal(check.status, 'fail')
        assert.match(check.detail, /already expired/)
      }),
    )
  })

  it('only warns for login sessions, whatever the offset', () => {
    fc.assert(
      fc.property(fc.double({max: 86_400, min: 61, noNaN: true}), fc.boolean(), (size, ahead) => {
        assert.equal(judgeClock(ahead ? size : -size, {signed: false}).status, 'warn')
      }),
    )
  })

  it('a server far behind fails only when enforce.post.requests.and.timestamps is on', () => {
    assert.equal(judgeClock(-400, {enforceTimestamps: false, signed: true}).status, 'warn')
    const enforced = judgeClock(-400, {enforceTimestamps: true, signed: true})
    assert.equal(enforced.status, 'fail')
    assert.match(enforced.detail, /more than 15 min ahead \(it is on\)/)
    assert.equal(judgeClock(-200, {enforceTimestamps: true, signed: true}).status, 'warn')
  })

  it('says how much of the signature lifetime is left when the server is ahead', () => {
    assert.match(
      judgeClock(240, {signed: true}).detail,
      /4 min ahead of this machine's; signed requests reach it with 6 min of their 10 min left/,
    )
  })

  it('warns when there is no Date header', () => {
    assert.equal(judgeClock(undefined, {signed: true}).status, 'warn')
  })
})

describe('formatSeconds', () => {
  it('reads naturally', () => {
    assert.equal(formatSeconds(3), '3 s')
    assert.equal(formatSeconds(-700), '11 min 40 s')
    assert.equal(formatSeconds(600), '10 min')
    assert.equal(formatSeconds(7260), '2 h 1 min')
  })
})

describe('judgeTls', () => {
  it('accepts plain HTTP on loopback and warns elsewhere', () => {
    assert.equal(judgeTls('http://127.0.0.1:8080/client/api', undefined, verify, NOW).status, 'ok')
    assert.equal(judgeTls('http://localhost:8080/client/api', undefined, verify, NOW).status, 'ok')
    const remote = judgeTls('http://10.0.0.5:8080/client/api', undefined, verify, NOW)
    assert.equal(remote.status, 'warn')
    assert.match(remote.fix!, /https/)
  })

  it('is ok for a verified certificate with time left, and warns within 30 days of expiry', () => {
    const ok = judgeTls(URL_, inspection(), verify, NOW)
    assert.equal(ok.status, 'ok')
    assert.match(ok.detail, /verified against the system's trusted CAs \(TLSv1\.3\).*200 days left/)
    const soon = judgeTls(URL_, inspection({validTo: inDays(20)}), {caFile: 'ca.pem', verifyTls: true}, NOW)
    assert.equal(soon.status, 'warn')
    assert.match(soon.detail, /verified against the CA file ca\.pem/)
  })

  it('fails an expired certificate with the days since', () => {
    const check = judgeTls(
      URL_,
      inspection({authorizationError: 'CERT_HAS_EXPIRED', authorized: false, validTo: inDays(-3)}),
      verify,
      NOW,
    )
    assert.equal(check.status, 'fail')
    assert.match(check.detail, /expired 3 days ago/)
  })

  it('fails a certificate from an untrusted CA and tells how to get and pass the CA', () => {
    const bad = inspection({authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN', authorized: false})
    const check = judgeTls(URL_, bad, verify, NOW)
    assert.equal(check.status, 'fail')
    assert.match(check.detail, /chain ends at CN=Example CA, self-signed/)
    assert.match(check.fix!, /--ca-file ca\.pem/)
    const wrongFile = judgeTls(URL_, bad, {caFile: 'other.pem', verifyTls: true}, NOW)
    assert.match(wrongFile.fix!, /^other\.pem is not the CA that signed this certificate/)
  })

  it('fails a certificate for another host name', () => {
    const check = judgeTls(
      URL_,
      inspection({hostnameError: "Hostname/IP does not match certificate's altnames"}),
      verify,
      NOW,
    )
    assert.equal(check.status, 'fail')
    assert.match(check.fix!, /DNS:cloud\.example\.com/)
  })

  it('only warns under --insecure, saying whether it would verify', () => {
    const bad = judgeTls(
      URL_,
      inspection({authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', authorized: false}),
      {verifyTls: false},
      NOW,
    )
    assert.equal(bad.status, 'warn')
    assert.match(bad.detail, /it would not verify .*DEPTH_ZERO_SELF_SIGNED_CERT/)
    const good = judgeTls(URL_, inspection(), {verifyTls: false}, NOW)
    assert.match(good.fix!, /drop --insecure/)
  })
})

describe('judgeEndpoint', () => {
  const probe = {elapsedMs: 5, localMidMs: NOW, url: 'http://h/client/api'}

  it('recognises the API envelope, an HTML page and a refused connection', () => {
    assert.equal(
      judgeEndpoint({
        ...probe,
        body: '{"errorresponse":{"errorcode":401}}',
        contentType: 'application/json',
        status: 401,
      }).status,
      'ok',
    )
    const html = judgeEndpoint({...probe, body: '<html>', contentType: 'text/html', status: 200})
    assert.equal(html.status, 'fail')
    assert.match(html.detail, /HTTP 200 \(text\/html\), not the management API/)
    assert.match(
      judgeEndpoint({...probe, code: 'ECONNREFUSED', error: 'connect'}).detail,
      /cannot connect: ECONNREFUSED/,
    )
  })
})

describe('judgeRole', () => {
  it('accepts a root admin and refuses others with a fix', () => {
    const base = {account: 'a', domain: 'ROOT', username: 'u'}
    assert.equal(judgeRole({...base, accounttype: 1, roletype: 'Admin'}, 'getUser').status, 'ok')
    const domainAdmin = judgeRole(
      {...base, accounttype: 2, rolename: 'Domain Admin', roletype: 'DomainAdmin'},
      'getUser',
    )
    assert.equal(domainAdmin.status, 'fail')
    assert.match(domainAdmin.detail, /is not a root admin \(Domain Admin, account type 2\)/)
    assert.equal(judgeRole(undefined, 'listUsers').status, 'fail')
  })
})

describe('judgeApis', () => {
  it('lists what is missing with what needs it', () => {
    const all = Object.keys(REQUIRED_APIS)
    assert.equal(judgeApis(all).status, 'ok')
    const check = judgeApis(all.filter((n) => n !== 'listCaCertificate'))
    assert.equal(check.status, 'fail')
    assert.match(check.detail, /1 of \d+ APIs .*: listCaCertificate \(ca certificate\)/)
  })
})

describe('judgeCa', () => {
  const good = {
    'ca.framework.cert.automatic.renewal': 'true',
    'ca.framework.cert.expiry.alert.period': '15',
    'ca.framework.cert.validity.period': '365',
    'ca.framework.provider.plugin': 'root',
    'ca.plugin.root.auth.strictness': 'true',
  }
  const hosts = [
    {name: 'h1', secured: 'true'},
    {name: 'h2', secured: 'true'},
  ]

  it('is ok when strict, renewing and every KVM host is secured', () => {
    const check = judgeCa(good, hosts)
    assert.equal(check.status, 'ok')
    assert.equal(check.fix, undefined)
  })

  it('fails when strict but a host is unsecured; warns when not strict', () => {
    const unsecured = [...hosts, {name: 'h3'}]
    const strict = judgeCa(good, unsecured)
    assert.equal(strict.status, 'fail')
    assert.match(strict.fix!, /moldctl host cert provision h3 --reconnect/)
    const lax = judgeCa({...good, 'ca.plugin.root.auth.strictness': 'false'}, unsecured)
    assert.equal(lax.status, 'warn')
    assert.match(lax.detail, /1 KVM hosts are not secured/)
  })

  it('warns about no auto-renewal and a validity not above the alert period', () => {
    const check = judgeCa(
      {...good, 'ca.framework.cert.automatic.renewal': 'false', 'ca.framework.cert.validity.period': '10'},
      hosts,
    )
    assert.equal(check.status, 'warn')
    assert.match(check.detail, /not renewed automatically/)
    assert.match(check.detail, /validity \(10 days\) is not more than the expiry alert period \(15 days\)/)
  })
})

describe('exit code and text', () => {
  const report = (statuses: Array<[string, string]>): DoctorReport => ({
    checks: statuses.map(
      ([check, status]) => ({check, detail: 'd', fix: 'f', status}) as DoctorReport['checks'][number],
    ),
    ok: !statuses.some(([, s]) => s === 'fail'),
  })

  it('is 0 without failures, 3 for configuration failures, else 1', () => {
    assert.equal(
      doctorExitCode(
        report([
          ['profile', 'ok'],
          ['ca', 'warn'],
        ]),
      ),
      0,
    )
    assert.equal(
      doctorExitCode(
        report([
          ['tls', 'fail'],
          ['apis', 'fail'],
        ]),
      ),
      3,
    )
    assert.equal(doctorExitCode(report([['role', 'fail']])), 1)
  })

  it('shows fixes only for checks that are not ok', async () => {
    const text = await renderDoctorReport(
      report([
        ['profile', 'ok'],
        ['role', 'fail'],
      ]),
    )
    assert.equal(text.match(/fix: f/g)?.length, 1)
    assert.match(text, /^FAIL\s+role\s+d$/m)
    assert.match(text, /1 ok, 0 warning\(s\), 1 failed, 0 skipped$/)
  })
})
