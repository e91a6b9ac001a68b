import {Args, Flags} from '@oclif/core'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {WATCH_DESCRIPTION, watchFlags} from '../../flags/watch.js'
import {OOBM_STATUS_COLUMNS} from '../../lib/oobm/columns.js'
import {type OobmStatusRow} from '../../lib/oobm/rules.js'
import {checkSelection, oobmStatusRows} from '../../lib/oobm/targets.js'

/** Seconds between looks of --watch: the stored power state changes slowly (a sync every few minutes). */
const WATCH_SECONDS = 10

export default class OobmStatus extends BaseCommand<typeof OobmStatus> {
  static override args = {
    // ignoreStdin: oclif would otherwise read piped stdin as the missing argument.
    host: Args.string({
      description: 'Hosts (name, id or IP); or use --cluster / --zone; none = every host.',
      ignoreStdin: true,
    }),
  }
  static override description = `Show out-of-band management per host: enabled at zone, cluster and host level, driver, BMC address, power state.

The power state is the one Mold last stored (refresh it with \`oobm power status\`). Power actions run only where all three levels are enabled; --json adds the reason where they cannot.

${WATCH_DESCRIPTION}`
  static override examples = [
    '<%= config.bin %> oobm status',
    '<%= config.bin %> oobm status --cluster kvm-cluster-1',
    '<%= config.bin %> oobm status kvm-host-01 kvm-host-02',
    '<%= config.bin %> oobm status --zone zone-1 --json',
    {
      command: '<%= config.bin %> oobm status --cluster kvm-cluster-1 --watch',
      description: 'Redraw every 10 seconds until Ctrl-C (e.g. while hosts power on).',
    },
  ]
  static override flags = {
    ...outputFlags,
    cluster: Flags.string({summary: 'Every host of this cluster (name or id).'}),
    zone: Flags.string({summary: 'Every host of this zone (name or id).'}),
    ...watchFlags(WATCH_SECONDS),
  }
  static override strict = false
  static override usage = [
    'oobm status [HOST...]',
    'oobm status --cluster CLUSTER',
    'oobm status --zone ZONE',
  ]

  async run(): Promise<OobmStatusRow[] | undefined> {
    const selection = {cluster: this.flags.cluster, hosts: this.positionals, zone: this.flags.zone}
    checkSelection(selection, {allowAll: true})
    const client = await this.client()
    if (this.flags.watch) {
      const look = await oobmStatusRows(client, selection)
      // Each look reads the hosts again; the first one's scope names the empty line.
      let first: Awaited<ReturnType<typeof oobmStatusRows>> | undefined = look
      await this.watchRows(
        async () => {
          const {rows} = first ?? (await oobmStatusRows(client, selection))
          first = undefined
          return rows
        },
        OOBM_STATUS_COLUMNS,
        {empty: `No hosts in ${look.scopeLabel}.`, intervalSeconds: WATCH_SECONDS},
      )
      return undefined
    }

    const {rows, scopeLabel} = await oobmStatusRows(client, selection)
    await this.printRows(rows, OOBM_STATUS_COLUMNS, {empty: `No hosts in ${scopeLabel}.`})
    return rows
  }
}
