import {Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../../base-command.js'
import {
  describeIssueCall,
  issueCertificate,
  type IssuedCertificate,
  keystoreImportLines,
  planIssue,
} from '../../../lib/certificates/issue.js'
import {type DryRunResult} from '../../../lib/infra/allocation.js'

const VALIDITY_SETTING = 'ca.framework.cert.validity.period'

/** What `host cert issue --json` prints: the files written and the host's name, or the call under --dry-run (the CSR elided). */
export type CertIssueResult = DryRunResult | (IssuedCertificate & {name: string})

export default class HostCertIssue extends BaseCommand<typeof HostCertIssue> {
  static override description = `For a KVM host added out of band (admin guide, "Security"): run keystore-setup on the host, copy its CSR (cloud.csr) here, and this signs it with the CA framework (issueCertificate). It writes the certificate (cloud.crt) and the CA chain (cloud.ca.crt), mode 0644, and prints the keystore-cert-import command to run on the host with the contents encoded as the script needs them.
Only the CSR is sent: a file holding a private key is refused (the key never leaves the host). Existing output files are kept unless --force.`
  static override examples = [
    '<%= config.bin %> host cert issue --csr-file ./cloud.csr --name kvm-host-09.lab --ip 10.10.0.19',
    '<%= config.bin %> host cert issue --csr-file ./cloud.csr --name kvm-host-09.lab --ip 10.10.0.19 --ip 192.168.10.19 --out-dir ./kvm-host-09',
    '<%= config.bin %> host cert issue --csr-file ./cloud.csr --name kvm-host-09.lab --ip 10.10.0.19 --dry-run',
  ]
  static override flags = {
    ...dryRunFlag,
    ...yesFlag,
    'csr-file': Flags.string({required: true, summary: 'The CSR keystore-setup wrote on the host (PEM).'}),
    force: Flags.boolean({summary: 'Replace cloud.crt / cloud.ca.crt in the output directory.'}),
    ip: Flags.string({
      multiple: true,
      summary: "The host's IP address (repeat for several); added to the certificate.",
    }),
    name: Flags.string({required: true, summary: "The host's name (DNS name in the certificate)."}),
    'out-dir': Flags.string({default: '.', summary: 'Directory for cloud.crt and cloud.ca.crt.'}),
  }
  static override summary =
    "Sign a host's CSR with the CA framework (issueCertificate) and show the keystore import."

  async run(): Promise<CertIssueResult> {
    const plan = await planIssue({
      csrFile: this.flags['csr-file'],
      force: this.flags.force,
      ips: this.flags.ip ?? [],
      name: this.flags.name,
      outDir: this.flags['out-dir'],
    })
    if (this.flags['dry-run']) {
      this.log(`would call: ${describeIssueCall(plan)}`)
      this.log(`would write: ${plan.certFile} and ${plan.caFile} (mode 0644)`)
      return {
        calls: [{command: 'issueCertificate', params: {...plan.call.params, csr: '<PEM>'}}],
        dryrun: true,
      }
    }

    const client = await this.client()
    const validity = (
      await client.list<{name: string; value?: string}>('listConfigurations', {name: VALIDITY_SETTING})
    ).find((s) => s.name === VALIDITY_SETTING)
    const issued = await issueCertificate(client, plan, this.waitOptions())
    this.logToStderr(`Wrote ${issued.certFile} (certificate) and ${issued.caFile} (CA chain), mode 0644`)
    for (const line of keystoreImportLines(issued, validity?.value)) this.log(line)
    return {...issued, name: this.flags.name}
  }
}
