/**
 * Start-up: `moldctl --version` and `moldctl host list --help` next to `node -e 0`, all in the
 * same run, taken in turns (one of each, then again) so that load on the machine hits them
 * alike. Target (QUALITY.md): median wall time ≤ 2× that of `node -e 0` (stretch 1.5×). Wall time
 * is judged; CPU time (user + system of the child) is reported too, since a busy machine
 * stretches wall time but hardly CPU time.
 */
import type {BenchOptions, BenchResult, Measure} from './lib/types.js'

import {BIN, cliEnv, measureNode, scratchDir} from './lib/process.js'
import {measure, median, verdict} from './lib/stats.js'

const RATIO = 2
const STRETCH = 1.5

const COMMANDS: Array<{args: string[]; key: string; name: string}> = [
  {args: ['-e', '0'], key: 'node', name: 'node -e 0'},
  {args: [BIN, '--version'], key: 'version', name: 'moldctl --version'},
  {args: [BIN, 'host', 'list', '--help'], key: 'help', name: 'moldctl host list --help'},
]

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const runs = opts.smoke ? 1 : (opts.runs ?? 11)
  const home = scratchDir('startup')
  const env = cliEnv(home.path)
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
          target: isBase ? undefined : {max: RATIO * baseWall, text: `≤ ${RATIO}× node -e 0`},
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
      `judged on the wall-time median against ${RATIO}× node -e 0${opts.smoke ? '' : ` (stretch ${STRETCH}×: ${stretch ? 'met' : 'not met'})`}; the CPU ratio is printed beside it`,
    ],
    pass: opts.smoke ? undefined : verdict(measures),
    title: 'Start-up',
  }
}

function check(command: {name: string}, result: {code: number; stderr: string}): void {
  if (result.code !== 0) throw new Error(`${command.name} exited ${result.code}: ${result.stderr}`)
}
