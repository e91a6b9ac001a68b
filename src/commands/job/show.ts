import {Args} from '@oclif/core'

import type {AsyncJob} from '../../lib/api/types.js'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {JOB_COLUMNS, jobStatusName} from '../../lib/infra/columns.js'

export default class JobShow extends BaseCommand<typeof JobShow> {
  static override args = {
    jobid: Args.string({description: 'Job id.', required: true}),
  }
  static override description = 'Show an asynchronous job as the server reports it now (without waiting).'
  static override examples = [
    '<%= config.bin %> job show 5e1a7b0c-0d6a-4bb7-8a37-2d3c6b1f9e01',
    '<%= config.bin %> job show 5e1a7b0c-0d6a-4bb7-8a37-2d3c6b1f9e01 --json',
  ]
  static override flags = {output: outputFlags.output}

  async run(): Promise<AsyncJob> {
    const job = await (await this.client()).queryJob(this.args.jobid)
    await this.printObject(
      {...job, jobstatus: `${job.jobstatus} (${jobStatusName(Number(job.jobstatus))})`},
      [
        ...JOB_COLUMNS.filter((c) => c.key !== 'jobstatus'),
        {header: 'STATUS', key: 'jobstatus'},
        {header: 'INSTANCEID', key: 'jobinstanceid'},
        {header: 'COMPLETED', key: 'completed'},
        {header: 'RESULT', key: 'jobresult'},
      ],
    )
    return job
  }
}
