import {Args} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {runAllocationChange} from '../../lib/infra/allocation.js'

export default class ZoneEnable extends BaseCommand<typeof ZoneEnable> {
  static override args = {
    zone: Args.string({description: 'Zone name or id.', required: false}),
  }
  static override description = `Enable a zone (updateZone allocationstate=Enabled): new VMs can be allocated in it again.
A zone already Enabled is left alone (exit 0).`
  static override examples = [
    '<%= config.bin %> zone enable zone-1',
    '<%= config.bin %> zone enable zone-1 --dry-run',
  ]
  static override flags = {...yesFlag, ...dryRunFlag}

  async run(): Promise<unknown> {
    const result = await runAllocationChange(
      await this.client(),
      {
        kind: 'zone',
        ref: await this.entityOrPick('zone', this.args.zone, {confirm: 'Enable'}),
        dryRun: this.flags['dry-run'],
        target: 'Enabled',
      },
      this.ui,
    )
    return result
  }
}
