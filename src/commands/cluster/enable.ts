import {Args} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {runAllocationChange} from '../../lib/infra/allocation.js'

export default class ClusterEnable extends BaseCommand<typeof ClusterEnable> {
  static override args = {
    cluster: Args.string({description: 'Cluster name or id.', required: false}),
  }
  static override description = `Enable a cluster (updateCluster allocationstate=Enabled): new VMs can be allocated in it again.
A cluster already Enabled is left alone (exit 0).`
  static override examples = [
    '<%= config.bin %> cluster enable kvm-cluster-1',
    '<%= config.bin %> cluster enable kvm-cluster-1 --dry-run',
  ]
  static override flags = {...yesFlag, ...dryRunFlag}

  async run(): Promise<unknown> {
    const result = await runAllocationChange(
      await this.client(),
      {
        kind: 'cluster',
        ref: await this.entityOrPick('cluster', this.args.cluster, {confirm: 'Enable'}),
        dryRun: this.flags['dry-run'],
        target: 'Enabled',
      },
      this.ui,
    )
    return result
  }
}
