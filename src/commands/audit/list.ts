import {Flags} from '@oclif/core'

import type {RunRecord} from '../../lib/core/audit.js'
import type {Column} from '../../lib/output/columns.js'

import {BaseCommand, outputFlags} from '../../base-command.js'

const RUN_COLUMNS: Column<RunRecord>[] = [
  {get: (r) => r.run.slice(0, 8), header: 'RUN', key: 'run', shrink: false},
  {key: 'start'},
  {key: 'user'},
  {key: 'exit'},
  {key: 'changes'},
  {get: (r) => r.profile ?? '', key: 'profile'},
  {header: 'COMMAND LINE', key: 'commandLine'},
]

export default class AuditList extends BaseCommand<typeof AuditList> {
  static override baseFlags = {}
  static override description = `Lists the runs the audit log holds, oldest first: one record per run that changed (or tried to change) something — its run id, start, OS user, exit code, number of changes, profile, and the command line with secrets redacted. The log is JSON lines (docs/audit.md), in the data directory (~/.local/share/moldctl/audit.log) or MOLDCTL_AUDIT_LOG; the rotated files (audit.log.1 ...) are read too.`
  static override examples = [
    '<%= config.bin %> audit list',
    '<%= config.bin %> audit list --since 24h',
    '<%= config.bin %> audit list --since 7d --command host:maintenance:enter',
    '<%= config.bin %> audit list --since 2026-12-01 --json',
  ]
  static override flags = {
    ...outputFlags,
    command: Flags.string({
      summary:
        'Only runs of this command (host:maintenance:enter, or "host maintenance"; a topic takes its commands).',
    }),
    since: Flags.string({summary: 'Only runs started since: a duration back (90m, 24h, 7d) or a date.'}),
  }
  static override summary = 'List the audited runs.'

  async run(): Promise<RunRecord[]> {
    const [{auditLogPath}, {listRuns, parseSince, readAuditRecords}] = await Promise.all([
      import('../../lib/core/audit.js'),
      import('../../lib/audit/read.js'),
    ])
    const since = this.flags.since === undefined ? undefined : parseSince(this.flags.since)
    const file = auditLogPath(this.config.dataDir)
    const runs = file ? listRuns(readAuditRecords(file), {command: this.flags.command, since}) : []
    await this.printRows(runs, RUN_COLUMNS, {
      empty: file
        ? 'No audited runs (only runs that change something are recorded).'
        : 'The audit log is off (MOLDCTL_AUDIT_LOG).',
    })
    return runs
  }
}
