import {Args, Flags} from '@oclif/core'

import {BaseCommand, outputFlags, yesFlag} from '../../../base-command.js'

export default class OobmPasswordChange extends BaseCommand<typeof OobmPasswordChange> {
  static override args = {
    host: Args.string({description: 'The host (name, id or IP).', ignoreStdin: true, required: true}),
  }
  static override description = `Change the password of a host's BMC user and the one Mold keeps for it.

The new password (at most 16 characters) comes from stdin with --password-stdin; without it the server picks a random one and does not reveal it. With ipmitool the BMC itself is changed (it must answer); with redfish only Mold's copy; nestedcloudstack cannot change passwords. OOBM must be enabled for the host, its cluster and zone.`
  static override examples = [
    'printf \'%s\' "$NEW_IPMI_PASSWORD" | <%= config.bin %> oobm password change kvm-host-01 --password-stdin --yes',
    '<%= config.bin %> oobm password change kvm-host-02',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    'password-stdin': Flags.boolean({summary: 'Read the new password from standard input.'}),
  }

  async run(): Promise<Record<string, unknown>> {
    const [{checkNewBmcPassword}, {readStdin, confirmAction}, {resolveEntity}] = await Promise.all([
      import('../../../lib/oobm/configure.js'),
      import('../../../lib/output/prompt.js'),
      import('../../../lib/infra/resolve.js'),
    ])
    const password = this.flags['password-stdin']
      ? checkNewBmcPassword(await readStdin('the new BMC password'))
      : undefined
    const client = await this.client()
    const host = await resolveEntity(client, 'host', this.args.host)
    const what = password ? 'the given password' : 'a random password the server does not reveal'
    if (
      !(await confirmAction(`Change the BMC password of ${host.name} to ${what}?`, {yes: this.flags.yes}))
    ) {
      this.logToStderr('Nothing changed.')
      return {hostid: host.id, status: false}
    }

    const result = await client.call(
      'changeOutOfBandManagementPassword',
      {hostid: host.id, password},
      {signal: this.interruptSignal()},
    )
    const oobm = {name: host.name, ...((result.outofbandmanagement ?? result) as Record<string, unknown>)}
    await this.printObject(oobm)
    return oobm
  }
}
