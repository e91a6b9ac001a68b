import {Flags} from '@oclif/core'

import type {RollingPlan} from '../../lib/rolling-maintenance/plan.js'
import type {RollingMaintenanceResult} from '../../lib/rolling-maintenance/report.js'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {ExitCode} from '../../lib/core/errors.js'
import {pollWindow, ROLLING_POLL} from '../../lib/core/poll-window.js'
import {startRollingMaintenance} from '../../lib/rolling-maintenance/start.js'

export default class RollingMaintenanceStart extends BaseCommand<typeof RollingMaintenanceStart> {
  static override description =
    'Checks first (exactly one scope; a stage timeout above kvm.rolling.maintenance.ping.interval; non-KVM hosts named and ignored), asks for confirmation, then starts startRollingMaintenance and shows its progress read from the cloud: the cluster it disabled, the host in PrepareForMaintenance or Maintenance and for how long. At the end it prints the updated hosts (start, end, duration, output) and the skipped hosts with the reason, which the Mold UI does not show. Exit 0 only when the server reports success=true, 1 otherwise. --dry-run prints the plan (clusters in order, hosts, VMs in blocking states, the capacity check per host) and changes nothing.'
  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %> --clusters kvm-cluster-1 --dry-run',
      description: 'See the plan: order, blocking VMs, capacity per host',
    },
    {
      command:
        '<%= config.bin %> <%= command.id %> --clusters kvm-cluster-1 --timeout 3600 --payload "kernel=5.14" --yes',
      description: 'Roll a cluster, one hour per stage, passing a payload to every script',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --hosts kvm-1,kvm-2 --forced --output-dir ./rm-out',
      description: 'Continue past failures and keep each host’s Maintenance output',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --zones zone1 --yes --json',
      description: 'The API’s rollingmaintenance object',
    },
  ]
  static override flags = {
    ...yesFlag,
    ...dryRunFlag,
    clusters: Flags.string({summary: 'Clusters to roll (names or ids, comma-separated).'}),
    forced: Flags.boolean({
      summary: 'Skip hosts that fail instead of stopping the run (the API’s forced=true).',
    }),
    hosts: Flags.string({summary: 'Hosts to roll (names, ids or IPs, comma-separated).'}),
    'max-wait': Flags.integer({
      min: 1,
      summary: 'Stop waiting after this many seconds (exit 5; the run goes on).',
    }),
    'output-dir': Flags.directory({
      summary: 'Save each updated host’s Maintenance stage output to a file here.',
    }),
    payload: Flags.string({summary: 'Text passed to every stage script, e.g. "k1=v1 k2=v2".'}),
    pods: Flags.string({summary: 'Pods to roll (names or ids, comma-separated).'}),
    timeout: Flags.integer({
      min: 1,
      summary: 'Seconds per stage (default: kvm.rolling.maintenance.stage.timeout).',
    }),
    zones: Flags.string({summary: 'Zones to roll (names or ids, comma-separated).'}),
  }
  static override summary = 'Run KVM rolling maintenance with checks, live progress and a report'

  async run(): Promise<RollingMaintenanceResult | RollingPlan> {
    const {flags} = this
    const result = await startRollingMaintenance(
      () => this.client(),
      {
        clusters: flags.clusters,
        dryRun: flags['dry-run'],
        forced: flags.forced,
        hosts: flags.hosts,
        maxWaitMs: flags['max-wait'] === undefined ? undefined : flags['max-wait'] * 1000,
        outputDir: flags['output-dir'],
        payload: flags.payload,
        pods: flags.pods,
        poll: pollWindow(process.env, ROLLING_POLL),
        timeout: flags.timeout,
        zones: flags.zones,
      },
      this.ui,
    )
    // The report is printed; a run the server reports failed exits 1 after it.
    if ('success' in result && !result.success) process.exitCode = ExitCode.Failed
    return result
  }
}
