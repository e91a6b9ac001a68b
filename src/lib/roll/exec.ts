import {spawn} from 'node:child_process'
import {createWriteStream, type WriteStream} from 'node:fs'

/*
 * Runs a host's patch command on this machine, through the shell, in its own process group (so
 * that a timeout or an interrupt stops all it started: ssh, ansible and their children).
 */

export interface ExecOutcome {
  durationMs: number
  exitCode?: number
  /** The signal that ended it, when one did. */
  signal?: string
  stopped?: 'interrupted' | 'timeout'
  tail: string[]
}

export interface ExecOptions {
  env: Record<string, string>
  /** Every line of output, as it comes. */
  onLine?: (line: string) => void
  /** Full output is appended here. */
  outputFile?: string
  signal?: AbortSignal
  tailLines?: number
  timeoutMs: number
}

/** Grace between SIGTERM and SIGKILL when a command must stop. */
const KILL_GRACE_MS = 5000

export function runHostCommand(command: string, opts: ExecOptions): Promise<ExecOutcome> {
  const started = Date.now()
  const keep = opts.tailLines ?? 20
  const tail: string[] = []
  let partial = ''
  let file: undefined | WriteStream
  if (opts.outputFile) file = createWriteStream(opts.outputFile, {flags: 'a', mode: 0o600})

  const take = (chunk: Buffer) => {
    file?.write(chunk)
    const lines = (partial + chunk.toString('utf8')).split(/\r?\n/)
    partial = lines.pop() ?? ''
    for (const line of lines) push(line)
  }

  const push = (line: string) => {
    tail.push(line)
    if (tail.length > keep) tail.shift()
    opts.onLine?.(line)
  }

  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      detached: true,
      env: {...process.env, ...opts.env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stopped: ExecOutcome['stopped']
    let killTimer: NodeJS.Timeout | undefined
    const stop = (why: 'interrupted' | 'timeout') => {
      if (stopped) return
      stopped = why
      signalGroup(child.pid, 'SIGTERM')
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS)
      killTimer.unref()
    }

    const timer = setTimeout(() => stop('timeout'), opts.timeoutMs)
    const onAbort = () => stop('interrupted')
    if (opts.signal?.aborted) onAbort()
    opts.signal?.addEventListener('abort', onAbort, {once: true})
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (killTimer) clearTimeout(killTimer)
      opts.signal?.removeEventListener('abort', onAbort)
      if (partial) push(partial)
      const finish = () =>
        resolve({
          durationMs: Date.now() - started,
          exitCode: stopped ? undefined : (code ?? undefined),
          signal: signal ?? undefined,
          stopped,
          tail,
        })
      if (file) file.end(finish)
      else finish()
    })
  })
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}
