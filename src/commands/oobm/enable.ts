import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../base-command.js'
import {enablementScopeFlags} from '../../flags/oobm.js'
import {formatCall} from '../../lib/infra/allocation.js'
import {
  ENABLEMENT_COLUMNS,
  enablementError,
  type EnablementRow,
  planOobmEnablement,
  setOobmEnabled,
} from '../../lib/oobm/enablement.js'

export default class OobmEnable extends BaseCommand<typeof OobmEnable> {
  static override description = `Enable out-of-band management for hosts, a cluster or a zone.

A power action runs on a host only when OOBM is enabled for the host and not disabled for its cluster or zone (zones and clusters count as enabled until disabled). Hosts must be configured first (\`oobm configure\`). After enabling, the server refreshes the power state in the background.`
  static override examples = [
    '<%= config.bin %> oobm enable --host kvm-host-01',
    '<%= config.bin %> oobm enable --host kvm-host-01 --host kvm-host-02',
    '<%= config.bin %> oobm enable --cluster kvm-cluster-1',
    '<%= config.bin %> oobm enable --cluster kvm-cluster-1 --dry-run',
    '<%= config.bin %> oobm enable --zone zone-1 --json',
  ]
  static override flags = {...outputFlags, ...yesFlag, ...dryRunFlag, ...enablementScopeFlags}

  async run(): Promise<EnablementRow[] | {calls: unknown[]; dryrun: true}> {
    const {cluster, host, zone} = this.flags
    if (this.flags['dry-run']) {
      const calls = await planOobmEnablement(await this.client(), {cluster, hosts: host, zone}, true)
      for (const call of calls) this.log(`would call: ${formatCall(call)}`)
      return {calls, dryrun: true}
    }

    const rows = await setOobmEnabled(await this.client(), {cluster, hosts: host, zone}, true)
    await this.printRows(rows, ENABLEMENT_COLUMNS)
    const error = enablementError(rows)
    if (error) {
      if (this.jsonEnabled()) this.logJson(rows)
      throw error
    }

    return rows
  }
}
