/**
 * The one seam between lib and the terminal. BaseCommand builds a `Ui` for each command run and
 * passes it to lib: lib says what to show and asks, the Ui decides how (stdout or stderr, a live
 * terminal or plain lines, --json, --yes). Lib never writes to stdout/stderr, reads the terminal
 * or imports oclif itself.
 */
import type {Column} from '../output/columns.js'
import type {Activity} from '../output/spinner.js'
import type {BatchCounts} from './batch-progress.js'

/** Progress of several items: on a terminal a live line per item, otherwise time-stamped lines. */
export interface ProgressSink {
  /** Leaves the block as it is; later updates start a new one. */
  done(): void
  /** A line above the live block (or a plain line). */
  note(text: string): void
  /** The line of item `key`. */
  set(key: string, text: string): void
}

/** Progress of a batch: a bar on a terminal, a line per tenth elsewhere. */
export interface BatchProgressSink {
  finish(counts: BatchCounts): void
  update(counts: BatchCounts): void
}

export interface Ui {
  /**
   * One long wait shown on stderr: a spinner at a terminal, plain time-stamped lines elsewhere
   * (with `quiet`, none).
   */
  activity(text: string, opts?: {quiet?: boolean}): Promise<Activity>
  /** A batch progress bar labelled `label` (e.g. "STATUS"). */
  batchProgress(label: string): Promise<BatchProgressSink>
  /**
   * Asks a yes/no question (default No). --yes, or a pick the operator already confirmed,
   * answers yes; without a terminal and without --yes it is a usage error naming --yes.
   */
  confirm(question: string): Promise<boolean>
  /** A debug line on stderr under --debug, else nothing. */
  debug(line: string): void
  /** --json: the result is printed as JSON, so log and note print nothing. */
  readonly json: boolean
  /** True when stderr is a live terminal (redrawn lines, elapsed clocks). */
  readonly live: boolean
  /** A line of output on stdout (nothing under --json). */
  log(line: string): void
  /** A line for the operator on stderr (nothing under --json). */
  note(line: string): void
  /**
   * A line on stderr also with --json: what happens to the hosts acted on must not vanish from
   * the logs of scripts.
   */
  noteAlways(line: string): void
  /**
   * Lets the output get ready for printRows of these rows while some are still coming: rows
   * `ready(index)` are final, the others stand in with what is known of them. Called as often as
   * rows change; it works at most every 150 ms, never fails, never prints.
   */
  prepareRows?<R>(rows: R[], columns: Column<R>[], ready: (index: number) => boolean): void
  /** Rows in the chosen output format on stdout (nothing under --json). */
  printRows<R>(rows: R[], columns: Column<R>[]): Promise<void>
  /** Live per-item progress lines on stderr. */
  progress(): Promise<ProgressSink>
  /** Fired by Ctrl-C, SIGTERM or SIGHUP (the listening starts when first read). */
  readonly signal: AbortSignal
  /** `Warning: ...` on stderr (nothing under --json). */
  warn(message: string): void
}
