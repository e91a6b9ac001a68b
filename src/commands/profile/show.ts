import {Args} from '@oclif/core'

import {BaseCommand, connectionFlags, outputFlags} from '../../base-command.js'
import {describeProxyForEndpoints, resolveProxySettings} from '../../lib/api/proxy.js'
import {maskProfile, pickProfileToShow, type ShownProfile} from '../../lib/config/profile-edit.js'
import {ProfileStore} from '../../lib/config/profiles.js'

/** `profile show --json`: the profile (secrets masked), its name, whether it is the current one, and the proxy its requests go through. */
export type ProfileShowResult = ShownProfile & {current: boolean; name: string; proxyinuse: string}

export default class ProfileShow extends BaseCommand<typeof ProfileShow> {
  static override args = {name: Args.string({description: 'Profile to show (default: the current one).'})}
  static override baseFlags = {debug: connectionFlags.debug, proxy: connectionFlags.proxy}
  static override description = [
    'Shows the named profile, else the current one. The secret key and password are shown as ****, the API key only by its last four characters.',
    "`proxyinuse` says which proxy requests to the profile's server go through and why: --proxy, the profile's proxy:, the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY...), or none; a proxy password is shown as ****.",
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> profile show',
    '<%= config.bin %> profile show lab',
    '<%= config.bin %> profile show lab --json',
    'HTTPS_PROXY=http://proxy.corp:3128 <%= config.bin %> profile show lab',
  ]
  static override flags = {...outputFlags}
  static override summary = 'Show a profile with its secrets masked.'

  async run(): Promise<ProfileShowResult> {
    const config = await new ProfileStore(this.config.configDir).load()
    const name = pickProfileToShow(config, this.args.name)
    const profile = config.profiles[name]
    const proxy = resolveProxySettings(this.flags.proxy, profile.proxy, process.env)
    const shown: ProfileShowResult = {
      name,
      current: name === config.current,
      ...maskProfile(profile),
      proxyinuse: describeProxyForEndpoints(
        profile.url.split(',').map((url) => url.trim()),
        proxy,
      ),
    }
    await this.printObject(shown)
    return shown
  }
}
