import {Args} from '@oclif/core'

import type {AllocationResult} from '../../lib/infra/allocation.js'

import {AllocationCommand} from '../../base/allocation-command.js'

export default class PodEnable extends AllocationCommand<typeof PodEnable> {
  static override args = {
    pod: Args.string({description: 'Pod name or id.', required: false}),
  }
  static override description = `Enable a pod (updatePod allocationstate=Enabled): new VMs can be allocated in it again.
A pod already Enabled is left alone (exit 0).`
  static override examples = [
    '<%= config.bin %> pod enable pod-1',
    '<%= config.bin %> pod enable pod-1 --dry-run',
  ]

  async run(): Promise<AllocationResult> {
    return this.changeAllocation('pod', this.args.pod, 'Enabled')
  }
}
