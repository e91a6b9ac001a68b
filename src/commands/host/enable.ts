import {Args} from '@oclif/core'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../base-command.js'
import {type DryRunResult, formatCall} from '../../lib/infra/allocation.js'
import {HOST_COLUMNS} from '../../lib/infra/columns.js'
import {
  type HostAllocationOutcome,
  planHostAllocation,
  setHostAllocation,
} from '../../lib/infra/host-admin.js'

export default class HostEnable extends BaseCommand<typeof HostEnable> {
  static override args = {
    host: Args.string({description: 'Host name, id or IP address.', required: false}),
  }
  static override description = `Enable a host (updateHost allocationstate=Enable): it takes new VMs again.
A host already Enabled is left alone (exit 0). A host in maintenance is refused (exit 2): end the maintenance with \`moldctl host maintenance cancel\`.`
  static override examples = [
    '<%= config.bin %> host enable kvm-host-02',
    '<%= config.bin %> host enable 10.10.0.12 --json',
    '<%= config.bin %> host enable kvm-host-02 --dry-run',
  ]
  static override flags = {...outputFlags, ...yesFlag, ...dryRunFlag}

  async run(): Promise<DryRunResult | HostAllocationOutcome['host']> {
    const client = await this.client()
    const ref = await this.entityOrPick('host', this.args.host, {confirm: 'Enable'})
    if (this.flags['dry-run']) {
      const plan = await planHostAllocation(client, ref, 'Enable')
      this.log(
        plan.call ? `would call: ${formatCall(plan.call)}` : `Dry run: nothing to do (${plan.message})`,
      )
      return {calls: plan.call ? [plan.call] : [], dryrun: true}
    }

    const outcome = await setHostAllocation(client, ref, 'Enable')
    this.logToStderr(outcome.message)
    await this.printRows([outcome.host], HOST_COLUMNS)
    return outcome.host
  }
}
