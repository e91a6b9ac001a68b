/**
 * `moldctl oobm power status` of 1,000 hosts whose BMCs take 100 ms each, at concurrency 50,
 * against the simulator at real speed (speed 1, the job queue's pickup delay off so that the BMC
 * latency is the only wait). The ideal is 1000 / 50 × 0.1 s = 2 s; the target is ≤ 1.3× of it.
 * Measures the whole command (spawn to exit, judged) and the batch (first power action received
 * to last result polled, reported); checks every host came back `ok` and that the simulator never
 * saw more than 50 actions in flight.
 *
 * Alone: npm run build && node --import tsx bench/oobm-power.ts [--runs N] [--hosts N]
 */
import path from 'node:path'
import {pathToFileURL} from 'node:url'

import type {BenchOptions, BenchResult} from './lib/types.js'

import {oobmActionStats, resetOobmActionStats} from '../src/sim/behaviour/bmc.js'
import {startSimulator} from '../src/sim/http/server.js'
import {cliEnv, measureCli, scratchDir} from './lib/process.js'
import {main} from './lib/runner.js'
import {measure, verdict} from './lib/stats.js'

const TITLE = 'oobm power status of 1,000 hosts, 100 ms BMCs, concurrency 50'
const HOSTS = 1000
const CONCURRENCY = 50
const BMC_LATENCY_MS = 100
const TARGET_RATIO = 1.15
const TARGET_CALLS_PER_ACTION = 1.3

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const hosts = opts.hosts ?? (opts.smoke ? 100 : HOSTS)
  const runs = opts.smoke ? 1 : (opts.runs ?? 5)
  const idealMs = (hosts / CONCURRENCY) * BMC_LATENCY_MS
  const home = scratchDir('oobm')
  const sim = await startSimulator({hosts, jobStartDelayMs: 0, port: 0, speed: 1, topology: 'large'})
  const wall: number[] = []
  const batch: number[] = []
  let requests = 0
  const perAction: number[] = []
  let maxInFlight = 0
  try {
    const latencies = new Set(sim.model.state.hosts.map((h) => h.bmc.latencyMs))
    if (latencies.size !== 1 || !latencies.has(BMC_LATENCY_MS)) {
      throw new Error(`expected every BMC to take ${BMC_LATENCY_MS} ms, found ${[...latencies].join(', ')}`)
    }

    const env = cliEnv(home.path, {
      MOLDCTL_API_KEY: sim.apiKey,
      MOLDCTL_AUDIT_LOG: path.join(home.path, 'audit.log'),
      MOLDCTL_SECRET_KEY: sim.secretKey,
      MOLDCTL_URL: sim.url,
    })
    const args = [
      'oobm',
      'power',
      'status',
      '--zone',
      sim.model.state.zones[0].name,
      '--concurrency',
      String(CONCURRENCY),
    ]
    opts.log(`oobm-power: moldctl ${args.join(' ')} (${hosts} hosts, ${runs} runs + 1 warm-up)`)
    for (let i = 0; i <= runs; i++) {
      sim.requestLog.length = 0
      resetOobmActionStats(sim.model)
      const out = await measureCli(args, {env, stdout: 'capture'})
      const ok = (out.stdout.match(/ STATUS +ok /g) ?? []).length
      if (out.code !== 0 || ok !== hosts) {
        throw new Error(
          `run ${i} failed (exit ${out.code}, ${ok} of ${hosts} ok): ${out.stderr.slice(-1000)}`,
        )
      }

      const inFlight = oobmActionStats(sim.model).maxInFlight
      if (inFlight > CONCURRENCY)
        throw new Error(`${inFlight} power actions were in flight, more than ${CONCURRENCY}`)
      const first = sim.requestLog.find((r) => r.command === 'issueOutOfBandManagementPowerAction')
      const last = sim.requestLog.findLast(
        (r) => r.command === 'queryAsyncJobResult' || r.command === 'listAsyncJobs',
      )
      if (i === 0) continue // warm-up
      wall.push(out.wallMs)
      batch.push(Date.parse(last?.time ?? '') - Date.parse(first?.time ?? ''))
      requests = Math.max(requests, sim.requestLog.length)
      perAction.push(sim.requestLog.length / hosts)
      maxInFlight = Math.max(maxInFlight, inFlight)
    }
  } finally {
    await sim.close()
    home.remove()
  }

  const judge = !opts.smoke
  const measures = [
    measure(
      {
        judge,
        key: 'wall',
        name: `oobm power status, ${hosts.toLocaleString('en')} hosts, wall`,
        reference: idealMs,
        target: {max: TARGET_RATIO * idealMs, text: `≤ ${TARGET_RATIO}× the ideal ${idealMs / 1000} s`},
        unit: 'ms',
      },
      wall,
    ),
    measure(
      {key: 'batch', name: 'the batch alone (first action to last result)', reference: idealMs, unit: 'ms'},
      batch,
    ),
    measure(
      {
        judge,
        key: 'calls-per-action',
        name: 'API calls per power action (all calls of the command / hosts)',
        target: {max: TARGET_CALLS_PER_ACTION, text: `≤ ${TARGET_CALLS_PER_ACTION}`},
        unit: 'calls/action',
      },
      perAction,
    ),
  ]
  return {
    details: {bmcLatencyMs: BMC_LATENCY_MS, concurrency: CONCURRENCY, hosts, idealMs, maxInFlight, requests},
    id: 'oobm-power',
    measures,
    notes: [
      `ideal = ${hosts} hosts / ${CONCURRENCY} at a time × ${BMC_LATENCY_MS} ms; at most ${maxInFlight} actions were in flight; about ${requests} requests a run`,
      'the simulator runs in the benchmark process and shares the two CPUs with the CLI',
    ],
    pass: judge ? verdict(measures) : undefined,
    title: TITLE,
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(['oobm-power', ...process.argv.slice(2)])
}
