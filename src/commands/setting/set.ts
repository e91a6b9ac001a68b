import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {OUTPUT_FORMATS} from '../../lib/output/render.js'
import {SETTING_FIELDS} from '../../lib/settings/columns.js'
import {settingNotes} from '../../lib/settings/guide-notes.js'
import {
  applySettingChange,
  describeSettingCall,
  planSettingSet,
  type SettingChanged,
  settingDryRun,
  type SettingDryRun,
} from '../../lib/settings/run.js'

export default class SettingSet extends BaseCommand<typeof SettingSet> {
  static override args = {
    name: Args.string({description: 'Setting name.', required: true}),
    value: Args.string({description: 'New value ("" clears a zone or cluster value).', required: true}),
  }
  static override description = `Set a setting globally, or for one zone or cluster (updateConfiguration).
The value is checked first as the server checks it (numbers, true/false, overprovisioning factors > 0) and a bad
value, an unknown name or a scope the setting does not have is refused with the server's own message, before
anything is sent.`
  static override examples = [
    '<%= config.bin %> setting set kvm.rolling.maintenance.ping.interval 20',
    '<%= config.bin %> setting set outofbandmanagement.action.timeout 120 --cluster kvm-cluster-1',
    '<%= config.bin %> setting set mem.overprovisioning.factor 1.5 --dry-run',
    '<%= config.bin %> setting set ca.framework.cert.systemvm.allow.host.ip true --zone zone-1',
  ]
  static override flags = {
    ...dryRunFlag,
    ...yesFlag,
    cluster: Flags.string({exclusive: ['zone'], summary: 'Set it for this cluster only (name or id).'}),
    force: Flags.boolean({
      summary:
        'Allow an overprovisioning factor above 4 on a XenServer cluster (or globally while XenServer clusters exist).',
    }),
    output: Flags.string({
      char: 'o',
      helpGroup: 'OUTPUT',
      options: OUTPUT_FORMATS,
      summary: 'Output format.',
    }),
    zone: Flags.string({exclusive: ['cluster'], summary: 'Set it for this zone only (name or id).'}),
  }

  async run(): Promise<SettingChanged | SettingDryRun> {
    const {name, value} = this.args
    const {cluster, force, zone} = this.flags
    const client = await this.client()
    const change = await planSettingSet(client, name, value, {cluster, force, zone})
    for (const warning of change.warnings) this.logToStderr(`Warning: ${warning}`)
    if (this.flags['dry-run']) {
      this.log(`Dry run, nothing changed; moldctl would call: ${describeSettingCall(change)}`)
      return settingDryRun(change)
    }

    const configuration = await applySettingChange(client, change)
    await this.printObject(configuration, SETTING_FIELDS)
    for (const line of settingNotes(name, change.setting.isdynamic)) this.logToStderr(`Note: ${line}`)
    return configuration
  }
}
