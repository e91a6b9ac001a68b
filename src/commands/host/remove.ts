import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {HOST_POLL} from '../../lib/core/poll-window.js'
import {removeHost, type RemoveHostResult} from '../../lib/infra/host-remove.js'

export default class HostRemove extends BaseCommand<typeof HostRemove> {
  static override args = {
    host: Args.string({description: 'Host name, id or IP address.', required: false}),
  }
  static override description = `Remove a host from the cloud (deleteHost).
The server removes only hosts in Maintenance (or Degraded): other hosts are refused before any call (exit 2) unless --drain (enter maintenance first, waiting for the VMs to move) or --force (deleteHost forced=true: HA-enabled VMs are restarted elsewhere, the others stopped).
As the admin guide says, stop the agent of a KVM host (systemctl stop cloudstack-agent) before removing it. Asks for confirmation; without a terminal add --yes.`
  static override examples = [
    '<%= config.bin %> host remove kvm-host-04',
    '<%= config.bin %> host remove kvm-host-04 --drain --yes',
    '<%= config.bin %> host remove kvm-host-04 --dry-run',
  ]
  static override flags = {
    ...yesFlag,
    ...dryRunFlag,
    drain: Flags.boolean({summary: 'Enter maintenance first and wait until the host is drained.'}),
    force: Flags.boolean({summary: 'Delete even when not in maintenance (deleteHost forced=true).'}),
    timeout: Flags.integer({min: 1, summary: 'With --drain: stop waiting after this many seconds (exit 5).'}),
  }

  async run(): Promise<RemoveHostResult> {
    const {drain, force} = this.flags
    const client = await this.client()
    // A pick is confirmed already (naming the host and its running VMs): the Ui does not ask again.
    const host = await this.entityOrPick('host', this.args.host, {confirm: 'Remove'})
    return removeHost(
      client,
      host,
      {
        ...this.waitOptions(HOST_POLL),
        drain,
        dryRun: this.flags['dry-run'],
        force,
      },
      this.ui,
    )
  }
}
