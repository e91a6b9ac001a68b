import {Args} from '@oclif/core'

import type {AllocationResult} from '../../lib/infra/allocation.js'

import {AllocationCommand} from '../../base/allocation-command.js'

export default class ClusterEnable extends AllocationCommand<typeof ClusterEnable> {
  static override args = {
    cluster: Args.string({description: 'Cluster name or id.', required: false}),
  }
  static override description = `Enable a cluster (updateCluster allocationstate=Enabled): new VMs can be allocated in it again.
A cluster already Enabled is left alone (exit 0).`
  static override examples = [
    '<%= config.bin %> cluster enable kvm-cluster-1',
    '<%= config.bin %> cluster enable kvm-cluster-1 --dry-run',
  ]

  async run(): Promise<AllocationResult> {
    return this.changeAllocation('cluster', this.args.cluster, 'Enabled')
  }
}
