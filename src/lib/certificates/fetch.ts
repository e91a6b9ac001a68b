/** Reads certificates: the CA certificate of a provider, and what a PEM bundle holds. */
import type {MoldClient} from '../api/client.js'
import type {ApiObject} from '../api/types.js'

import {MoldctlError} from '../core/errors.js'

/** What a certificate says, as `ca certificate` prints it. */
export interface CertificateSummary {
  /** Days until notafter (negative once expired). */
  daysleft: number
  /** SHA-256 of the DER encoding, as colon-separated upper-case hex (like openssl). */
  fingerprint: string
  isca: boolean
  issuer: string
  notafter: string
  notbefore: string
  serial: string
  subject: string
}

/** Splits a PEM text into its CERTIFICATE blocks. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
}

/** Subject, issuer, validity and fingerprint of every certificate in a PEM text (node-forge). */
export async function describeCertificates(
  pem: string,
  now: Date = new Date(),
): Promise<CertificateSummary[]> {
  const blocks = pemBlocks(pem)
  if (blocks.length === 0) throw new MoldctlError('the answer holds no PEM certificate')
  const forge = (await import('node-forge')).default
  return blocks.map((block) => {
    let cert
    try {
      cert = forge.pki.certificateFromPem(block)
    } catch (error) {
      throw new MoldctlError(`cannot read the certificate: ${(error as Error).message}`)
    }

    const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes()
    const hex = forge.md.sha256.create().update(der).digest().toHex().toUpperCase()
    const name = (attributes: typeof cert.subject.attributes) =>
      attributes.map((a) => `${a.shortName ?? a.name ?? a.type}=${String(a.value)}`).join(', ')
    const constraints = cert.getExtension('basicConstraints') as undefined | {cA?: boolean}
    return {
      subject: name(cert.subject.attributes),
      issuer: name(cert.issuer.attributes),
      serial: cert.serialNumber,
      notbefore: cert.validity.notBefore.toISOString(),
      notafter: cert.validity.notAfter.toISOString(),
      daysleft: Math.floor((cert.validity.notAfter.getTime() - now.getTime()) / 86_400_000),
      fingerprint: hex.match(/../g)!.join(':'),
      isca: constraints?.cA === true,
    }
  })
}

/** The CA certificate(s) of a provider, PEM as the server gives it. */
export async function fetchCaCertificate(client: MoldClient, provider?: string): Promise<string> {
  const answer = await client.request('listCaCertificate', {provider})
  const pem = (answer.cacertificates as ApiObject | undefined)?.certificate
  if (typeof pem !== 'string' || pem.trim() === '') {
    throw new MoldctlError('listCaCertificate answered without a certificate')
  }

  return pem
}
