import type {Column} from '../../lib/output/columns.js'

import {BaseCommand, connectionFlags, outputFlags} from '../../base-command.js'
import {type ProfileSummary, summarizeProfiles} from '../../lib/config/profile-edit.js'
import {ProfileStore} from '../../lib/config/profiles.js'

const PROFILE_COLUMNS: Column<ProfileSummary>[] = [
  {key: 'name'},
  {get: (row) => (row.current ? '*' : ''), header: 'CURRENT', key: 'current'},
  {key: 'url'},
  {key: 'flavor'},
  {key: 'auth'},
]

export default class ProfileList extends BaseCommand<typeof ProfileList> {
  static override baseFlags = {debug: connectionFlags.debug}
  static override description =
    'List the saved profiles: name, whether it is the current one, endpoint, signing flavor and kind of credentials. Secrets are never shown.'
  static override examples = [
    '<%= config.bin %> profile list',
    '<%= config.bin %> profile list --json',
    '<%= config.bin %> profile list -o csv --columns name,url',
  ]
  static override flags = {...outputFlags}

  async run(): Promise<ProfileSummary[]> {
    const config = await new ProfileStore(this.config.configDir).load()
    const rows = summarizeProfiles(config)
    await this.printRows(rows, PROFILE_COLUMNS, {
      empty: 'No profiles. Add one: moldctl profile add NAME --url URL --api-key KEY --secret-key-stdin',
    })
    return rows
  }
}
