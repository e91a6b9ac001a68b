import {Args} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {runAllocationChange} from '../../lib/infra/allocation.js'

export default class PodEnable extends BaseCommand<typeof PodEnable> {
  static override args = {
    pod: Args.string({description: 'Pod name or id.', required: false}),
  }
  static override description = `Enable a pod (updatePod allocationstate=Enabled): new VMs can be allocated in it again.
A pod already Enabled is left alone (exit 0).`
  static override examples = [
    '<%= config.bin %> pod enable pod-1',
    '<%= config.bin %> pod enable pod-1 --dry-run',
  ]
  static override flags = {...yesFlag, ...dryRunFlag}

  async run(): Promise<unknown> {
    const result = await runAllocationChange(
      await this.client(),
      {
        kind: 'pod',
        ref: await this.entityOrPick('pod', this.args.pod, {confirm: 'Enable'}),
        dryRun: this.flags['dry-run'],
        target: 'Enabled',
      },
      this.ui,
    )
    return result
  }
}
