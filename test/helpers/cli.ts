import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.join(ROOT, 'bin', 'run.js')

export interface CliResult {
  code: number
  stderr: string
  stdout: string
}

export interface CliOptions {
  env?: Record<string, string | undefined>
  /** Isolated config/data directories (see makeHome); a fresh one per call when absent. */
  home?: CliHome
  /** Written to the child's stdin, which is then closed. */
  stdin?: string
}

export interface CliHome {
  configDir: string
  dataDir: string
  env: Record<string, string>
  remove(): void
  root: string
}

/** A throw-away HOME with its own moldctl config and data directories. */
export function makeHome(): CliHome {
  const root = mkdtempSync(path.join(tmpdir(), 'moldctl-test-'))
  const env = {
    HOME: root,
    XDG_CACHE_HOME: path.join(root, 'cache'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
    XDG_DATA_HOME: path.join(root, 'data'),
  }
  return {
    configDir: path.join(env.XDG_CONFIG_HOME, 'moldctl'),
    dataDir: path.join(env.XDG_DATA_HOME, 'moldctl'),
    env,
    remove: () => rmSync(root, {force: true, recursive: true}),
    root,
  }
}

/** The proxy settings of the caller's shell, which would send the tests' loopback requests astray. */
export const PROXY_VARIABLE = /^(https?_proxy|all_proxy|no_proxy|request_method)$/i

/** The environment a child gets: none of the caller's moldctl/CloudStack settings, fast job polling, no colour. */
function childEnv(home: CliHome, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(MOLDCTL_|CLOUDSTACK_|CLOUD_SECRET_KEY|XDG_|FORCE_COLOR)/.test(k) && !PROXY_VARIABLE.test(k))
      env[k] = v
  }

  Object.assign(env, home.env, {MOLDCTL_POLL_MAX_MS: '200', MOLDCTL_POLL_MIN_MS: '20', NO_COLOR: '1'})
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }

  return env
}

/** Starts the built CLI (`bin/run.js`) as a child process; for signals and TTY-less behaviour. */
export function spawnCli(
  args: string[],
  opts: CliOptions = {},
): {child: ChildProcess; done: Promise<CliResult>} {
  const home = opts.home ?? makeHome()
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: childEnv(home, opts.env),
    stdio: 'pipe',
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString()
  })
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  if (opts.stdin === undefined) child.stdin!.end()
  else child.stdin!.end(opts.stdin)
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (!opts.home) home.remove()
      resolve({code: code ?? (signal ? 128 : 1), stderr, stdout})
    })
  })
  return {child, done}
}

/** Runs the built CLI to completion. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return spawnCli(args, opts).done
}

/** Environment that points the CLI at a simulator with API keys. */
export function simEnv(sim: {
  apiKey: string
  flavor?: string
  secretKey: string
  url: string
}): Record<string, string> {
  return {MOLDCTL_API_KEY: sim.apiKey, MOLDCTL_SECRET_KEY: sim.secretKey, MOLDCTL_URL: sim.url}
}

/** Parses stdout as JSON, with the output in the failure message when it is not. */
export function json<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(
      `stdout is not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    )
  }
}
