import {Args, Flags} from '@oclif/core'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {OOBM_STATUS_COLUMNS} from '../../lib/oobm/columns.js'
import {type OobmStatusRow, oobmStatusRow} from '../../lib/oobm/rules.js'
import {checkSelection, resolveOobmTargets} from '../../lib/oobm/targets.js'

export default class OobmStatus extends BaseCommand<typeof OobmStatus> {
  static override args = {
    // ignoreStdin: oclif would otherwise read piped stdin as the missing argument.
    host: Args.string({
      description: 'Hosts (name, id or IP); or use --cluster / --zone; none = every host.',
      ignoreStdin: true,
    }),
  }
  static override description = `Show out-of-band management per host: enabled at zone, cluster and host level, driver, BMC address, power state.

The power state is the one Mold last stored (refresh it with \`oobm power status\`). Power actions run only where all three levels are enabled; --json adds the reason where they cannot.`
  static override examples = [
    '<%= config.bin %> oobm status',
    '<%= config.bin %> oobm status --cluster kvm-cluster-1',
    '<%= config.bin %> oobm status kvm-host-01 kvm-host-02',
    '<%= config.bin %> oobm status --zone zone-1 --json',
  ]
  static override flags = {
    ...outputFlags,
    cluster: Flags.string({summary: 'Every host of this cluster (name or id).'}),
    zone: Flags.string({summary: 'Every host of this zone (name or id).'}),
  }
  static override strict = false
  static override usage = [
    'oobm status [HOST...]',
    'oobm status --cluster CLUSTER',
    'oobm status --zone ZONE',
  ]

  async run(): Promise<OobmStatusRow[]> {
    const selection = {cluster: this.flags.cluster, hosts: this.positionals, zone: this.flags.zone}
    checkSelection(selection, {allowAll: true})
    const targets = await resolveOobmTargets(await this.client(), selection, {allowAll: true})
    const rows = targets.hosts.map((host) => oobmStatusRow(host, targets.scopes))
    await this.printRows(rows, OOBM_STATUS_COLUMNS, {empty: `No hosts in ${targets.scopeLabel}.`})
    return rows
  }
}
