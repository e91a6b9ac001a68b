import type {PageStream} from '../lib/api/paging.js'
import type {Column} from '../lib/output/columns.js'
import type {OutputFormat} from '../lib/output/render.js'

import {UsageError} from '../lib/core/errors.js'
import {visibleLines} from '../lib/output/visible.js'

/*
 * How a command prints rows in the format asked for (BaseCommand's printRows, printRowPages,
 * watchRows): the rendering of lib/output with the command's flags, its --columns checked.
 */

/** What printing takes from the command running. */
export interface PrintContext {
  /** Whether a change was sent (an unknown column is then a warning, not a usage error). */
  changed: boolean
  /** --columns, --csv-raw, -o (wide), --interval. */
  flags: Record<string, unknown>
  format: OutputFormat
  /** --json: oclif prints what run() returns. */
  json: boolean
  /** A JSON colour theme is configured (oclif then prints the JSON itself). */
  jsonTheme: boolean
  /** A line on stdout (BaseCommand#log). */
  log: (text: string) => void
  /** A line on stderr (BaseCommand#logToStderr). */
  note: (text: string) => void
}

/** Counts printRows calls: a table drawn ahead stops once rows are printed. */
let printings = 0

/**
 * Prints rows in the chosen format (stdout). With --json oclif prints what run() returns, so
 * nothing is printed here; commands return the same rows.
 */
export async function printRows<R>(
  ctx: PrintContext,
  rows: R[],
  columns: Column<R>[],
  opts: {empty?: string} = {},
): Promise<void> {
  printings++
  if (ctx.json) return
  const {flags, format} = ctx
  if (format === 'table' && rows.length === 0) {
    ctx.note(opts.empty ?? 'Nothing found.')
    return
  }

  const [{renderRows}, {parseColumns}] = await Promise.all([
    import('../lib/output/render.js'),
    import('../lib/output/columns.js'),
  ])
  let selected = parseColumns(flags.columns as string | undefined)
  if (format === 'table' || format === 'csv') selected = await checkedColumns(ctx, selected, columns, rows)
  const width = flags.output === 'wide' ? Number.POSITIVE_INFINITY : undefined
  ctx.log(await renderRows(rows, {columns, csvRaw: flags['csv-raw'] === true, format, selected, width}))
}

/**
 * prepareRows draws at most this often: each look at the rows costs a little (about 2 ms at
 * 1,000 rows), so every 150 ms rather than 50 (oobm-power bench: ~100 ms less CPU, the same
 * wall time; at most ~150 ms of rows are left to draw at the end).
 */
export const PREPARE_EVERY_MS = 150

/**
 * A runner of the latest work given to it: at most one every `everyMs`, one at a time; work
 * given meanwhile replaces what waits (its failure is nobody's: drawing ahead is a shortcut).
 * The timer does not keep the process alive.
 */
export function latestEvery(everyMs: number): (work: () => Promise<void>) => void {
  let next: (() => Promise<void>) | undefined
  let running: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  const run = () => {
    timer = undefined
    const work = next
    next = undefined
    if (!work) return
    running = work()
      .catch(() => {})
      .finally(() => {
        running = undefined
        if (next) timer = setTimeout(run, everyMs).unref()
      })
  }

  return (work) => {
    next = work
    if (timer || running) return
    timer = setTimeout(run, everyMs).unref()
  }
}

/**
 * Draws ahead, while rows are still coming, the parts of the table printRows will print whose
 * rows are `ready` (render.ts prepareTable), so that little is left to draw when the last row
 * comes. Only for a table of the command's own columns (not --columns, other formats, --json);
 * it stops when printRows is called.
 */
export async function prepareRows<R>(
  ctx: PrintContext,
  rows: R[],
  columns: Column<R>[],
  ready: (index: number) => boolean,
): Promise<void> {
  const {flags, format} = ctx
  if (ctx.json || format !== 'table' || flags.columns !== undefined || rows.length === 0) return
  const at = printings
  const [{prepareTable}, {terminalWidth}] = await Promise.all([
    import('../lib/output/render.js'),
    import('../lib/output/tty.js'),
  ])
  const width = flags.output === 'wide' ? Number.POSITIVE_INFINITY : terminalWidth()
  await prepareTable(rows, columns, {ready, stopped: () => printings !== at, width})
}

/**
 * Prints a list that arrives page by page (MoldClient#listPages). JSON (--json or -o json),
 * YAML and CSV are written as each page comes, in order, while later pages are still being
 * fetched, so memory holds the pages in flight, not the list; the text is what printRows (and
 * oclif's --json) prints for the whole list. A table needs every row for its widths: it is
 * printed with printRows at the end. Returns the rows for a table, else undefined (the rows
 * are already written: oclif prints nothing more under --json). `onStream` is handed the
 * writing under way, which an error exit waits for.
 */
