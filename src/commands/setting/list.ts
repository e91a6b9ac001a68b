import {Flags} from '@oclif/core'

import type {SettingRecord} from '../../lib/settings/fetch.js'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {SETTING_COLUMNS} from '../../lib/settings/columns.js'
import {listSettings, resolveSettingScope} from '../../lib/settings/fetch.js'

/** The `setting list --json` result: the settings as seen at the scope, by name. */
export type SettingListResult = SettingRecord[]

export default class SettingList extends BaseCommand<typeof SettingList> {
  static override description = `List settings (global configuration values) with their defaults.
With --zone or --cluster only the settings that can be set there are listed, each with its value as seen there
(the zone's or cluster's own value, else the global one).`
  static override examples = [
    '<%= config.bin %> setting list --filter overprovisioning',
    '<%= config.bin %> setting list --cluster kvm-cluster-1',
    '<%= config.bin %> setting list --filter outofbandmanagement --columns name,value,defaultvalue',
    '<%= config.bin %> setting list --filter ca.framework --json',
  ]
  static override flags = {
    ...outputFlags,
    category: Flags.string({summary: 'Only settings of this category (Advanced, Alert, Storage...).'}),
    cluster: Flags.string({exclusive: ['zone'], summary: 'Settings as seen from this cluster (name or id).'}),
    filter: Flags.string({summary: 'Only settings whose name, description or category contains this text.'}),
    zone: Flags.string({exclusive: ['cluster'], summary: 'Settings as seen from this zone (name or id).'}),
  }

  async run(): Promise<SettingListResult> {
    const client = await this.client()
    const scope = await resolveSettingScope(client, this.flags)
    const settings = await listSettings(client, scope, {
      category: this.flags.category,
      keyword: this.flags.filter,
    })
    await this.printRows(settings, SETTING_COLUMNS, {empty: 'No settings match.'})
    return settings
  }
}
