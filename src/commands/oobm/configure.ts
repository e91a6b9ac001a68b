import {Args, Flags} from '@oclif/core'

import type {OobmConfigureResult} from '../../lib/oobm/configure.js'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../base-command.js'
import {buildConfigureRequest, OOBM_DRIVERS} from '../../lib/oobm/rules.js'

export default class OobmConfigure extends BaseCommand<typeof OobmConfigure> {
  static override args = {
    host: Args.string({description: 'The host (name, id or IP).', ignoreStdin: true, required: true}),
  }
  static override description = `Configure a host's out-of-band management interface (its BMC).

Drivers: ipmitool (IPMI 2.0; port 623 by default), redfish (Dell and Supermicro are supported; the port is not used), nestedcloudstack (a VM of another cloud; --port is that VM's UUID).

The BMC password is read from stdin (--password-stdin) or, at a terminal, asked for. On Mold, the BMC console protocol (and port) the Mold UI links to are sent too (--console-protocol, default https). Then enable it: \`oobm enable --host HOST\`.`
  static override examples = [
    'printf \'%s\' "$IPMI_PASSWORD" | <%= config.bin %> oobm configure kvm-host-01 --driver ipmitool --address 10.10.1.11 --username ADMIN --password-stdin',
    'printf \'%s\' "$BMC_PASSWORD" | <%= config.bin %> oobm configure kvm-host-02 --driver redfish --address 10.10.1.12 --username root --password-stdin --console-protocol https',
    '<%= config.bin %> oobm configure kvm-host-03 --driver ipmitool --address 10.10.1.13 --port 6230 --username ADMIN',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    ...dryRunFlag,
    address: Flags.string({
      required: true,
      summary: 'BMC address (IP or name; for nestedcloudstack the API URL).',
    }),
    'console-port': Flags.string({
      summary: 'Mold only: BMC web console port (default 80 for http, 443 for https).',
    }),
    'console-protocol': Flags.string({
      summary: 'Mold only: BMC web console protocol, http or https (default https).',
    }),
    driver: Flags.string({required: true, summary: `BMC driver: ${OOBM_DRIVERS.join(', ')}.`}),
    'password-stdin': Flags.boolean({summary: 'Read the BMC password from standard input.'}),
    port: Flags.string({
      summary: 'BMC port (ipmitool: default 623; redfish: ignored; nestedcloudstack: VM UUID).',
    }),
    username: Flags.string({required: true, summary: 'BMC user (nestedcloudstack: the API key).'}),
  }

  async run(): Promise<OobmConfigureResult> {
    const {flags} = this
    const input = {
      address: flags.address,
      consolePort: flags['console-port'],
      consoleProtocol: flags['console-protocol'],
      driver: flags.driver,
      port: flags.port,
      username: flags.username,
    }
    // Check the flags before reading a secret or calling the server.
    buildConfigureRequest({...input, flavor: 'mold', hostid: '', password: 'x'})
    const {configureOutOfBand, readBmcPassword} = await import('../../lib/oobm/configure.js')
    const password = await readBmcPassword(flags['password-stdin'])
    const result = await configureOutOfBand(
      await this.client(),
      this.args.host,
      {...input, dryRun: flags['dry-run'], password},
      this.ui,
    )
    await this.printObject(result)
    return result
  }
}
