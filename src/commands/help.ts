import {Args, Flags, loadHelpClass} from '@oclif/core'

import {BaseCommand} from '../base-command.js'

/**
 * `moldctl help [COMMAND]`: the help command @oclif/plugin-help provides, kept in the CLI itself
 * so that start-up does not load a plugin (and a second copy of oclif) for it.
 */
export default class Help extends BaseCommand<typeof Help> {
  static override args = {
    command: Args.string({description: 'Command to show help for.', required: false}),
  }
  static override baseFlags = {}
  static override description = 'Display help for <%= config.bin %>.'
  static override enableJsonFlag = false
  static override examples = [
    '<%= config.bin %> help host maintenance enter',
    '<%= config.bin %> help host -n',
  ]
  static override flags = {
    'nested-commands': Flags.boolean({char: 'n', description: 'Include all nested commands in the output.'}),
  }
  static override strict = false

  async run(): Promise<void> {
    const {flags} = this
    const HelpClass = await loadHelpClass(this.config)
    await new HelpClass(this.config, {all: flags['nested-commands']}).showHelp(this.positionals)
  }
}
