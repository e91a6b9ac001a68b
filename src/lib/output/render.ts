import {cellValue, type Column, selectColumns} from './columns.js'
import {terminalWidth} from './tty.js'

export type OutputFormat = 'csv' | 'json' | 'table' | 'yaml'
/** The values of -o: `wide` is a table never cut to the terminal's width. */
export const OUTPUT_FORMATS: Array<'wide' | OutputFormat> = ['table', 'wide', 'json', 'yaml', 'csv']

export interface RenderOptions<T> {
  columns: Column<T>[]
  format: OutputFormat
  /** Names given with --columns. */
  selected?: string[]
  /** Display columns to fit the table into; Infinity (-o wide, not a terminal) cuts nothing. */
  width?: number
}

/**
 * The text for a list of rows in the chosen format. JSON and YAML carry the full API objects
 * (the API's own field names); table and CSV show the chosen columns.
 */
export async function renderRows<T>(rows: T[], opts: RenderOptions<T>): Promise<string> {
  switch (opts.format) {
    case 'csv': {
      return renderCsv(rows, selectColumns(opts.columns, opts.selected))
    }

    case 'json': {
      return JSON.stringify(rows, null, 2)
    }

    case 'yaml': {
      const {stringify} = await import('yaml')
      return stringify(rows).trimEnd()
    }

    default: {
      return renderTable(rows, selectColumns(opts.columns, opts.selected), opts.width ?? terminalWidth())
    }
  }
}

/** A single object (e.g. `host show`): JSON/YAML as is, table as field/value pairs. */
export async function renderObject(
  obj: Record<string, unknown>,
  format: OutputFormat,
  fields?: Column[],
): Promise<string> {
  if (format === 'json') return JSON.stringify(obj, null, 2)
  if (format === 'yaml') {
    const {stringify} = await import('yaml')
    return stringify(obj).trimEnd()
  }

  const columns: Column[] = fields ?? Object.keys(obj).map((key) => ({key}))
  const pairs = columns.map((c) => ({field: c.header ?? c.key, value: cellValue(obj, c)}))
  if (format === 'csv') return renderCsv(pairs, [{key: 'field'}, {key: 'value'}])
  const keyWidth = Math.max(...pairs.map((p) => p.field.length))
  return pairs.map((p) => `${p.field.padEnd(keyWidth)}  ${p.value}`).join('\n')
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

export function renderCsv<T>(rows: T[], columns: Column<T>[]): string {
  const lines = [columns.map((c) => csvField(c.key)).join(',')]
  for (const row of rows) lines.push(columns.map((c) => csvField(cellValue(row, c))).join(','))
  return lines.join('\n')
}

/**
 * A borderless table that fits `width`: when the natural widths are too wide, columns are
 * narrowed (see fitWidths) and their cells cut with an ellipsis. Written here rather than with
 * cli-table3, which took 3.7 s for 5,000 rows (a big cloud lists 20,000 hosts).
 */
export async function renderTable<T>(rows: T[], columns: Column<T>[], width: number): Promise<string> {
  const {default: stringWidth} = await import('string-width')
  const measure = (text: string) => (ASCII.test(text) ? text.length : stringWidth(text))
  const headers = columns.map((c) => c.header ?? c.key.toUpperCase())
  const cells = rows.map((row) => columns.map((c) => cellValue(row, c).replaceAll(/\s*\n\s*/g, ' ')))
  const natural = headers.map((h) => measure(h))
  for (const row of cells) {
    for (const [i, cell] of row.entries()) natural[i] = Math.max(natural[i], measure(cell))
  }

  const widths = fitWidths(
    natural.map((w, i) => ({
      header: measure(headers[i]),
      kind: columnKind(columns[i], cells, i, w),
      width: w,
    })),
    width - GAP * (columns.length - 1),
  )
  const last = columns.length - 1
  const line = (values: string[]) =>
    values
      .map((value, i) => {
        const fitted = fit(value, widths[i], measure)
        return i === last ? fitted.text : fitted.text + ' '.repeat(widths[i] - fitted.width + GAP)
      })
      .join('')
      .trimEnd()
  return [line(headers), ...cells.map((r) => line(r))].join('\n')
}

const GAP = 2
const ASCII = /^[\u0020-\u007E]*$/
const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i
/** Wider than this, a column holds free text (paths, messages, lists) rather than a state or a number. */
const FREE_TEXT_WIDTH = 24

/**
 * How a column gives way when the table is too wide: `long` (UUIDs, free text) first, then
 * `short` (states, numbers, short names), never `fixed` (shrink: false, except UUIDs: an id is
 * recognisable by its first characters).
 */
export type ColumnKind = 'fixed' | 'long' | 'short'

function columnKind<T>(column: Column<T>, cells: string[][], i: number, width: number): ColumnKind {
  const values = cells.map((row) => row[i]).filter((v) => v !== '')
  if (values.length > 0 && values.every((v) => UUID.test(v))) return 'long'
  if (column.shrink === false) return 'fixed'
  return width > FREE_TEXT_WIDTH ? 'long' : 'short'
}

export interface ColumnFit {
  /** Display width of the header. */
  header: number
  kind: ColumnKind
  /** Natural display width (the widest cell or the header). */
  width: number
}

/**
 * The width of each column so that they fit `budget` (the line width less the gaps): the widest
 * `long` column is narrowed one step at a time (to 8 at the least: a UUID's first group), then,
 * if that is not enough, the widest `short` one (to its header, 4 at the least, never below 12
 * unless its header is shorter). `fixed` columns keep their width; a table that cannot fit is
 * left wider than the budget. An infinite budget changes nothing.
 */
export function fitWidths(columns: ColumnFit[], budget: number): number[] {
  const widths = columns.map((c) => c.width)
  const minimum = columns.map((c) =>
    c.kind === 'fixed'
      ? c.width
      : c.kind === 'long'
        ? Math.min(c.width, 8)
        : Math.min(c.width, Math.max(4, Math.min(c.header, 12))),
  )
  let total = widths.reduce((a, b) => a + b, 0)
  for (const kind of ['long', 'short'] as const) {
    while (total > budget) {
      let widest = -1
      for (let i = 0; i < widths.length; i++) {
        if (columns[i].kind === kind && widths[i] > minimum[i] && (widest < 0 || widths[i] > widths[widest]))
          widest = i
      }

      if (widest < 0) break
      widths[widest]--
      total--
    }
  }

  return widths
}

/** The text cut to `width` display columns (with an ellipsis when cut), and its width. */
function fit(text: string, width: number, measure: (s: string) => number): {text: string; width: number} {
  const full = measure(text)
  if (full <= width) return {text, width: full}
  let cut = ''
  let used = 0
  for (const char of text) {
    const w = measure(char)
    if (used + w > width - 1) break
    cut += char
    used += w
  }

  return {text: `${cut}…`, width: used + 1}
}
