import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {type DryRunResult, formatCall} from '../../lib/infra/allocation.js'
import {
  createNetwork,
  type GuestNetwork,
  NoVlanOfferingError,
  planCreateNetwork,
} from '../../lib/network/guest-network.js'
import {createOffering, planCreateOffering} from '../../lib/network/offerings.js'
import {isInteractive} from '../../lib/output/tty.js'

export default class NetworkCreate extends BaseCommand<typeof NetworkCreate> {
  static override args = {
    name: Args.string({description: 'Name of the new network.', required: true}),
  }
  static override description = `An isolated guest network with the VLAN you choose (admin guide, "VLAN provisioning"; createNetwork with vlan=N). It needs a network offering whose "Specify VLAN" is on: --offering, or the one enabled isolated offering that has it (at a terminal, when there is none, moldctl offers to create one).
Checked before any change, as the server checks it (exit 2): the VLAN must lie OUTSIDE the physical network's VLAN ranges (those are the pool the server allocates from dynamically, and it refuses them), no other network of the zone may use it, and a VLAN dedicated to someone else is refused. The VLAN of a network never changes afterwards.`
  static override examples = [
    {
      command:
        '<%= config.bin %> network create tenant-a-net --zone zone-1 --vlan 850 --account tenant-a --domain ROOT/customers',
      description: "A VLAN from the guide's 800-899 block (account-specific, chosen by the admin)",
    },
    '<%= config.bin %> network create lab-net --zone zone-1 --vlan 901 --project lab --gateway 10.9.1.1 --netmask 255.255.255.0',
    '<%= config.bin %> network create tenant-a-net --zone zone-1 --vlan 850 --offering Isolated-SpecifyVLAN --dry-run',
  ]
  static override flags = {
    ...dryRunFlag,
    ...yesFlag,
    account: Flags.string({
      dependsOn: ['domain'],
      exclusive: ['project'],
      summary: 'Account that owns the network.',
    }),
    'display-text': Flags.string({summary: 'Description of the network (default: its name).'}),
    domain: Flags.string({
      dependsOn: ['account'],
      summary: 'Domain of the account (path such as ROOT/customers, name or id).',
    }),
    gateway: Flags.string({
      dependsOn: ['netmask'],
      summary: 'Gateway of the network (default: from the zone guest CIDR).',
    }),
    netmask: Flags.string({dependsOn: ['gateway'], summary: 'Netmask of the network.'}),
    offering: Flags.string({summary: 'Network offering (name or id) with "Specify VLAN" on.'}),
    project: Flags.string({summary: 'Project that owns the network (name or id).'}),
    vlan: Flags.string({required: true, summary: 'The VLAN id (outside the physical network ranges).'}),
    zone: Flags.string({required: true, summary: 'Zone (name or id).'}),
  }
  static override summary = 'Create an isolated guest network with a chosen VLAN.'

  async run(): Promise<DryRunResult | GuestNetwork> {
    const client = await this.client()
    const input = {
      account: this.flags.account,
      displayText: this.flags['display-text'],
      domain: this.flags.domain,
      gateway: this.flags.gateway,
      name: this.args.name,
      netmask: this.flags.netmask,
      offering: this.flags.offering,
      project: this.flags.project,
      vlan: this.flags.vlan,
      zone: this.flags.zone,
    }
    const plan = await planCreateNetwork(client, input).catch(async (error: unknown) => {
      if (!(error instanceof NoVlanOfferingError) || this.flags['dry-run'] || !isInteractive()) throw error
      await this.offerOffering(error)
      return planCreateNetwork(client, input)
    })
    this.logToStderr(
      `VLAN ${plan.vlan} on ${plan.physicalNetwork.name} (zone ${plan.zone.name}), owner ${plan.owner}, offering ${plan.offering.name}`,
    )
    if (this.flags['dry-run']) {
      this.log(`would call: ${formatCall(plan.call)}`)
      return {calls: [plan.call], dryrun: true}
    }

    const network = await createNetwork(client, plan)
    this.log(`Created network ${network.name} (id ${network.id}) on VLAN ${network.vlan ?? plan.vlan}`)
    return network
  }

  /** At a terminal: offers to create the missing offering, as the guide describes. */
  private async offerOffering(error: NoVlanOfferingError): Promise<void> {
    const {confirmAction} = await import('../../lib/output/prompt.js')
    this.logToStderr(error.message)
    const name = 'Isolated-SpecifyVLAN'
    if (!(await confirmAction(`Create the isolated network offering ${name} with "Specify VLAN" on?`)))
      throw error
    const offering = await createOffering(await this.client(), planCreateOffering({name, specifyVlan: true}))
    this.logToStderr(`Created network offering ${offering.name} (id ${offering.id}), ${offering.state}`)
  }
}
