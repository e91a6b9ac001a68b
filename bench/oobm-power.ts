/**
 * `moldctl oobm power status` of 1,000 hosts whose BMCs take 100 ms each, at concurrency 50,
 * against the simulator at real speed (speed 1). The ideal is 1000 / 50 × 0.1 s = 2 s; the goal
 * is to stay within 1.3× of it. Runs the built CLI several times and reports min / median / max
 * of the whole command (process start to exit) and of the batch itself (first power action sent
 * to last result seen), and writes bench/results/oobm-power.json.
 *
 * Run: npm run build && node --import tsx bench/oobm-power.ts [--runs N] [--hosts N]
 */
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {oobmActionStats, resetOobmActionStats} from '../src/sim/handlers/oobm.js'
import {startSimulator} from '../src/sim/server.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'run.js')

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}

const HOSTS = option('hosts', 1000)
const RUNS = option('runs', 5)
const CONCURRENCY = 50
const BMC_LATENCY_MS = 100
const IDEAL_SECONDS = (HOSTS / CONCURRENCY) * (BMC_LATENCY_MS / 1000)
const TARGET_RATIO = 1.3

interface RunResult {
  batchSeconds: number
  exitCode: number
  maxInFlight: number
  ok: number
  requests: number
  wallSeconds: number
}

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{code: number; stderr: string; stdout: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? 1, stderr, stdout}))
  })
}

function stats(values: number[]): {max: number; median: number; min: number} {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return {max: sorted.at(-1)!, median, min: sorted[0]}
}

const fmt = (n: number) => n.toFixed(3)

const loadAverageAtStart = Number(loadavg()[0].toFixed(2))
const home = mkdtempSync(path.join(tmpdir(), 'moldctl-bench-oobm-'))
// Real speed; the job queue's pickup delay off, so that the BMC latency is the only wait.
const sim = await startSimulator({hosts: HOSTS, jobStartDelayMs: 0, port: 0, speed: 1, topology: 'large'})
const latencies = new Set(sim.model.state.hosts.map((h) => h.bmc.latencyMs))
if (latencies.size !== 1 || !latencies.has(BMC_LATENCY_MS)) {
  throw new Error(`expected every BMC to take ${BMC_LATENCY_MS} ms, found ${[...latencies].join(', ')}`)
}

const zone = sim.model.state.zones[0].name
const env: NodeJS.ProcessEnv = {
  HOME: home,
  MOLDCTL_API_KEY: sim.apiKey,
  MOLDCTL_SECRET_KEY: sim.secretKey,
  MOLDCTL_URL: sim.url,
  NO_COLOR: '1',
  PATH: process.env.PATH,
  XDG_CONFIG_HOME: path.join(home, 'config'),
  XDG_DATA_HOME: path.join(home, 'data'),
}
const args = ['oobm', 'power', 'status', '--zone', zone, '--concurrency', String(CONCURRENCY)]
console.log(`moldctl ${args.join(' ')}`)
console.log(
  `${HOSTS} hosts, BMC latency ${BMC_LATENCY_MS} ms, concurrency ${CONCURRENCY}: ideal ${IDEAL_SECONDS} s, ` +
    `target ≤ ${TARGET_RATIO}× = ${(IDEAL_SECONDS * TARGET_RATIO).toFixed(2)} s; ${RUNS} runs (+1 warm-up), ` +
    `${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)} (other work on the machine slows every run)`,
)

const results: RunResult[] = []
try {
  for (let run = 0; run <= RUNS; run++) {
    sim.requestLog.length = 0
    resetOobmActionStats(sim.model)
    const started = performance.now()
    const out = await runCli(args, env)
    const wallSeconds = (performance.now() - started) / 1000
    const firstAction = sim.requestLog.find((r) => r.command === 'issueOutOfBandManagementPowerAction')
    const polls = sim.requestLog.filter((r) => r.command === 'queryAsyncJobResult')
    const first = Date.parse(firstAction?.time ?? '')
    const last = Date.parse(polls.at(-1)?.time ?? '')
    const ok = (out.stdout.match(/ STATUS +ok /g) ?? []).length
    const result: RunResult = {
      batchSeconds: (last - first) / 1000,
      exitCode: out.code,
      maxInFlight: oobmActionStats(sim.model).maxInFlight,
      ok,
      requests: sim.requestLog.length,
      wallSeconds,
    }
    if (out.code !== 0 || ok !== HOSTS) {
      throw new Error(`run ${run} failed (exit ${out.code}, ${ok} ok):\n${out.stderr.slice(-2000)}`)
    }

    if (result.maxInFlight > CONCURRENCY)
      throw new Error(`${result.maxInFlight} actions in flight > ${CONCURRENCY}`)
    const label = run === 0 ? 'warm-up' : `run ${run}`
    console.log(
      `${label.padEnd(8)} wall ${fmt(wallSeconds)} s  batch ${fmt(result.batchSeconds)} s  ` +
        `requests ${result.requests}  max in flight ${result.maxInFlight}`,
    )
    if (run > 0) results.push(result)
  }
} finally {
  await sim.close()
  rmSync(home, {force: true, recursive: true})
}

const wall = stats(results.map((r) => r.wallSeconds))
const batch = stats(results.map((r) => r.batchSeconds))
const ratio = wall.median / IDEAL_SECONDS
console.log('')
console.log('            min      median   max      median/ideal')
console.log(`wall (s)    ${fmt(wall.min)}    ${fmt(wall.median)}    ${fmt(wall.max)}    ${ratio.toFixed(2)}×`)
console.log(
  `batch (s)   ${fmt(batch.min)}    ${fmt(batch.median)}    ${fmt(batch.max)}    ${(batch.median / IDEAL_SECONDS).toFixed(2)}×`,
)
console.log(
  ratio <= TARGET_RATIO
    ? `PASS: within ${TARGET_RATIO}× of the ideal`
    : `MISS: above ${TARGET_RATIO}× of the ideal`,
)

const resultsDir = path.join(ROOT, 'bench', 'results')
mkdirSync(resultsDir, {recursive: true})
writeFileSync(
  path.join(resultsDir, 'oobm-power.json'),
  `${JSON.stringify(
    {
      batch,
      bmcLatencyMs: BMC_LATENCY_MS,
      command: `moldctl ${args.join(' ')}`,
      concurrency: CONCURRENCY,
      cpus: cpus().length,
      date: new Date().toISOString(),
      hosts: HOSTS,
      idealSeconds: IDEAL_SECONDS,
      loadAverageAtEnd: Number(loadavg()[0].toFixed(2)),
      loadAverageAtStart,
      node: process.version,
      pass: ratio <= TARGET_RATIO,
      ratio: Number(ratio.toFixed(3)),
      runs: results,
      target: TARGET_RATIO,
      wall,
    },
    null,
    2,
  )}\n`,
)
