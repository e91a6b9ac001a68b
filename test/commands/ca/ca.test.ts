import assert from 'node:assert/strict'
import {X509Certificate} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'

import {json, makeHome, runCli, simEnv} from '../../helpers/cli.js'
import {useSim} from '../../helpers/sim.js'

interface CaOutput {
  certificate: string
  certificates: Array<{
    daysleft: number
    fingerprint: string
    isca: boolean
    issuer: string
    notafter: string
    subject: string
  }>
  file?: string
}

let env: Record<string, string>
let caPem: string
const sim = useSim(
  {},
  {
    async afterStart() {
      env = simEnv(sim)
      caPem = (await sim.call('listCaCertificate')).body.listcacertificateresponse.cacertificates.certificate
    },
  },
)

describe('ca providers', () => {
  it('lists the providers as a table and as JSON', async () => {
    const table = await runCli(['ca', 'providers'], {env})
    assert.equal(table.code, 0, table.stderr)
    assert.equal(table.stdout, "NAME  DESCRIPTION\nroot  CloudStack's Root CA provider plugin\n")
    const asJson = await runCli(['ca', 'providers', '--json'], {env})
    assert.deepEqual(json(asJson), [{name: 'root', description: "CloudStack's Root CA provider plugin"}])
  })

  it('retries the read when the server answers 503 once', async () => {
    await sim.clearRequests()
    await sim.setFaults({
      failCommand: {command: 'listCAProviders', errorcode: 503, errortext: 'busy', times: 1},
    })
    try {
      const r = await runCli(['ca', 'providers', '--json'], {env})
      assert.equal(r.code, 0, r.stderr)
      assert.deepEqual(
        (await sim.requests()).filter((q) => q.command === 'listCAProviders').map((q) => q.status),
        [503, 200],
      )
    } finally {
      await sim.clearFaults()
    }
  })
})

describe('ca certificate', () => {
  it('prints the PEM on stdout and its subject, issuer, validity and fingerprint on stderr', async () => {
    const r = await runCli(['ca', 'certificate'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout.trim(), caPem.trim())
    const cert = new X509Certificate(caPem)
    assert.match(r.stderr, /subject\s+CN=ca\.cloudstack\.apache\.org/)
    assert.match(r.stderr, /issuer\s+CN=ca\.cloudstack\.apache\.org/)
    assert.ok(r.stderr.includes(`sha256       ${cert.fingerprint256}`), r.stderr)
    assert.match(r.stderr, /valid\s+\d{4}-\d\d-\d\dT.* to \d{4}-.* \(\d+ days left\)/)
  })

  it('--out writes the PEM to a file and prints the summary', async () => {
    const home = makeHome()
    try {
      const file = path.join(home.root, 'cloud-ca.pem')
      const r = await runCli(['ca', 'certificate', '--out', file], {env, home})
      assert.equal(r.code, 0, r.stderr)
      assert.equal(readFileSync(file, 'utf8').trim(), caPem.trim())
      assert.match(
        r.stdout,
        new RegExp(`^wrote ${file.replaceAll(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`)}\\nsubject`),
      )
      assert.doesNotMatch(r.stdout, /BEGIN CERTIFICATE/)
    } finally {
      home.remove()
    }
  })

  it('--json gives the PEM and what it says, matching node:crypto', async () => {
    const r = await runCli(['ca', 'certificate', '--json'], {env})
    assert.equal(r.code, 0, r.stderr)
    const out = json<CaOutput>(r)
    const cert = new X509Certificate(caPem)
    assert.equal(out.certificate.trim(), caPem.trim())
    assert.equal(out.certificates.length, 1)
    const [summary] = out.certificates
    assert.equal(summary.fingerprint, cert.fingerprint256)
    assert.equal(summary.isca, true)
    assert.equal(Date.parse(summary.notafter), Date.parse(cert.validTo))
  })

  it('an unknown provider fails with the server text (exit 1)', async () => {
    const r = await runCli(['ca', 'certificate', '--provider', 'vault'], {env})
    assert.equal(r.code, 1)
    assert.match(r.stderr, /listCaCertificate failed \(530\/4250\): CA provider plugin 'vault' not found/)
  })

  it('a file that cannot be written is a clear error', async () => {
    const r = await runCli(['ca', 'certificate', '--out', '/nonexistent-dir/ca.pem'], {env})
    assert.equal(r.code, 1)
    assert.match(r.stderr, /cannot write \/nonexistent-dir\/ca\.pem: ENOENT/)
  })
})

describe('the CA file against a TLS server', () => {
  const tlsSim = useSim({tls: true})

  it('first contact with --insecure saves the CA; later commands verify with --ca-file', async () => {
    const home = makeHome()
    try {
      const tlsEnv = simEnv(tlsSim)
      const refused = await runCli(['zone', 'list'], {env: tlsEnv, home})
      assert.equal(refused.code, 3)
      const file = path.join(home.root, 'ca.pem')
      const saved = await runCli(['ca', 'certificate', '--insecure', '--out', file], {env: tlsEnv, home})
      assert.equal(saved.code, 0, saved.stderr)
      assert.match(saved.stderr, /verification is off/)
      const verified = await runCli(['zone', 'list', '--ca-file', file], {env: tlsEnv, home})
      assert.equal(verified.code, 0, verified.stderr)
      assert.match(verified.stdout, /zone-1/)
    } finally {
      home.remove()
    }
  })
})
