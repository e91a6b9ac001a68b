import {Flags} from '@oclif/core'

import {BaseCommand, outputFlags} from '../../../base-command.js'
import {describeDedications} from '../../../lib/vlan/columns.js'
import {listVlanRanges, type VlanRangeRow} from '../../../lib/vlan/fetch.js'

export default class VlanRangeList extends BaseCommand<typeof VlanRangeList> {
  static override description = `For each range: how many VLANs it holds, how many are allocated, and which parts are dedicated, to whom.`
  static override examples = [
    '<%= config.bin %> vlan range list',
    '<%= config.bin %> vlan range list --zone zone-1',
    '<%= config.bin %> vlan range list --physical-network physnet-guest --json',
  ]
  static override flags = {
    ...outputFlags,
    'physical-network': Flags.string({
      exclusive: ['zone'],
      summary: 'Only this physical network (UUID or name).',
    }),
    zone: Flags.string({summary: 'Only the physical networks of this zone (UUID or name).'}),
  }
  static override summary = 'List the guest VLAN ranges of each physical network.'

  async run(): Promise<VlanRangeRow[]> {
    const rows = await listVlanRanges(await this.client(), {
      physicalNetwork: this.flags['physical-network'],
      zone: this.flags.zone,
    })
    await this.printRows<VlanRangeRow>(
      rows,
      [
        {header: 'NETWORK', key: 'physicalnetwork', shrink: false},
        {header: 'ZONE', key: 'zonename'},
        {get: (r) => r.vlanrange || '(none)', header: 'RANGE', key: 'vlanrange', shrink: false},
        {header: 'VLANS', key: 'vlans'},
        {get: (r) => r.allocated ?? '?', header: 'ALLOCATED', key: 'allocated'},
        {get: (r) => describeDedications(r), header: 'DEDICATED', key: 'dedicated'},
      ],
      {empty: 'No physical networks.'},
    )
    return rows
  }
}
