import {Args, Flags} from '@oclif/core'

import type {Host} from '../../lib/api/models.js'

import {BaseCommand} from '../../base-command.js'
import {resolveEntity} from '../../lib/infra/resolve.js'
import {OUTPUT_FORMATS} from '../../lib/output/render.js'

export default class HostShow extends BaseCommand<typeof HostShow> {
  static override args = {
    host: Args.string({description: 'Host UUID, name or IP address.', required: false}),
  }
  static override description = 'Show one host: every field the API returns.'
  static override examples = [
    '<%= config.bin %> host show kvm-host-01',
    '<%= config.bin %> host show 10.10.1.11',
    '<%= config.bin %> host show 6f1b5b6c-1e43-4b7b-9d2e-2a1c0c0a0b01 --json',
  ]
  static override flags = {
    output: Flags.string({
      char: 'o',
      helpGroup: 'OUTPUT',
      options: OUTPUT_FORMATS,
      summary: 'Output format.',
    }),
  }

  async run(): Promise<Host> {
    const host = await resolveEntity<Host>(
      await this.client(),
      'host',
      await this.entityOrPick('host', this.args.host),
    )
    await this.printObject(host)
    return host
  }
}
