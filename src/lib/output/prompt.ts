import {UsageError} from '../core/errors.js'
import {isInteractive} from './tty.js'

/**
 * Asks for a yes/no confirmation at a terminal. `yes` (the --yes flag) skips it; without a
 * terminal and without --yes this is a usage error (exit 2) naming the flag to add.
 * Returns false when the operator declines.
 */
export async function confirmAction(message: string, opts: {yes?: boolean} = {}): Promise<boolean> {
  if (opts.yes) return true
  if (!isInteractive()) {
    throw new UsageError(
      `${message.replace(/[.?]$/, '')}: confirmation needed, but there is no terminal to ask`,
      ['add --yes to confirm'],
    )
  }

  const {confirm} = await import('@inquirer/prompts')
  return confirm({default: false, message})
}

/**
 * Reads a secret at the terminal without echo; `twice` asks again and compares. Without a
 * terminal the error names the command's own way to pass it: `stdinFlag` (e.g.
 * `--password-stdin`), or — for commands that read it from standard input without a flag —
 * none.
 */
export async function promptSecret(
  message: string,
  opts: {stdinFlag: string | undefined; twice?: boolean},
): Promise<string> {
  if (!isInteractive()) {
    throw new UsageError(`${message}: no terminal to ask on`, [
      opts.stdinFlag
        ? `pass the secret on standard input with ${opts.stdinFlag}`
        : 'pass the secret on standard input',
    ])
  }

  const {password} = await import('@inquirer/prompts')
  const first = await password({mask: true, message})
  if (opts.twice) {
    const again = await password({mask: true, message: 'Type it again'})
    if (again !== first) throw new UsageError('the two entries differ; nothing was changed')
  }

  return first
}

/** Reads all of standard input (for --*-stdin flags), without its trailing newline. */
export async function readStdin(what: string): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError(`${what} was to come on standard input, but standard input is a terminal`, [
      `pipe it in, e.g. \`cat secret.txt | moldctl ...\``,
    ])
  }

  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}
