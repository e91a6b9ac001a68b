import {Flags} from '@oclif/core'

import type {TypedConnection} from '../lib/completion/candidates.js'
import type {ShellHost} from '../lib/shell/session.js'

import {BaseCommand, connectionFlags} from '../base-command.js'

export default class Shell extends BaseCommand<typeof Shell> {
  static override baseFlags = {profile: connectionFlags.profile}
  static override description = `Every moldctl command, without the "moldctl" in front, at a prompt that shows the profile and the endpoint's host. Tab completes as the shell completion does (commands, flags, values, names from the cloud); the arrow keys walk the history, kept in $XDG_STATE_HOME/moldctl/history (or ~/.local/state/moldctl/history, mode 0600; lines that carry a secret — password=..., --api-key ..., a URL with a password — are never written). "use PROFILE" switches profiles; "exit" or Ctrl-D leaves. Ctrl-C cancels the line being typed, or, while a command waits (a drain, a job), stops the wait as it would on its own (exit 130; the work goes on on the server).

The commands run inside this process: one connection (kept-alive sockets) and one login per profile for the whole session, shared by every command.

When stdin is not a terminal, each line of it is one command (blank lines and # comments skipped): moldctl stops at the first that fails and exits with its code; with --keep-going it runs them all and exits with the first failure's code (0 when none failed).`
  static override enableJsonFlag = false
  static override examples = [
    '<%= config.bin %> shell',
    '<%= config.bin %> shell -p prod',
    String.raw`printf 'host maintenance enter kvm-host-01\nhost maintenance status kvm-host-01\n' | <%= config.bin %> shell`,
    '<%= config.bin %> shell --keep-going < runbook.txt',
  ]
  static override flags = {
    'keep-going': Flags.boolean({summary: 'With commands on stdin: run every line even after one fails.'}),
  }
  static override summary = 'An interactive moldctl shell (or run the commands on stdin).'
  private profile?: string

  async run(): Promise<void> {
    BaseCommand.sharedClients = new Map()
    this.profile = this.flags.profile
    const [{runInProcess}, {runLines}, {commandOf}, {tableFromManifest}] = await Promise.all([
      import('../oclif-execute.js'),
      import('../lib/shell/session.js'),
      import('../lib/completion/candidates.js'),
      import('../lib/completion/manifest.js'),
    ])
    const table = tableFromManifest(this.manifest(), Object.keys(this.config.pjson.oclif.topics ?? {}))
    const host: ShellHost = {
      error: (message) => process.stderr.write(`Error: ${message}\n`),
      run: async (words) => {
        const {command, typed} = commandOf(words, table)
        const takesProfile =
          command !== undefined && table.commands.get(command)!.flags.some((f) => f.name === 'profile')
        const argv =
          this.profile !== undefined && takesProfile && typed.profile === undefined
            ? [...words, '--profile', this.profile]
            : words
        process.on('SIGINT', stayOnInterrupt)
        try {
          return await runInProcess(argv, this.config)
        } finally {
          process.removeListener('SIGINT', stayOnInterrupt)
        }
      },
      use: (profile) => this.use(profile),
    }

    if (!process.stdin.isTTY) {
      const lines = (await readAll(process.stdin)).split('\n')
      const {redactWords} = await import('../lib/cli/secret-words.js')
      const {splitWords} = await import('../lib/shell/words.js')
      const code = await runLines(lines, host, {
        keepGoing: this.flags['keep-going'],
        onFailure: (n, line, exit) =>
          process.stderr.write(
            `moldctl shell: line ${n} failed (exit ${exit}): ${redactWords(splitWords(line).words).join(' ')}\n`,
          ),
      })
      // Not this.exit(): the base command would take exit 1 and 2 for errors of its own.
      process.exitCode = code
      return
    }

    process.exitCode = await this.interactive(host, table)
  }

