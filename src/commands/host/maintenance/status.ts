import {Args, Flags} from '@oclif/core'

import {BaseCommand, outputFlags} from '../../../base-command.js'
import {WATCH_DESCRIPTION, watchFlags} from '../../../flags/watch.js'
import {STATUS_COLUMNS} from '../../../lib/maintenance/columns.js'
import {maintenanceStatus} from '../../../lib/maintenance/run.js'

/** Seconds between looks of --watch: a drain moves a VM in seconds to minutes. */
const WATCH_SECONDS = 5

export default class HostMaintenanceStatus extends BaseCommand<typeof HostMaintenanceStatus> {
  static override args = {
    host: Args.string({description: 'Host name, id or IP address (several allowed).'}),
  }
  static override description = `Show hosts' maintenance state and the VMs still on each.
With hosts named: those hosts. With --cluster: every host of the cluster. With neither: every host in a maintenance state (PrepareForMaintenance, Maintenance, and the two error states).

${WATCH_DESCRIPTION}`
  static override examples = [
    '<%= config.bin %> host maintenance status',
    '<%= config.bin %> host maintenance status kvm-host-01',
    '<%= config.bin %> host maintenance status --cluster kvm-cluster-1 --json',
    '<%= config.bin %> host maintenance status --columns name,resourcestate kvm-host-01',
    {
      command: '<%= config.bin %> host maintenance status --cluster kvm-cluster-1 --watch',
      description: 'Redraw the cluster every 5 seconds until Ctrl-C.',
    },
    {
      command: '<%= config.bin %> host maintenance status --watch --interval 2 --json > drain.jsonl',
      description: 'One JSON line per look, every 2 seconds, for a script.',
    },
  ]
  static override flags = {
    ...outputFlags,
    cluster: Flags.string({summary: 'Every host of this cluster (name or id).'}),
    ...watchFlags(WATCH_SECONDS),
  }
  static override strict = false

  async run(): Promise<undefined | unknown[]> {
    if (this.positionals.length > 0 && this.flags.cluster) {
      const {UsageError} = await import('../../../lib/core/errors.js')
      throw new UsageError('give hosts or --cluster, not both')
    }

    const client = await this.client()
    const empty = 'No host is in a maintenance state.'
    if (this.flags.watch) {
      await this.watchRows(
        () => maintenanceStatus(client, this.positionals, this.flags.cluster),
        STATUS_COLUMNS,
        {empty, intervalSeconds: WATCH_SECONDS},
      )
      return undefined
    }

    const rows = await maintenanceStatus(client, this.positionals, this.flags.cluster)
    await this.printRows(rows, STATUS_COLUMNS, {empty})
    return rows
  }
}
