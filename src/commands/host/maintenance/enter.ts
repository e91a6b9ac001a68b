import {Args, Flags} from '@oclif/core'

import type {HostOutcome} from '../../../lib/maintenance/types.js'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../../base-command.js'
import {HOST_POLL} from '../../../lib/core/poll-window.js'
import {OUTCOME_COLUMNS} from '../../../lib/maintenance/columns.js'
import {describeEnterPlan, prepareEnter} from '../../../lib/maintenance/plan.js'
import {runEnterPlan} from '../../../lib/maintenance/run.js'

/** The `host maintenance enter --json` result: each host as it ended (with its job id under --no-wait), or with --dry-run the calls it would make. */
export type HostMaintenanceEnterResult = Array<{call: string}> | HostOutcome[]

export default class HostMaintenanceEnter extends BaseCommand<typeof HostMaintenanceEnter> {
  static override args = {
    host: Args.string({
      description: 'Host name, id or IP address; several are drained one after another.',
      required: false,
    }),
  }
  static override description = `Put hosts into maintenance: their VMs live-migrate to the other hosts of the cluster.
Before any change, checks that each host can enter maintenance and that the other Up and Enabled hosts of its cluster can hold its running VMs (with the cluster's overprovisioning factors); stops with an explanation unless --force.
Then asks the server (prepareHostForMaintenance) and waits until the host is in Maintenance, showing its state and the VMs still on it. Several hosts are drained one after another, never two of a cluster at once. A host already in Maintenance is left alone; a host with a prepareHostForMaintenance job still pending (a run stopped by Ctrl-C, a colleague's) is not sent another: that job is waited for, so the printed resume command is safe to run.
Exit 0 when every host is in Maintenance; 6 when the answer to prepareHostForMaintenance was lost and its job cannot be found (the outcome is unknown); 1 when the server reports ErrorInPrepareForMaintenance or ErrorInMaintenance (the VMs left are listed) or refuses; 2 when the checks refuse (nothing changed); 5 on --timeout; 130 on Ctrl-C, 143 on SIGTERM, 129 on SIGHUP (the drain goes on; the resume command is printed).
At a terminal, without HOST, a picker lists the hosts: type to filter (name, IP, cluster, state), Space to tick, Enter to accept; then the ticked hosts and their running VMs are named in a question (default No) that --yes does not skip.`
  static override examples = [
    '<%= config.bin %> host maintenance enter kvm-host-01',
    '<%= config.bin %> host maintenance enter kvm-host-01 kvm-host-02 --timeout 1800',
    '<%= config.bin %> host maintenance enter 10.10.0.11 --no-wait --json',
    '<%= config.bin %> host maintenance enter kvm-host-03 --force',
    '<%= config.bin %> host maintenance enter kvm-host-01 kvm-host-02 --dry-run',
    '<%= config.bin %> host maintenance enter   # at a terminal: pick the hosts by typing',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    ...dryRunFlag,
    force: Flags.boolean({
      summary: 'Go on even when the capacity check finds VMs that fit on no other host.',
    }),
    poll: Flags.integer({
      min: 1,
      summary: 'Longest pause between two looks at a draining host, in seconds (default 15).',
    }),
    timeout: Flags.integer({
      min: 1,
      summary: 'Per host: stop waiting after this many seconds (exit 5); the drain goes on.',
    }),
    wait: Flags.boolean({
      allowNo: true,
      default: true,
      summary: 'Wait until each host is in Maintenance; --no-wait prints the job ids and returns.',
    }),
  }
  static override strict = false

  async run(): Promise<HostMaintenanceEnterResult> {
    const {force, wait} = this.flags
    const client = await this.client()
    const prep = await prepareEnter(
      client,
      await this.entitiesOrPick('host', this.positionals, {confirm: 'Put into maintenance'}),
      {
        force,
        wait,
      },
    )
    if (this.flags['dry-run']) {
      const {calls, lines} = describeEnterPlan(prep)
      for (const line of [...prep.reminders, ...prep.warnings, ...lines]) this.log(line)
      this.log(
        calls.length > 0
          ? `\nDry run, nothing changed; moldctl would call, one after another:\n  ${calls.join('\n  ')}`
          : '\nDry run: nothing to do.',
      )
      return calls.map((call) => ({call}))
    }

    const settings = await this.connectionSettings()
    const {vmRecorder} = await import('../../../lib/maintenance/vm-record.js')
    const outcomes = await runEnterPlan(client, prep, {
      ...this.waitOptions(HOST_POLL),
      beforeSubmit: vmRecorder(client, {endpoint: settings.urls[0], profile: settings.profileName}),
      force,
      ui: this.ui,
      wait,
    })
    if (!wait)
      for (const o of outcomes.filter((o) => o.jobid))
        this.logToStderr(`follow it: moldctl job wait ${o.jobid}`)
    await this.printRows(outcomes, OUTCOME_COLUMNS)
    return outcomes
  }
}
