import {Args} from '@oclif/core'

import type {AllocationResult} from '../../lib/infra/allocation.js'

import {AllocationCommand} from '../../base/allocation-command.js'

export default class ZoneEnable extends AllocationCommand<typeof ZoneEnable> {
  static override args = {
    zone: Args.string({description: 'Zone name or id.', required: false}),
  }
  static override description = `Enable a zone (updateZone allocationstate=Enabled): new VMs can be allocated in it again.
A zone already Enabled is left alone (exit 0).`
  static override examples = [
    '<%= config.bin %> zone enable zone-1',
    '<%= config.bin %> zone enable zone-1 --dry-run',
  ]

  async run(): Promise<AllocationResult> {
    return this.changeAllocation('zone', this.args.zone, 'Enabled')
  }
}
