/**
 * Whether NO_COLOR (https://no-color.org: any non-empty value) turns colour off. chalk does not
 * read it; FORCE_COLOR, which chalk does read, wins when both are set.
 */
export function noColorRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.NO_COLOR) && !('FORCE_COLOR' in env)
}

/** chalk as its own terminal and FORCE_COLOR detection sets it, with NO_COLOR honoured. */
export async function loadChalk(env: NodeJS.ProcessEnv = process.env) {
  const {default: chalk} = await import('chalk')
  if (noColorRequested(env)) chalk.level = 0
  return chalk
}
