import {spawn} from 'node:child_process'

import {BIN, type CliHome, PROXY_VARIABLE, ROOT} from './cli.js'

export interface TerminalStep {
  /** Keys to type (use \r for Enter) once the screen shows `when`. */
  send: string
  when: RegExp
}

export interface TerminalResult {
  code: number
  /** Everything the terminal showed (stdout and stderr together, with escape sequences). */
  screen: string
}

/**
 * Variables by which chalk (supports-color) and ora (is-interactive) recognise a CI runner and
 * then refuse colour and spinners even at a terminal. The session below is an operator's
 * terminal, whatever runs the tests.
 */
const CI_MARKER =
  /^(CI|CONTINUOUS_INTEGRATION|BUILD_NUMBER|RUN_ID|CI_NAME|TEAMCITY_VERSION|TF_BUILD|GITHUB_ACTIONS|GITEA_ACTIONS|TRAVIS|CIRCLECI|APPVEYOR|GITLAB_CI|BUILDKITE|DRONE)$/

const shellQuote = (word: string) => `'${word.replaceAll("'", String.raw`'\''`)}'`

/**
 * Runs the built CLI inside a pseudo-terminal (util-linux `script`), so prompts appear; types
 * each step's keys once its text is on the screen. Fails after `timeoutMs` rather than hanging.
 */
export function runInTerminal(
  args: string[],
  opts: {
    /** The terminal's width (COLUMNS); 120 unless given. */
    columns?: number
    env?: Record<string, string>
    home: CliHome
    steps: TerminalStep[]
    timeoutMs?: number
  },
): Promise<TerminalResult> {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (
      !/^(MOLDCTL_|CLOUDSTACK_|XDG_|FORCE_COLOR|NO_COLOR)/.test(k) &&
      !PROXY_VARIABLE.test(k) &&
      !CI_MARKER.test(k)
    )
      env[k] = v
  }

  // The caller's env comes last: a test may turn colour on (NO_COLOR: '') or set poll delays.
  Object.assign(
    env,
    opts.home.env,
    {COLUMNS: String(opts.columns ?? 120), NO_COLOR: '1', TERM: 'xterm'},
    opts.env,
  )

  // `script` runs the command with $SHELL -c; exec makes the CLI that shell's replacement, so
  // Ctrl-C reaches the CLI alone. Otherwise a shell that waits (dash, where SHELL is /bin/sh)
  // is itself ended by the SIGINT, and the session reports 130 whatever the CLI did with it.
  const command = `exec ${[process.execPath, BIN, ...args].map((word) => shellQuote(word)).join(' ')}`
  const child = spawn('script', ['-qec', command, '/dev/null'], {cwd: ROOT, env, stdio: 'pipe'})
  const steps = [...opts.steps]
  let screen = ''
  let typedUpTo = 0
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString()
    while (steps.length > 0 && steps[0].when.test(screen.slice(typedUpTo))) {
      typedUpTo = screen.length
      child.stdin.write(steps.shift()!.send)
    }
  })
  child.stderr.on('data', (chunk: Buffer) => {
    screen += chunk.toString()
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the terminal session did not finish; screen so far:\n${screen}`))
    }, opts.timeoutMs ?? 20_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code: code ?? 1, screen})
    })
  })
}
