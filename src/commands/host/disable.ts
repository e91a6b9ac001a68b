import {Args} from '@oclif/core'

import {BaseCommand, outputFlags, yesFlag} from '../../base-command.js'
import {HOST_COLUMNS} from '../../lib/infra/columns.js'
import {setHostAllocation} from '../../lib/infra/host-admin.js'

export default class HostDisable extends BaseCommand<typeof HostDisable> {
  static override args = {
    host: Args.string({description: 'Host name, id or IP address.', required: false}),
  }
  static override description = `Disable a host (updateHost allocationstate=Disable): it takes no new VMs; its VMs keep running.
A host already Disabled is left alone (exit 0). The server does not disable hosts in Maintenance or PrepareForMaintenance; those are refused before any call (exit 2).`
  static override examples = [
    '<%= config.bin %> host disable kvm-host-02',
    '<%= config.bin %> host disable 10.10.0.12 --json',
  ]
  static override flags = {...outputFlags, ...yesFlag}

  async run(): Promise<unknown> {
    const outcome = await setHostAllocation(
      await this.client(),
      await this.entityOrPick('host', this.args.host, {confirm: 'Disable'}),
      'Disable',
    )
    this.logToStderr(outcome.message)
    await this.printRows([outcome.host], HOST_COLUMNS)
    return outcome.host
  }
}
