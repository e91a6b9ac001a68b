import {chmod, readFile, stat, writeFile} from 'node:fs/promises'
import {isIP} from 'node:net'
import path from 'node:path'

import type {MoldClient} from '../api/client.js'
import type {ApiObject, Params} from '../api/types.js'

import {MoldctlError, UsageError} from '../core/errors.js'
import {type PlannedCall} from '../infra/allocation.js'

/*
 * `host cert issue`: secures a KVM host that was added out of band (admin guide, "Security":
 * the keystore is made on the host with keystore-setup, its CSR is signed by issueCertificate,
 * and the certificate with the CA chain is imported with keystore-cert-import). Only the CSR
 * travels: the private key stays in the host's keystore, and keystore-cert-import exports it
 * from there when its private-key content argument is empty (scripts/util/keystore-cert-import
 * in apache/cloudstack). The certificate and the CA chain are public: written 0644.
 */

export const AGENT_DIR = '/etc/cloudstack/agent'
const SCRIPTS = '/usr/share/cloudstack-common/scripts/util'

export interface IssueInput {
  csrFile: string
  force?: boolean
  ips: string[]
  name: string
  outDir: string
}

export interface IssuePlan {
  caFile: string
  call: PlannedCall
  certFile: string
  csr: string
}

const CSR_BLOCK = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----[\s\S]+?-----END (NEW )?CERTIFICATE REQUEST-----/

async function absent(file: string): Promise<boolean> {
  return stat(file).then(
    () => false,
    () => true,
  )
}

/** Reads and checks the CSR file, the names and the output files; builds the issueCertificate call. */
export async function planIssue(input: IssueInput): Promise<IssuePlan> {
  const name = input.name.trim()
  if (!name) throw new UsageError('--name is empty: give the host name the certificate is for')
  const bad = input.ips.find((ip) => isIP(ip.trim()) === 0)
  if (bad !== undefined) throw new UsageError(`--ip ${bad} is not an IP address`)
  let text: string
  try {
    text = await readFile(input.csrFile, 'utf8')
  } catch (error) {
    throw new UsageError(
      `cannot read the CSR file ${input.csrFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    )
  }

  if (/PRIVATE KEY-----/.test(text)) {
    throw new UsageError(
      `${input.csrFile} holds a private key; nothing was sent. A private key never leaves the host: give only the CSR (cloud.csr, made by keystore-setup)`,
    )
  }

  const csr = CSR_BLOCK.exec(text)?.[0]
  if (!csr) {
    throw new UsageError(
      `${input.csrFile} holds no certificate signing request (PEM "BEGIN CERTIFICATE REQUEST")`,
      [`make one on the host: ${keystoreSetupCommand()}`],
    )
  }

  const certFile = path.join(input.outDir, 'cloud.crt')
  const caFile = path.join(input.outDir, 'cloud.ca.crt')
  if (!input.force) {
    for (const file of [certFile, caFile]) {
      // eslint-disable-next-line no-await-in-loop
      if (!(await absent(file)))
        throw new UsageError(`${file} exists; nothing was sent`, [
          'add --force to replace it, or give another --out-dir',
        ])
    }
  }

  const params: Params = {
    csr,
    domain: name,
    ipaddress: input.ips.length > 0 ? input.ips.join(',') : undefined,
  }
  return {call: {command: 'issueCertificate', params}, caFile, certFile, csr}
}

/** The call as --dry-run prints it: the CSR summarised, not dumped. */
export function describeIssueCall(plan: IssuePlan): string {
  const {csr, ...rest} = plan.call.params
  const params = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
  return ['issueCertificate', `csr=<PEM, ${String(csr).length} characters>`, ...params].join(' ')
}

export interface IssuedCertificate {
  caFile: string
  certFile: string
}

/** issueCertificate (async); writes the certificate and the CA chain (0644). A private key in the answer is never written. */
export async function issueCertificate(
  client: MoldClient,
  plan: IssuePlan,
  opts: {signal?: AbortSignal} = {},
): Promise<IssuedCertificate> {
  const result = await client.call(plan.call.command, plan.call.params, {signal: opts.signal})
  const certificates = (result.certificates ?? result) as ApiObject
  const certificate = certificates.certificate as string | undefined
  const chain = certificates.cacertificates as string | undefined
  if (!certificate || !chain)
    throw new MoldctlError('issueCertificate answered without a certificate or CA chain')
  await writePublic(plan.certFile, certificate)
  await writePublic(plan.caFile, chain)
  return {caFile: plan.caFile, certFile: plan.certFile}
}

async function writePublic(file: string, pem: string): Promise<void> {
  await writeFile(file, pem.endsWith('\n') ? pem : `${pem}\n`, {mode: 0o644})
  await chmod(file, 0o644)
}

/** The file's content as the script's argument: newlines as `^`, spaces as `~`, computed on the host. */
function encodedContent(file: string): string {
  return `"$(tr '\\n ' '^~' < ${file})"`
}

export function keystoreSetupCommand(validityDays: number | string = '<validity days>'): string {
  return `${SCRIPTS}/keystore-setup ${AGENT_DIR}/agent.properties ${AGENT_DIR}/cloud.jks "$(openssl rand -hex 8)" ${validityDays} ${AGENT_DIR}/cloud.csr`
}

/**
 * What to run on the host, as the guide gives it: the certificate and CA contents are passed with
 * newlines as `^` and spaces as `~` (the script turns them back); the private-key content is empty,
 * so the key is taken from the keystore keystore-setup made.
 */
export function keystoreImportLines(issued: IssuedCertificate, validityDays?: number | string): string[] {
  const cert = path.basename(issued.certFile)
  const ca = path.basename(issued.caFile)
  const passphrase = `"$(sed -n 's/^keystore.passphrase=//p' ${AGENT_DIR}/agent.properties)"`
  return [
    `# 1. On the host, as root (already done if ${cert.replace('.crt', '.csr')} came from there): the keystore and the CSR`,
    keystoreSetupCommand(validityDays),
    `# 2. Copy ${cert} and ${ca} to the host, then import them (contents encoded: newline → ^, space → ~;`,
    '#    no private key content: the key stays in the keystore on the host). CloudStack 4.17+ and Mold:',
    `${SCRIPTS}/keystore-cert-import ${AGENT_DIR}/agent.properties ${passphrase} ${AGENT_DIR}/cloud.jks ssh ${AGENT_DIR}/cloud.crt ${encodedContent(cert)} ${AGENT_DIR}/cloud.ca.crt ${encodedContent(ca)} ${AGENT_DIR}/cloud.key ""`,
    '#    The guide prints the older form without the passphrase (9 arguments):',
    `#    keystore-cert-import ${AGENT_DIR}/agent.properties ${AGENT_DIR}/cloud.jks ssh ${AGENT_DIR}/cloud.crt ${encodedContent(cert)} ${AGENT_DIR}/cloud.ca.crt ${encodedContent(ca)} ${AGENT_DIR}/cloud.key ""`,
    '# 3. Restart the agent and libvirtd; secured hosts live-migrate over TLS only: libvirtd on port 16514,',
    '#    which the firewall must allow between the hosts of the cluster.',
    'systemctl restart libvirtd cloudstack-agent',
  ]
}
