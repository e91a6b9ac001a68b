import {Args, Flags} from '@oclif/core'

import {BaseCommand, outputFlags} from '../../../base-command.js'
import {STATUS_COLUMNS} from '../../../lib/maintenance/columns.js'
import {maintenanceStatus} from '../../../lib/maintenance/run.js'

export default class HostMaintenanceStatus extends BaseCommand<typeof HostMaintenanceStatus> {
  static override args = {
    host: Args.string({description: 'Host name, id or IP address (several allowed).'}),
  }
  static override description = `Show hosts' maintenance state and the VMs still on each.
With hosts named: those hosts. With --cluster: every host of the cluster. With neither: every host in a maintenance state (PrepareForMaintenance, Maintenance, and the two error states).`
  static override examples = [
    '<%= config.bin %> host maintenance status',
    '<%= config.bin %> host maintenance status kvm-host-01',
    '<%= config.bin %> host maintenance status --cluster kvm-cluster-1 --json',
    '<%= config.bin %> host maintenance status --columns name,resourcestate kvm-host-01',
  ]
  static override flags = {
    ...outputFlags,
    cluster: Flags.string({summary: 'Every host of this cluster (name or id).'}),
  }
  static override strict = false

  async run(): Promise<unknown[]> {
    if (this.positionals.length > 0 && this.flags.cluster) {
      const {UsageError} = await import('../../../lib/core/errors.js')
      throw new UsageError('give hosts or --cluster, not both')
    }

    const rows = await maintenanceStatus(await this.client(), this.positionals, this.flags.cluster)
    await this.printRows(rows, STATUS_COLUMNS, {empty: 'No host is in a maintenance state.'})
    return rows
  }
}
