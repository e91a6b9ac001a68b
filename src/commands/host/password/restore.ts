import {Flags} from '@oclif/core'

import {BaseCommand, connectionFlags, dryRunFlag, outputFlags, yesFlag} from '../../../base-command.js'
import {databaseFlags, databaseSource} from '../../../flags/database.js'
import {
  restoredColumns,
  restoreHostPasswordCommand,
  type RestoreResult,
} from '../../../lib/host-password/run.js'

export default class HostPasswordRestore extends BaseCommand<typeof HostPasswordRestore> {
  static override baseFlags = {debug: connectionFlags.debug}
  static override description = `Put back the host passwords a "host password rotate --via db" replaced, from the backup it wrote.

Checks first, changing nothing if any check fails: the backed-up values decrypt with the database key, and every row still holds the value the rotation wrote (nobody changed it since). Then restores all rows in one transaction and reads them back before commit. Rows the rotation added are removed.`
  static override examples = [
    '<%= config.bin %> host password restore --backup ~/.local/share/moldctl/backups/moldctl-host-passwords-20250101T120000.000Z-3f9a0c.json',
    '<%= config.bin %> host password restore --backup ./before.json --dry-run',
    String.raw`printf "%s\n" "$DBKEY" | MOLDCTL_DB_PASSWORD=... <%= config.bin %> host password restore --backup ./before.json --db-url mysql://cloud@db1:3306/cloud --yes`,
  ]
  static override flags = {
    backup: Flags.string({
      required: true,
      summary: 'The backup file written by "host password rotate --via db".',
    }),
    ...databaseFlags,
    ...dryRunFlag,
    ...outputFlags,
    ...yesFlag,
  }

  async run(): Promise<RestoreResult> {
    const result = await restoreHostPasswordCommand({
      dataDir: this.config.dataDir,
      flags: {...databaseSource(this.flags), backup: this.flags.backup, dryRun: this.flags['dry-run']},
      ui: this.ui,
    })
    await this.printRows(result.rows, restoredColumns)
    return result
  }
}
