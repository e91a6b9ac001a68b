import {Flags} from '@oclif/core'

import type {GuestNetwork} from '../../lib/network/guest-network.js'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {listGuestNetworks, NETWORK_COLUMNS} from '../../lib/network/guest-network.js'

/** The `network list --json` result: the listNetworks networks. */
export type NetworkListResult = GuestNetwork[]

export default class NetworkList extends BaseCommand<typeof NetworkList> {
  static override description =
    'Guest networks of every account (listNetworks listall=true) with their VLAN, owner and CIDR; --project lists the networks of a project.'
  static override examples = [
    '<%= config.bin %> network list',
    '<%= config.bin %> network list --zone zone-1 --columns name,vlan,broadcasturi',
    '<%= config.bin %> network list --project lab --json',
  ]
  static override flags = {
    ...outputFlags,
    project: Flags.string({summary: 'Networks of this project (name or id).'}),
    zone: Flags.string({summary: 'Only networks of this zone (name or id).'}),
  }
  static override summary = 'List guest networks.'

  async run(): Promise<NetworkListResult> {
    const networks = await listGuestNetworks(await this.client(), this.flags)
    await this.printRows(networks, NETWORK_COLUMNS, {empty: 'No networks.'})
    return networks
  }
}
