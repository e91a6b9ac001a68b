import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../../base-command.js'
import {type DryRunResult, formatCall} from '../../../lib/infra/allocation.js'
import {
  createOffering,
  DEFAULT_ISOLATED_SERVICES,
  type NetworkOffering,
  planCreateOffering,
} from '../../../lib/network/offerings.js'

export default class NetworkOfferingCreate extends BaseCommand<typeof NetworkOfferingCreate> {
  static override args = {
    name: Args.string({description: 'Name of the new offering.', required: true}),
  }
  static override description = `An isolated network offering whose services are provided by the virtual router, created (createNetworkOffering) and then enabled (updateNetworkOffering state=Enabled: new offerings start Disabled). With --specify-vlan a root admin can give networks of this offering a VLAN of their choice (admin guide, "VLAN provisioning").`
  static override examples = [
    '<%= config.bin %> network offering create Isolated-SpecifyVLAN --specify-vlan',
    `<%= config.bin %> network offering create Isolated-VLAN-basic --specify-vlan --services Dhcp,Dns,UserData --dry-run`,
  ]
  static override flags = {
    ...dryRunFlag,
    ...yesFlag,
    'display-text': Flags.string({summary: 'Description (default: the name).'}),
    services: Flags.string({
      delimiter: ',',
      multiple: true,
      summary: `Services, comma-separated (default ${DEFAULT_ISOLATED_SERVICES.join(',')}).`,
    }),
    'specify-vlan': Flags.boolean({summary: 'Turn "Specify VLAN" on.'}),
  }
  static override summary = 'Create and enable an isolated network offering.'

  async run(): Promise<DryRunResult | NetworkOffering> {
    const calls = planCreateOffering({
      displayText: this.flags['display-text'],
      name: this.args.name,
      services: this.flags.services,
      specifyVlan: this.flags['specify-vlan'],
    })
    if (this.flags['dry-run']) {
      for (const call of calls) this.log(`would call: ${formatCall(call)}`)
      return {calls, dryrun: true}
    }

    const offering = await createOffering(await this.client(), calls)
    this.log(
      `Created network offering ${offering.name} (id ${offering.id}), ${offering.state}, specify VLAN ${offering.specifyvlan ? 'on' : 'off'}`,
    )
    return offering
  }
}
