import {existsSync, readFileSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import {cpus, loadavg, totalmem} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

/**
 * The benchmark runner behind `npm run bench` (bench/run.ts): runs the benchmark modules asked
 * for (all by default), prints a table of min / median / max against the targets of QUALITY.md,
 * and merges the results into bench/results.json (the other benchmarks' entries are kept).
 *
 *   npm run bench                          every benchmark
 *   npm run bench -- startup host-list     a subset, by module name
 *   npm run bench -- --runs 3              repetitions (also BENCH_RUNS); each has its default
 *   npm run bench -- --hosts 2000          another cloud/database size (host-list, password-rotate)
 *   npm run bench -- --smoke               tiny sizes, one run, no verdict, results.json untouched
 *   npm run bench -- --markdown            print bench/results.json as a Markdown table, run nothing
 */
import type {BenchOptions, BenchResult, Measure} from './types.js'

import {ROOT} from './process.js'

/** Every benchmark, in the order they run, with the CLI commands it needs. */
export const BENCHMARKS: Array<{commands: string[]; id: string}> = [
  {commands: ['host:list'], id: 'startup'},
  {commands: ['host:list'], id: 'startup-instructions'},
  {commands: ['host:list'], id: 'host-list'},
  {commands: ['oobm:power'], id: 'oobm-power'},
  {commands: ['host:password:rotate'], id: 'password-rotate'},
  {commands: ['host:maintenance:enter'], id: 'maintenance-calls'},
]

export const RESULTS_FILE = path.join(ROOT, 'bench', 'results.json')

export interface MachineInfo {
  cpuModel: string
  cpus: number
  date: string
  loadAverageAtEnd: number[]
  loadAverageAtStart: number[]
  memoryMb: number
  node: string
  platform: string
}

export interface ResultEntry extends BenchResult {
  durationMs: number
  machine: MachineInfo
}

export interface ResultsFile {
  benchmarks: Record<string, ResultEntry>
  updated: string
}

/** The benchmark a name on the command line means: its id, with or without dashes, any case ("hostlist"). */
export function benchmarkId(name: string): string | undefined {
  const squash = (text: string) => text.toLowerCase().replaceAll(/[-_]/g, '')
  return BENCHMARKS.find((b) => squash(b.id) === squash(name))?.id
}

/**
 * Why a benchmark cannot run in this checkout (its module or a command it needs is missing), or
 * undefined when it can. The module must export `run` (see bench/README.md).
 */
export function unavailable(id: string, commands: string[]): string | undefined {
  const file = path.join(ROOT, 'bench', `${id}.ts`)
  if (!existsSync(file)) return `bench/${id}.ts is not there`
  // Checked in the text: importing a module that is still a stand-alone script would run it.
  if (!/export\s+(async\s+)?function\s+run\b/.test(readFileSync(file, 'utf8')))
    return `bench/${id}.ts does not export run() (see bench/README.md)`
  const manifestFile = path.join(ROOT, 'oclif.manifest.json')
  if (!existsSync(manifestFile)) return 'no oclif.manifest.json: run npm run build first'
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {commands: Record<string, unknown>}
  const missing = commands.filter((c) => !manifest.commands[c])
  if (missing.length > 0)
    return `the CLI has no \`${missing.map((c) => c.replaceAll(':', ' ')).join('`, `')}\` command`
  return undefined
}

/** Runs one benchmark module; a missing one or a thrown error becomes a result saying so. */
export async function runBenchmark(id: string, opts: BenchOptions): Promise<BenchResult> {
  const entry = BENCHMARKS.find((b) => b.id === id)
  if (!entry) throw new Error(`no benchmark "${id}" (known: ${BENCHMARKS.map((b) => b.id).join(', ')})`)
  const reason = unavailable(id, entry.commands)
  if (reason) return {id, measures: [], notes: [], skipped: `not available: ${reason}`, title: id}
  try {
    const module = (await import(pathToFileURL(path.join(ROOT, 'bench', `${id}.ts`)).href)) as {
      run: (opts: BenchOptions) => Promise<BenchResult>
    }
    return await module.run(opts)
  } catch (error) {
    return {error: (error as Error).message, id, measures: [], notes: [], pass: false, title: id}
  }
}

function machine(loadAverageAtStart: number[]): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    date: new Date().toISOString(),
    loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
    loadAverageAtStart,
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting

export function formatValue(value: number, unit: Measure['unit']): string {
  switch (unit) {
    case 'calls': {
      return String(Math.round(value))
    }

    case 'calls/action': {
      return value.toFixed(2)
    }

    case 'MB': {
      return `${value.toFixed(1)} MB`
    }

    case 'M instructions': {
      return `${Math.round(value)} M`
    }

    case 'ms': {
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`
    }
  }
}

/** "pass", "MISS", "" (not judged), with the ratio when the measure has one. */
function verdictText(m: Measure): string {
  const ratio = m.ratio === undefined ? '' : `${m.ratio.toFixed(2)}×`
  const judged = m.pass === undefined ? '' : m.pass ? 'pass' : 'MISS'
  return [ratio, judged].filter(Boolean).join(' ')
}

interface Row {
  benchmark: string
  max: string
  measure: string
  median: string
  min: string
  target: string
  verdict: string
}

function rows(results: BenchResult[]): Row[] {
  return results.flatMap((r) => {
    if (r.skipped || r.error) {
      const what = r.error ? `ERROR: ${r.error}` : r.skipped!
      return [
        {
          benchmark: r.title,
          max: '',
          measure: what,
          median: '',
          min: '',
          target: '',
          verdict: r.error ? 'FAIL' : '—',
        },
      ]
    }

    return r.measures.map((m, i) => ({
      benchmark: i === 0 ? r.title : '',
      max: formatValue(m.max, m.unit),
      measure: m.name,
      median: formatValue(m.median, m.unit),
      min: formatValue(m.min, m.unit),
      // A relative target ("≤ 2× node -e 0") also shows what it came to in this run.
      target: m.target
        ? m.target.text.includes('×')
          ? `${m.target.text} (${formatValue(m.target.max, m.unit)})`
          : m.target.text
        : '',
      verdict: verdictText(m),
    }))
  })
}

const COLUMNS: Array<[keyof Row, string]> = [
  ['benchmark', 'BENCHMARK'],
  ['measure', 'MEASURE'],
  ['min', 'MIN'],
  ['median', 'MEDIAN'],
  ['max', 'MAX'],
  ['target', 'TARGET'],
  ['verdict', 'RESULT'],
]

/** The results as an aligned text table. */
export function formatTable(results: BenchResult[]): string {
  const all = rows(results)
  const widths = COLUMNS.map(([key, header]) => Math.max(header.length, ...all.map((r) => r[key].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return [line(COLUMNS.map(([, h]) => h)), ...all.map((r) => line(COLUMNS.map(([k]) => r[k])))].join('\n')
}

/** The results as a Markdown table (the README's Performance section). */
export function formatMarkdown(results: BenchResult[]): string {
  const header = ['Benchmark', 'Measure', 'Median', 'Min – max', 'Target', 'Result']
  const body = rows(results).map((r) => [
    r.benchmark,
    r.measure,
    r.median,
    r.min ? `${r.min} – ${r.max}` : '',
    r.target,
    r.verdict,
  ])
  const escape = (cell: string) => cell.replaceAll('|', String.raw`\|`)
  return [header, header.map(() => '---'), ...body]
    .map((cells) => `| ${cells.map((c) => escape(c)).join(' | ')} |`)
    .join('\n')
}

export function readResults(file = RESULTS_FILE): ResultsFile {
  if (!existsSync(file)) return {benchmarks: {}, updated: ''}
  return JSON.parse(readFileSync(file, 'utf8')) as ResultsFile
}

/** Results in benchmark order. */
export function orderedResults(file: ResultsFile): ResultEntry[] {
  return BENCHMARKS.map((b) => file.benchmarks[b.id]).filter((r): r is ResultEntry => r !== undefined)
}

async function writeResults(entries: ResultEntry[], file = RESULTS_FILE): Promise<void> {
  const current = readResults(file)
  for (const entry of entries) current.benchmarks[entry.id] = entry
  current.updated = new Date().toISOString()
  const ordered: ResultsFile = {
    benchmarks: Object.fromEntries(orderedResults(current).map((r) => [r.id, r])),
    updated: current.updated,
  }
  const prettier = await import('prettier')
  const config = (await prettier.resolveConfig(file)) ?? {}
  await writeFile(file, await prettier.format(JSON.stringify(ordered), {...config, parser: 'json'}))
}

// ---------------------------------------------------------------------------------------------
// Command line

/** `npm run bench -- [names...] [--runs N] [--hosts N] [--smoke] [--markdown]`; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const {positionals, values} = parseArgs({
    allowPositionals: true,
    args: argv,
    options: {
      hosts: {type: 'string'},
      markdown: {type: 'boolean'},
      runs: {type: 'string'},
      smoke: {type: 'boolean'},
    },
  })
  if (values.markdown) {
    console.log(formatMarkdown(orderedResults(readResults())))
    return 0
  }

  const known = new Set(BENCHMARKS.map((b) => b.id))
  const asked = positionals.map((p) => benchmarkId(p) ?? p)
  const unknown = asked.filter((p) => !known.has(p))
  if (unknown.length > 0) {
    console.error(`unknown benchmark: ${unknown.join(', ')} (known: ${[...known].join(', ')})`)
    return 2
  }

  const number = (text: string | undefined, name: string) => {
    if (text === undefined) return
    const n = Number(text)
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not "${text}"`)
    return n
  }

  const opts: BenchOptions = {
    hosts: number(values.hosts, 'hosts'),
    log: (line) => console.error(line),
    runs: number(values.runs ?? process.env.BENCH_RUNS, 'runs'),
    smoke: values.smoke,
  }
  const ids =
    positionals.length > 0 ? BENCHMARKS.map((b) => b.id).filter((id) => positionals.includes(id)) : [...known]
  console.error(
    `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  const entries: ResultEntry[] = []
  for (const id of ids) {
    const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)))
    const started = performance.now()
    console.error(`— ${id}`)

    const result = await runBenchmark(id, opts)
    if (result.error) console.error(`${id} failed: ${result.error}`)
    entries.push({
      ...result,
      durationMs: Math.round(performance.now() - started),
      machine: machine(loadAtStart),
    })
  }

  console.log(formatTable(entries))
  for (const entry of entries) for (const note of entry.notes) console.log(`${entry.title}: ${note}`)
  if (opts.smoke) {
    console.log('smoke run: nothing judged, bench/results.json left as it was')
  } else {
    await writeResults(entries)
    console.log(`written: ${path.relative(process.cwd(), RESULTS_FILE)}`)
  }

  const failed = entries.filter((e) => e.error || e.pass === false)
  if (failed.length > 0) console.log(`missed or failed: ${failed.map((e) => e.id).join(', ')}`)
  return failed.length > 0 ? 1 : 0
}
