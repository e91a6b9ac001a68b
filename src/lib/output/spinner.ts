import {noColorRequested} from './color.js'
import {isLiveStderr} from './tty.js'
import {visibleLine} from './visible.js'

/**
 * One long wait shown on stderr (logging in, a job, many pages, a database transaction). On a
 * terminal an ora spinner with the text; elsewhere (logs, CI, cron) plain time-stamped lines:
 * the start, each change of text, and the end, and with `quiet` nothing at all (for waits that
 * are usually short, where a log line each time would be noise).
 *
 * Multi-host progress (drains, OOBM batches, rolling maintenance) is not drawn here but by
 * ProgressLines and BatchProgressReporter: a spinner is one line, those are a block of them.
 */
export interface Activity {
  /** Ends the wait with a failure mark (terminal) or line. */
  fail(text?: string): void
  /** A spinner (true) or plain lines, which print every change of text. */
  readonly live: boolean
  /** Ends the wait, leaving nothing on a terminal. */
  stop(): void
  /** Ends the wait with a success mark (terminal) or line. */
  succeed(text?: string): void
  /** Changes the text. */
  update(text: string): void
}

export interface ActivityOptions {
  /** Live (spinner) or plain lines; defaults to whether stderr is a terminal. */
  live?: boolean
  /** Plain mode prints nothing. */
  quiet?: boolean
  stream?: NodeJS.WriteStream
}

/** Starts showing a wait (ora is loaded only here, and only on a terminal). */
export async function startActivity(message: string, opts: ActivityOptions = {}): Promise<Activity> {
  // The text may carry server names: one line, control characters shown (output/visible.ts).
  const text = visibleLine(message)
  const stream = opts.stream ?? process.stderr
  if (!(opts.live ?? isLiveStderr())) return plainActivity(text, stream, opts.quiet === true)
  const {default: ora} = await import('ora')
  const spinner = ora({
    // ora colours its frames through chalk, which does not read NO_COLOR (https://no-color.org).
    color: noColorRequested() ? false : 'cyan',
    // ora would otherwise put stdin in raw mode: Ctrl-C must stay a signal, secrets stay readable.
    discardStdin: false,
    isEnabled: true,
    stream: withKnownWidth(stream),
    text,
  }).start()
  return {
    fail: (end) => spinner.fail(end === undefined ? spinner.text : visibleLine(end)),
    live: true,
    stop: () => spinner.stop(),
    succeed: (end) => spinner.succeed(end === undefined ? spinner.text : visibleLine(end)),
    update(next) {
      spinner.text = visibleLine(next)
    },
  }
}

function plainActivity(text: string, stream: NodeJS.WriteStream, quiet: boolean): Activity {
  let current = text
  const line = (value: string) => {
    if (!quiet) stream.write(`${timestamp()} ${visibleLine(value)}\n`)
  }

  line(text)
  return {
    fail: (end) => line(end ?? `${current}: failed`),
    live: false,
    stop() {},
    succeed: (end) => line(end ?? `${current}: done`),
    update(next) {
      if (next !== current) line(next)
      current = next
    },
  }
}

/**
 * The stream as ora sees it, with a width. A pseudo-terminal that was never given a size
 * (`script`, some CI runners, serial consoles) reports 0 columns; ora divides by the width to
 * count the lines it must clear, and with 0 it would never stop clearing. COLUMNS, else 80.
 */
function withKnownWidth(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'columns') {
        const fromEnv = Number(process.env.COLUMNS)
        return target.columns || (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80)
      }

      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

export function timestamp(): string {
  return new Date().toISOString().slice(11, 19)
}