export async function printRowPages<R>(
  ctx: PrintContext,
  pages: AsyncIterable<R[]>,
  columns: Column<R>[],
  opts: {empty?: string; onStream: (write: Promise<unknown>) => void},
): Promise<R[] | undefined> {
  const {flags, format} = ctx
  if (format === 'table' || (ctx.json && ctx.jsonTheme)) {
    const rows: R[] = []
    for await (const page of pages) rows.push(...page)
    if (ctx.json) return rows
    await printRows(ctx, rows, columns, opts)
    return rows
  }

  const [{JSON_ITEMS, writeJsonPages, writeRowStream}, {parseColumns}] = await Promise.all([
    import('../lib/output/stream.js'),
    import('../lib/output/columns.js'),
  ])
  const selected = parseColumns(flags.columns as string | undefined)
  // JSON straight from the answers' bytes where the pages come from the client (never parsed).
  const write =
    format === 'json' && isPageStream(pages)
      ? writeJsonPages(process.stdout, pages.decoded(JSON_ITEMS))
      : writeRowStream(process.stdout, pages, {
          columns,
          csvRaw: flags['csv-raw'] === true,
          format,
          onFirstPage: format === 'csv' ? (rows) => checkedColumns(ctx, selected, columns, rows) : undefined,
          selected,
        })
  opts.onStream(write)
  await write
  return undefined
}

/** Whether the pages come from the client (MoldClient#listPages), which can hand them over as their answers' bytes. */
function isPageStream<R>(pages: AsyncIterable<R[]>): pages is PageStream<R> {
  return typeof (pages as Partial<PageStream<R>>).decoded === 'function'
}

/**
 * `--watch`: polls with `poll` every --interval seconds (else `intervalSeconds`) and shows the
 * rows (lib/output/watch.ts) until `signal` (Ctrl-C or SIGTERM, which end it normally, exit 0).
 * Redrawn at a terminal, printed on change elsewhere, one JSON line per look under --json or
 * -o json; yaml and csv are refused.
 */
export async function watchRows<R>(
  ctx: PrintContext,
  poll: () => Promise<R[]>,
  columns: Column<R>[],
  opts: {empty?: string; intervalSeconds: number; signal: AbortSignal; title: string},
): Promise<void> {
  const {flags, format} = ctx
  if (format === 'yaml' || format === 'csv')
    throw new UsageError(`-o ${format} does not combine with --watch`, [
      'use --json for one JSON document per line, or a table',
    ])
  const [{watchRows: watch}, {renderRows}, {parseColumns}] = await Promise.all([
    import('../lib/output/watch.js'),
    import('../lib/output/render.js'),
    import('../lib/output/columns.js'),
  ])
  const live = Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb'
  const width = flags.output === 'wide' ? Number.POSITIVE_INFINITY : undefined
  const render = async (rows: R[]) => {
    if (rows.length === 0) return opts.empty ?? 'Nothing found.'
    const selected = await checkedColumns(
      ctx,
      parseColumns(flags.columns as string | undefined),
      columns,
      rows,
    )
    return visibleLines(await renderRows(rows, {columns, format: 'table', selected, width}))
  }

  await watch({
    intervalMs: ((flags.interval as number | undefined) ?? opts.intervalSeconds) * 1000,
    mode: format === 'json' ? 'json-lines' : live ? 'live' : 'changes',
    note: (line) => process.stderr.write(`${line}\n`),
    poll,
    render,
    signal: opts.signal,
    title: opts.title,
    write: (text) => process.stdout.write(text),
  })
}

/**
 * The --columns names that exist in the rows: unknown ones are a usage error, or after a
 * change (exit 2, "nothing was changed", would be untrue) a warning on stderr.
 */
async function checkedColumns<R>(
  ctx: PrintContext,
  selected: string[] | undefined,
  columns: Column<R>[],
  rows: R[],
): Promise<string[] | undefined> {
  if (!selected) return selected
  const {unknownColumns} = await import('../lib/output/columns.js')
  const {unknown, valid} = unknownColumns(selected, columns, rows)
  if (unknown.length === 0) return selected
  const {suggest} = await import('../lib/core/suggest.js')
  const near = unknown.flatMap((name) => suggest(name, valid, 1))
  const message = `unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `"${n}"`).join(', ')}`
  const hints = [
    ...(near.length > 0 ? [`did you mean ${near.join(', ')}?`] : []),
    `columns: ${valid.join(', ')} (dotted paths reach nested fields)`,
  ]
  if (!ctx.changed) throw new UsageError(message, hints)
  process.stderr.write(`Warning: ${message}\n${hints.map((h) => `  ${h}\n`).join('')}`)
  return selected.filter((name) => !unknown.includes(name))
}
