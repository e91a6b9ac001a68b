import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {type DryRunResult, formatCall} from '../../lib/infra/allocation.js'
import {describeDedicated} from '../../lib/vlan/columns.js'
import {type DedicatedRange, dedicateVlanRange, planDedicateVlanRange} from '../../lib/vlan/run.js'

/** `vlan dedicate --json`: the dedicated range as the server answered it (with the physical network's name), or the call --dry-run would make. */
export type VlanDedicateResult = DedicatedRange | DryRunResult

export default class VlanDedicate extends BaseCommand<typeof VlanDedicate> {
  static override args = {
    range: Args.string({
      description: "VLAN range START-END (or a single VLAN) inside the physical network's ranges.",
      required: true,
    }),
  }
  static override description = `The range must lie inside the physical network's ranges and must not be dedicated already; VLANs in it that are allocated must belong to the same account (the server checks these and answers with its own text, exit 1). A range next to one the same owner holds is merged with it.`
  static override examples = [
    {
      command:
        '<%= config.bin %> vlan dedicate 800-849 --physical-network physnet-guest --account tenant-a --domain ROOT/customers',
      description: "Account-specific VLANs (the guide's 800-899 block)",
    },
    '<%= config.bin %> vlan dedicate 900-999 --physical-network physnet-guest --project tenant-a-lab',
    '<%= config.bin %> vlan dedicate 900-999 --physical-network physnet-guest --project tenant-a-lab --dry-run',
  ]
  static override flags = {
    account: Flags.string({
      dependsOn: ['domain'],
      exclusive: ['project'],
      summary: 'Account that gets the range.',
    }),
    domain: Flags.string({
      dependsOn: ['account'],
      summary: 'Domain of the account (path such as ROOT/customers, name or UUID).',
    }),
    'physical-network': Flags.string({required: true, summary: 'Physical network (UUID or name).'}),
    project: Flags.string({summary: 'Project that gets the range (name or UUID).'}),
    ...yesFlag,
    ...dryRunFlag,
  }
  static override summary = 'Dedicate a guest VLAN range to an account or a project.'

  async run(): Promise<VlanDedicateResult> {
    const opts = {
      account: this.flags.account,
      domain: this.flags.domain,
      physicalNetwork: this.flags['physical-network'],
      project: this.flags.project,
      range: this.args.range,
    }
    if (this.flags['dry-run']) {
      const {call} = await planDedicateVlanRange(await this.client(), opts)
      this.log(`would call: ${formatCall(call)}`)
      return {calls: [call], dryrun: true}
    }

    const dedicated = await dedicateVlanRange(await this.client(), opts)
    this.log(`Done: ${describeDedicated(dedicated)} on ${dedicated.physicalnetwork} (id ${dedicated.id})`)
    return dedicated
  }
}
