/**
 * The contract between the benchmark runner (bench/run.ts) and each benchmark module: a module
 * exports `run(opts: BenchOptions): Promise<BenchResult>` (see bench/README.md).
 */

export interface BenchOptions {
  /** The size of the simulated cloud or database, where the benchmark has one (default: its own). */
  hosts?: number
  /** Progress lines (the runner prints them on stderr). */
  log: (line: string) => void
  /** Repetitions of each measured run; every benchmark has its own default. */
  runs?: number
  /** Tiny sizes and one run: checks that the benchmark still works (CI), says nothing about speed. */
  smoke?: boolean
}

/** A judged bound: the median must be at most `max` (in the measure's unit). */
export interface Target {
  max: number
  /** As QUALITY.md states it, e.g. "≤ 2× node -e 0" or "≤ 3 s". */
  text: string
}

export interface Measure {
  /** Stable key within the benchmark, e.g. "version-wall". */
  key: string
  max: number
  median: number
  min: number
  /** What was measured, e.g. "moldctl --version, wall". */
  name: string
  /** True/false when judged against the target; undefined when only reported. */
  pass?: boolean
  /** Median divided by the reference's median (e.g. node -e 0), when there is one. */
  ratio?: number
  samples: number[]
  target?: Target
  unit: 'calls' | 'calls/action' | 'MB' | 'M instructions' | 'ms'
}

export interface BenchResult {
  /** Anything worth keeping beside the measures (sizes, commands, counts). */
  details?: Record<string, unknown>
  /** Set by the runner when the benchmark threw: the message (the benchmark counts as failed). */
  error?: string
  /** Module name, e.g. "startup". */
  id: string
  measures: Measure[]
  /** Lines worth reading beside the numbers. */
  notes: string[]
  /** Every judged measure met its target; undefined when nothing was judged (smoke run, not available). */
  pass?: boolean
  /** Set when the benchmark could not run here (command or database missing): why. */
  skipped?: string
  title: string
}

export type Benchmark = (opts: BenchOptions) => Promise<BenchResult>
