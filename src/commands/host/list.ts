import {Flags} from '@oclif/core'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {HOST_COLUMNS} from '../../lib/infra/columns.js'
import {hostPages} from '../../lib/infra/list.js'
import {RESOURCE_STATES} from '../../lib/infra/resource-state.js'

export default class HostList extends BaseCommand<typeof HostList> {
  static override description = 'List hypervisor hosts (all pages), with filters.'
  static override examples = [
    '<%= config.bin %> host list',
    '<%= config.bin %> host list --cluster kvm-cluster-1 --state Up',
    '<%= config.bin %> host list --resource-state Maintenance --json',
    '<%= config.bin %> host list -o csv --columns name,ipaddress,outofbandmanagement.powerstate',
    '<%= config.bin %> host list -o wide',
    '<%= config.bin %> -p prod -o json host list',
  ]
  static override flags = {
    ...outputFlags,
    cluster: Flags.string({summary: 'Only hosts of this cluster (name or id).'}),
    hypervisor: Flags.string({summary: 'Only hosts of this hypervisor type (KVM, XenServer, VMware...).'}),
    pod: Flags.string({summary: 'Only hosts of this pod (name or id).'}),
    'resource-state': Flags.string({
      options: [...RESOURCE_STATES],
      summary: 'Only hosts in this resource state.',
    }),
    state: Flags.string({
      options: [
        'Up',
        'Down',
        'Disconnected',
        'Alert',
        'Connecting',
        'Creating',
        'Error',
        'Rebalancing',
        'Removed',
        'Unknown',
      ],
      summary: 'Only hosts with this connection state.',
    }),
    zone: Flags.string({summary: 'Only hosts of this zone (name or id).'}),
  }

  async run(): Promise<undefined | unknown[]> {
    const {cluster, hypervisor, pod, 'resource-state': resourceState, state, zone} = this.flags
    const pages = await hostPages(await this.client(), {cluster, hypervisor, pod, resourceState, state, zone})
    // JSON, YAML and CSV are written page by page as they arrive; a table at the end.
    return this.printRowPages(pages, HOST_COLUMNS, {empty: 'No hosts match.'})
  }
}
