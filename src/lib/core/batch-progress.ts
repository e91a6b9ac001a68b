import {visibleLines} from '../output/visible.js'

/**
 * Progress of a batch on stderr: a bar redrawn in place on a terminal (at most ten times a
 * second), or — in logs, CI and cron — one plain line per tenth of a batch of 20 or more.
 */
export interface BatchCounts {
  done: number
  failed: number
  /** In flight when the operator interrupted (still running on the server). */
  interrupted?: number
  ok: number
  skipped?: number
  total: number
  /** Answers lost after the request was sent, not settled by a read: outcome unknown. */
  unknown?: number
}

/** `[#########...........]  450/1000  ok 440  failed 10  3.2 s` (width of the bar in cells). */
export function formatProgressBar(counts: BatchCounts, elapsedSeconds: number, barWidth = 30): string {
  const fraction = counts.total === 0 ? 1 : counts.done / counts.total
  const filled = Math.round(fraction * barWidth)
  const bar = '#'.repeat(filled) + '.'.repeat(barWidth - filled)
  const width = String(counts.total).length
  return `[${bar}] ${formatCounts(counts, width)}  ${elapsedSeconds.toFixed(1)} s`
}

/** `450/1000 (45%)  ok 440  failed 10` — the plain-line form. */
export function formatProgressLine(counts: BatchCounts): string {
  const percent = counts.total === 0 ? 100 : Math.floor((counts.done / counts.total) * 100)
  return `${formatCounts(counts, 0)} (${percent}%)`
}

function formatCounts(counts: BatchCounts, width: number): string {
  const skipped = counts.skipped ? `  skipped ${counts.skipped}` : ''
  const interrupted = counts.interrupted ? `  interrupted ${counts.interrupted}` : ''
  const unknown = counts.unknown ? `  unknown ${counts.unknown}` : ''
  return `${String(counts.done).padStart(width)}/${counts.total}  ok ${counts.ok}  failed ${counts.failed}${unknown}${skipped}${interrupted}`
}

/** Batches smaller than this print no plain progress lines. */
const PLAIN_MINIMUM = 20

export interface ProgressReporterOptions {
  /** Label in front of each line, e.g. "STATUS". */
  label: string
  /** Redraw in place (a terminal) or print plain lines. */
  live: boolean
  now?: () => number
  stream: Pick<NodeJS.WriteStream, 'write'>
}

export class BatchProgressReporter {
  private lastDraw = -Infinity
  private lastTenth = 0
  private readonly now: () => number
  private readonly options: ProgressReporterOptions
  private readonly started: number

  constructor(options: ProgressReporterOptions) {
    this.options = options
    this.now = options.now ?? (() => performance.now())
    this.started = this.now()
  }

  /** Ends the live line (leaving the final bar visible) or prints the final plain line. */
  finish(counts: BatchCounts): void {
    if (this.options.live) {
      this.draw(counts)
      this.options.stream.write('\n')
    } else if (this.lastTenth < 10 && counts.total >= PLAIN_MINIMUM) {
      this.options.stream.write(`${this.options.label} ${formatProgressLine(counts)}\n`)
      this.lastTenth = 10
    }
  }

  /** Prints a line without breaking the bar. */
  note(message: string): void {
    const text = visibleLines(message)
    if (this.options.live) this.options.stream.write(`\r\u001B[2K${text}\n`)
    else this.options.stream.write(`${text}\n`)
    this.lastDraw = -Infinity
  }

  update(counts: BatchCounts): void {
    if (this.options.live) {
      const now = this.now()
      if (now - this.lastDraw < 100 && counts.done < counts.total) return
      this.lastDraw = now
      this.draw(counts)
      return
    }

    // Small batches (under 20) get no plain progress lines: the summary says it all.
    if (counts.total < PLAIN_MINIMUM) return
    const tenth = counts.total === 0 ? 10 : Math.floor((counts.done / counts.total) * 10)
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth
      this.options.stream.write(`${this.options.label} ${formatProgressLine(counts)}\n`)
    }
  }

  private draw(counts: BatchCounts): void {
    const elapsed = (this.now() - this.started) / 1000
    this.options.stream.write(`\r\u001B[2K${this.options.label} ${formatProgressBar(counts, elapsed)}`)
  }
}
