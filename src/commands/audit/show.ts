import {Args} from '@oclif/core'

import type {AuditRecord} from '../../lib/audit/read.js'
import type {RunRecord} from '../../lib/core/audit.js'
import type {Column} from '../../lib/output/columns.js'

import {BaseCommand, outputFlags} from '../../base-command.js'

export interface AuditShowResult {
  records: AuditRecord[]
  run: RunRecord
}

const RECORD_COLUMNS: Column<AuditRecord>[] = [
  {key: 'time'},
  {key: 'type'},
  {get: (r) => r.command, key: 'command'},
  {get: (r) => (r.type === 'bulk' ? 'summary' : r.outcome), key: 'outcome'},
  {header: 'WHAT', key: 'what'},
]

export default class AuditShow extends BaseCommand<typeof AuditShow> {
  static override args = {
    run: Args.string({description: 'The run id (at least its first 6 characters).', required: true}),
  }
  static override baseFlags = {}
  static override description = `Shows one run from the audit log: who ran what where (OS user, host, moldctl version, profile, endpoint, command line with secrets redacted), start, end and exit code, then every change it made: each API call and the end of its job, or for a bulk action one summary (counts, and the hosts by outcome).`
  static override examples = [
    '<%= config.bin %> audit show 3f9c2a1b',
    '<%= config.bin %> audit show 3f9c2a1b --json',
  ]
  static override flags = {...outputFlags}
  static override summary = 'Show one audited run and its changes.'

  async run(): Promise<AuditShowResult> {
    const [{auditLogPath}, {describeRecord, findRun, readAuditRecords}] = await Promise.all([
      import('../../lib/core/audit.js'),
      import('../../lib/audit/read.js'),
    ])
    const file = auditLogPath(this.config.dataDir)
    const found = findRun(file ? readAuditRecords(file) : [], this.args.run)
    await this.printObject(found.run)
    if (!this.jsonEnabled() && this.outputFormat() === 'table') this.log('')
    await this.printRows(
      found.records.map((r) => ({...r, what: describeRecord(r)})),
      RECORD_COLUMNS,
      {empty: 'No change records for this run.'},
    )
    return found
  }
}
