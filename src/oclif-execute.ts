// oclif's runner, loaded by src/run.ts only when a command or help is asked for. Before oclif
// parses anything, the command line is normalised (src/lib/cli/argv.ts): global flags before the
// command words move after them, and unknown commands and flags get "did you mean".
import {Config, flush, handle, run} from '@oclif/core'

import {type CommandTable, normaliseArgv} from './lib/cli/argv.js'
import {ExitCode} from './lib/core/errors.js'

/** Commands, their flags and the topics, from the manifest oclif has loaded (no command class is loaded). */
function commandTable(config: Config): CommandTable {
  const commands: CommandTable['commands'] = new Map()
  for (const command of config.commands) {
    commands.set(command.id, {
      flags: Object.values(command.flags ?? {}).map((flag) => ({
        char: flag.char,
        name: flag.name,
        negatable: flag.type === 'boolean' && Boolean(flag.allowNo),
        takesValue: flag.type === 'option',
      })),
    })
  }

  return {commands, topics: new Set(config.topics.map((topic) => topic.name))}
}

/**
 * Runs one command line inside this process (`moldctl shell`) with the loaded config, as
 * `execute` does; returns its exit code. Errors a command did not map are printed on one line.
 */
export async function runInProcess(argv: string[], config: Config): Promise<number> {
  const plan = normaliseArgv(argv, commandTable(config))
  if (!plan.ok) {
    process.stderr.write(`Error: ${plan.message}\n${plan.suggestions.map((s) => `  ${s}\n`).join('')}`)
    return ExitCode.Usage
  }

  process.exitCode = undefined
  try {
    await run(plan.argv, config)
    await flush()
    return Number(process.exitCode ?? 0)
  } catch (error) {
    const exit = (error as {oclif?: {exit?: number}}).oclif?.exit
    if (typeof exit === 'number') return exit
    process.stderr.write(`Error: ${(error as Error).message}\n`)
    return ExitCode.Failed
  } finally {
    process.exitCode = undefined
  }
}

/** Runs a command line in this process for its effect alone: no output, errors ignored. */
export async function runQuietly(argv: string[], config: Config): Promise<void> {
  try {
    await run(argv, config)
  } catch {
    // A background refresh: nobody to tell.
  }
}

/**
 * Ends the process at once when everything written has been handed to the system (stdout and
 * stderr hold nothing: on Linux a pipe, a file and a terminal are written synchronously, so this
 * is the usual case): an exit that waits for the event loop to empty also tears the JavaScript
 * heap down, some 3 ms of every run. Otherwise oclif's flush waits for the output, as before.
 * The command has ended here (its run, its finally and its JSON: BaseCommand#_run); `exit`
 * handlers still run, the exit code is process.exitCode.
 */
function endOnceWritten(): void {
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) {
    // eslint-disable-next-line n/no-process-exit, unicorn/no-process-exit -- the CLI's own end
    process.exit()
  }

  flush()
}

export async function execute(opts: {argv: string[]; dir: string}): Promise<void> {
  try {
    const config = await Config.load(opts.dir)
    const plan = normaliseArgv(opts.argv, commandTable(config))
    if (!plan.ok) {
      process.stderr.write(`Error: ${plan.message}\n${plan.suggestions.map((s) => `  ${s}\n`).join('')}`)
      process.exitCode = ExitCode.Usage
      return
    }

    await run(plan.argv, config)
    endOnceWritten()
  } catch (error) {
    await handle(error as Error)
  }
}
