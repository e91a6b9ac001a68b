import assert from 'node:assert/strict'
import {X509Certificate} from 'node:crypto'
import {describe, it} from 'node:test'

import {describeCertificates, pemBlocks} from '../../../src/lib/certificates/fetch.js'
import {provisioningError, type ProvisionResult} from '../../../src/lib/certificates/provision.js'
import {createCertificateAuthority, issueFromCa} from '../../../src/sim/behaviour/certificate-authority.js'

describe('describeCertificates', () => {
  it('reads subject, issuer, validity and fingerprint as node:crypto does, for each block', async () => {
    const ca = await createCertificateAuthority('CN=Test Root,O=Example')
    const now = new Date()
    const leaf = await issueFromCa(ca, {
      commonName: 'host-1',
      ipAddresses: ['10.0.0.1'],
      notAfter: new Date(now.getTime() + 10 * 86_400_000 + 60_000),
      notBefore: now,
    })
    const summaries = await describeCertificates(`${leaf.certificatePem}\n${ca.certificatePem}`, now)
    assert.equal(summaries.length, 2)
    for (const [summary, pem] of [
      [summaries[0], leaf.certificatePem],
      [summaries[1], ca.certificatePem],
    ] as const) {
      const reference = new X509Certificate(pem)
      assert.equal(summary.fingerprint, reference.fingerprint256)
      assert.equal(summary.serial.toUpperCase(), reference.serialNumber.toUpperCase())
      assert.equal(Date.parse(summary.notafter), Date.parse(reference.validTo))
      assert.equal(summary.isca, reference.ca)
    }

    assert.equal(summaries[0].subject, 'CN=host-1')
    assert.equal(summaries[0].issuer, 'CN=Test Root, O=Example')
    assert.equal(summaries[0].daysleft, 10)
  })

  it('refuses text without a certificate', async () => {
    await assert.rejects(describeCertificates('hello'), /no PEM certificate/)
    assert.deepEqual(pemBlocks('x'), [])
  })
})

describe('provisioningError', () => {
  const row = (name: string, result: ProvisionResult['result'], jobid?: string): ProvisionResult => ({
    detail: '',
    hostid: name,
    ipaddress: '',
    jobid,
    name,
    result,
  })

  it('maps outcomes to exit codes: none, 4 partial, 1 all failed, 5 only timeouts, 130 interrupted', () => {
    assert.equal(provisioningError([row('a', 'ok'), row('b', 'ok')]), undefined)
    assert.equal(provisioningError([row('a', 'ok'), row('b', 'skipped')])?.exitCode, 4)
    assert.equal(provisioningError([row('a', 'failed'), row('b', 'skipped')])?.exitCode, 1)
    const timeout = provisioningError([row('a', 'ok'), row('b', 'timeout', 'job-b')])
    assert.equal(timeout?.exitCode, 5)
    assert.deepEqual(timeout?.suggestions, ['b: moldctl job wait job-b'])
    const interrupted = provisioningError([row('a', 'interrupted', 'job-a'), row('b', 'interrupted')])
    assert.equal(interrupted?.exitCode, 130)
    assert.deepEqual(interrupted?.suggestions, ['a: moldctl job wait job-a'])
  })
})
