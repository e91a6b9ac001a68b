import {Flags} from '@oclif/core'

import type {CustomScriptLint} from '../../lib/hooks/libvirt-custom-scripts.js'

import {BaseCommand} from '../../base-command.js'
import {formatCustomScriptLint} from '../../lib/hooks/format.js'
import {lintCustomScriptsDir} from '../../lib/hooks/inspect.js'
import {DEFAULT_CUSTOM_HOOKS_DIR} from '../../lib/hooks/libvirt-custom-scripts.js'

export default class LibvirtHooksCheck extends BaseCommand<typeof LibvirtHooksCheck> {
  static override baseFlags = {}
  static override description =
    'Problems (exit 1): files that will never run although they look meant to (not executable, a directory, a prefix that is neither a qemu action nor "all"), and scripts without a #! line (the hook starts them without a shell: "Exec format error"). Shows the qemu hook\'s timeoutSeconds (600 as shipped: a script running longer is terminated). Warnings: text-versus-number order surprises, scripts whose relative order is undefined, backup copies that run, a missing qemu hook.'
  static override enableJsonFlag = true
  static override examples = [
    {command: '<%= config.bin %> <%= command.id %>', description: 'Lint /etc/libvirt/hooks/custom'},
    {command: '<%= config.bin %> <%= command.id %> --strict', description: 'Fail on warnings too'},
  ]
  static override flags = {
    dir: Flags.string({default: DEFAULT_CUSTOM_HOOKS_DIR, description: 'custom hook scripts folder'}),
    strict: Flags.boolean({default: false, description: 'exit 1 on warnings as well'}),
  }
  static override summary = "Lint the libvirt qemu hook's custom scripts folder"

  async run(): Promise<CustomScriptLint> {
    const {flags} = this
    const lint = await lintCustomScriptsDir(flags.dir)
    for (const line of formatCustomScriptLint(lint)) this.log(line)
    if (lint.problems.length > 0 || (flags.strict && lint.warnings.length > 0)) process.exitCode = 1
    return lint
  }
}
