import {Flags} from '@oclif/core'

import type {AsyncJobRow} from '../../lib/api/models.js'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {JOB_COLUMNS} from '../../lib/infra/columns.js'

/** The `job list --json` result: the listAsyncJobs rows shown. */
export type JobListResult = AsyncJobRow[]

export default class JobList extends BaseCommand<typeof JobList> {
  static override description =
    "List recent asynchronous jobs (listAsyncJobs), every account's; --pending shows those still running: what to check before repeating a change whose outcome is unknown (exit 6)."
  static override examples = [
    '<%= config.bin %> job list',
    '<%= config.bin %> job list --pending',
    '<%= config.bin %> job list --json',
  ]
  static override flags = {
    ...outputFlags,
    pending: Flags.boolean({summary: 'Only jobs still running.'}),
  }

  async run(): Promise<JobListResult> {
    const jobs = await (await this.client()).list<AsyncJobRow>('listAsyncJobs', {listall: true})
    const shown = this.flags.pending ? jobs.filter((j) => Number(j.jobstatus) === 0) : jobs
    await this.printRows(shown, JOB_COLUMNS, {empty: 'No jobs.'})
    return shown
  }
}
