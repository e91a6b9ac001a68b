import {Flags} from '@oclif/core'

import type {NetworkOffering} from '../../../lib/network/offerings.js'

import {BaseCommand, outputFlags} from '../../../base-command.js'
import {listNetworkOfferings, OFFERING_COLUMNS} from '../../../lib/network/offerings.js'

/** The `network offering list --json` result: the listNetworkOfferings offerings. */
export type NetworkOfferingListResult = NetworkOffering[]

export default class NetworkOfferingList extends BaseCommand<typeof NetworkOfferingList> {
  static override description = `Network offerings with their guest type, state and whether "Specify VLAN" is on (an isolated network with a VLAN you choose needs an enabled isolated offering that has it).`
  static override examples = [
    '<%= config.bin %> network offering list',
    '<%= config.bin %> network offering list --specify-vlan',
    '<%= config.bin %> network offering list --json',
  ]
  static override flags = {
    ...outputFlags,
    'specify-vlan': Flags.boolean({summary: 'Only offerings with "Specify VLAN" on.'}),
  }
  static override summary = 'List network offerings.'

  async run(): Promise<NetworkOfferingListResult> {
    const offerings = await listNetworkOfferings(await this.client(), {
      specifyVlan: this.flags['specify-vlan'] ? true : undefined,
    })
    await this.printRows(offerings, OFFERING_COLUMNS, {empty: 'No network offerings.'})
    return offerings
  }
}
