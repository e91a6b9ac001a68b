import {Args} from '@oclif/core'

import {BaseCommand, connectionFlags, yesFlag} from '../../base-command.js'
import {requireProfile} from '../../lib/config/profile-edit.js'
import {ProfileStore} from '../../lib/config/profiles.js'

export default class ProfileRemove extends BaseCommand<typeof ProfileRemove> {
  static override args = {name: Args.string({description: 'Profile to remove.', required: true})}
  static override baseFlags = {debug: connectionFlags.debug}
  static override description =
    'Removes the profile and its credentials from the profiles file. Asks first at a terminal; elsewhere needs --yes.'
  static override examples = [
    '<%= config.bin %> profile remove lab',
    '<%= config.bin %> profile remove lab --yes',
  ]
  static override flags = {...yesFlag}
  static override summary = 'Remove a saved profile.'

  async run(): Promise<{removed: string; wasCurrent: boolean}> {
    const {name} = this.args
    const store = new ProfileStore(this.config.configDir)
    const profile = requireProfile(await store.load(), name)
    if (!(await this.ui.confirm(`Remove profile "${name}" (${profile.url})?`))) {
      this.logToStderr('Nothing removed.')
      return {removed: '', wasCurrent: false}
    }

    let wasCurrent = false
    await store.update((config) => {
      requireProfile(config, name)
      delete config.profiles[name]
      wasCurrent = config.current === name
      if (wasCurrent) delete config.current
    })
    this.logToStderr(
      `Removed profile "${name}"${wasCurrent ? '; there is no current profile now (moldctl profile use NAME)' : ''}`,
    )
    return {removed: name, wasCurrent}
  }
}
