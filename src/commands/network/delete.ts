import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {type DryRunResult, formatCall} from '../../lib/infra/allocation.js'
import {
  deleteNetwork,
  type GuestNetwork,
  planDeleteNetwork,
  resolveNetwork,
} from '../../lib/network/guest-network.js'

/** What `network delete --json` prints: the network and whether it was deleted, or the calls under --dry-run. */
export type NetworkDeleteResult = DryRunResult | (GuestNetwork & {deleted: boolean})

export default class NetworkDelete extends BaseCommand<typeof NetworkDelete> {
  static override args = {
    network: Args.string({description: 'Network name or id.', required: true}),
  }
  static override description = `Delete a guest network (deleteNetwork, waiting for its job). Asks for confirmation at a terminal; elsewhere add --yes.`
  static override examples = [
    '<%= config.bin %> network delete tenant-a-net',
    '<%= config.bin %> network delete tenant-a-net --yes',
    '<%= config.bin %> network delete tenant-a-net --dry-run',
  ]
  static override flags = {
    ...dryRunFlag,
    ...yesFlag,
    forced: Flags.boolean({
      summary: 'deleteNetwork forced=true: mark it destroyed even if the cleanup on the devices fails.',
    }),
  }
  static override summary = 'Delete a guest network.'

  async run(): Promise<NetworkDeleteResult> {
    const client = await this.client()
    const network = await resolveNetwork(client, this.args.network)
    const call = planDeleteNetwork(network, this.flags.forced)
    if (this.flags['dry-run']) {
      this.log(`would call: ${formatCall(call)}`)
      return {calls: [call], dryrun: true}
    }

    const vlan = network.vlan ? ` (VLAN ${network.vlan})` : ''
    if (!(await this.ui.confirm(`Delete network ${network.name}${vlan}?`))) {
      this.logToStderr('nothing was changed')
      return {...network, deleted: false}
    }

    await deleteNetwork(client, call)
    this.log(`Deleted network ${network.name}${vlan}`)
    return {...network, deleted: true}
  }
}
