import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../../base-command.js'
import {changePlanLines, changeResultLine} from '../../../lib/vlan/columns.js'
import {removeVlanRanges, type VlanRangeChangeReport} from '../../../lib/vlan/run.js'

export default class VlanRangeRemove extends BaseCommand<typeof VlanRangeRemove> {
  static override args = {
    range: Args.string({
      description: 'VLAN range START-END or a single VLAN to remove; give several at once.',
      required: true,
    }),
  }
  static override description = `Refused before any change when a VLAN to remove is allocated or lies in a dedicated range: the message names the VLANs and to whom they belong (exit 2). Otherwise the remaining ranges are sent (removing the middle of a range splits it), after confirmation at a terminal (--yes elsewhere).`
  static override examples = [
    {
      command: '<%= config.bin %> vlan range remove 700-709 --zone zone-1',
      description: 'Split 600-799 into 600-699 and 710-799',
    },
    '<%= config.bin %> vlan range remove 1400 --physical-network physnet-guest --yes',
    '<%= config.bin %> vlan range remove 1200-1299 --zone zone-1 --dry-run',
  ]
  static override flags = {
    ...dryRunFlag,
    'physical-network': Flags.string({exclusive: ['zone'], summary: 'Physical network (UUID or name).'}),
    ...yesFlag,
    zone: Flags.string({summary: 'Zone (UUID or name): its physical network that carries guest traffic.'}),
  }
  static override strict = false
  static override summary = "Remove guest VLANs from a physical network's ranges."

  async run(): Promise<VlanRangeChangeReport> {
    let shown = false
    const show = async (report: VlanRangeChangeReport) => {
      if (shown) return
      for (const line of await changePlanLines(report)) this.log(line)
      for (const warning of report.warnings ?? []) this.logToStderr(`Warning: ${warning}`)
      shown = true
    }

    const report = await removeVlanRanges(await this.client(), {
      beforeApply: async (plan) => {
        await show(plan)
        return this.ui.confirm(`Remove ${plan.changed} from ${plan.physicalnetwork}?`)
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
