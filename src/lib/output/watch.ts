/* eslint-disable no-await-in-loop -- a watch looks, shows, then waits: one step after the other by design */
import {sleep} from '../core/sleep.js'
import {visibleLine} from './visible.js'

/*
 * `--watch`: the same look again and again until the operator stops it (Ctrl-C, SIGTERM), as
 * `kubectl get -w` does. How it shows depends on where stdout goes:
 * - `live` (a terminal): the screen is cleared and redrawn in place each interval, under a header
 *   line with the time and "Ctrl-C to stop";
 * - `changes` (a pipe, a file, a log): the rows are printed only when they changed, each block
 *   after a time-stamped line, so a log reads as the history of the changes;
 * - `json-lines` (--json): one compact JSON document per poll, one per line.
 * A failed poll shows its error and the watch goes on; `maxFailures` failures in a row end it with
 * the last error. The first poll's failure ends it at once: nothing was ever shown (a wrong host
 * name, bad keys), so there is nothing to keep watching.
 */

export type WatchMode = 'changes' | 'json-lines' | 'live'

/** Consecutive failed polls that end a watch. */
export const WATCH_MAX_FAILURES = 3

/** Cursor to the top left, then clear to the end of the screen. */
const HOME_CLEAR = '\u001B[H\u001B[J'

export interface WatchOptions<R> {
  intervalMs: number
  maxFailures?: number
  mode: WatchMode
  /** Lines on stderr: failed polls outside `live`. */
  note: (line: string) => void
  /** The time shown (tests and the clock of the header). */
  now?: () => Date
  /** One look: the rows now. */
  poll: () => Promise<R[]>
  /** The rows as text (the table, or the "nothing found" line). */
  render: (rows: R[]) => Promise<string> | string
  /** Ends the watch (Ctrl-C, SIGTERM). */
  signal: AbortSignal
  /** What is watched, for the header: e.g. `moldctl host maintenance status`. */
  title: string
  /** Raw text on stdout. */
  write: (text: string) => void
}

/** What a watch did, for the caller (and its tests). */
export interface WatchResult {
  polls: number
  /** Blocks printed (frames at a terminal, changes in a pipe, JSON lines). */
  printed: number
}

function clock(date: Date): string {
  return date.toISOString().slice(11, 19)
}

function stamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** Polls and shows the rows until the signal fires; resolves then (the watch's normal end). */
export async function watchRows<R>(opts: WatchOptions<R>): Promise<WatchResult> {
  const now = opts.now ?? (() => new Date())
  const maxFailures = opts.maxFailures ?? WATCH_MAX_FAILURES
  const seconds = opts.intervalMs / 1000
  const result: WatchResult = {printed: 0, polls: 0}
  let failures = 0
  let lastBody: string | undefined

  const frame = (time: Date, body: string, error?: string) => {
    const header = `Every ${seconds}s: ${opts.title}    ${stamp(time)}    Ctrl-C to stop`
    const problem = error === undefined ? '' : `${error}\n`
    opts.write(`${HOME_CLEAR}${header}\n${problem}\n${body}\n`)
    result.printed++
  }

  while (!opts.signal.aborted) {
    let rows: R[]
    try {
      rows = await opts.poll()
    } catch (error) {
      if (opts.signal.aborted) break
      failures++
      if (result.polls === 0 || failures >= maxFailures) throw error
      const time = now()
      const message = visibleLine((error as Error).message)
      const line = `error: ${message} (failure ${failures} of ${maxFailures} in a row; next look in ${seconds}s)`
      if (opts.mode === 'live') frame(time, lastBody ?? '', line)
      else opts.note(`${clock(time)} ${line}`)
      await sleep(opts.intervalMs, opts.signal)
      continue
    } finally {
      result.polls++
    }

    if (opts.signal.aborted) break
    failures = 0
    const time = now()
    switch (opts.mode) {
      case 'changes': {
        const body = await opts.render(rows)
        if (body !== lastBody) {
          const first = lastBody === undefined
          opts.write(`${first ? '' : '\n'}--- ${stamp(time)}${first ? '' : ' (changed)'} ---\n${body}\n`)
          result.printed++
        }

        lastBody = body
        break
      }

      case 'json-lines': {
        opts.write(`${JSON.stringify({rows, time: time.toISOString()})}\n`)
        result.printed++
        break
      }

      case 'live': {
        lastBody = await opts.render(rows)
        frame(time, lastBody)
        break
      }
    }

    await sleep(opts.intervalMs, opts.signal)
  }

  return result
}
