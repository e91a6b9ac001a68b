import {Flags} from '@oclif/core'
import {mkdirSync} from 'node:fs'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../base-command.js'
import {MoldctlError, UsageError} from '../../lib/core/errors.js'
import {HOST_POLL} from '../../lib/core/poll-window.js'
import {isInteractive, isLiveStderr} from '../../lib/output/tty.js'
import {ROLL_REPORT_COLUMNS, type RollReportRow, rollReportRows} from '../../lib/roll/columns.js'
import {describeRollPlan, newRollState, planRoll, type RollPlan} from '../../lib/roll/prepare.js'
import {runRoll} from '../../lib/roll/run.js'
import {
  listRolls,
  type RollFlags,
  type RollListRow,
  rollOptions,
  RUN_SHAPING_FLAGS,
  skipOnResume,
  stateToResume,
} from '../../lib/roll/setup.js'
import {type RollState, rollStatePath, type RollStatus, saveRollState} from '../../lib/roll/state.js'

/** A roll's report: each host's stages, and where its state is kept (for --resume). */
export interface RollReport {
  hosts: RollReportRow[]
  id: string
  stateFile: string
  status: RollStatus
}

/** What `cluster roll --json` prints: the report, the plan under --dry-run, or the rolls under --list. */
export type ClusterRollResult = RollListRow[] | RollReport | {dryRun: true; plan: RollPlan}

export default class ClusterRoll extends BaseCommand<typeof ClusterRoll> {
  static override description = `Roll clusters through maintenance, host by host: the guide's hypervisor patch loop, automated and resumable.
For each host in turn: check that the other hosts of its cluster can take its VMs (before any change); enter maintenance and wait until its VMs are gone; run --exec COMMAND here, through the shell, with the host's facts as placeholders ({name} {ip} {id} {cluster} {hypervisor}, shell-quoted) and in the environment (MOLDCTL_HOST_NAME, _IP, _ID, _CLUSTER, _HYPERVISOR); wait until the host is Up again after its reboot; cancel maintenance; with --migrate-back move its VMs back; check it is Up and Enabled and reports a version. Never two hosts of one cluster at once.
Progress is saved after every step in a state file (mode 0600) under $XDG_STATE_HOME/moldctl/rolls/; --resume RUN continues exactly where a roll stopped: a host already in maintenance is not submitted again, a command that ran is not run again (unless --rerun-exec).
Exit 0 all hosts rolled (or a canary stop); 1 a host failed (the state is kept, the host stays where it is); 2 refused before any change; 5 a timeout (drain, command or reboot); 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP (the resume command is printed).`
  static override examples = [
    `<%= config.bin %> cluster roll kvm-cluster-1 --exec 'ssh root@{ip} "dnf -y update && systemctl reboot"' --canary 1 --yes`,
    `<%= config.bin %> cluster roll kvm-cluster-1 --exec 'ansible-playbook patch.yml -l {ip}' --dry-run`,
    `<%= config.bin %> cluster roll kvm-cluster-1 xen-cluster-1 --parallel-clusters 2 --exec ./patch-host.sh --pause 60s --migrate-back --yes`,
    '<%= config.bin %> cluster roll --resume 20261204-201500-3f9a',
    '<%= config.bin %> cluster roll --list',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    ...dryRunFlag,
    canary: Flags.integer({
      min: 0,
      summary: 'Stop after this many hosts and ask (no terminal: exit 0, resume later).',
    }),
    concurrency: Flags.integer({
      min: 1,
      max: 10,
      summary: 'With --migrate-back: migrations at a time (default 2).',
    }),
    'drain-timeout': Flags.string({
      summary: 'Per host: longest wait for Maintenance (e.g. 30m; default none).',
    }),
    exec: Flags.string({summary: 'Command run here for each host in maintenance (through /bin/sh).'}),
    'exec-timeout': Flags.string({
      summary: 'Per host: stop the command after this long (default 30m; exit 5).',
    }),
    'expect-reboot': Flags.boolean({
      allowNo: true,
      summary:
        'Wait for the host to go down and come back Up after the command (default); --no-expect-reboot: just Up.',
    }),
    list: Flags.boolean({summary: 'List the rolls in the state directory.'}),
    'migrate-back': Flags.boolean({
      summary: 'After maintenance, move the VMs that left each host back to it.',
    }),
    order: Flags.string({
      options: ['name', 'least-vms', 'given'],
      summary: 'Host order in a cluster (default name).',
    }),
    'output-dir': Flags.string({
      summary: 'Write per host its command output (.log) and record (.json) here.',
    }),
    'parallel-clusters': Flags.integer({min: 1, summary: 'Clusters rolled at the same time (default 1).'}),
    pause: Flags.string({summary: 'Pause between two hosts of a cluster (e.g. 60s).'}),
    poll: Flags.integer({
      min: 1,
      summary: 'Longest pause between two looks at a host, in seconds (default 15).',
    }),
    'rerun-exec': Flags.boolean({
      summary: 'On --resume: run the command again where it already ran, failed or was stopped.',
    }),
    resume: Flags.string({summary: 'Continue the roll with this run id.'}),
    skip: Flags.string({multiple: true, summary: 'Leave this host out (name, id or IP; repeatable).'}),
    'up-timeout': Flags.string({
      summary: 'Per host: longest wait for it to be Up again after the command (default 30m; exit 5).',
    }),
  }
  static override strict = false

