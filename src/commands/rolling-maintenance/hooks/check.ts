import {Flags} from '@oclif/core'

import type {HooksCheckReport} from '../../../lib/hooks/rolling-stage-scripts.js'

import {BaseCommand} from '../../../base-command.js'
import {DEFAULT_AGENT_PROPERTIES} from '../../../lib/hooks/agent-properties.js'
import {formatHooksCheckReport} from '../../../lib/hooks/format.js'
import {inspectRollingHooks} from '../../../lib/hooks/inspect.js'

export default class RollingMaintenanceHooksCheck extends BaseCommand<typeof RollingMaintenanceHooksCheck> {
  static override baseFlags = {}
  static override description =
    'Run it on a KVM host. It reads rolling.maintenance.hooks.dir and the executor setting from agent.properties, then shows for each stage (PreFlight, PreMaintenance, Maintenance, PostMaintenance) which file the agent will run (the first of NAME, NAME.sh, NAME.py), whether it is executable, and which lookalikes it ignores. Without a Maintenance script the management server skips the host. Exits 1 when there are problems.'
  static override enableJsonFlag = true
  static override examples = [
    {
      command: '<%= config.bin %> <%= command.id %>',
      description: 'Check the folder named in agent.properties',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --dir /etc/cloudstack/agent/hooks.d',
      description: 'Check a folder before setting it in agent.properties',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --agent-properties ./agent.properties --json',
      description: 'Machine-readable report from a copied agent.properties',
    },
  ]
  static override flags = {
    'agent-properties': Flags.string({
      default: DEFAULT_AGENT_PROPERTIES,
      description: 'agent.properties to read rolling.maintenance.* settings from',
    }),
    dir: Flags.string({description: 'hooks folder to check (default: rolling.maintenance.hooks.dir)'}),
  }
  static override summary = "Check this KVM host's rolling-maintenance stage scripts"

  async run(): Promise<HooksCheckReport> {
    const {flags} = this
    const report = await inspectRollingHooks({agentPropertiesFile: flags['agent-properties'], dir: flags.dir})
    for (const line of await formatHooksCheckReport(report)) this.log(line)
    if (report.problems.length > 0) process.exitCode = 1
    return report
  }
}
