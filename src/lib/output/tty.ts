/** True when a person is at the terminal: both stdin and stdout are TTYs. Prompts need this. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY)
}

/** True when stderr is a terminal: live progress (spinners, redrawn lines) goes there. */
export function isLiveStderr(): boolean {
  return Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb'
}

/** Width available for tables: the terminal's, else 80 (also when output is piped). */
export function terminalWidth(): number {
  const fromEnv = Number(process.env.COLUMNS)
  if (Number.isInteger(fromEnv) && fromEnv > 20) return fromEnv
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80
}
