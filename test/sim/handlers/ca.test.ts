import assert from 'node:assert/strict'
import {generateKeyPairSync, X509Certificate} from 'node:crypto'
import {request} from 'node:https'
import {before, describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import {FLAVOR_ALGORITHM, signParams} from '../../../src/lib/api/sign.js'
import {smallTopology} from '../../../src/sim/state/topology/presets.js'
import {type TopologySpec} from '../../../src/sim/state/topology/spec.js'
import {startTestSim, type TestSim, useSim} from '../../helpers/sim.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON bodies, checked field by field
type Json = Record<string, any>

async function jobResult(sim: TestSim, jobid: string): Promise<Json> {
  for (let i = 0; i < 400; i++) {
    const job = (await sim.call('queryAsyncJobResult', {jobid})).body.queryasyncjobresultresponse
    if (job.jobstatus !== 0) return job
    await delay(10)
  }

  throw new Error(`job ${jobid} did not finish`)
}

/** The small cloud with a KVM host whose agent scripts fail and one whose agent is down. */
function caTopology(): TopologySpec {
  const spec = smallTopology()
  const kvm = spec.zones[0].pods![0].clusters![0]
  kvm.hosts![1] = {...kvm.hosts![1], certificatesetup: 'fail', details: {secured: 'false'}}
  kvm.hosts![2] = {...kvm.hosts![2], state: 'Disconnected'}
  return spec
}

describe('simulator: the CA framework', () => {
  const sim = useSim({topology: caTopology()})
  const host = (name: string) => sim.model.state.hosts.find((h) => h.name === name)!

  it('lists the root provider, filtered by name', async () => {
    const all = await sim.call('listCAProviders')
    assert.deepEqual(all.body, {
      listcaprovidersresponse: {
        count: 1,
        caprovider: [{name: 'root', description: "CloudStack's Root CA provider plugin"}],
      },
    })
    assert.deepEqual((await sim.call('listCAProviders', {name: 'other'})).body, {listcaprovidersresponse: {}})
  })

  it('serves a self-signed CA certificate named by ca.plugin.root.issuer.dn', async () => {
    const res = await sim.call('listCaCertificate')
    assert.equal(res.status, 200)
    const pem = res.body.listcacertificateresponse.cacertificates.certificate
    const cert = new X509Certificate(pem)
    assert.equal(cert.ca, true)
    assert.equal(cert.subject, 'CN=ca.cloudstack.apache.org')
    assert.ok(cert.checkIssued(cert) && cert.verify(cert.publicKey), 'self-signed')
    // The same CA on every call.
    const again = await sim.call('listCaCertificate', {provider: 'ROOT'})
    assert.equal(again.body.listcacertificateresponse.cacertificates.certificate, pem)
  })

  it('refuses an unknown provider with the manager text', async () => {
    const res = await sim.call('listCaCertificate', {provider: 'vault'})
    assert.equal(res.status, 530)
    assert.equal(res.body.listcacertificateresponse.errortext, "CA provider plugin 'vault' not found")
  })

  it('issues certificates for names (with a new key) and for a CSR, signed by the CA', async () => {
    const ca = new X509Certificate(
      (await sim.call('listCaCertificate')).body.listcacertificateresponse.cacertificates.certificate,
    )
    const byName = await jobResult(
      sim,
      (
        await sim.call('issueCertificate', {
          domain: 'a.example,b.example',
          duration: '30',
          ipaddress: '10.0.0.9',
        })
      ).body.issuecertificateresponse.jobid,
    )
    assert.equal(byName.jobstatus, 1)
    const issued = byName.jobresult.certificates
    const cert = new X509Certificate(issued.certificate)
    assert.equal(cert.subject, 'CN=a.example')
    assert.equal(cert.subjectAltName, 'DNS:a.example, DNS:b.example, IP Address:10.0.0.9')
    assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey))
    assert.match(issued.privatekey, /BEGIN PRIVATE KEY/)
    assert.equal(new X509Certificate(issued.cacertificates).fingerprint256, ca.fingerprint256)
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000
    assert.ok(days > 28 && days < 31, `valid for ${days} days`)

    const forge = (await import('node-forge')).default
    const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
    const csr = forge.pki.createCertificationRequest()
    csr.publicKey = forge.pki.publicKeyFromPem(publicKey.export({format: 'pem', type: 'spki'}).toString())
    csr.setSubject([{shortName: 'CN', value: 'agent.example'}])
    csr.sign(
      forge.pki.privateKeyFromPem(privateKey.export({format: 'pem', type: 'pkcs8'}).toString()),
      forge.md.sha256.create(),
    )
    const byCsr = await jobResult(
      sim,
      (await sim.call('issueCertificate', {csr: forge.pki.certificationRequestToPem(csr)}, {method: 'POST'}))
        .body.issuecertificateresponse.jobid,
    )
    const fromCsr = new X509Certificate(byCsr.jobresult.certificates.certificate)
    assert.equal(fromCsr.subject, 'CN=agent.example')
    assert.equal(byCsr.jobresult.certificates.privatekey, undefined, 'no key when the CSR brought one')
    assert.equal(
      fromCsr.publicKey.export({format: 'pem', type: 'spki'}),
      publicKey.export({format: 'pem', type: 'spki'}),
    )
  })

  it('fails issueCertificate without domains or CSR (431 in the job)', async () => {
    const job = await jobResult(sim, (await sim.call('issueCertificate')).body.issuecertificateresponse.jobid)
    assert.equal(job.jobstatus, 2)
    assert.deepEqual(job.jobresult, {
      errorcode: 431,
      errortext: 'Please provide the domains or the CSR, none of them are provided',
    })
  })

  it('provisions a connected KVM host: success, secured, reconnected', async () => {
    const target = host('kvm-host-01')
    const submit = await sim.call(
      'provisionCertificate',
      {hostid: target.id, reconnect: 'true'},
      {method: 'POST'},
    )
    assert.equal(submit.status, 200)
    const job = await jobResult(sim, submit.body.provisioncertificateresponse.jobid)
    assert.equal(job.jobstatus, 1)
    assert.deepEqual(job.jobresult, {success: true})
    assert.equal(job.jobinstancetype, 'Host')
    assert.equal(job.cmd, 'org.apache.cloudstack.api.command.admin.ca.ProvisionCertificateCmd')
    assert.equal(target.status, 'Up')
    assert.equal(target.certificate?.provider, 'root')
    const listed = (await sim.call('listHosts', {id: target.id})).body.listhostsresponse.host[0]
    assert.equal(listed.details.secured, 'true')
  })

  it('answers success=false when the agent scripts fail (the knob certificatesetup: fail)', async () => {
    const target = host('kvm-host-02')
    const job = await jobResult(
      sim,
      (await sim.call('provisionCertificate', {hostid: target.id}, {method: 'POST'})).body
        .provisioncertificateresponse.jobid,
    )
    assert.equal(job.jobstatus, 1)
    assert.deepEqual(job.jobresult, {success: false})
    assert.equal(target.details.secured, 'false')
  })

  it('fails the job for a disconnected agent and for a non-KVM host', async () => {
    const down = host('kvm-host-03')
    const failed = await jobResult(
      sim,
      (await sim.call('provisionCertificate', {hostid: down.id})).body.provisioncertificateresponse.jobid,
    )
    assert.equal(failed.jobstatus, 2)
    assert.equal(failed.jobresultcode, 530)
    assert.equal(
      failed.jobresult.errortext,
      `Failed to generate keystore and get CSR from the host/agent id=${down.internalId}`,
    )
    const xen = await jobResult(
      sim,
      (await sim.call('provisionCertificate', {hostid: host('xen-host-01').id})).body
        .provisioncertificateresponse.jobid,
    )
    assert.equal(xen.jobstatus, 2)
    assert.match(xen.jobresult.errortext, /UnsupportedAnswer/)
  })

  it('validates hostid before queueing (431 for a missing or unknown host)', async () => {
    const missing = await sim.call('provisionCertificate')
    assert.equal(missing.status, 431)
    assert.match(missing.body.provisioncertificateresponse.errortext, /missing parameter hostid/)
    const unknown = await sim.call('provisionCertificate', {hostid: '00000000-0000-4000-8000-000000000000'})
    assert.equal(unknown.status, 431)
  })
})

