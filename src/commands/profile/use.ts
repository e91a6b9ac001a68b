import {Args} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../base-command.js'
import {requireProfile} from '../../lib/config/profile-edit.js'
import {ProfileStore} from '../../lib/config/profiles.js'

export default class ProfileUse extends BaseCommand<typeof ProfileUse> {
  static override args = {name: Args.string({description: 'Profile to make current.', required: true})}
  static override baseFlags = {debug: connectionFlags.debug}
  static override description =
    'Make a profile the current one: commands use it unless --profile or MOLDCTL_PROFILE says otherwise.'
  static override examples = [
    '<%= config.bin %> profile use lab',
    'MOLDCTL_PROFILE=prod <%= config.bin %> host list   # one command only',
  ]

  async run(): Promise<{current: string}> {
    const {name} = this.args
    await new ProfileStore(this.config.configDir).update((config) => {
      requireProfile(config, name)
      config.current = name
    })
    this.logToStderr(`Current profile: ${name}`)
    return {current: name}
  }
}
