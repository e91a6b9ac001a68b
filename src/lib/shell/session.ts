/**
 * What `moldctl shell` does with a line: its built-ins (`use PROFILE`, `exit`), the rest run as
 * moldctl commands (a leading `moldctl` is allowed, as pasted from a runbook). And the
 * non-interactive form: lines from stdin, one command each, stopping at the first failure.
 */
import {ExitCode} from '../core/errors.js'
import {splitWords} from './words.js'

export interface ShellHost {
  /** Prints an error line (stderr). */
  error(message: string): void
  /** Runs the command words in this process; resolves to the exit code. */
  run(words: string[]): Promise<number>
  /** Switches the session to a profile; resolves to an error message when it cannot. */
  use(profile: string): Promise<string | undefined>
}

export interface LineResult {
  code: number
  /** `exit` or `quit`: the session ends (with `code`). */
  exit?: boolean
  /** Nothing to run (blank, comment). */
  skipped?: boolean
}

export const BUILTINS = ['exit', 'quit', 'use'] as const

export async function runLine(line: string, host: ShellHost): Promise<LineResult> {
  const {open, words} = splitWords(line)
  if (open) {
    host.error(`unclosed ${open === '"' ? 'double' : 'single'} quote; nothing was run`)
    return {code: ExitCode.Usage}
  }

  if (words[0] === 'moldctl') words.shift()
  if (words.length === 0) return {code: 0, skipped: true}
  const [first, ...rest] = words
  if (first === 'exit' || first === 'quit') {
    const code = rest.length > 0 ? Number(rest[0]) : 0
    return {code: Number.isInteger(code) && code >= 0 && code < 256 ? code : ExitCode.Usage, exit: true}
  }

  if (first === 'use') {
    if (rest.length !== 1) {
      host.error('use takes one profile name: use PROFILE')
      return {code: ExitCode.Usage}
    }

    const problem = await host.use(rest[0])
    if (problem) host.error(problem)
    return {code: problem ? ExitCode.Config : 0}
  }

  if (first === 'shell') {
    host.error('already in moldctl shell (use PROFILE switches profiles)')
    return {code: ExitCode.Usage}
  }

  return {code: await host.run(words)}
}

/**
 * Runs lines one after another (a runbook on stdin). Stops at the first that fails and returns
 * its exit code; with `keepGoing` runs every line and returns the first failure's code (0 when
 * none failed). `onFailure` hears about each failed line (its number, from 1).
 */
export async function runLines(
  lines: string[],
  host: ShellHost,
  opts: {keepGoing: boolean; onFailure(lineNumber: number, line: string, code: number): void},
): Promise<number> {
  let first = 0
  for (const [i, line] of lines.entries()) {
    // eslint-disable-next-line no-await-in-loop
    const result = await runLine(line, host)
    if (result.code !== 0) {
      opts.onFailure(i + 1, line, result.code)
      first ||= result.code
      if (!opts.keepGoing) return result.code
    }

    if (result.exit) return result.code || first
  }

  return first
}
