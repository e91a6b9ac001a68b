import type {asn1, pki} from 'node-forge'

import {generateKeyPair, randomBytes, sign} from 'node:crypto'
import {isIP} from 'node:net'
import {promisify} from 'node:util'

import type {SimModel} from '../state/model.js'

/*
 * The simulator's root CA, like the server's RootCAProvider: a self-signed CA certificate whose
 * key signs host certificates (provisionCertificate, issueCertificate) and, in TLS mode, the
 * simulator's own HTTPS certificate. Key pairs come from node:crypto; node-forge (loaded on first
 * use) only assembles the X.509 structures, which node:crypto then signs.
 */

export interface CaMaterial {
  certificatePem: string
  privateKeyPem: string
}

export interface CertificateRequest {
  commonName: string
  dnsNames?: string[]
  ipAddresses?: string[]
  notAfter: Date
  notBefore: Date
  /** The key to certify (from a CSR); without it a new key pair is made and returned. */
  publicKeyPem?: string
}

export interface IssuedCertificate {
  certificatePem: string
  /** Only when the key pair was made here (no CSR). */
  privateKeyPem?: string
  /** Hex serial number. */
  serial: string
}

const DAY_MS = 86_400_000
const generateRsaKeyPair = promisify(generateKeyPair)
/*
 * node-forge's pki.getTBSCertificate (lib/x509.js: the certificate's to-be-signed part as ASN.1,
 * which its own cert.sign builds the same way) is public at run time but missing from
 * @types/node-forge; declared here so signing with node:crypto needs no cast.
 */
declare module 'node-forge' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace pki {
    function getTBSCertificate(cert: pki.Certificate): asn1.Asn1
  }
}

type Forge = typeof import('node-forge')

async function loadForge(): Promise<Forge> {
  return (await import('node-forge')).default
}

async function newKeyPair(): Promise<{privateKeyPem: string; publicKeyPem: string}> {
  const {privateKey, publicKey} = await generateRsaKeyPair('rsa', {modulusLength: 2048})
  return {
    privateKeyPem: privateKey.export({format: 'pem', type: 'pkcs8'}).toString(),
    publicKeyPem: publicKey.export({format: 'pem', type: 'spki'}).toString(),
  }
}

/** A positive serial number of 16 random bytes, as hex. */
function newSerial(): string {
  const bytes = randomBytes(16)
  bytes[0] &= 0x7f
  return bytes.toString('hex')
}

const SHORT_NAMES = new Set(['C', 'CN', 'E', 'L', 'O', 'OU', 'ST'])

/** `CN=ca.cloudstack.apache.org,O=Example` → certificate name attributes. */
export function parseDistinguishedName(dn: string): pki.CertificateField[] {
  const fields = dn
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=')
      const shortName = part.slice(0, eq).trim().toUpperCase()
      if (eq <= 0 || !SHORT_NAMES.has(shortName))
        throw new Error(`unsupported distinguished name part "${part}"`)
      return {shortName, value: part.slice(eq + 1).trim()}
    })
  if (fields.length === 0) throw new Error(`empty distinguished name "${dn}"`)
  return fields
}

/** Signs the certificate's TBS part with node:crypto (SHA256withRSA) and returns the PEM. */
function signWith(forge: Forge, cert: pki.Certificate, issuerKeyPem: string): string {
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption
  cert.tbsCertificate = forge.pki.getTBSCertificate(cert)
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary')
  cert.signature = sign('sha256', tbs, issuerKeyPem).toString('binary')
  return forge.pki.certificateToPem(cert)
}

/** A new self-signed CA (10 years from a day ago), named by `issuerDn`. */
export async function createCertificateAuthority(
  issuerDn: string,
  now: Date = new Date(),
): Promise<CaMaterial> {
  const [forge, keys] = await Promise.all([loadForge(), newKeyPair()])
  const name = parseDistinguishedName(issuerDn)
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem)
  cert.serialNumber = newSerial()
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS)
  cert.validity.notAfter = new Date(now.getTime() + 3650 * DAY_MS)
  cert.setSubject(name)
  cert.setIssuer(name)
  cert.setExtensions([
    {cA: true, critical: true, name: 'basicConstraints'},
    {cRLSign: true, critical: true, keyCertSign: true, name: 'keyUsage'},
    {name: 'subjectKeyIdentifier'},
  ])
  return {certificatePem: signWith(forge, cert, keys.privateKeyPem), privateKeyPem: keys.privateKeyPem}
}

/** A leaf certificate (server and client authentication) signed by the CA. */
export async function issueFromCa(ca: CaMaterial, request: CertificateRequest): Promise<IssuedCertificate> {
  const forge = await loadForge()
  const keys = request.publicKeyPem ? undefined : await newKeyPair()
  const caCert = forge.pki.certificateFromPem(ca.certificatePem)
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(request.publicKeyPem ?? keys!.publicKeyPem)
  cert.serialNumber = newSerial()
  cert.validity.notBefore = request.notBefore
  cert.validity.notAfter = request.notAfter
  cert.setSubject([{shortName: 'CN', value: request.commonName}])
  cert.setIssuer(caCert.subject.attributes)
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({type: 2, value})),
    ...(request.ipAddresses ?? []).map((ip) => ({ip, type: 7})),
  ]
  cert.setExtensions([
    {cA: false, name: 'basicConstraints'},
    {digitalSignature: true, keyEncipherment: true, name: 'keyUsage'},
    {clientAuth: true, name: 'extKeyUsage', serverAuth: true},
    ...(altNames.length > 0 ? [{altNames, name: 'subjectAltName'}] : []),
  ])
  return {
    certificatePem: signWith(forge, cert, ca.privateKeyPem),
    privateKeyPem: keys?.privateKeyPem,
    serial: cert.serialNumber,
  }
}

/** The public key (PEM) and common name of a PKCS#10 CSR; a malformed or unsigned CSR throws. */
export async function readCsr(csrPem: string): Promise<{commonName?: string; publicKeyPem: string}> {
  const forge = await loadForge()
  const csr = forge.pki.certificationRequestFromPem(csrPem)
  if (!csr.verify()) throw new Error('the CSR signature does not verify')
  const commonName = csr.subject.getField('CN')?.value as string | undefined
  return {commonName, publicKeyPem: forge.pki.publicKeyToPem(csr.publicKey as pki.PublicKey)}
}

/** Splits names for a certificate into DNS names and IP addresses. */
export function splitNames(names: string[]): {dnsNames: string[]; ipAddresses: string[]} {
  const unique = [...new Set(names.map((n) => n.trim()).filter(Boolean))]
  return {dnsNames: unique.filter((n) => isIP(n) === 0), ipAddresses: unique.filter((n) => isIP(n) !== 0)}
}

const making = new WeakMap<SimModel, Promise<CaMaterial>>()

/** The simulator's root CA, made (once) on first use with the configured issuer DN. */
export async function simulatorCa(model: SimModel): Promise<CaMaterial> {
  const {ca} = model.state
  if (ca.caCertificate && ca.caPrivateKey)
    return {certificatePem: ca.caCertificate, privateKeyPem: ca.caPrivateKey}
  let made = making.get(model)
  if (!made) {
    made = createCertificateAuthority(model.setting('ca.plugin.root.issuer.dn')).then((material) => {
      ca.caCertificate = material.certificatePem
      ca.caPrivateKey = material.privateKeyPem
      return material
    })
    making.set(model, made)
  }

  return made
}
