import {isLiveStderr} from './tty.js'
import {visibleLine, visibleLines} from './visible.js'

/**
 * Progress on stderr. On a terminal, a block of lines redrawn in place (one per item, e.g. per
 * host); elsewhere (logs, CI, cron) a plain time-stamped line whenever an item's text changes.
 */
export class ProgressLines {
  private drawn = 0
  private readonly lines = new Map<string, string>()
  private readonly live: boolean
  private readonly stream: NodeJS.WriteStream

  constructor(opts: {live?: boolean; stream?: NodeJS.WriteStream} = {}) {
    this.stream = opts.stream ?? process.stderr
    this.live = opts.live ?? isLiveStderr()
  }

  /** Leaves the current block on screen as it is; later updates start a new block. */
  done(): void {
    this.drawn = 0
    this.lines.clear()
  }

  /** Prints a line above the live block (or as a plain line). */
  note(message: string): void {
    const text = visibleLines(message)
    if (this.live) {
      this.clear()
      this.stream.write(`${text}\n`)
      this.draw()
    } else {
      this.stream.write(`${timestamp()} ${text}\n`)
    }
  }

  /** Sets the line for `key`; redraws (TTY) or prints it if it changed (plain). */
  set(key: string, line: string): void {
    // Host names come from the server: shown, never obeyed (a newline would break the block).
    const text = visibleLine(line)
    const before = this.lines.get(key)
    this.lines.set(key, text)
    if (this.live) {
      this.clear()
      this.draw()
    } else if (before !== text) {
      this.stream.write(`${timestamp()} ${text}\n`)
    }
  }

  private clear(): void {
    if (this.drawn > 0) this.stream.write(`\u001B[${this.drawn}F\u001B[0J`)
    this.drawn = 0
  }

  private draw(): void {
    const width = this.stream.columns || 80
    for (const text of this.lines.values()) this.stream.write(`${text.slice(0, width - 1)}\n`)
    this.drawn = this.lines.size
  }
}

function timestamp(): string {
  return new Date().toISOString().slice(11, 19)
}
