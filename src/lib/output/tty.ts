/** True when a person is at the terminal: both stdin and stdout are TTYs. Prompts need this. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY)
}

/** True when stderr is a terminal: live progress (spinners, redrawn lines) goes there. */
export function isLiveStderr(): boolean {
  return Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb'
}

/**
 * Width available for tables: when stdout is not a terminal (a pipe, a file, a cron log)
 * nothing is cut (Infinity); at a terminal, COLUMNS when set, else the terminal's width.
 */
export function terminalWidth(): number {
  if (!process.stdout.isTTY) return Number.POSITIVE_INFINITY
  const fromEnv = Number(process.env.COLUMNS)
  if (Number.isInteger(fromEnv) && fromEnv > 20) return fromEnv
  return process.stdout.columns || 80
}
