import {Agent, request} from 'node:http'

/**
 * `moldctl host list --json` of two clouds of simulated hosts (the `large` topology: clusters
 * of 32), every page: 20,000 hosts (≤ 3 s, peak RSS ≤ 250 MB) and 100,000 hosts (QUALITY.md:
 * ≤ 4 s, peak RSS ≤ 200 MB). The simulator runs in this process; the CLI is the built one, timed
 * from spawn to exit, its peak RSS read from the kernel's high-water mark. Each run's output is
 * checked (spooled to a file as it comes, see bench/README.md): valid JSON with every host once. Beside each, the simulator alone: the CLI's own
 * listHosts requests of the last run sent again from here, as many at a time as the CLI had in
 * flight, answers read whole (what the simulator's share of the wall time is). Reported, not
 * judged: the CLI's CPU time and this process's (the simulator's answers and the reading of the
 * CLI's output) from the spawn to the CLI's exit, which a busy machine changes less than the wall
 * time. Where python3-cs is installed, the peer column: the python `cs` client listing the same
 * hosts (bench/peers/cs-list.py, `listHosts(fetch_list=True)` written as indented JSON) from a
 * cloudstack-flavor simulator of the same cloud, started once the CLI's is closed; wall time,
 * peak RSS and CPU taken the same way, the output checked the same way, reported, not judged.
 */
import type {BenchOptions, BenchResult, Measure} from './lib/types.js'

import {FLAVOR_ALGORITHM, signParams} from '../src/lib/api/sign.js'
import {type SimServer, startSimulator} from '../src/sim/http/server.js'
import {csPeerEnv, csPeerMissing, csPeerNote, measureCsPeer, PEER_NAME} from './lib/peer.js'
import {type ChildRun, cliEnv, measureCli, scratchDir} from './lib/process.js'
import {measure, verdict} from './lib/stats.js'

interface Size {
  hosts: number
  /** Measure keys get this suffix ('' for the first size). */
  key: string
  rss: {max: number; text: string}
  runs: number
  wall: {max: number; text: string}
}

const SIZES: Size[] = [
  {
    hosts: 20_000,
    key: '',
    rss: {max: 250, text: '≤ 250 MB'},
    runs: 5,
    wall: {max: 3000, text: '≤ 3 s'},
  },
  {
    hosts: 100_000,
    key: '-100k',
    rss: {max: 200, text: '≤ 200 MB'},
    runs: 3,
    wall: {max: 4000, text: '≤ 4 s'},
  },
]
/** The pages the CLI keeps in flight once the first page gave the count (MoldClient#listPages). */
const PAGES_IN_FLIGHT = 4

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const sizes = opts.smoke
    ? [
        {...SIZES[0], hosts: 200, runs: 1},
        {...SIZES[1], hosts: 700, runs: 1},
      ]
    : opts.hosts === undefined
      ? SIZES
      : [SIZES.find((size) => size.hosts === opts.hosts) ?? {...SIZES[0], hosts: opts.hosts}]
  const measures: Measure[] = []
  const notes: string[] = []
  const details: Record<string, unknown> = {}
  for (const size of sizes) {
    const result = await runSize(size, opts)
    measures.push(...result.measures)
    notes.push(result.note)
    details[String(size.hosts)] = result.details
    if (!csPeerMissing()) measures.push(...(await runPeer(size, opts)))
  }

  if (csPeerMissing()) notes.push(csPeerNote())

  return {
    details: {...details, hosts: sizes[0].hosts},
    id: 'host-list',
    measures,
    notes,
    pass: opts.smoke ? undefined : verdict(measures),
    title: 'host list --json',
  }
}

async function runSize(size: Size, opts: BenchOptions) {
  const runs = opts.smoke ? 1 : (opts.runs ?? size.runs)
  const started = performance.now()
  const sim = await startSimulator({hosts: size.hosts, port: 0, topology: 'large'})
  opts.log(
    `host-list: ${size.hosts.toLocaleString('en')} hosts simulated in ${Math.round(performance.now() - started)} ms`,
  )
  const home = scratchDir('host-list')
  const env = cliEnv(home.path, {
    MOLDCTL_API_KEY: sim.apiKey,
    MOLDCTL_SECRET_KEY: sim.secretKey,
    MOLDCTL_URL: sim.url,
  })
  const wall: number[] = []
  const rss: number[] = []
  const cpu: number[] = []
  const simCpu: number[] = []
  const alone: number[] = []
  let requests = 0
  try {
    // One untimed run first (file cache, the simulator's first answers).
    await listOnce(env, size.hosts)
    for (let i = 0; i < runs; i++) {
      sim.requestLog.length = 0

      const result = await listOnce(env, size.hosts)
      const pages = sim.requestLog.filter((entry) => entry.command === 'listHosts')
      requests = sim.requestLog.length

      alone.push(await replay(sim, pages))
      wall.push(result.wallMs)
      rss.push(result.maxRssMb)
      cpu.push(result.cpuMs)
      simCpu.push(result.runnerCpuMs)
      opts.log(
        `host-list: ${size.hosts} hosts, run ${i + 1}/${runs}: ${Math.round(result.wallMs)} ms, ` +
          `${result.maxRssMb.toFixed(1)} MB, CPU ${Math.round(result.cpuMs)} ms (the simulator's process ` +
          `${Math.round(simCpu.at(-1)!)} ms); the simulator alone ${Math.round(alone.at(-1)!)} ms`,
      )
    }
  } finally {
    home.remove()
    await sim.close()
  }

  const judge = !opts.smoke
  const what = `host list --json, ${size.hosts.toLocaleString('en')} hosts`
  return {
    details: {apiRequestsPerRun: requests, hosts: size.hosts, runs},
    measures: [
      measure({judge, key: `wall${size.key}`, name: `${what}, wall`, target: size.wall, unit: 'ms'}, wall),
      measure({judge, key: `rss${size.key}`, name: `${what}, peak RSS`, target: size.rss, unit: 'MB'}, rss),
      measure({key: `cpu${size.key}`, name: `${what}, CPU of the CLI`, unit: 'ms'}, cpu),
      measure(
        {key: `sim-cpu${size.key}`, name: `${what}, CPU of the simulator's process meanwhile`, unit: 'ms'},
        simCpu,
      ),
      measure(
        {
          key: `sim${size.key}`,
          name: `the simulator alone over the same pages, ${size.hosts.toLocaleString('en')} hosts`,
          unit: 'ms',
        },
        alone,
      ),
    ],
    note: `${size.hosts.toLocaleString('en')} hosts: ${requests} API requests per run (pages of 500; the simulator runs in the benchmark's process)`,
  }
}

