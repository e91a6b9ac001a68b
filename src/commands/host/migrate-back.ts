import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../base-command.js'
import {ExitCode, InterruptedError, MoldctlError} from '../../lib/core/errors.js'
import {resolveEntity} from '../../lib/infra/resolve.js'
import {
  describeMigrateBack,
  MIGRATE_BACK_COLUMNS,
  type MigrateBackRow,
  migrateHostBack,
} from '../../lib/maintenance/migrate-back.js'

/**
 * What `host migrate-back --json` prints: a row per VM (moved, skipped or failed, with the
 * reason); under --dry-run the calls that would be made; `[]` when no VM is recorded.
 */
export type MigrateBackResult = MigrateBackRow[] | {call: string}[]

export default class HostMigrateBack extends BaseCommand<typeof HostMigrateBack> {
  static override args = {
    host: Args.string({
      description: 'Host name, id or IP address (Up and Enabled, out of maintenance).',
      required: false,
    }),
  }
  static override description = `Move the VMs that left a host for its maintenance back to it (migrateVirtualMachine).
\`host maintenance enter\` and \`cluster roll\` record which running VMs left each host (a 0600 file per profile under $XDG_STATE_HOME/moldctl/maintenance/). Each VM still running in the cluster that fits on the host (free capacity after the cluster's overprovisioning factors, counting the VMs moved before it) is live-migrated back, a few at a time; the others are skipped, each with its reason. The guide leaves this to the operator ("VMs can be migrated back manually").
Exit 0 when every VM is back or needs nothing (already there, stopped, gone); 4 when some could not move (no room, a failed migration: they stay recorded for a later run); 2 when the host is not Up and Enabled (nothing changed); 130 on Ctrl-C.`
  static override examples = [
    '<%= config.bin %> host migrate-back kvm-host-01',
    '<%= config.bin %> host migrate-back kvm-host-01 --dry-run',
    '<%= config.bin %> host migrate-back 10.10.0.11 --concurrency 4 --json',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    ...dryRunFlag,
    concurrency: Flags.integer({default: 2, max: 10, min: 1, summary: 'Migrations at a time.'}),
    timeout: Flags.integer({
      min: 1,
      summary: 'Per migration: stop waiting after this many seconds (exit 5).',
    }),
  }

  async run(): Promise<MigrateBackResult> {
    const client = await this.client()
    const host = await resolveEntity(client, 'host', await this.entityOrPick('host', this.args.host))
    const settings = await this.connectionSettings()
    const outcome = await migrateHostBack(
      client,
      host.id,
      {endpoint: settings.urls[0], profile: settings.profileName},
      {
        concurrency: this.flags.concurrency,
        dryRun: this.flags['dry-run'],
        progress: await this.ui.progress(),
        ...this.waitOptions(),
      },
    )
    if (!outcome.recorded) {
      this.logToStderr(`No VMs are recorded as having left ${outcome.host.name}; nothing to move back.`)
      return []
    }

    if (this.flags['dry-run']) {
      const {calls, lines} = describeMigrateBack(outcome.plan)
      for (const line of lines) this.log(line)
      this.log(
        calls.length > 0
          ? `\nDry run, nothing changed; moldctl would call:\n  ${calls.join('\n  ')}`
          : '\nDry run: nothing to move.',
      )
      return calls.map((call) => ({call}))
    }

    await this.printRows(outcome.rows, MIGRATE_BACK_COLUMNS)
    if (outcome.interrupted)
      throw new InterruptedError(
        `stopped moving VMs back to ${outcome.host.name}`,
        `moldctl host migrate-back ${outcome.host.name}`,
      )
    if (outcome.unmoved.length > 0)
      throw new MoldctlError(`${outcome.unmoved.length} VM(s) could not move back to ${outcome.host.name}`, {
        exitCode: ExitCode.Partial,
        suggestions: [
          ...outcome.unmoved.map((r) => `${r.name}: ${r.reason}`),
          `try again later: moldctl host migrate-back ${outcome.host.name}`,
        ],
      })
    return outcome.rows
  }
}