describe('simulator: users and roles', () => {
  const sim = useSim({})

  before(async () => {
    const tenant = sim.model.state.accounts.find((a) => a.name === 'tenant-a')!
    sim.model.state.users.push({
      accountId: tenant.id,
      apiKey: 'tenant-key',
      firstname: 'Ten',
      id: '11111111-2222-4333-8444-555555555555',
      lastname: 'Ant',
      password: 'pw',
      secretKey: 'tenant-secret',
      state: 'enabled',
      username: 'tenant-user',
    })
    sim.model.reindex()
  })

  it('getUser finds the user of an API key, with its role, and never its secret key', async () => {
    const res = await sim.call('getUser', {userapikey: sim.apiKey})
    assert.equal(res.status, 200)
    const {user} = res.body.getuserresponse
    assert.equal(user.username, 'admin')
    assert.equal(user.accounttype, 1)
    assert.equal(user.roletype, 'Admin')
    assert.equal(user.secretkey, undefined)
    assert.ok(!res.text.includes(sim.secretKey))
    const unknown = await sim.call('getUser', {userapikey: 'nope'})
    assert.equal(unknown.status, 431)
    assert.equal(unknown.body.getuserresponse.errortext, 'User with specified API key does not exist')
  })

  it('getUser is for root admins only; listUsers shows others only their own account', async () => {
    const asTenant = {apiKey: 'tenant-key', secretKey: 'tenant-secret'}
    const call = async (command: string, params: Record<string, string> = {}) => {
      const signed: Record<string, string> = {...params, apiKey: asTenant.apiKey, command, response: 'json'}
      signed.signature = signParams(signed, asTenant.secretKey, FLAVOR_ALGORITHM.mold)
      const res = await fetch(`${sim.url}?${new URLSearchParams(signed).toString().replaceAll('+', '%20')}`)
      return {body: (await res.json()) as Json, status: res.status}
    }

    const denied = await call('getUser', {userapikey: 'tenant-key'})
    assert.equal(denied.status, 401)
    assert.equal(
      denied.body.getuserresponse.errortext,
      "The given command 'getUser' either does not exist, is not available for user.",
    )
    const own = await call('listUsers')
    assert.deepEqual(
      own.body.listusersresponse.user.map((u: {username: string}) => u.username),
      ['tenant-user'],
    )
    assert.equal(own.body.listusersresponse.user[0].roletype, 'User')
    const all = (await sim.call('listUsers')).body.listusersresponse
    assert.equal(all.count, 2)
  })
})

