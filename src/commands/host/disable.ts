import {Args} from '@oclif/core'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../base-command.js'
import {type DryRunResult, formatCall} from '../../lib/infra/allocation.js'
import {HOST_COLUMNS} from '../../lib/infra/columns.js'
import {
  type HostAllocationOutcome,
  planHostAllocation,
  setHostAllocation,
} from '../../lib/infra/host-admin.js'

export default class HostDisable extends BaseCommand<typeof HostDisable> {
  static override args = {
    host: Args.string({description: 'Host name, id or IP address.', required: false}),
  }
  static override description = `Disable a host (updateHost allocationstate=Disable): it takes no new VMs; its VMs keep running.
A host already Disabled is left alone (exit 0). The server does not disable hosts in Maintenance or PrepareForMaintenance; those are refused before any call (exit 2).`
  static override examples = [
    '<%= config.bin %> host disable kvm-host-02',
    '<%= config.bin %> host disable 10.10.0.12 --json',
    '<%= config.bin %> host disable kvm-host-02 --dry-run',
  ]
  static override flags = {...outputFlags, ...yesFlag, ...dryRunFlag}

  async run(): Promise<DryRunResult | HostAllocationOutcome['host']> {
    const client = await this.client()
    const ref = await this.entityOrPick('host', this.args.host, {confirm: 'Disable'})
    if (this.flags['dry-run']) {
      const plan = await planHostAllocation(client, ref, 'Disable')
      this.log(
        plan.call ? `would call: ${formatCall(plan.call)}` : `Dry run: nothing to do (${plan.message})`,
      )
      return {calls: plan.call ? [plan.call] : [], dryrun: true}
    }

    const outcome = await setHostAllocation(client, ref, 'Disable')
    this.logToStderr(outcome.message)
    await this.printRows([outcome.host], HOST_COLUMNS)
    return outcome.host
  }
}
