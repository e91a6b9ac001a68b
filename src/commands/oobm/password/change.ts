import {Args, Flags} from '@oclif/core'

import type {BmcPasswordChange} from '../../../lib/oobm/configure.js'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../../base-command.js'

export default class OobmPasswordChange extends BaseCommand<typeof OobmPasswordChange> {
  static override args = {
    host: Args.string({description: 'The host (name, id or IP).', ignoreStdin: true, required: true}),
  }
  static override description = `Change the password of a host's BMC user and the one Mold keeps for it.

The new password (at most 16 characters) comes from stdin with --password-stdin; without it the server picks a random one and does not reveal it. With ipmitool the BMC itself is changed (it must answer); with redfish only Mold's copy; nestedcloudstack cannot change passwords. OOBM must be enabled for the host, its cluster and zone.`
  static override examples = [
    'printf \'%s\' "$NEW_IPMI_PASSWORD" | <%= config.bin %> oobm password change kvm-host-01 --password-stdin --yes',
    '<%= config.bin %> oobm password change kvm-host-02',
    '<%= config.bin %> oobm password change kvm-host-02 --dry-run',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    ...dryRunFlag,
    'password-stdin': Flags.boolean({summary: 'Read the new password from standard input.'}),
  }

  async run(): Promise<BmcPasswordChange> {
    const [{changeBmcPassword, checkNewBmcPassword}, {readStdin}] = await Promise.all([
      import('../../../lib/oobm/configure.js'),
      import('../../../lib/output/prompt.js'),
    ])
    const password = this.flags['password-stdin']
      ? checkNewBmcPassword(await readStdin('the new BMC password'))
      : undefined
    const client = await this.client()
    const {changed, result} = await changeBmcPassword(
      client,
      this.args.host,
      {dryRun: this.flags['dry-run'], password},
      this.ui,
    )
    if (changed) await this.printObject(result)
    return result
  }
}
