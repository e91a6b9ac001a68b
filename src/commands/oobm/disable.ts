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

export default class OobmDisable extends BaseCommand<typeof OobmDisable> {
  static override description = `Disable out-of-band management for hosts, a cluster or a zone.

Disabling a cluster or zone turns it off for every host in it (their power state becomes Disabled) without touching the hosts' own settings; enabling the cluster or zone again brings them back.`
  static override examples = [
    '<%= config.bin %> oobm disable --host kvm-host-03',
    '<%= config.bin %> oobm disable --cluster kvm-cluster-1',
    '<%= config.bin %> oobm disable --cluster kvm-cluster-1 --dry-run',
    '<%= config.bin %> oobm disable --zone zone-1 --json',
  ]
  static override flags = {...outputFlags, ...yesFlag, ...dryRunFlag, ...enablementScopeFlags}

  async run(): Promise<EnablementRow[] | {calls: unknown[]; dryrun: true}> {
    const {cluster, host, zone} = this.flags
    if (this.flags['dry-run']) {
      const calls = await planOobmEnablement(await this.client(), {cluster, hosts: host, zone}, false)
      for (const call of calls) this.log(`would call: ${formatCall(call)}`)
      return {calls, dryrun: true}
    }

    const rows = await setOobmEnabled(await this.client(), {cluster, hosts: host, zone}, false)
    await this.printRows(rows, ENABLEMENT_COLUMNS)
    const error = enablementError(rows)
    if (error) {
      if (this.jsonEnabled()) this.logJson(rows)
      throw error
    }

    return rows
  }
}
