import {Args} from '@oclif/core'

import type {AllocationResult} from '../../lib/infra/allocation.js'

import {AllocationCommand} from '../../base/allocation-command.js'

export default class PodDisable extends AllocationCommand<typeof PodDisable> {
  static override args = {
    pod: Args.string({description: 'Pod name or id.', required: false}),
  }
  static override description = `Disable a pod (updatePod allocationstate=Disabled): no new allocations go to it until it is enabled again; what runs there keeps running.
Shows what is affected (hosts, running VMs) and asks for confirmation; without a terminal add --yes. --dry-run shows the same and changes nothing. A pod already Disabled is left alone (exit 0).`
  static override examples = [
    '<%= config.bin %> pod disable pod-1',
    '<%= config.bin %> pod disable pod-2 --yes --json',
    '<%= config.bin %> pod disable pod-1 --dry-run',
  ]

  async run(): Promise<AllocationResult> {
    return this.changeAllocation('pod', this.args.pod, 'Disabled')
  }
}
