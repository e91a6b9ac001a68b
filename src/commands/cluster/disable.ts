import {Args} from '@oclif/core'

import type {AllocationResult} from '../../lib/infra/allocation.js'

import {AllocationCommand} from '../../base/allocation-command.js'

export default class ClusterDisable extends AllocationCommand<typeof ClusterDisable> {
  static override args = {
    cluster: Args.string({description: 'Cluster name or id.', required: false}),
  }
  static override description = `Disable a cluster (updateCluster allocationstate=Disabled): no new allocations go to it until it is enabled again; what runs there keeps running.
Shows what is affected (hosts, running VMs) and asks for confirmation; without a terminal add --yes. --dry-run shows the same and changes nothing. A cluster already Disabled is left alone (exit 0).`
  static override examples = [
    '<%= config.bin %> cluster disable kvm-cluster-1',
    '<%= config.bin %> cluster disable xen-cluster-1 --yes --json',
    '<%= config.bin %> cluster disable kvm-cluster-1 --dry-run',
  ]

  async run(): Promise<AllocationResult> {
    return this.changeAllocation('cluster', this.args.cluster, 'Disabled')
  }
}