  private async completeLine(
    line: string,
    table: import('../lib/completion/candidates.js').CompletionTable,
    dirs: import('../lib/core/dirs.js').MoldctlDirs,
  ): Promise<[string[], string]> {
    const [{splitWords}, {complete}, {BUILTINS}] = await Promise.all([
      import('../lib/shell/words.js'),
      import('../lib/completion/complete.js'),
      import('../lib/shell/session.js'),
    ])
    const split = splitWords(line)
    const words = split.trailingBlank ? [...split.words, ''] : split.words
    if (words[0] === 'moldctl' && words.length > 1) words.shift()
    const typedText = split.trailingBlank ? '' : (/(\S*)$/.exec(line)?.[1] ?? '')
    const forProfile = words[0] === 'use' && words.length === 2 ? ['profile', 'use', words[1]] : words
    const withProfile = this.profile === undefined ? forProfile : ['-p', this.profile, ...forProfile]
    const found = await complete(withProfile, {
      cacheDir: dirs.cache,
      configDir: dirs.config,
      env: process.env,
      refresh: (typed) => this.refreshNames(typed),
      table,
    })
    const builtins = words.length === 1 ? BUILTINS.filter((b) => b.startsWith(words[0])) : []
    return [[...builtins, ...found], typedText]
  }

  /** The prompt loop at a terminal. */
  private async interactive(
    host: ShellHost,
    table: import('../lib/completion/candidates.js').CompletionTable,
  ): Promise<number> {
    const [{readLine}, {runLine}, {appendHistory, historyPath, loadHistory}, {moldctlDirs}] =
      await Promise.all([
        import('../lib/output/line-editor.js'),
        import('../lib/shell/session.js'),
        import('../lib/shell/history.js'),
        import('../lib/core/dirs.js'),
      ])
    const dirs = moldctlDirs()
    const historyFile = historyPath(dirs.state)
    const history = loadHistory(historyFile).reverse()
    // The names Tab offers are read in the background now, unless the cache is fresh.
    this.completeLine('host show ', table, dirs).catch(() => {})
    let last = 0
    process.stderr.write(
      'moldctl shell: commands without "moldctl"; use PROFILE to switch; Tab completes; Ctrl-D leaves.\n',
    )
    for (;;) {
      // eslint-disable-next-line no-await-in-loop
      const prompt = `${await this.promptText()}${last === 0 ? '' : ` [${last}]`}> `
      // eslint-disable-next-line no-await-in-loop
      const answer = await readLine({
        complete: (line) => this.completeLine(line, table, dirs),
        history,
        prompt,
      })
      if (answer.kind === 'eof') return 0
      if (answer.kind === 'cancel') {
        last = 0
        continue
      }

      if (answer.line.trim() !== '') {
        history.unshift(answer.line)
        appendHistory(historyFile, answer.line)
      }

      // eslint-disable-next-line no-await-in-loop
      const result = await runLine(answer.line, host)
      if (result.exit) return result.code
      if (!result.skipped) last = result.code
    }
  }

  private manifest(): import('../lib/completion/manifest.js').Manifest {
    const commands: import('../lib/completion/manifest.js').Manifest['commands'] = {}
    for (const command of this.config.commands) commands[command.id] = command as never
    return {commands}
  }

  /** `moldctl PROFILE (HOST)`, or what is missing. */
  private async promptText(): Promise<string> {
    try {
      const [{ProfileStore}, {resolveConnection}] = await Promise.all([
        import('../lib/config/profiles.js'),
        import('../lib/config/connection.js'),
      ])
      const config = await new ProfileStore(this.config.configDir).load()
      const settings = resolveConnection({profile: this.profile}, process.env, config)
      const {host} = new URL(settings.urls[0])
      return `moldctl ${settings.profileName ?? 'env'} (${host})`
    } catch {
      return `moldctl ${this.profile ?? ''}(no connection)`.replace('  ', ' ')
    }
  }

  /** The cache of names for completion, read again through the session's own client. */
  private refreshNames(typed: TypedConnection): void {
    const argv = ['__complete-refresh']
    const profile = typed.profile ?? this.profile
    if (profile !== undefined) argv.push('--profile', profile)
    if (typed.url !== undefined) argv.push('--url', typed.url)
    import('../oclif-execute.js').then(
      ({runQuietly}) => runQuietly(argv, this.config),
      () => {},
    )
  }

  private async use(profile: string): Promise<string | undefined> {
    const {ProfileStore} = await import('../lib/config/profiles.js')
    const config = await new ProfileStore(this.config.configDir).load()
    if (!config.profiles[profile]) {
      const names = Object.keys(config.profiles)
      return `no profile "${profile}"${names.length > 0 ? `; profiles: ${names.join(', ')}` : ''}`
    }

    this.profile = profile
    return undefined
  }
}

/** While a command runs, Ctrl-C is its signal (a wait stops); the shell itself stays. */
function stayOnInterrupt(): void {}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}