async function listOnce(env: NodeJS.ProcessEnv, hosts: number) {
  const result = await measureCli(['host', 'list', '--json'], {env, stdout: 'spool'})
  checkListing('host list', result, hosts)
  return result
}

/** The output is valid JSON holding every host once. */
function checkListing(what: string, result: ChildRun, hosts: number): void {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}: ${result.stderr}`)
  const listed = JSON.parse(result.stdout) as Array<{id: string}>
  const ids = new Set(listed.map((h) => h.id))
  if (listed.length !== hosts || ids.size !== hosts) {
    throw new Error(`${what} printed ${listed.length} hosts (${ids.size} distinct), expected ${hosts}`)
  }
}

/**
 * The python cs peer over the same cloud: a simulator of the cloudstack flavor (the library signs
 * with HMAC-SHA1), one untimed run, then as many timed runs as the CLI had. Its pages go one after
 * the other (the library's fetch_list loop); the simulator's own cost per page is the same.
 */
async function runPeer(size: Size, opts: BenchOptions): Promise<Measure[]> {
  const runs = opts.smoke ? 1 : (opts.runs ?? size.runs)
  const sim = await startSimulator({flavor: 'cloudstack', hosts: size.hosts, port: 0, topology: 'large'})
  const home = scratchDir('host-list-cs')
  const env = csPeerEnv(home.path, sim)
  const wall: number[] = []
  const rss: number[] = []
  const cpu: number[] = []
  const listOnce = async () => {
    const result = await measureCsPeer(['--json'], {env, stdout: 'spool'})
    checkListing(PEER_NAME, result, size.hosts)
    return result
  }

  try {
    await listOnce()
    for (let i = 0; i < runs; i++) {
      const result = await listOnce()
      wall.push(result.wallMs)
      rss.push(result.maxRssMb)
      cpu.push(result.cpuMs)
      opts.log(
        `host-list: ${PEER_NAME}, ${size.hosts} hosts, run ${i + 1}/${runs}: ${Math.round(result.wallMs)} ms, ` +
          `${result.maxRssMb.toFixed(1)} MB, CPU ${Math.round(result.cpuMs)} ms`,
      )
    }
  } finally {
    home.remove()
    await sim.close()
  }

  const what = `${PEER_NAME}, ${size.hosts.toLocaleString('en')} hosts as indented JSON`
  return [
    measure({key: `cs-wall${size.key}`, name: `${what}, wall`, unit: 'ms'}, wall),
    measure({key: `cs-rss${size.key}`, name: `${what}, peak RSS`, unit: 'MB'}, rss),
    measure({key: `cs-cpu${size.key}`, name: `${what}, CPU`, unit: 'ms'}, cpu),
  ]
}

/**
 * Sends the logged requests again (signed anew), the first alone and then PAGES_IN_FLIGHT at a
 * time, as the CLI did; the real milliseconds from the first request to the last answer.
 */
async function replay(sim: SimServer, logged: Array<{params: Record<string, string>}>): Promise<number> {
  const agent = new Agent({keepAlive: true, maxSockets: PAGES_IN_FLIGHT})
  const get = (logParams: Record<string, string>) => {
    const params: Record<string, string> = {}
    for (const [name, value] of Object.entries(logParams)) {
      if (!/^(apikey|signature|expires|signatureversion)$/i.test(name)) params[name] = value
    }

    params.apiKey = sim.apiKey
    params.signature = signParams(params, sim.secretKey, FLAVOR_ALGORITHM[sim.flavor])
    const url = `${sim.url}?${new URLSearchParams(params).toString().replaceAll('+', '%20')}`
    return new Promise<void>((resolve, reject) => {
      request(url, {agent}, (res) => {
        let bytes = 0
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length
        })
        res.on('end', () => {
          if (res.statusCode === 200 && bytes > 0) resolve()
          else reject(new Error(`replayed ${params.command}: HTTP ${res.statusCode}`))
        })
      })
        .on('error', reject)
        .end()
    })
  }

  const started = performance.now()
  try {
    const [first, ...rest] = logged
    if (first) await get(first.params)
    let next = 0
    const worker = async () => {
      while (next < rest.length) {
        await get(rest[next++].params)
      }
    }

    await Promise.all(Array.from({length: PAGES_IN_FLIGHT}, worker))
    return performance.now() - started
  } finally {
    agent.destroy()
  }
}
