import {Args} from '@oclif/core'

import type {AllocationResult} from '../../lib/infra/allocation.js'

import {AllocationCommand} from '../../base/allocation-command.js'

export default class ZoneDisable extends AllocationCommand<typeof ZoneDisable> {
  static override args = {
    zone: Args.string({description: 'Zone name or id.', required: false}),
  }
  static override description = `Disable a zone (updateZone allocationstate=Disabled): no new allocations go to it until it is enabled again; what runs there keeps running.
Shows what is affected (hosts, running VMs) and asks for confirmation; without a terminal add --yes. --dry-run shows the same and changes nothing. A zone already Disabled is left alone (exit 0).`
  static override examples = [
    '<%= config.bin %> zone disable zone-1',
    '<%= config.bin %> zone disable zone-2 --yes --json',
    '<%= config.bin %> zone disable zone-1 --dry-run',
  ]

  async run(): Promise<AllocationResult> {
    return this.changeAllocation('zone', this.args.zone, 'Disabled')
  }
}
