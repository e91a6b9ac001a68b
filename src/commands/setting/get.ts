import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {OUTPUT_FORMATS} from '../../lib/output/render.js'
import {SETTING_FIELDS} from '../../lib/settings/columns.js'
import {findSetting, resolveSettingScope, type SettingRecord} from '../../lib/settings/fetch.js'
import {settingNotes} from '../../lib/settings/guide-notes.js'

export default class SettingGet extends BaseCommand<typeof SettingGet> {
  static override args = {
    name: Args.string({description: 'Setting name, e.g. cpu.overprovisioning.factor.', required: true}),
  }
  static override description = `Show one setting: its value (globally, or as seen from a zone or cluster), default, type and description.`
  static override examples = [
    '<%= config.bin %> setting get kvm.rolling.maintenance.ping.interval',
    '<%= config.bin %> setting get cpu.overprovisioning.factor --cluster kvm-cluster-1',
    '<%= config.bin %> setting get outofbandmanagement.action.timeout --cluster kvm-cluster-1 --json',
  ]
  static override flags = {
    cluster: Flags.string({
      exclusive: ['zone'],
      summary: 'The value as seen from this cluster (name or id).',
    }),
    output: Flags.string({
      char: 'o',
      helpGroup: 'OUTPUT',
      options: OUTPUT_FORMATS,
      summary: 'Output format.',
    }),
    zone: Flags.string({exclusive: ['cluster'], summary: 'The value as seen from this zone (name or id).'}),
  }

  async run(): Promise<SettingRecord> {
    const client = await this.client()
    const scope = await resolveSettingScope(client, this.flags)
    const setting = await findSetting(client, this.args.name, scope)
    await this.printObject(setting, SETTING_FIELDS)
    for (const line of settingNotes(setting.name, setting.isdynamic)) this.logToStderr(`Note: ${line}`)
    return setting
  }
}
