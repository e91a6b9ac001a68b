import {Args, Flags} from '@oclif/core'

import type {ApiObject} from '../lib/api/types.js'

import {BaseCommand} from '../base-command.js'
import {isJobSubmission} from '../lib/api/envelope.js'
import {checkCommandName, explainUnauthorized, parseKeyValues} from '../lib/api/raw.js'

/**
 * What `api --json` prints: the server's own answer, as it came (the object under
 * `<command>response`, or an async job's result). Its shape is the API command's, so it stays
 * an open record; with --all, `{count, <item key>: [...every page's items]}` (`{}` when empty).
 */
export type ApiAnswer = ApiObject

export default class Api extends BaseCommand<typeof Api> {
  static override args = {
    command: Args.string({
      description: 'API command, e.g. listHosts or prepareHostForMaintenance.',
      required: true,
    }),
  }
  static override description = `Call any API command, signed, and print the answer as JSON.
Reads (list*, query*, get*) go by GET and are retried on transient errors; anything else goes by POST, once.
Asynchronous commands are waited for (their job result is printed) unless --no-wait.`
  static override examples = [
    '<%= config.bin %> api listZones',
    '<%= config.bin %> api listHosts type=Routing resourcestate=Enabled',
    '<%= config.bin %> api listVirtualMachines listall=true --all',

    '<%= config.bin %> api prepareHostForMaintenance id=<host-uuid>',
    '<%= config.bin %> api prepareHostForMaintenance id=<host-uuid> --no-wait',
    '<%= config.bin %> api updateConfiguration name=cpu.overprovisioning.factor value=2 clusterid=<cluster-uuid>',
  ]
  static override flags = {
    all: Flags.boolean({summary: 'For list commands: fetch every page and print them as one answer.'}),
    post: Flags.boolean({summary: 'Send by POST even for a read.'}),
    timeout: Flags.integer({min: 1, summary: 'Seconds to wait for an asynchronous job (default: no limit).'}),
    wait: Flags.boolean({allowNo: true, default: true, summary: 'Wait for asynchronous jobs to finish.'}),
  }
  static override strict = false

  async run(): Promise<ApiAnswer> {
    const command = checkCommandName(this.args.command)
    const params = parseKeyValues(this.positionals.slice(1))
    const client = await this.client()
    if (this.flags.all) {
      const {items, key} = await client
        .listWithKey(command, params)
        .catch((error) => explainUnauthorized(client, command, error))
      const result = items.length > 0 ? {count: items.length, [key ?? 'items']: items} : {}

      if (!this.jsonEnabled()) this.log(JSON.stringify(result, null, 2))
      return result
    }

    const answer = await client
      .request(command, params, {method: this.flags.post ? 'POST' : undefined})
      .catch((error) => explainUnauthorized(client, command, error))
    let result: ApiAnswer = answer
    if (this.flags.wait && isJobSubmission(answer)) {
      this.logToStderr(`Waiting for job ${answer.jobid} (Ctrl-C stops waiting; the job goes on)...`)
      result = await client.waitForJob(answer.jobid, {
        command,
        ...this.waitOptions(),
      })
    }

    if (!this.jsonEnabled()) this.log(JSON.stringify(result, null, 2))
    return result
  }
}
