import {Args, Flags} from '@oclif/core'

import type {MigrateBackRow} from '../../../lib/maintenance/migrate-back.js'
import type {HostOutcome} from '../../../lib/maintenance/types.js'

import {BaseCommand, outputFlags, yesFlag} from '../../../base-command.js'
import {OUTCOME_COLUMNS} from '../../../lib/maintenance/columns.js'
import {MIGRATE_BACK_COLUMNS} from '../../../lib/maintenance/migrate-back.js'
import {cancelMaintenanceOn} from '../../../lib/maintenance/run.js'

/** The `host maintenance cancel --json` result: each host as it ended; with --migrate-back, each with the moves of its VMs back. */
export type HostMaintenanceCancelResult = Array<HostOutcome & {migrateback?: MigrateBackRow[]}>

export default class HostMaintenanceCancel extends BaseCommand<typeof HostMaintenanceCancel> {
  static override args = {
    host: Args.string({
      description: 'Host name, id or IP address; several are handled in turn.',
      required: false,
    }),
  }
  static override description = `Take hosts out of maintenance (cancelHostMaintenance): they are Enabled again and take new VMs.
Works from Maintenance, PrepareForMaintenance (stops the drain) and the two error states. An Enabled host is left alone (exit 0); a host in another state is refused before any call (exit 2). With --migrate-back, the VMs recorded as having left each host when it entered maintenance are then moved back to it (see host migrate-back); without it they stay where they are.
For VMware hosts, leave vCenter's maintenance mode first (the guide's order).`
  static override examples = [
    '<%= config.bin %> host maintenance cancel kvm-host-01',
    '<%= config.bin %> host maintenance cancel kvm-host-01 kvm-host-02 --json',
    '<%= config.bin %> host maintenance cancel kvm-host-01 --migrate-back',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    'migrate-back': Flags.boolean({
      summary: 'Then move the VMs that left each host for its maintenance back to it.',
    }),
    timeout: Flags.integer({
      min: 1,
      summary: 'Per host: stop waiting for the job after this many seconds (exit 5).',
    }),
  }
  static override strict = false

  async run(): Promise<HostMaintenanceCancelResult> {
    const outcomes = await cancelMaintenanceOn(
      await this.client(),
      await this.entitiesOrPick('host', this.positionals, {confirm: 'Cancel maintenance of'}),
      {
        ...this.waitOptions(),
        ui: this.ui,
      },
    )
    await this.printRows(outcomes, OUTCOME_COLUMNS)
    if (!this.flags['migrate-back']) return outcomes
    const {moveBackAfterCancel} = await import('../../../lib/maintenance/migrate-back.js')
    const settings = await this.connectionSettings()
    const {failure, rows: back} = await moveBackAfterCancel(await this.client(), outcomes, {
      progress: await this.ui.progress(),
      scope: {endpoint: settings.urls[0], profile: settings.profileName},
      signal: this.ui.signal,
    })
    await this.printRows(back, MIGRATE_BACK_COLUMNS)
    if (failure) throw failure
    return outcomes.map((o) => ({...o, migrateback: back.filter((r) => r.host === o.name)}))
  }
}
