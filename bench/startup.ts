/**
 * Start-up: `moldctl --version`, `moldctl host list --help`, `moldctl profile list` and
 * `moldctl host list` of the small cloud's 6 hosts (from a simulator in this process) next to
 * `node -e 0`, all in the same run, taken in turns (one of each, then again) so that load on the
 * machine hits them alike. Targets: --version and --help ≤ 1.3× `node -e 0`, a small command
 * ≤ 1.5× (median wall time). CPU time (user + system of the child) is reported too, since a busy
 * machine stretches wall time but hardly CPU time.
 */
import type {BenchOptions, BenchResult, Measure} from './lib/types.js'

import {startSimulator} from '../src/sim/http/server.js'
import {BIN, cliEnv, measureNode, scratchDir} from './lib/process.js'
import {measure, median, verdict} from './lib/stats.js'

const STRETCH = 1.5

const COMMANDS: Array<{args: string[]; key: string; name: string; ratio: number}> = [
  {args: ['-e', '0'], key: 'node', name: 'node -e 0', ratio: 1},
  {args: [BIN, '--version'], key: 'version', name: 'moldctl --version', ratio: 1.3},
  {args: [BIN, 'host', 'list', '--help'], key: 'help', name: 'moldctl host list --help', ratio: 1.3},
  {args: [BIN, 'profile', 'list'], key: 'profile-list', name: 'moldctl profile list', ratio: 1.5},
  {args: [BIN, 'host', 'list'], key: 'host-list', name: 'moldctl host list (6 hosts)', ratio: 1.5},
]

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const runs = opts.smoke ? 1 : (opts.runs ?? 11)
  const home = scratchDir('startup')
  const sim = await startSimulator({port: 0, topology: 'small'})
  const env = cliEnv(home.path, {
    MOLDCTL_API_KEY: sim.apiKey,
    MOLDCTL_SECRET_KEY: sim.secretKey,
    MOLDCTL_URL: sim.url,
  })
  const wall = COMMANDS.map((): number[] => [])
  const cpu = COMMANDS.map((): number[] => [])
  try {
    // One untimed round first: file cache warm for every command alike.
    for (const command of COMMANDS) check(command, await measureNode(command.args, {env}))
    for (let i = 0; i < runs; i++) {
      for (const [c, command] of COMMANDS.entries()) {
        const result = await measureNode(command.args, {env})
        check(command, result)
        wall[c].push(result.wallMs)
        cpu[c].push(result.cpuMs)
      }
    }
  } finally {
    home.remove()
    await sim.close()
  }

  opts.log(`startup: ${runs} runs of each command`)
  const baseWall = median(wall[0])
  const baseCpu = median(cpu[0])
  const measures: Measure[] = []
  for (const [c, command] of COMMANDS.entries()) {
    const isBase = c === 0
    measures.push(
      measure(
        {
          judge: !opts.smoke,
          key: `${command.key}-wall`,
          name: `${command.name}, wall`,
          reference: isBase ? undefined : baseWall,
          target: isBase ? undefined : {max: command.ratio * baseWall, text: `≤ ${command.ratio}× node -e 0`},
          unit: 'ms',
        },
        wall[c],
      ),
      measure(
        {
          key: `${command.key}-cpu`,
          name: `${command.name}, CPU`,
          reference: isBase ? undefined : baseCpu,
          unit: 'ms',
        },
        cpu[c],
      ),
    )
  }

  const judged = measures.filter((m) => m.ratio !== undefined && m.key.endsWith('-wall'))
  const stretch = judged.every((m) => m.ratio! <= STRETCH)
  return {
    details: {runs, stretchRatio: STRETCH, stretchMet: opts.smoke ? undefined : stretch},
    id: 'startup',
    measures,
    notes: [
      `judged on the wall-time median against node -e 0 (1.3× for --version and --help, 1.5× for a small command)${opts.smoke ? '' : `; every one within ${STRETCH}×: ${stretch ? 'yes' : 'no'}`}; the CPU ratio is printed beside it`,
    ],
    pass: opts.smoke ? undefined : verdict(measures),
    title: 'Start-up',
  }
}

function check(command: {name: string}, result: {code: number; stderr: string}): void {
  if (result.code !== 0) throw new Error(`${command.name} exited ${result.code}: ${result.stderr}`)
}