describe('simulator: TLS, clock skew and missing APIs', () => {
  it('serves HTTPS with a certificate its CA signed, for 127.0.0.1 and localhost', async () => {
    const sim = await startTestSim({tls: true})
    try {
      assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+\/client\/api$/)
      const served = await new Promise<{cert: X509Certificate; status: number}>((resolve, reject) => {
        const req = request(
          `${sim.url}?command=listCapabilities&response=json`,
          {ca: sim.caCertificatePem},
          (res) => {
            const {raw} = (res.socket as import('node:tls').TLSSocket).getPeerCertificate()
            res.resume()
            resolve({cert: new X509Certificate(raw), status: res.statusCode!})
          },
        )
        req.on('error', reject)
        req.end()
      })
      assert.equal(served.status, 401)
      assert.ok(served.cert.checkHost('localhost'))
      assert.ok(served.cert.checkIP('127.0.0.1'))
      assert.ok(served.cert.checkIssued(new X509Certificate(sim.caCertificatePem!)))
      const listed = await new Promise<string>((resolve, reject) => {
        const signed: Record<string, string> = {
          apiKey: sim.apiKey,
          command: 'listCaCertificate',
          response: 'json',
        }
        signed.signature = signParams(signed, sim.secretKey, FLAVOR_ALGORITHM.mold)
        request(`${sim.url}?${new URLSearchParams(signed)}`, {ca: sim.caCertificatePem}, (res) => {
          let body = ''
          res.on('data', (d) => (body += d))
          res.on('end', () => resolve(body))
        })
          .on('error', reject)
          .end()
      })
      assert.equal(
        JSON.parse(listed).listcacertificateresponse.cacertificates.certificate,
        sim.caCertificatePem,
      )
    } finally {
      await sim.close()
    }
  })

  it('can serve an expired certificate', async () => {
    const sim = await startTestSim({tls: {expired: true}})
    try {
      const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
        request(sim.url, {ca: sim.caCertificatePem}, () => resolve(new Error('connected')))
          .on('error', resolve)
          .end()
      })
      assert.equal(error.code, 'CERT_HAS_EXPIRED')
    } finally {
      await sim.close()
    }
  })

  it('a skewed clock shows in the Date header and expires signatures early', async () => {
    const sim = await startTestSim({clockSkewSeconds: 3600})
    try {
      const res = await sim.call('listZones', {
        expires: new Date(Date.now() + 600_000).toISOString().replace(/\.\d+Z$/, '+0000'),
        signatureversion: '3',
      })
      assert.equal(res.status, 401)
      const offset = (Date.parse(res.headers.get('date')!) - Date.now()) / 1000
      assert.ok(Math.abs(offset - 3600) < 5, `offset ${offset}`)
    } finally {
      await sim.close()
    }
  })

  it('leaves out the commands it is told to', async () => {
    const sim = await startTestSim({withoutApis: ['provisionCertificate']})
    try {
      const names = new Set(
        (await sim.call('listApis')).body.listapisresponse.api.map((a: {name: string}) => a.name),
      )
      assert.ok(!names.has('provisionCertificate'))
      assert.ok(names.has('listCaCertificate'))
      assert.equal(
        (await sim.call('provisionCertificate', {hostid: sim.model.state.hosts[0].id})).status,
        401,
      )
    } finally {
      await sim.close()
    }
  })
})
