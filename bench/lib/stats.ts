import type {BenchResult, Measure, Target} from './types.js'

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits))

/** Decimals kept of a unit's values: calls per action are near 1, where 1.2 and 1.3 hide a 1.25. */
const DIGITS: Partial<Record<Measure['unit'], number>> = {'calls/action': 3}

export interface MeasureSpec {
  /** Judge the median against the target (default true when there is a target). */
  judge?: boolean
  key: string
  name: string
  /** The reference's median (e.g. node -e 0): gives the ratio. */
  reference?: number
  target?: Target
  unit: Measure['unit']
}

/** A measure from its samples: min/median/max, and the verdict when a target is given and judged. */
export function measure(spec: MeasureSpec, samples: number[]): Measure {
  const {key, name, unit} = spec
  const opts = spec
  if (samples.length === 0) throw new Error(`${name}: no samples`)
  const mid = median(samples)
  const digits = DIGITS[unit] ?? 1
  const result: Measure = {
    key,
    max: round(Math.max(...samples), digits),
    median: round(mid, digits),
    min: round(Math.min(...samples), digits),
    name,
    samples: samples.map((s) => round(s, digits)),
    unit,
  }
  if (opts.reference !== undefined) result.ratio = round(mid / opts.reference, 2)
  if (opts.target) {
    result.target = {max: round(opts.target.max), text: opts.target.text}
    if (opts.judge !== false) result.pass = mid <= opts.target.max
  }

  return result
}

/** The benchmark's verdict: all judged measures pass; undefined when none was judged. */
export function verdict(measures: Measure[]): boolean | undefined {
  const judged = measures.filter((m) => m.pass !== undefined)
  return judged.length === 0 ? undefined : judged.every((m) => m.pass)
}

/** A result for a benchmark that cannot run here. */
export function skipped(id: string, title: string, reason: string): BenchResult {
  return {id, measures: [], notes: [], skipped: reason, title}
}
