import {Args} from '@oclif/core'

import {BaseCommand, connectionFlags, outputFlags} from '../../base-command.js'
import {maskProfile, pickProfileToShow} from '../../lib/config/profile-edit.js'
import {ProfileStore} from '../../lib/config/profiles.js'

export default class ProfileShow extends BaseCommand<typeof ProfileShow> {
  static override args = {name: Args.string({description: 'Profile to show (default: the current one).'})}
  static override baseFlags = {debug: connectionFlags.debug}
  static override description =
    'Show the settings of a profile. The secret key and password are shown as ****, the API key only by its last four characters.'
  static override examples = [
    '<%= config.bin %> profile show',
    '<%= config.bin %> profile show lab',
    '<%= config.bin %> profile show lab --json',
  ]
  static override flags = {...outputFlags}

  async run(): Promise<Record<string, unknown>> {
    const config = await new ProfileStore(this.config.configDir).load()
    const name = pickProfileToShow(config, this.args.name)
    const shown = {current: name === config.current, name, ...maskProfile(config.profiles[name])}
    await this.printObject(shown)
    return shown
  }
}
