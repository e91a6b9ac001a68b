import {Flags} from '@oclif/core'
import {writeFileSync} from 'node:fs'

import {BaseCommand} from '../../base-command.js'
import {
  type CertificateSummary,
  describeCertificates,
  fetchCaCertificate,
} from '../../lib/certificates/fetch.js'
import {MoldctlError} from '../../lib/core/errors.js'

/** What `ca certificate --json` prints: the PEM, each certificate in it, and the file written (--out). */
export interface CaCertificateResult {
  certificate: string
  certificates: CertificateSummary[]
  file?: string
}

export default class CaCertificate extends BaseCommand<typeof CaCertificate> {
  static override description = [
    'Without --out the PEM goes to standard output and the summary (subject, issuer, serial, validity, SHA-256 fingerprint) to standard error; with --out the file is written and the summary printed.',
    'Compare the fingerprint with the one on the management server before trusting the file. When the server certificate was issued by this CA, the file is what --ca-file needs.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> ca certificate --out cloud-ca.pem',
    '<%= config.bin %> ca certificate > cloud-ca.pem',
    '<%= config.bin %> ca certificate --insecure --out cloud-ca.pem   # first contact, before --ca-file works',
    '<%= config.bin %> ca certificate --json',
  ]
  static override flags = {
    out: Flags.string({summary: 'Write the PEM to this file.'}),
    provider: Flags.string({summary: 'CA provider (default: the configured one, normally root).'}),
  }
  static override summary = 'Get the CA certificate of the CA framework (listCaCertificate), in PEM.'

  async run(): Promise<CaCertificateResult> {
    const {out, provider} = this.flags
    const pem = await fetchCaCertificate(await this.client(), provider)
    const certificates = await describeCertificates(pem)
    if (out) {
      try {
        writeFileSync(out, pem.endsWith('\n') ? pem : `${pem}\n`, {mode: 0o644})
      } catch (error) {
        throw new MoldctlError(
          `cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        )
      }
    }

    if (!this.jsonEnabled()) {
      const summary = certificates.map((c) =>
        [
          `subject      ${c.subject}`,
          `issuer       ${c.issuer}`,
          `serial       ${c.serial}`,
          `valid        ${c.notbefore} to ${c.notafter} (${c.daysleft < 0 ? `expired ${-c.daysleft} days ago` : `${c.daysleft} days left`})`,
          `sha256       ${c.fingerprint}`,
        ].join('\n'),
      )
      if (out) this.log([`wrote ${out}`, ...summary].join('\n'))
      else {
        this.log(pem.trimEnd())
        this.logToStderr(summary.join('\n\n'))
      }
    }

    return {certificate: pem, certificates, file: out}
  }
}
