import {Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../../base-command.js'
import {PROVISION_COLUMNS} from '../../../lib/certificates/columns.js'
import {
  describeCall,
  plannedCalls,
  type PlannedProvisionCall,
  planProvisioning,
  provisionCertificates,
  provisioningError,
  type ProvisionResult,
} from '../../../lib/certificates/provision.js'

/** The `host cert provision --json` result: a row per host, or with --dry-run the calls it would make. */
export type HostCertProvisionResult = PlannedProvisionCall[] | ProvisionResult[]

export default class HostCertProvision extends BaseCommand<typeof HostCertProvision> {
  static override description = [
    "The CA framework issues a certificate for each host's agent and deploys it with provisionCertificate; the cloudstack-agent and libvirtd services restart on the host (running VMs keep running). Secured hosts live-migrate only over TLS.",
    'Only KVM hosts take certificates. Hosts whose agent is not Up are skipped. Exit 4 when some hosts were not provisioned, 1 when none was, 5 when only the wait timed out.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> host cert provision kvm-host-01',
    '<%= config.bin %> host cert provision kvm-host-01 kvm-host-02 --reconnect --yes',
    '<%= config.bin %> host cert provision --cluster kvm-cluster-1 --concurrency 2',
    '<%= config.bin %> host cert provision --cluster kvm-cluster-1 --dry-run',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    ...dryRunFlag,
    cluster: Flags.string({summary: 'Every host of this cluster (name or id).'}),
    concurrency: Flags.integer({default: 4, max: 50, min: 1, summary: 'Hosts provisioned at the same time.'}),
    reconnect: Flags.boolean({
      allowNo: true,
      summary: 'Reconnect the agent after the certificate is deployed (default: the server decides).',
    }),
    timeout: Flags.integer({default: 600, min: 1, summary: 'Seconds to wait for each host.'}),
  }
  static override strict = false
  static override summary = 'Provision CA certificates to KVM hosts.'
  static override usage = [
    'host cert provision HOST... [--reconnect]',
    'host cert provision --cluster C [--reconnect]',
  ]

  async run(): Promise<HostCertProvisionResult> {
    const {cluster, concurrency, 'dry-run': dryRun, reconnect, timeout} = this.flags
    const client = await this.client()
    const plan = await planProvisioning(client, {cluster, hosts: this.positionals})
    const names = plan.targets.map((h) => h.name).join(', ')
    if (dryRun) {
      const calls = plannedCalls(plan, reconnect)
      if (!this.jsonEnabled()) {
        for (const call of calls) this.log(describeCall(call))
        for (const s of plan.skipped) this.logToStderr(`would skip ${s.name}: ${s.detail}`)
      }

      return calls
    }

    let results: ProvisionResult[] = []
    if (plan.targets.length > 0) {
      const question = `Provision certificates to ${plan.targets.length} host(s) (${names})? The agent and libvirtd restart on each`
      if (!(await this.ui.confirm(question))) {
        this.logToStderr('Nothing was changed.')
        return []
      }

      results = await provisionCertificates(
        client,
        plan.targets,
        {concurrency, reconnect, timeoutMs: timeout * 1000},
        this.ui,
      )
    }

    const all = [...results, ...plan.skipped]
    await this.printRows(all, PROVISION_COLUMNS)
    return this.rowsOrFail(all, provisioningError(all))
  }
}
