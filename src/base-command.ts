import {Command, Errors, type Interfaces} from '@oclif/core'
import {format as formatText} from 'node:util'

import type {MoldClient} from './lib/api/client.js'
import type {ConnectionSettings} from './lib/config/connection.js'
import type {RunAudit} from './lib/core/audit.js'
import type {Ui} from './lib/core/ui.js'
import type {KindName} from './lib/infra/resolve.js'
import type {Column} from './lib/output/columns.js'
import type {PickChoice} from './lib/output/picker.js'
import type {Activity} from './lib/output/spinner.js'

import {createClient, readConnectionSettings} from './base/connection.js'
import {cloudAsked, type Failure, writeFailure} from './base/failure.js'
import {confirmPicked, missingEntity} from './base/pick.js'
import {
  latestEvery,
  PREPARE_EVERY_MS,
  prepareRows,
  type PrintContext,
  printRowPages,
  printRows,
  watchRows,
} from './base/print.js'
import {finishRunAudit, startRunAudit} from './base/run-audit.js'
import {
  interruptSignal,
  type PolledWaitOptions,
  SIGNAL_EXIT_CODES,
  type StopSignal,
  type WaitOptions,
} from './base/wait.js'
import {connectionFlags} from './flags/base.js'
import {ExitCode, InterruptedError, MoldctlError} from './lib/core/errors.js'
import {checkInputWords} from './lib/core/input-rules.js'
import {pollWindow} from './lib/core/poll-window.js'
import {writeJson} from './lib/output/json.js'
import {type OutputFormat} from './lib/output/render.js'
import {isInteractive, isLiveStderr} from './lib/output/tty.js'
import {visibleLines} from './lib/output/visible.js'

