import {Args, Flags} from '@oclif/core'

import type {ApiObject} from '../../lib/api/types.js'

import {BaseCommand} from '../../base-command.js'

/** What `job wait --json` prints: the finished job's result as the server gives it (its command's shape). */
export type JobWaitResult = ApiObject

export default class JobWait extends BaseCommand<typeof JobWait> {
  static override args = {
    jobid: Args.string({description: 'The job id printed when the command was submitted.', required: true}),
  }
  static override description = `Wait for an asynchronous job to finish and print its result.
Exit 0 when the job succeeded, 1 when it failed, 5 on --timeout, 130 on Ctrl-C, 143 on SIGTERM, 129 on SIGHUP (the job goes on; the resume command is printed).`
  static override examples = [
    '<%= config.bin %> job wait 5e1a7b0c-0d6a-4bb7-8a37-2d3c6b1f9e01',
    '<%= config.bin %> job wait 5e1a7b0c-0d6a-4bb7-8a37-2d3c6b1f9e01 --timeout 600 --json',
  ]
  static override flags = {
    timeout: Flags.integer({min: 1, summary: 'Give up waiting after this many seconds (exit 5).'}),
  }

  async run(): Promise<JobWaitResult> {
    const {jobid} = this.args
    const client = await this.client()
    const started = Date.now()
    const activity = await this.activity(`Waiting for job ${jobid}...`)
    let result: JobWaitResult
    try {
      result = await client.waitForJob(jobid, {
        onPoll(job) {
          if (!activity.live) return
          const seconds = Math.round((Date.now() - started) / 1000)
          activity.update(`Waiting for job ${jobid} (${job.cmd?.split('.').pop() ?? 'job'}, ${seconds} s)...`)
        },
        ...this.waitOptions(),
      })
    } catch (error) {
      activity.fail(`Job ${jobid} did not succeed`)
      throw error
    }

    activity.succeed(`Job ${jobid} finished`)
    if (!this.jsonEnabled()) this.log(JSON.stringify(result, null, 2))
    return result
  }
}
