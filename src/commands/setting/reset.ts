import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {OUTPUT_FORMATS} from '../../lib/output/render.js'
import {SETTING_FIELDS} from '../../lib/settings/columns.js'
import {
  applySettingChange,
  describeSettingCall,
  planSettingReset,
  type SettingChanged,
  settingDryRun,
  type SettingDryRun,
} from '../../lib/settings/run.js'

export default class SettingReset extends BaseCommand<typeof SettingReset> {
  static override args = {
    name: Args.string({description: 'Setting name.', required: true}),
  }
  static override description = `Reset a setting (resetConfiguration): globally to its default, or for a zone or cluster back to the global value.
For a cluster's overprovisioning factors the server stores the current global value as the cluster's value.`
  static override examples = [
    '<%= config.bin %> setting reset kvm.rolling.maintenance.ping.interval',
    '<%= config.bin %> setting reset outofbandmanagement.action.timeout --cluster kvm-cluster-1',
    '<%= config.bin %> setting reset cpu.overprovisioning.factor --cluster kvm-cluster-1 --dry-run',
  ]
  static override flags = {
    ...dryRunFlag,
    ...yesFlag,
    cluster: Flags.string({exclusive: ['zone'], summary: 'Reset the value of this cluster (name or id).'}),
    output: Flags.string({
      char: 'o',
      helpGroup: 'OUTPUT',
      options: OUTPUT_FORMATS,
      summary: 'Output format.',
    }),
    zone: Flags.string({exclusive: ['cluster'], summary: 'Reset the value of this zone (name or id).'}),
  }

  async run(): Promise<SettingChanged | SettingDryRun> {
    const {name} = this.args
    const {cluster, zone} = this.flags
    const client = await this.client()
    const change = await planSettingReset(client, name, {cluster, zone})
    if (this.flags['dry-run']) {
      this.log(`Dry run, nothing changed; moldctl would call: ${describeSettingCall(change)}`)
      return settingDryRun(change)
    }

    const configuration = await applySettingChange(client, change)
    await this.printObject(configuration, SETTING_FIELDS)
    return configuration
  }
}
