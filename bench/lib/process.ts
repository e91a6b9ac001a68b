/**
 * Timing child processes. Wall time is taken here, from spawn to exit. CPU time and peak RSS
 * come from the child itself: a node child is started with `-r bench/lib/usage-preload.cjs`,
 * which at exit writes the child's own CPU time (getrusage: user and system, in microseconds) and
 * peak RSS (VmHWM of its /proc/self/status, the kernel's high-water mark, in KiB) to the file
 * named by MOLDCTL_BENCH_USAGE_FILE. That needs no outside tool, has microsecond resolution
 * (`/usr/bin/time` prints 10 ms), and cannot miss a short peak the way polling /proc/<pid>/status
 * would. The preload is one small CommonJS file, loaded the same way into the `node -e 0`
 * baseline; a peer that is not node (bench/peers/cs-list.py) writes the same record itself.
 */
import {spawn} from 'node:child_process'
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.join(ROOT, 'bin', 'run.js')
const PRELOAD = path.join(ROOT, 'bench', 'lib', 'usage-preload.cjs')

export interface ChildRun {
  code: number
  /** User + system CPU time of the child, ms. */
  cpuMs: number
  /** Peak resident set size of the child, MB (MiB). */
  maxRssMb: number
  /** User + system CPU time of this process (the runner) from the spawn to the child's exit, ms. */
  runnerCpuMs: number
  stderr: string
  /** Captured only with `stdout: 'capture'` or `'spool'`. */
  stdout: string
  wallMs: number
}

export interface ChildOptions {
  env?: NodeJS.ProcessEnv
  stdin?: string
  /**
   * 'capture' keeps stdout; 'spool' keeps it too, written to a file as it comes and read back
   * after the exit (for outputs of hundreds of MB: held in memory as they come, their chunks
   * make this process — the simulator's — collect its large heap more often while the child
   * runs, see bench/README.md); default: read and dropped, so the child never blocks on a pipe.
   */
  stdout?: 'capture' | 'drop' | 'spool'
}

/** Runs `node <args>` and measures it. */
export function measureNode(args: string[], opts: ChildOptions = {}): Promise<ChildRun> {
  return measureProcess(process.execPath, ['-r', PRELOAD, ...args], opts)
}

/**
 * Runs `file <args>` and measures it. The child must write its own resource usage at exit to the
 * file named by MOLDCTL_BENCH_USAGE_FILE, as usage-preload.cjs does for node.
 */
export function measureProcess(file: string, args: string[], opts: ChildOptions = {}): Promise<ChildRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-bench-'))
  const usageFile = path.join(dir, 'usage.json')
  return new Promise<ChildRun>((resolve, reject) => {
    const started = performance.now()
    const runnerCpu = process.cpuUsage()
    const child = spawn(file, args, {
      cwd: ROOT,
      env: {...(opts.env ?? process.env), MOLDCTL_BENCH_USAGE_FILE: usageFile},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const spool = opts.stdout === 'spool' ? openSync(path.join(dir, 'stdout'), 'w') : undefined
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      if (spool !== undefined) writeSync(spool, chunk)
      else if (opts.stdout === 'capture') out.push(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started
      const runner = process.cpuUsage(runnerCpu)
      if (spool !== undefined) closeSync(spool)
      try {
        const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as {
          maxRssKb: number
          systemCpuUs: number
          userCpuUs: number
        }
        resolve({
          code: code ?? (signal ? 128 : 1),
          cpuMs: (usage.userCpuUs + usage.systemCpuUs) / 1000,
          maxRssMb: usage.maxRssKb / 1024,
          runnerCpuMs: (runner.user + runner.system) / 1000,
          stderr,
          stdout:
            spool === undefined
              ? Buffer.concat(out).toString('utf8')
              : readFileSync(path.join(dir, 'stdout'), 'utf8'),
          wallMs,
        })
      } catch (error) {
        reject(
          new Error(
            `${path.basename(file)} ${args.join(' ')}: no resource usage recorded (exit ${code}): ${stderr}`,
            {
              cause: error,
            },
          ),
        )
      } finally {
        rmSync(dir, {force: true, recursive: true})
      }
    })
    child.stdin.end(opts.stdin ?? '')
  })
}

/** Runs the built CLI (bin/run.js) and measures it. */
export function measureCli(args: string[], opts: ChildOptions = {}): Promise<ChildRun> {
  return measureNode([BIN, ...args], opts)
}

/**
 * An environment for the CLI with none of the caller's moldctl/CloudStack settings: its own
 * empty config and data folders under `home`, no audit log, no colour.
 */
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(MOLDCTL_|CLOUDSTACK_|CLOUD_SECRET_KEY|XDG_|FORCE_COLOR)/.test(k)) env[k] = v
  }

  return {
    ...env,
    HOME: home,
    MOLDCTL_AUDIT_LOG: 'off',
    NO_COLOR: '1',
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    ...extra,
  }
}

/** A throw-away folder for one benchmark's HOME and files. */
export function scratchDir(prefix: string): {path: string; remove(): void} {
  const dir = mkdtempSync(path.join(tmpdir(), `moldctl-bench-${prefix}-`))
  return {path: dir, remove: () => rmSync(dir, {force: true, recursive: true})}
}
