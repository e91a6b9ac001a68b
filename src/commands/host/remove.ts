import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {formatCall} from '../../lib/infra/allocation.js'
import {deleteHost, planRemove} from '../../lib/infra/host-admin.js'
import {prepareEnter} from '../../lib/maintenance/plan.js'
import {removeHostReminder} from '../../lib/maintenance/reminders.js'
import {runEnterPlan} from '../../lib/maintenance/run.js'
import {hostPollSettings} from '../../lib/maintenance/wait.js'

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

  async run(): Promise<unknown> {
    const {drain, force, timeout} = this.flags
    const client = await this.client()
    const plan = await planRemove(client, await this.entityOrPick('host', this.args.host), {drain, force})
    const {host} = plan
    if (this.flags['dry-run']) {
      for (const call of plan.calls) this.log(`would call: ${formatCall(call)}`)
      return {calls: plan.calls}
    }

    for (const line of removeHostReminder(host.hypervisor, host.name)) this.logToStderr(line)
    const {confirmAction} = await import('../../lib/output/prompt.js')
    const vms = plan.vms.length > 0 ? ` with ${plan.vms.length} VM(s) on it` : ''
    const verb = plan.decision.action === 'drain-first' ? 'Drain and remove' : 'Remove'
    if (
      !(await confirmAction(`${verb} host ${host.name} (${host.resourcestate}${vms})?`, {
        yes: this.flags.yes,
      }))
    ) {
      this.logToStderr('nothing was changed')
      return {removed: false}
    }

    if (plan.decision.action === 'drain-first') {
      const {ProgressLines} = await import('../../lib/output/progress.js')
      const prep = await prepareEnter(client, [host.id], {force: false, wait: true})
      await runEnterPlan(client, prep, {
        ...hostPollSettings(process.env),
        force: false,
        progress: new ProgressLines(),
        signal: this.interruptSignal(),
        timeoutMs: timeout === undefined ? undefined : timeout * 1000,
        wait: true,
      })
    }

    await deleteHost(client, plan)
    this.logToStderr(`removed ${host.name}`)
    return {...host, removed: true}
  }
}