export type {PolledWaitOptions, WaitOptions} from './base/wait.js'
export {connectionFlags, dryRunFlag, outputFlags, yesFlag} from './flags/base.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  Omit<typeof connectionFlags, keyof T['flags']> & T['flags']
>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * The one base of every command that talks to the management API: connection flags, the lazily
 * created client, output in the chosen format, and errors mapped to the documented exit codes.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  /**
   * Commands that never talk to the API keep only a subset, e.g. `{debug}` (profile, db), or none
   * (`{}`: help, sim serve, the hook checks run on a KVM host).
   */
  static override baseFlags: Partial<typeof connectionFlags> = connectionFlags
  static override enableJsonFlag = true
  /**
   * Set by `moldctl shell`: the clients of the session, one per connection, which every
   * command run in it reuses (one connection and one login per session).
   */
  static sharedClients?: Map<string, MoldClient>
  protected args!: BaseArgs<T>
  protected flags!: BaseFlags<T>
  /** True once the operator confirmed a pick: the command need not ask again about the same entity. */
  protected pickConfirmed = false
  /** Every positional word, including the extra ones of non-strict commands. */
  protected positionals: string[] = []
  private apiClient?: MoldClient
  private connection?: ConnectionSettings
  /** The exit code an error was mapped to (for the run's audit record). */
  private failedExit?: number
  /** The JSON being written (logJson returns at once; an error exit waits for it). */
  private jsonOutput: Promise<void> = Promise.resolve()
  private jsonPrinted = false
  /** prepareRows: the latest rows drawn ahead, at most every PREPARE_EVERY_MS, one at a time. */
  private readonly prepareLatest = latestEvery(PREPARE_EVERY_MS)
  /** The audit of this run: its changes as they happen, its run record at the end. */
  private runAudit?: RunAudit
  /** The signal that stopped a wait (SIGINT, SIGTERM or SIGHUP), which sets the exit code. */
  private stopSignal?: StopSignal
  private uiObject?: Ui
  private waitSignal?: AbortSignal

  /**
   * The one UI object lib receives: output, notes, warnings, the confirmation (--yes, a confirmed
   * pick, no terminal), progress on stderr and the interrupt signal.
   */
  protected get ui(): Ui {
    if (this.uiObject) return this.uiObject
    // eslint-disable-next-line @typescript-eslint/no-this-alias, unicorn/no-this-assignment
    const command = this
    this.uiObject = {
      activity: (text, opts) => this.activity(text, opts),
      async batchProgress(label) {
        const {BatchProgressReporter} = await import('./lib/core/batch-progress.js')
        return new BatchProgressReporter({label, live: isLiveStderr(), stream: process.stderr})
      },
      async confirm(question) {
        const {confirmAction} = await import('./lib/output/prompt.js')
        const {yes} = command.flags as {yes?: boolean}
        return confirmAction(question, {yes: Boolean(yes) || command.pickConfirmed})
      },
      debug(line) {
        if ((command.flags as {debug?: boolean}).debug) command.logToStderr(`[debug] ${line}`)
      },
      get json() {
        return command.jsonEnabled()
      },
      get live() {
        return isLiveStderr()
      },
      log: (line) => this.log(line),
      note: (line) => this.logToStderr(line),
      noteAlways: (line) => process.stderr.write(`${line}\n`),
      prepareRows: (rows, columns, ready) => this.prepareRows(rows, columns, ready),
      printRows: (rows, columns) => this.printRows(rows, columns),
      async progress() {
        const {ProgressLines} = await import('./lib/output/progress.js')
        return new ProgressLines()
      },
      get signal() {
        command.waitSignal ??= interruptSignal((signal) => {
          command.stopSignal ??= signal
        })
        return command.waitSignal
      },
      warn: (message) => {
        this.warn(message)
      },
    }
    return this.uiObject
  }

  /** oclif's run of the command, resolved once the JSON it prints after finally() is written. */
  public override async _run<R>(): Promise<R> {
    try {
      return await super._run<R>()
    } finally {
      await this.jsonOutput
    }
  }

  /**
   * Shows one long wait on stderr: an ora spinner at a terminal, else time-stamped lines (none
   * with `quiet`, for waits that are usually short).
   */
  protected async activity(text: string, opts: {quiet?: boolean} = {}): Promise<Activity> {
    const {startActivity} = await import('./lib/output/spinner.js')
    return startActivity(text, opts)
  }

  /** Maps expected errors to one clear line and the documented exit code; bugs keep their stack under --debug. */
  protected override async catch(
    error: Error & {exitCode?: number; oclif?: {exit?: number}},
  ): Promise<unknown> {
    // JSON printed before the error (a partial result) is written out before the exit.
    await this.jsonOutput
    // Ctrl-C at an inquirer prompt (the terminal is in raw mode, so no SIGINT is raised).
    // By name, not instanceof: importing @inquirer/core's class here would load inquirer at every start-up.
    if (error.name === 'ExitPromptError') {
      this.failedExit = ExitCode.Interrupted
      process.stderr.write('\ninterrupted\n')
      this.exit(ExitCode.Interrupted)
    }

    if (error instanceof MoldctlError) {
      const asked = cloudAsked(error, this.apiClient, this.connection?.profileName)
      // A wait stopped by SIGTERM or SIGHUP exits 143 or 129 (128 + the signal's number).
      const exitCode =
        error instanceof InterruptedError && this.stopSignal
          ? SIGNAL_EXIT_CODES[this.stopSignal]
          : error.exitCode
      this.failWith(error, {asked, exitCode, message: error.message, suggestions: error.suggestions})
    }

    // oclif's own errors: parse errors (CLIParseError and its kinds), CLIError and this.exit()'s ExitError.
    if (error instanceof Errors.CLIError) {
      // oclif's own usage errors (unknown flag, missing argument...) are exit 2.
      if (error.oclif?.exit === 0) throw error
      if (error.oclif?.exit === undefined || error.oclif.exit === 2 || error.oclif.exit === 1) {
        const usage = `see: moldctl ${this.id?.replaceAll(':', ' ')} --help`
        this.failWith(error, {
          exitCode: ExitCode.Usage,
          message: error.message.replace(/^Error: /, ''),
          suggestions: [usage],
        })
      }
    }

    return super.catch(error)
  }

  /** The API client for the resolved connection (created on first use). */
  protected async client(): Promise<MoldClient> {
    if (this.apiClient) return this.apiClient
    const settings = await this.connectionSettings()
    const {concurrency} = this.flags as {concurrency?: unknown}
    this.apiClient = await createClient(settings, {
      activity: (text) => this.activity(text, {quiet: true}),
      concurrency: typeof concurrency === 'number' ? concurrency : undefined,
      configDir: this.config.configDir,
      dataDir: this.config.dataDir,
      debug: (this.flags as {debug?: boolean}).debug
        ? (line: string) => this.logToStderr(`[debug] ${line}`)
        : undefined,
      runAudit: this.runAudit,
      shared: BaseCommand.sharedClients,
      warn: (message) => this.warn(message),
    })
    return this.apiClient
  }

  /** Connection settings from flags, environment and profile (in that order). */
  protected async connectionSettings(): Promise<ConnectionSettings> {
    if (this.connection) return this.connection
    const ownTimeout = 'timeout' in ((this.ctor as typeof Command).flags ?? {})
    this.connection = await readConnectionSettings(
      this.config.configDir,
      this.flags as Record<string, unknown>,
      ownTimeout,
    )
    if (!this.connection.verifyTls)
      this.warn('TLS certificate verification is off (--insecure): the server is not authenticated')
    return this.connection
  }

  /**
   * Like entityOrPick for commands taking several: a filtered checkbox list when none were
   * named. With `confirm` (a command that changes something, e.g. "Put into maintenance"), the
   * picked hosts are named in a question (default No) that --yes does not skip.
   */
  protected async entitiesOrPick(
    kind: KindName,
    given: string[],
    opts: {confirm?: string} = {},
  ): Promise<string[]> {
    if (given.length > 0) return given
    if (!isInteractive()) throw missingEntity(kind, this.id)
    const {pickMany} = await import('./lib/output/picker.js')
    const picked = await pickMany(await this.client(), kind)
    if (opts.confirm && !this.dryRun()) await this.confirmPick(opts.confirm, kind, picked)
    return picked.map((c) => c.value)
  }

  /**
   * The entity the operator named, or — when none was given — one picked at a terminal (type to
   * filter). Without a terminal a missing entity is a usage error (exit 2). With `confirm`, the
   * pick is confirmed as in entitiesOrPick.
   */
  protected async entityOrPick(
    kind: KindName,
    given: string | undefined,
    opts: {confirm?: string} = {},
  ): Promise<string> {
    if (given) return given
    if (!isInteractive()) throw missingEntity(kind, this.id)
    const {pickOne} = await import('./lib/output/picker.js')
    const picked = await pickOne(await this.client(), kind)
    if (opts.confirm && !this.dryRun()) await this.confirmPick(opts.confirm, kind, [picked])
    return picked.value
  }

  /** Writes the run's audit record (docs/audit.md). */
  public override async finally(error: Error | undefined): Promise<unknown> {
    const audit = this.runAudit
    this.runAudit = undefined
    if (audit) {
      await finishRunAudit(audit, {
        argv: this.argv,
        endpoint: this.apiClient?.endpoint,
        error,
        failedExit: this.failedExit,
        id: this.id,
        version: this.config.version,
      })
    }

    return super.finally(error)
  }

  public override async init(): Promise<void> {
    await super.init()
    const ctor = this.ctor as typeof BaseCommand
    // oclif would read a missing first argument from piped stdin; moldctl's stdin carries
    // secrets (--password-stdin...), which must never become an argument.
    const args = Object.fromEntries(
      Object.entries(ctor.args ?? {}).map(([name, arg]) => [name, {...arg, ignoreStdin: true}]),
    )
    const {
      args: parsedArgs,
      argv,
      flags,
    } = await this.parse({
      args,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: ctor.enableJsonFlag,
      flags: ctor.flags,
      strict: ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = parsedArgs as BaseArgs<T>
    this.positionals = argv as string[]
    // Words the server would refuse are refused here, before any call (exit 2).
    checkInputWords(this.positionals, flags as Record<string, unknown>, {lengthExempt: ctor.id === 'api'})
    this.runAudit = await startRunAudit(this.config.dataDir)
  }

  /**
   * Plain lines on stdout: control characters shown, not obeyed (output/visible.ts), except in
   * JSON and YAML, which keep the exact values, and CSV under --csv-raw.
   */
  public override log(message = '', ...args: unknown[]): void {
    const flags = this.flags as Record<string, unknown> | undefined
    const format = flags ? this.outputFormat() : 'table'
    if (format === 'json' || format === 'yaml' || (format === 'csv' && flags?.['csv-raw'] === true)) {
      super.log(message, ...args)
      return
    }

    super.log(visibleLines(formatText(message, ...args)))
  }

  /**
   * Prints JSON on stdout; an error after this adds no second JSON document. The text is what
   * oclif prints (JSON.stringify with 2 spaces), written in pieces as stdout takes them; with a
   * JSON colour theme configured oclif prints it (colouring builds the whole text).
   */
  public override logJson(json: unknown): void {
    this.jsonPrinted = true
    if (this.config.theme?.json) {
      super.logJson(json)
      return
    }

    this.jsonOutput = this.jsonOutput.then(() => writeJson(process.stdout, json))
  }

  /** Notes and messages on stderr, control characters shown. */
  public override logToStderr(message = '', ...args: unknown[]): void {
    super.logToStderr(visibleLines(formatText(message, ...args)))
  }

  /** The format asked for: --json wins, then -o, else table (`-o wide` is a table too). */
  protected outputFormat(): OutputFormat {
    if (this.jsonEnabled()) return 'json'
    const output = (this.flags as Record<string, unknown>).output as 'wide' | OutputFormat | undefined
    return output === undefined || output === 'wide' ? 'table' : output
  }

  /** Ui#prepareRows: base/print.ts prepareRows with the latest rows, at most every PREPARE_EVERY_MS. */
  protected prepareRows<R>(rows: R[], columns: Column<R>[], ready: (index: number) => boolean): void {
    this.prepareLatest(() => prepareRows(this.printContext(), rows, columns, ready))
  }

  /** Prints one object (field/value table, or JSON/YAML). */
  protected async printObject(obj: Record<string, unknown>, fields?: Column[]): Promise<void> {
    if (this.jsonEnabled()) return
    const {renderObject} = await import('./lib/output/render.js')
    const csvRaw = (this.flags as Record<string, unknown>)['csv-raw'] === true
    this.log(await renderObject(obj, this.outputFormat(), fields, {csvRaw}))
  }

  /**
   * Prints a list that arrives page by page (MoldClient#listPages), written as each page comes
   * except as a table (base/print.ts). Returns the rows for a table, else undefined.
   */
  protected async printRowPages<R>(
    pages: AsyncIterable<R[]>,
    columns: Column<R>[],
    opts: {empty?: string} = {},
  ): Promise<R[] | undefined> {
    const ctx = this.printContext()
    return printRowPages(ctx, pages, columns, {
      ...opts,
      onStream: (write) => {
        if (ctx.format === 'json') this.jsonPrinted = true
        // An error exit waits for what was written (its failure is the one thrown below).
        this.jsonOutput = this.jsonOutput.then(() =>
          write.then(
            () => {},
            () => {},
          ),
        )
      },
    })
  }

  /**
   * Prints rows in the chosen format (stdout). With --json oclif prints what run() returns, so
   * nothing is printed here; commands return the same rows.
   */
  protected async printRows<R>(rows: R[], columns: Column<R>[], opts: {empty?: string} = {}): Promise<void> {
    return printRows(this.printContext(), rows, columns, opts)
  }

  /**
   * The rows of a batch that may have partly failed: with `error`, under --json they are printed
   * first (the JSON is complete, the exit code still says what failed), then `error` is thrown.
   */
  protected rowsOrFail<R>(rows: R[], error: Error | undefined): R[] {
    if (!error) return rows
    if (this.jsonEnabled()) this.logJson(rows)
    throw error
  }

  /**
   * What a wait takes: the interrupt signal, the command's own --timeout (seconds) as the wait's
   * limit, and with `poll` the pauses between looks (the environment's MOLDCTL_POLL_MIN_MS and
   * MOLDCTL_POLL_MAX_MS over `poll`'s defaults; the command's --poll seconds as the longest).
   */
  protected waitOptions(): WaitOptions
  protected waitOptions(poll: Parameters<typeof pollWindow>[1]): PolledWaitOptions
  protected waitOptions(poll?: Parameters<typeof pollWindow>[1]): PolledWaitOptions | WaitOptions {
    const ownTimeout = 'timeout' in ((this.ctor as typeof Command).flags ?? {})
    const {poll: pollSeconds, timeout} = this.flags as {poll?: number; timeout?: number}
    const limit = {
      signal: this.ui.signal,
      timeoutMs: ownTimeout && timeout !== undefined ? timeout * 1000 : undefined,
    }
    if (!poll) return limit
    const {maxMs, minMs} = pollWindow(
      process.env,
      poll,
      pollSeconds === undefined ? undefined : pollSeconds * 1000,
    )
    return {...limit, maxPollMs: maxMs, minPollMs: minMs}
  }

  public override warn(input: Error | string): Error | string {
    return super.warn(typeof input === 'string' ? visibleLines(input) : input)
  }

  /**
   * `--watch`: polls with `poll` every --interval seconds (else `intervalSeconds`) and shows the
   * rows until Ctrl-C or SIGTERM, which end it normally (exit 0); see base/print.ts.
   */
  protected async watchRows<R>(
    poll: () => Promise<R[]>,
    columns: Column<R>[],
    opts: {empty?: string; intervalSeconds: number},
  ): Promise<void> {
    await watchRows(this.printContext(), poll, columns, {
      ...opts,
      signal: this.ui.signal,
      title: `${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''}`.trimEnd(),
    })
  }

  /** Asks about what was picked (default No); a "no" changes nothing and exits 0. */
  private async confirmPick(verb: string, kind: KindName, picked: readonly PickChoice[]): Promise<void> {
    if (!(await confirmPicked(verb, kind, picked))) {
      process.stderr.write('Nothing was changed.\n')
      this.exit(ExitCode.Success)
    }

    this.pickConfirmed = true
  }

  /** --dry-run, on the commands that have it. */
  private dryRun(): boolean {
    return Boolean((this.flags as {'dry-run'?: boolean})['dry-run'])
  }

  /** Writes the error (see writeFailure) and exits with its code. */
  private failWith(error: Error, failure: Failure): never {
    this.failedExit = failure.exitCode
    writeFailure(error, failure, {
      debug: Boolean((this.flags as undefined | {debug?: boolean})?.debug),
      json: this.jsonEnabled() && !this.jsonPrinted,
    })
    this.exit(failure.exitCode)
  }

  /** What base/print.ts takes from this run: flags, format, and where lines go. */
  private printContext(): PrintContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias, unicorn/no-this-assignment
    const command = this
    return {
      get changed() {
        return Boolean(command.apiClient?.changed)
      },
      flags: this.flags as Record<string, unknown>,
      format: this.outputFormat(),
      json: this.jsonEnabled(),
      jsonTheme: Boolean(this.config.theme?.json),
      log: (text) => this.log(text),
      note: (text) => this.logToStderr(text),
    }
  }
}
