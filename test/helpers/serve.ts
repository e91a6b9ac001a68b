import {type ChildProcess, spawn} from 'node:child_process'

import {BIN} from './cli.js'

export interface Running {
  child: ChildProcess
  stderr: () => string
  stdout: () => string
  url: string
}

/** Spawns `moldctl sim serve --port 0 …` and waits for its URL and keys. Needs `npm run build`. */
export async function serve(args: string[], env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'sim', 'serve', '--port', '0', ...args], {
    env: {...process.env, ...env},
  })
  let out = ''
  let err = ''
  child.stderr!.on('data', (chunk) => (err += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /listening on (\S+)/.exec(out)
      if (match && out.includes('Secret key:')) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)))
  })
  return {child, stderr: () => err, stdout: () => out, url}
}

/** SIGTERM and the exit code. */
export async function stop(child: ChildProcess): Promise<null | number> {
  const exited = new Promise<null | number>((resolve) => child.once('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  return exited
}
