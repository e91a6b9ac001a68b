import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../base-command.js'
import {POWER_ROW_COLUMNS} from '../../lib/oobm/columns.js'
import {OOBM_SYNC_POOL_SIZE_DEFAULT, parsePowerAction, type PowerActionRow} from '../../lib/oobm/rules.js'
import {checkSelection} from '../../lib/oobm/targets.js'

export default class OobmPower extends BaseCommand<typeof OobmPower> {
  static override args = {
    action: Args.string({
      description: 'The power action: on, off, cycle, reset, soft or status.',
      ignoreStdin: true,
      required: true,
    }),
    // ignoreStdin: oclif would otherwise read piped stdin as the missing argument.
    host: Args.string({description: 'Hosts (name, id or IP); or use --cluster / --zone.', ignoreStdin: true}),
  }
  static override description = `Run a power action on many hosts through their BMCs (IPMI via ipmitool, or Redfish).

At most --concurrency actions are in flight at once (default 50, the size of the server's OOBM sync pool); one slow BMC holds only its own slot.

Hosts whose out-of-band management is not configured or not enabled (at host, cluster or zone level), or that are Degraded, are skipped with the reason. Hosts in maintenance get a warning but are acted on. off, cycle, reset and soft ask first (how many hosts, how many running VMs) unless --yes.

A host with a power action still pending on the server is not sent another: that job is waited for. When the answer to an action is lost after it was sent, its job is looked up and waited for; failing that, on/off/soft are settled by asking the BMC (status), and the rest are reported unknown.

Only status refreshes the power state Mold stores. Exit 0 when no host failed, 4 when some failed (and others succeeded or are unknown), 6 when the only problems are unknown outcomes, 1 when none succeeded.`
  static override examples = [
    '<%= config.bin %> oobm power status --cluster kvm-cluster-1',
    '<%= config.bin %> oobm power on kvm-host-03 kvm-host-04',
    '<%= config.bin %> oobm power off --cluster kvm-cluster-1 --yes',
    '<%= config.bin %> oobm power cycle 10.10.0.12 --timeout 120',
    '<%= config.bin %> oobm power status --zone zone-1 --concurrency 100 -o csv',
    '<%= config.bin %> oobm power reset kvm-host-02 --dry-run',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    ...dryRunFlag,
    cluster: Flags.string({summary: 'Every host of this cluster (name or id).'}),
    concurrency: Flags.integer({
      default: OOBM_SYNC_POOL_SIZE_DEFAULT,
      min: 1,
      summary: 'Most power actions in flight at once.',
    }),
    timeout: Flags.integer({
      min: 1,
      summary: "Seconds each BMC may take (default: the cluster's outofbandmanagement.action.timeout, 60).",
    }),
    zone: Flags.string({summary: 'Every host of this zone (name or id).'}),
  }
  static override strict = false
  static override usage = [
    'oobm power ACTION HOST... [--concurrency N] [--timeout SECONDS] [--yes]',
    'oobm power ACTION --cluster CLUSTER [--concurrency N] [--timeout SECONDS] [--yes]',
    'oobm power ACTION --zone ZONE [--concurrency N] [--timeout SECONDS] [--yes]',
  ]

  async run(): Promise<PowerActionRow[] | unknown> {
    const action = parsePowerAction(this.args.action)
    const selection = {cluster: this.flags.cluster, hosts: this.positionals.slice(1), zone: this.flags.zone}
    checkSelection(selection)
    const [{formatDryRun, runPowerCommand}, client] = await Promise.all([
      import('../../lib/oobm/power-run.js'),
      this.client(),
    ])
    const outcome = await runPowerCommand(
      client,
      {
        action,
        actionTimeoutSeconds: this.flags.timeout,
        concurrency: this.flags.concurrency,
        dryRun: this.flags['dry-run'],
        selection,
      },
      this.ui,
    )
    if (outcome.kind === 'declined') return outcome.report
    if (outcome.kind === 'dry-run') {
      if (!this.jsonEnabled()) this.log(formatDryRun(outcome.report))
      return outcome.report
    }

    await this.printRows(outcome.rows, POWER_ROW_COLUMNS)
    for (const line of outcome.afterTable) this.ui.noteAlways(line)
    return this.rowsOrFail(outcome.rows, outcome.error)
  }
}
