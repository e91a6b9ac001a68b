import type {SimModel} from '../state/model.js'

import {issueFromCa, simulatorCa, splitNames} from '../behaviour/certificate-authority.js'

/** HTTPS for the simulator: a server certificate issued by the simulator's own root CA. */
export interface SimTlsOptions {
  /** Serve a certificate that expired yesterday (for testing clients' checks). */
  expired?: boolean
  /** Days the server certificate stays valid (default 365). */
  validDays?: number
}

export interface SimTlsMaterial {
  /** The CA certificate that signed the server certificate: what clients pass as --ca-file. */
  caCertificatePem: string
  /** Server certificate followed by the CA certificate, as servers usually send it. */
  certificateChainPem: string
  privateKeyPem: string
}

const DAY_MS = 86_400_000

/** A server certificate for `listenHost` (plus 127.0.0.1 and localhost), issued by the simulator's CA. */
export async function simulatorTls(
  model: SimModel,
  listenHost: string,
  options: SimTlsOptions,
  now: Date = new Date(),
): Promise<SimTlsMaterial> {
  const ca = await simulatorCa(model)
  const days = options.validDays ?? 365
  const notAfter = options.expired
    ? new Date(now.getTime() - DAY_MS)
    : new Date(now.getTime() + days * DAY_MS)
  const notBefore = new Date(Math.min(now.getTime() - 60_000, notAfter.getTime() - 30 * DAY_MS))
  const names = splitNames(
    ['localhost', '127.0.0.1', listenHost].filter((n) => n !== '0.0.0.0' && n !== '::'),
  )
  const issued = await issueFromCa(ca, {commonName: 'localhost', ...names, notAfter, notBefore})
  return {
    caCertificatePem: ca.certificatePem,
    certificateChainPem: `${issued.certificatePem.trim()}\n${ca.certificatePem.trim()}\n`,
    privateKeyPem: issued.privateKeyPem!,
  }
}
