/**
 * Start-up in instructions: the commands of bench/startup.ts (`moldctl --version`,
 * `host list --help`, `profile list`, `host list` of the small cloud's 6 hosts) beside
 * `node -e 0`, each run under valgrind's callgrind, which counts the instructions the process
 * executes. The count hardly moves with the load on the machine (wall and CPU time do: on a
 * shared 2-core machine a busy neighbour stretches them by half and more), so two builds can be
 * compared on any day; it is not time (a page fault or a read from disk costs no instructions),
 * so the targets stay with bench/startup.ts and these ratios are reported, not judged.
 *
 * valgrind runs a program some 20-50 times slower: a few runs (default 2; the count of one
 * command differs by well under 1 % between runs). Not available where valgrind is not
 * installed (`apt-get install valgrind`).
 */
import {spawn, spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'

import type {BenchOptions, BenchResult, Measure} from './lib/types.js'

import {startSimulator} from '../src/sim/http/server.js'
import {cliEnv, ROOT, scratchDir} from './lib/process.js'
import {measure, median} from './lib/stats.js'
import {MOLDCTL} from './startup.js'

/** Whether valgrind is here: its version, or undefined. */
function valgrindVersion(): string | undefined {
  const r = spawnSync('valgrind', ['--version'], {encoding: 'utf8'})
  return r.status === 0 ? r.stdout.trim() : undefined
}

/** The instructions `node <args>` executes, in millions (callgrind's "Collected" total). */
async function countInstructions(args: string[], env: NodeJS.ProcessEnv, dir: string): Promise<number> {
  const out = path.join(dir, `callgrind.${process.hrtime.bigint()}`)
  // Asynchronous: the simulator answering `host list` lives in this process.
  const {code, stderr} = await new Promise<{code: null | number; stderr: string}>((resolve, reject) => {
    const child = spawn(
      'valgrind',
      ['--tool=callgrind', `--callgrind-out-file=${out}`, process.execPath, ...args],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (status) => resolve({code: status, stderr: err}))
  })
  if (code !== 0) throw new Error(`valgrind node ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`)
  const total = /Collected : (\d+)/.exec(stderr) ?? /^summary: (\d+)/m.exec(readFileSync(out, 'utf8'))
  if (!total) throw new Error(`no instruction count in callgrind's output for node ${args.join(' ')}`)
  return Number(total[1]) / 1e6
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const version = valgrindVersion()
  if (!version) {
    return {
      id: 'startup-instructions',
      measures: [],
      notes: [],
      skipped: 'not available: valgrind is not installed (apt-get install valgrind)',
      title: 'Start-up, instructions',
    }
  }

  const runs = opts.smoke ? 1 : (opts.runs ?? 2)
  const commands = opts.smoke ? MOLDCTL.slice(0, 2) : MOLDCTL
  const home = scratchDir('startup-instructions')
  const sim = await startSimulator({port: 0, topology: 'small'})
  const env = cliEnv(home.path, {
    MOLDCTL_API_KEY: sim.apiKey,
    MOLDCTL_SECRET_KEY: sim.secretKey,
    MOLDCTL_URL: sim.url,
  })
  const counts = commands.map((): number[] => [])
  try {
    for (let i = 0; i < runs; i++) {
      for (const [c, command] of commands.entries()) {
        counts[c].push(await countInstructions(command.args, env, home.path))
        opts.log(
          `startup-instructions: ${command.name}, run ${i + 1}/${runs}: ${counts[c].at(-1)!.toFixed(0)} M`,
        )
      }
    }
  } finally {
    home.remove()
    await sim.close()
  }

  const base = median(counts[0])
  const measures: Measure[] = commands.map((command, c) =>
    measure(
      {
        key: `${command.key}-instructions`,
        name: `${command.name}, instructions`,
        reference: c === 0 ? undefined : base,
        unit: 'M instructions',
      },
      counts[c],
    ),
  )
  return {
    details: {runs, valgrind: version},
    id: 'startup-instructions',
    measures,
    notes: [
      `instructions executed (valgrind --tool=callgrind, ${version}), millions; the ratio is to node -e 0; reported, not judged (the targets are bench/startup.ts' wall times)`,
    ],
    pass: undefined,
    title: 'Start-up, instructions',
  }
}
