import {Args} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {completionScript, type CompletionShell, INSTALL_HINTS, SHELLS} from '../lib/completion/scripts.js'

export default class Completion extends BaseCommand<typeof Completion> {
  static override args = {
    shell: Args.string({description: 'The shell: bash, zsh or fish.', options: [...SHELLS], required: true}),
  }
  static override baseFlags = {}
  static override description = `Prints the completion script for bash, zsh or fish. Installed, Tab completes topics, commands, flags, the fixed values of flags (-o, --flavor, --driver...), profile names, and names from the cloud: hosts (name or IP), clusters, pods, zones, physical networks and settings, for the arguments and flags that take them.

Install it:
  bash  ${INSTALL_HINTS.bash}
  zsh   ${INSTALL_HINTS.zsh}
  fish  ${INSTALL_HINTS.fish}

Names from the cloud come from a small cache per profile (names only, mode 0600, in the cache directory: $XDG_CACHE_HOME/moldctl or ~/.cache/moldctl), refreshed in the background when older than 5 minutes (MOLDCTL_COMPLETION_TTL seconds). With no cache yet, a Tab waits at most about 300 ms for the names; completion never prints an error.`
  static override enableJsonFlag = false
  static override examples = [
    '<%= config.bin %> completion bash > ~/.local/share/bash-completion/completions/moldctl',
    "echo 'source <(moldctl completion zsh)' >> ~/.zshrc",
    '<%= config.bin %> completion fish > ~/.config/fish/completions/moldctl.fish',
  ]
  static override summary = 'Print the shell completion script (bash, zsh, fish).'

  async run(): Promise<void> {
    process.stdout.write(completionScript(this.args.shell as CompletionShell))
  }
}
