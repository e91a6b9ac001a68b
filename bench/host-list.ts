/**
 * `moldctl host list --json` of a cloud of 20,000 simulated hosts (the `large` topology: 625
 * clusters of 32), every page. Target (QUALITY.md): ≤ 3 s and peak RSS ≤ 250 MB. The simulator
 * runs in this process; the CLI is the built one, timed from spawn to exit, its peak RSS read
 * from the kernel's high-water mark. Each run's output is checked: valid JSON with every host
 * once.
 */
import type {BenchOptions, BenchResult} from './lib/types.js'

import {startSimulator} from '../src/sim/http/server.js'
import {cliEnv, measureCli, scratchDir} from './lib/process.js'
import {measure, verdict} from './lib/stats.js'

const HOSTS = 20_000
const TARGET_MS = 3000
const TARGET_RSS_MB = 250

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const hosts = opts.hosts ?? (opts.smoke ? 200 : HOSTS)
  const runs = opts.smoke ? 1 : (opts.runs ?? 5)
  const sim = await startSimulator({hosts, port: 0, topology: 'large'})
  const home = scratchDir('host-list')
  const env = cliEnv(home.path, {
    MOLDCTL_API_KEY: sim.apiKey,
    MOLDCTL_SECRET_KEY: sim.secretKey,
    MOLDCTL_URL: sim.url,
  })
  const wall: number[] = []
  const rss: number[] = []
  let requests = 0
  try {
    // One untimed run first (file cache, the simulator's first answers).
    await listOnce(env, hosts)
    for (let i = 0; i < runs; i++) {
      sim.requestLog.length = 0
      const result = await listOnce(env, hosts)
      requests = sim.requestLog.length
      wall.push(result.wallMs)
      rss.push(result.maxRssMb)
      opts.log(
        `host-list: run ${i + 1}/${runs}: ${Math.round(result.wallMs)} ms, ${result.maxRssMb.toFixed(1)} MB`,
      )
    }
  } finally {
    home.remove()
    await sim.close()
  }

  const judge = !opts.smoke
  const what = `host list --json, ${hosts.toLocaleString('en')} hosts`
  const measures = [
    measure(
      {judge, key: 'wall', name: `${what}, wall`, target: {max: TARGET_MS, text: '≤ 3 s'}, unit: 'ms'},
      wall,
    ),
    measure(
      {
        judge,
        key: 'rss',
        name: `${what}, peak RSS`,
        target: {max: TARGET_RSS_MB, text: '≤ 250 MB'},
        unit: 'MB',
      },
      rss,
    ),
  ]
  return {
    details: {apiRequestsPerRun: requests, hosts, runs},
    id: 'host-list',
    measures,
    notes: [`${requests} API requests per run (pages of 500; the simulator runs in the benchmark's process)`],
    pass: judge ? verdict(measures) : undefined,
    title: 'host list --json',
  }
}

async function listOnce(env: NodeJS.ProcessEnv, hosts: number) {
  const result = await measureCli(['host', 'list', '--json'], {env, stdout: 'capture'})
  if (result.code !== 0) throw new Error(`host list exited ${result.code}: ${result.stderr}`)
  const listed = JSON.parse(result.stdout) as Array<{id: string}>
  const ids = new Set(listed.map((h) => h.id))
  if (listed.length !== hosts || ids.size !== hosts) {
    throw new Error(`host list printed ${listed.length} hosts (${ids.size} distinct), expected ${hosts}`)
  }

  return result
}
