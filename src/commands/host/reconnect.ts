import {Args, Flags} from '@oclif/core'

import {BaseCommand, outputFlags, yesFlag} from '../../base-command.js'
import {HOST_COLUMNS} from '../../lib/infra/columns.js'
import {type ReconnectedHost, reconnectHost} from '../../lib/infra/host-admin.js'

export default class HostReconnect extends BaseCommand<typeof HostReconnect> {
  static override args = {
    host: Args.string({description: 'Host name, id or IP address.', required: false}),
  }
  static override description = `Reconnect a host's agent (reconnectHost): the management server drops the connection and the agent connects again.`
  static override examples = [
    '<%= config.bin %> host reconnect kvm-host-02',
    '<%= config.bin %> host reconnect kvm-host-02 --no-wait --json',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    timeout: Flags.integer({min: 1, summary: 'Stop waiting for the job after this many seconds (exit 5).'}),
    wait: Flags.boolean({
      allowNo: true,
      default: true,
      summary: 'Wait for the job; --no-wait prints its id and returns.',
    }),
  }

  async run(): Promise<ReconnectedHost> {
    const {wait} = this.flags
    const host = await reconnectHost(
      await this.client(),
      await this.entityOrPick('host', this.args.host, {confirm: 'Reconnect'}),
      {...this.waitOptions(), wait},
    )
    this.logToStderr(
      wait ? `${host.name} reconnected: ${host.state}` : `reconnectHost job ${host.jobid} submitted`,
    )
    await this.printRows([host], HOST_COLUMNS)
    return host
  }
}