  async run(): Promise<ClusterRollResult> {
    const {flags} = this
    if (flags.list) {
      const rows = listRolls()
      await this.printRows(
        rows,
        [{key: 'id'}, {key: 'status'}, {key: 'created'}, {key: 'clusters'}, {key: 'hosts'}],
        {
          empty: 'No rolls yet.',
        },
      )
      return rows
    }

    const settings = await this.connectionSettings()
    const connection = {endpoint: settings.urls[0], profile: settings.profileName}
    const client = await this.client()
    let state: RollState
    if (flags.resume) {
      const given = RUN_SHAPING_FLAGS.filter((f) => (flags as Record<string, unknown>)[f] !== undefined)
      state = stateToResume(flags.resume, {clusters: this.positionals, endpoint: connection.endpoint, given})
      for (const note of skipOnResume(state, flags.skip ?? [])) this.logToStderr(note)
      if (flags['output-dir']) state.options.outputDir = flags['output-dir']
    } else {
      const clusters = await this.entitiesOrPick('cluster', this.positionals)
      const options = rollOptions(flags as RollFlags)
      const plan = await planRoll(client, clusters, {
        exec: options.exec,
        order: options.order,
        skip: flags.skip ?? [],
      })
      if (flags['dry-run']) {
        for (const line of describeRollPlan(plan, options)) this.log(line)
        if (plan.refusals.length > 0)
          throw new UsageError('the roll would stop before any change', plan.refusals)
        this.log('\nDry run: nothing changed.')
        return {dryRun: true, plan}
      }

      if (plan.refusals.length > 0)
        throw new UsageError('the roll cannot start; nothing was changed', plan.refusals)
      const hosts = plan.clusters.flatMap((c) => c.hosts.map((h) => h.name))
      if (!(await this.ui.confirm(`Roll ${hosts.length} host(s) (${hosts.join(', ')}) through maintenance?`)))
        throw new UsageError('not confirmed; nothing was changed')
      state = newRollState(plan, options, connection)
    }

    if (state.options.outputDir) mkdirSync(state.options.outputDir, {recursive: true})
    const resume = `moldctl cluster roll --resume ${state.id}${flags.profile ? ` -p ${flags.profile}` : ''}`
    saveRollState(state)
    this.logToStderr(`Roll ${state.id} (state: ${rollStatePath(state.id)})`)
    // SIGINT, SIGTERM and SIGHUP stop the roll (exit 130, 143, 129) with its state kept.
    const {signal} = this.ui
    const report = (): RollReport => ({
      hosts: rollReportRows(state),
      id: state.id,
      stateFile: rollStatePath(state.id),
      status: state.status,
    })
    try {
      const {confirmAction} = await import('../../lib/output/prompt.js')
      const outcome = await runRoll({
        askContinue: isInteractive() ? (question) => confirmAction(question) : undefined,
        client,
        poll: this.waitOptions(HOST_POLL),
        progress: await this.ui.progress(),
        recordScope: connection,
        rerunExec: flags['rerun-exec'],
        resume,
        save: () => saveRollState(state),
        showElapsed: isLiveStderr(),
        signal,
        state,
      })
      await this.printRows(report().hosts, ROLL_REPORT_COLUMNS)
      if (outcome === 'canary') this.logToStderr(`Stopped after the canary; go on with: ${resume}`)
      return report()
    } catch (error) {
      if (error instanceof MoldctlError) {
        if (this.jsonEnabled()) this.logJson(report())
        else await this.printRows(report().hosts, ROLL_REPORT_COLUMNS)
      }

      throw error
    }
  }
}
