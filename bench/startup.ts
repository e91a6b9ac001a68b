/**
 * Start-up: `moldctl --version`, `moldctl host list --help`, `moldctl profile list` and
 * `moldctl host list` of the small cloud's 6 hosts (from a simulator in this process) next to
 * `node -e 0`, all in the same run, taken in turns (one of each, then again) so that load on the
 * machine hits them alike. Targets: --version and --help ≤ 1.3× `node -e 0`, a small command
 * ≤ 1.5× (median wall time). CPU time (user + system of the child) is reported too, since a busy
 * machine stretches wall time but hardly CPU time. Where python3-cs is installed, the peer takes
 * its turn too: the python `cs` client printing the same 6 hosts (bench/peers/cs-list.py) from a
 * cloudstack-flavor simulator of the same cloud, reported beside `node -e 0`, not judged.
 */
import type {BenchOptions, BenchResult, Measure} from './lib/types.js'

import {type SimServer, startSimulator} from '../src/sim/http/server.js'
import {csPeerEnv, csPeerMissing, csPeerNote, measureCsPeer, PEER_NAME} from './lib/peer.js'
import {BIN, type ChildRun, cliEnv, measureNode, scratchDir} from './lib/process.js'
import {measure, median, verdict} from './lib/stats.js'

const STRETCH = 1.5

interface Command {
  key: string
  name: string
  /** The judged bound, as a multiple of node -e 0 (none: reported only). */
  ratio?: number
  run: () => Promise<ChildRun>
}

/** The start-up commands beside `node -e 0` (bench/startup-instructions.ts counts the same). */
export const MOLDCTL: Array<{args: string[]; key: string; name: string; ratio: number}> = [
  {args: ['-e', '0'], key: 'node', name: 'node -e 0', ratio: 1},
  {args: [BIN, '--version'], key: 'version', name: 'moldctl --version', ratio: 1.3},
  {args: [BIN, 'host', 'list', '--help'], key: 'help', name: 'moldctl host list --help', ratio: 1.3},
  {args: [BIN, 'profile', 'list'], key: 'profile-list', name: 'moldctl profile list', ratio: 1.5},
  {args: [BIN, 'host', 'list'], key: 'host-list', name: 'moldctl host list (6 hosts)', ratio: 1.5},
]

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const runs = opts.smoke ? 1 : (opts.runs ?? 11)
  const home = scratchDir('startup')
  const sims: SimServer[] = []
  const sim = await startSimulator({port: 0, topology: 'small'})
  sims.push(sim)
  const env = cliEnv(home.path, {
    MOLDCTL_API_KEY: sim.apiKey,
    MOLDCTL_SECRET_KEY: sim.secretKey,
    MOLDCTL_URL: sim.url,
  })
  const commands: Command[] = MOLDCTL.map((c) => ({...c, run: () => measureNode(c.args, {env})}))
  if (!csPeerMissing()) {
    // The library signs with HMAC-SHA1, as upstream CloudStack verifies: a simulator of that flavor.
    const peerSim = await startSimulator({flavor: 'cloudstack', port: 0, topology: 'small'})
    sims.push(peerSim)
    const peerEnv = csPeerEnv(home.path, peerSim)
    commands.push({
      key: 'cs-host-list',
      name: `${PEER_NAME} host list (6 hosts)`,
      run: () => measureCsPeer([], {env: peerEnv}),
    })
  }

  const wall = commands.map((): number[] => [])
  const cpu = commands.map((): number[] => [])
  try {
    // One untimed round first: file cache warm for every command alike.
    for (const command of commands) check(command, await command.run())
    for (let i = 0; i < runs; i++) {
      for (const [c, command] of commands.entries()) {
        const result = await command.run()
        check(command, result)
        wall[c].push(result.wallMs)
        cpu[c].push(result.cpuMs)
      }
    }
  } finally {
    home.remove()
    for (const s of sims) await s.close()
  }

  opts.log(`startup: ${runs} runs of each command`)
  const baseWall = median(wall[0])
  const baseCpu = median(cpu[0])
  const measures: Measure[] = []
  for (const [c, command] of commands.entries()) {
    const isBase = c === 0
    measures.push(
      measure(
        {
          judge: !opts.smoke,
          key: `${command.key}-wall`,
          name: `${command.name}, wall`,
          reference: isBase ? undefined : baseWall,
          target:
            isBase || command.ratio === undefined
              ? undefined
              : {max: command.ratio * baseWall, text: `≤ ${command.ratio}× node -e 0`},
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

  // The judged ones: the peer's ratio is printed, not held to the stretch.
  const judged = measures.filter((m) => m.target !== undefined && m.key.endsWith('-wall'))
  const stretch = judged.every((m) => m.ratio! <= STRETCH)
  return {
    details: {runs, stretchRatio: STRETCH, stretchMet: opts.smoke ? undefined : stretch},
    id: 'startup',
    measures,
    notes: [
      `judged on the wall-time median against node -e 0 (1.3× for --version and --help, 1.5× for a small command)${opts.smoke ? '' : `; every one within ${STRETCH}×: ${stretch ? 'yes' : 'no'}`}; the CPU ratio is printed beside it`,
      csPeerMissing() ? csPeerNote() : `${PEER_NAME}: reported beside node -e 0, not judged`,
    ],
    pass: opts.smoke ? undefined : verdict(measures),
    title: 'Start-up',
  }
}

function check(command: {name: string}, result: {code: number; stderr: string}): void {
  if (result.code !== 0) throw new Error(`${command.name} exited ${result.code}: ${result.stderr}`)
}
