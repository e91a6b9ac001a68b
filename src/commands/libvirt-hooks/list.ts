import {Flags} from '@oclif/core'

import type {CustomScriptInspection} from '../../lib/hooks/inspect.js'

import {BaseCommand} from '../../base-command.js'
import {formatCustomScriptListing} from '../../lib/hooks/format.js'
import {inspectCustomScripts} from '../../lib/hooks/inspect.js'
import {DEFAULT_CUSTOM_HOOKS_DIR, QEMU_HOOK_ACTIONS} from '../../lib/hooks/libvirt-custom-scripts.js'

export default class LibvirtHooksList extends BaseCommand<typeof LibvirtHooksList> {
  static override baseFlags = {}
  static override description =
    'The qemu hook (/etc/libvirt/hooks/qemu, installed by cloudstack-agent) runs the files of its custom folder named <action>_NAME or all_NAME, sorted by the text after the first underscore as plain text (so 10_x runs before 9_y), and skips files that are not executable. Files it ignores are listed with the reason.'
  static override enableJsonFlag = true
  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Run order for every action'},
    {
      command: '<%= config.bin %> <%= command.id %> --action migrate',
      description: 'What runs when a VM migrates',
    },
    {
      command: '<%= config.bin %> <%= command.id %> --dir ./custom --action start --json',
      description: 'Check a folder before copying it to a host',
    },
  ]
  static override flags = {
    action: Flags.string({description: 'libvirt qemu operation', options: [...QEMU_HOOK_ACTIONS]}),
    dir: Flags.string({default: DEFAULT_CUSTOM_HOOKS_DIR, description: 'custom hook scripts folder'}),
  }
  static override summary = 'List the custom scripts the libvirt qemu hook runs, in its order'

  async run(): Promise<CustomScriptInspection> {
    const {flags} = this
    const action = flags.action as (typeof QEMU_HOOK_ACTIONS)[number] | undefined
    const listing = await inspectCustomScripts(flags.dir, action)
    if (listing.exists) {
      for (const line of await formatCustomScriptListing(listing)) this.log(line)
    } else {
      this.log(`${flags.dir} does not exist: the qemu hook runs no custom scripts.`)
    }

    return listing
  }
}
