import {Args} from '@oclif/core'

import type {GuestVlanRange} from '../../lib/api/models.js'
import type {DryRunResult} from '../../lib/infra/allocation.js'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {describeDedicated} from '../../lib/vlan/columns.js'
import {findDedicatedRange} from '../../lib/vlan/fetch.js'

/** `vlan release --json`: the range as it was listed, and whether it was released (false when declined); or the call --dry-run would make. */
export type VlanReleaseResult = DryRunResult | (GuestVlanRange & {released: boolean})

export default class VlanRelease extends BaseCommand<typeof VlanRelease> {
  static override args = {
    id: Args.string({description: 'Id of the dedicated range (see `vlan dedicated list`).', required: true}),
  }
  static override description = `Asks for confirmation at a terminal (--yes elsewhere).`
  static override examples = [
    '<%= config.bin %> vlan release 0d7c3f4e-5b8a-4c1d-9e2f-3a4b5c6d7e8f',
    '<%= config.bin %> vlan release 0d7c3f4e-5b8a-4c1d-9e2f-3a4b5c6d7e8f --yes --json',
    '<%= config.bin %> vlan release 0d7c3f4e-5b8a-4c1d-9e2f-3a4b5c6d7e8f --dry-run',
  ]
  static override flags = {...yesFlag, ...dryRunFlag}
  static override summary = 'Release a dedicated guest VLAN range back to the shared pool.'

  async run(): Promise<VlanReleaseResult> {
    const client = await this.client()
    const dedicated = await findDedicatedRange(client, this.args.id)
    const what = describeDedicated(dedicated)
    if (this.flags['dry-run']) {
      this.log(`${what}; would call: releaseDedicatedGuestVlanRange id=${String(dedicated.id)}`)
      return {
        calls: [{command: 'releaseDedicatedGuestVlanRange', params: {id: String(dedicated.id)}}],
        dryrun: true,
      }
    }

    if (!(await this.ui.confirm(`Release ${what}?`))) {
      this.log('Cancelled; nothing was changed.')
      return {...dedicated, released: false}
    }

    const result = await client.call(
      'releaseDedicatedGuestVlanRange',
      {id: String(dedicated.id)},
      this.waitOptions(),
    )
    this.log(`Released: ${what} (id ${dedicated.id})`)
    return {...dedicated, released: result.success === true || result.success === 'true'}
  }
}
