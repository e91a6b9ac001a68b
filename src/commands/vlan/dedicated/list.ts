import {Flags} from '@oclif/core'

import {BaseCommand, outputFlags} from '../../../base-command.js'
import {listDedicatedRanges} from '../../../lib/vlan/fetch.js'

export default class VlanDedicatedList extends BaseCommand<typeof VlanDedicatedList> {
  static override description = 'List the dedicated guest VLAN ranges and who holds each.'
  static override examples = [
    '<%= config.bin %> vlan dedicated list',
    '<%= config.bin %> vlan dedicated list --zone zone-1 -o csv',
    '<%= config.bin %> vlan dedicated list --physical-network physnet-guest --json',
  ]
  static override flags = {
    ...outputFlags,
    'physical-network': Flags.string({
      exclusive: ['zone'],
      summary: 'Only this physical network (UUID or name).',
    }),
    zone: Flags.string({summary: 'Only the physical networks of this zone (UUID or name).'}),
  }

  async run(): Promise<Array<Record<string, unknown>>> {
    const ranges = await listDedicatedRanges(await this.client(), {
      physicalNetwork: this.flags['physical-network'],
      zone: this.flags.zone,
    })
    await this.printRows(
      ranges,
      [
        {header: 'ID', key: 'id', shrink: false},
        {header: 'RANGE', key: 'guestvlanrange', shrink: false},
        {header: 'NETWORK', key: 'physicalnetwork', shrink: false},
        {get: (d) => (d.project ? `project ${d.project}` : d.account), header: 'OWNER', key: 'account'},
        {header: 'DOMAIN', key: 'domain'},
      ],
      {empty: 'No dedicated VLAN ranges.'},
    )
    return ranges
  }
}
