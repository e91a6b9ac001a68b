import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../../base-command.js'
import {changePlanLines, changeResultLine} from '../../../lib/vlan/columns.js'
import {addVlanRanges, type VlanRangeChangeReport} from '../../../lib/vlan/run.js'

export default class VlanRangeAdd extends BaseCommand<typeof VlanRangeAdd> {
  static override args = {
    range: Args.string({
      description: 'VLAN range START-END (e.g. 600-799) or a single VLAN (e.g. 700); give several at once.',
      required: true,
    }),
  }
  static override description = `updatePhysicalNetwork replaces the whole set of ranges, so this command reads the current ranges, merges the new ones in (overlapping and adjacent ranges merge), shows before and after and the exact vlan string, then sends it. Ranges already covered need no call. A change made at the same time by someone else is not lost: updatePhysicalNetwork jobs already pending are waited for, the ranges are read again just before sending, and after the job they are read back; if another change got in between, the ranges are merged again and resent (at most 5 updates), and the command never exits 0 while a VLAN it added, or one that was there, is missing (exit 1 naming them).

Syntax and start <= end are checked before any call; the bounds (0-4095 for VLAN isolation, as the server enforces) as soon as the physical network is known, before any change. Exit 2 when refused.`
  static override examples = [
    {
      command: '<%= config.bin %> vlan range add 600-799 --zone zone-1',
      description: "Add the guest pool of the guide's scheme",
    },
    {
      command: '<%= config.bin %> vlan range add 1200-1299 1400 --physical-network physnet-guest --dry-run',
      description: 'Add two non-contiguous ranges; show the call without making it',
    },
    '<%= config.bin %> vlan range add 800-899,900-999 --zone zone-1 --json',
  ]
  static override flags = {
    ...dryRunFlag,
    'physical-network': Flags.string({exclusive: ['zone'], summary: 'Physical network (UUID or name).'}),
    ...yesFlag,
    zone: Flags.string({summary: 'Zone (UUID or name): its physical network that carries guest traffic.'}),
  }
  static override strict = false
  static override summary = 'Add guest VLAN ranges to a physical network, keeping the ones it has.'

  async run(): Promise<VlanRangeChangeReport> {
    let shown = false
    const show = async (report: VlanRangeChangeReport) => {
      if (!shown) for (const line of await changePlanLines(report)) this.log(line)
      shown = true
    }

    const report = await addVlanRanges(await this.client(), {
      async beforeApply(plan) {
        await show(plan)
        return true
      },
      dryRun: this.flags['dry-run'],
      note: (line) => this.ui.noteAlways(line),
      ranges: this.positionals,
      target: {physicalNetwork: this.flags['physical-network'], zone: this.flags.zone},
      wait: this.waitOptions(),
    })
    await show(report)
    this.log(await changeResultLine(report))
    return report
  }
}
