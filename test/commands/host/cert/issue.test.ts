import assert from 'node:assert/strict'
import {generateKeyPairSync, X509Certificate} from 'node:crypto'
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, afterEach, beforeEach, describe, it} from 'node:test'

import {runCli, simEnv} from '../../../helpers/cli.js'
import {useSim} from '../../../helpers/sim.js'

// host cert issue: a CSR made on an out-of-band KVM host is signed by issueCertificate; the
// certificate and CA chain are written 0644 and the keystore-cert-import command is printed.

let dir: string
let csrFile: string
let keyPem: string
const sim = useSim(
  {},
  {
    async afterStart() {
      const forge = (await import('node-forge')).default
      const {privateKey, publicKey} = generateKeyPairSync('rsa', {modulusLength: 2048})
      keyPem = privateKey.export({format: 'pem', type: 'pkcs8'}).toString()
      const csr = forge.pki.createCertificationRequest()
      csr.publicKey = forge.pki.publicKeyFromPem(publicKey.export({format: 'pem', type: 'spki'}).toString())
      csr.setSubject([{shortName: 'CN', value: 'kvm-host-09.lab'}])
      csr.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create())
      dir = mkdtempSync(path.join(tmpdir(), 'moldctl-issue-'))
      csrFile = path.join(dir, 'cloud.csr')
      writeFileSync(csrFile, forge.pki.certificationRequestToPem(csr))
    },
  },
)

const cli = (...args: string[]) => runCli(args, {env: simEnv(sim)})
const issueCalls = async () => (await sim.requests()).filter((r) => r.command === 'issueCertificate')

after(() => rmSync(dir, {force: true, recursive: true}))
beforeEach(() => sim.clearRequests())
afterEach(() => {
  for (const f of ['cloud.crt', 'cloud.ca.crt']) rmSync(path.join(dir, f), {force: true})
})

describe('host cert issue', () => {
  it('signs the CSR for the name and IP, writes certificate and CA chain 0644, prints the import', async () => {
    const r = await cli(
      'host',
      'cert',
      'issue',
      '--csr-file',
      csrFile,
      '--name',
      'kvm-host-09.lab',
      '--ip',
      '10.10.0.19',
      '--out-dir',
      dir,
    )
    assert.equal(r.code, 0, r.stderr)
    const [call] = await issueCalls()
    assert.equal(call.params.domain, 'kvm-host-09.lab')
    assert.equal(call.params.ipaddress, '10.10.0.19')
    assert.match(call.params.csr, /BEGIN CERTIFICATE REQUEST/)
    const certFile = path.join(dir, 'cloud.crt')
    const caFile = path.join(dir, 'cloud.ca.crt')
    assert.equal(statSync(certFile).mode & 0o777, 0o644)
    assert.equal(statSync(caFile).mode & 0o777, 0o644)
    const cert = new X509Certificate(readFileSync(certFile))
    const ca = new X509Certificate(readFileSync(caFile))
    assert.ok(cert.checkIssued(ca))
    assert.match(cert.subjectAltName ?? '', /DNS:kvm-host-09\.lab/)
    assert.match(cert.subjectAltName ?? '', /IP Address:10\.10\.0\.19/)
    assert.doesNotMatch(r.stdout + r.stderr, /PRIVATE KEY/)
    assert.ok(!existsSync(path.join(dir, 'cloud.key')), 'no key file is written')
    assert.match(
      r.stdout,
      /keystore-setup \/etc\/cloudstack\/agent\/agent\.properties \/etc\/cloudstack\/agent\/cloud\.jks "\$\(openssl rand -hex 8\)" 365 \/etc\/cloudstack\/agent\/cloud\.csr/,
    )
    assert.match(
      r.stdout,
      /keystore-cert-import \/etc\/cloudstack\/agent\/agent\.properties "\$\(sed -n 's\/\^keystore\.passphrase=\/\/p' .*\)" \/etc\/cloudstack\/agent\/cloud\.jks ssh \/etc\/cloudstack\/agent\/cloud\.crt "\$\(tr '\\n ' '\^~' < cloud\.crt\)" \/etc\/cloudstack\/agent\/cloud\.ca\.crt "\$\(tr '\\n ' '\^~' < cloud\.ca\.crt\)" \/etc\/cloudstack\/agent\/cloud\.key ""$/m,
    )
    assert.match(r.stdout, /16514/)
  })

  it('refuses a file holding a private key, a file without a CSR, a bad IP, and existing outputs — without a call', async () => {
    const withKey = path.join(dir, 'with-key.pem')
    writeFileSync(withKey, `${readFileSync(csrFile, 'utf8')}${keyPem}`)
    const notCsr = path.join(dir, 'not-a-csr.txt')
    writeFileSync(notCsr, 'hello')
    const cases: Array<[string[], RegExp]> = [
      [['--csr-file', withKey, '--name', 'h', '--ip', '10.0.0.1'], /holds a private key; nothing was sent/],
      [['--csr-file', notCsr, '--name', 'h', '--ip', '10.0.0.1'], /holds no certificate signing request/],
      [['--csr-file', path.join(dir, 'missing.csr'), '--name', 'h'], /cannot read the CSR file .*ENOENT/],
      [
        ['--csr-file', csrFile, '--name', 'h', '--ip', '10.0.0.300'],
        /--ip 10\.0\.0\.300 is not an IP address/,
      ],
      [['--csr-file', csrFile, '--ip', '10.0.0.1'], /Missing required flag name/],
    ]
    for (const [args, message] of cases) {
      const r = await cli('host', 'cert', 'issue', ...args, '--out-dir', dir)
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message)
    }

    writeFileSync(path.join(dir, 'cloud.crt'), 'old')
    const exists = await cli('host', 'cert', 'issue', '--csr-file', csrFile, '--name', 'h', '--out-dir', dir)
    assert.equal(exists.code, 2)
    assert.match(exists.stderr, /cloud\.crt exists; nothing was sent/)
    assert.deepEqual(await issueCalls(), [])
    const forced = await cli(
      'host',
      'cert',
      'issue',
      '--csr-file',
      csrFile,
      '--name',
      'h',
      '--out-dir',
      dir,
      '--force',
    )
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(readFileSync(path.join(dir, 'cloud.crt'), 'utf8'), /BEGIN CERTIFICATE/)
  })

  it('--dry-run prints the call (the CSR summarised) and makes none', async () => {
    const r = await cli(
      'host',
      'cert',
      'issue',
      '--csr-file',
      csrFile,
      '--name',
      'h.lab',
      '--ip',
      '10.0.0.1',
      '--out-dir',
      dir,
      '--dry-run',
    )
    assert.equal(r.code, 0, r.stderr)
    assert.match(
      r.stdout,
      /^would call: issueCertificate csr=<PEM, \d+ characters> domain=h\.lab ipaddress=10\.0\.0\.1$/m,
    )
    assert.deepEqual(await issueCalls(), [])
    assert.ok(!existsSync(path.join(dir, 'cloud.crt')))
  })

  it('a failed job is exit 1 with the server text, and writes nothing', async () => {
    await sim.setFaults({failCommand: {command: 'issueCertificate', errortext: 'CA is down', inJob: true}})
    try {
      const r = await cli('host', 'cert', 'issue', '--csr-file', csrFile, '--name', 'h', '--out-dir', dir)
      assert.equal(r.code, 1, r.stderr)
      assert.match(r.stderr, /CA is down/)
      assert.ok(!existsSync(path.join(dir, 'cloud.crt')))
    } finally {
      await sim.clearFaults()
    }
  })
})
