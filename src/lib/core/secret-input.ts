/**
 * Secrets from standard input and files, never from argv. When one command needs two secrets on
 * standard input (a database key and a new password), they come one per line, in the order the
 * command documents; `StdinLines` hands them out in that order.
 */
import {readFile, stat} from 'node:fs/promises'

import {UsageError} from './errors.js'

/** The text of a secret file or stdin line: its first line, without the line break. */
export function firstLine(text: string): string {
  return text.split(/\r\n|\r|\n/, 1)[0] ?? ''
}

async function readAllStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

/** Standard input read once, then given out line by line. */
export class StdinLines {
  private lines?: string[]
  private readonly stream: NodeJS.ReadableStream & {isTTY?: boolean}
  private taken = 0

  constructor(stream: NodeJS.ReadableStream & {isTTY?: boolean} = process.stdin) {
    this.stream = stream
  }

  /** True when standard input is a terminal (a person typing, not a pipe). */
  get isTerminal(): boolean {
    return Boolean(this.stream.isTTY)
  }

  /** The next line; `what` names it in errors ("the database key"). Empty lines are refused. */
  async next(what: string): Promise<string> {
    if (!this.lines) {
      if (this.stream.isTTY) {
        throw new UsageError(`${what} was to come on standard input, but standard input is a terminal`, [
          String.raw`pipe it in, for example: printf "%s\n" "$SECRET" | moldctl ...`,
        ])
      }

      this.lines = (await readAllStdin(this.stream)).split(/\r\n|\r|\n/)
    }

    const line = this.lines[this.taken++]
    if (line === undefined || line === '') {
      throw new UsageError(
        this.taken === 1
          ? `${what} was to come on standard input, which is empty`
          : `${what} was to come on line ${this.taken} of standard input, which has no such line`,
      )
    }

    return line
  }
}

/** The first line of a file holding a secret; refuses an empty one, warns about loose modes. */
export async function readSecretFile(
  file: string,
  what: string,
  warn?: (message: string) => void,
): Promise<string> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    throw new UsageError(
      code === 'ENOENT' ? `${what} file ${file} does not exist` : `cannot read ${file} (${code})`,
    )
  }

  const secret = firstLine(text)
  if (secret === '') throw new UsageError(`${what} file ${file} is empty`)
  if (warn && process.platform !== 'win32') {
    const {mode} = await stat(file)
    if (mode & 0o004) warn(`${file} can be read by every user; chmod o-r it`)
  }

  return secret
}
