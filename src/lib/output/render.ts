import {cellValue, type Column, selectColumns} from './columns.js'
import {terminalWidth} from './tty.js'

export type OutputFormat = 'csv' | 'json' | 'table' | 'yaml'
export const OUTPUT_FORMATS: OutputFormat[] = ['table', 'json', 'yaml', 'csv']

export interface RenderOptions<T> {
  columns: Column<T>[]
  format: OutputFormat
  /** Names given with --columns. */
  selected?: string[]
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
 * A borderless table that fits `width`: when the natural widths are too wide, the widest columns
 * are narrowed and their cells cut with an ellipsis. Printable-ASCII tables (nearly all) are laid
 * out directly; others go through cli-table3, whose layout pass grows with the square of the rows
 * (about a second for 1,000 rows).
 */
export async function renderTable<T>(rows: T[], columns: Column<T>[], width: number): Promise<string> {
  const headers = columns.map((c) => c.header ?? c.key.toUpperCase())
  const cells = rows.map((row) => columns.map((c) => cellValue(row, c).replaceAll(/\s*\n\s*/g, ' ')))
  const widths = headers.map((h) => h.length)
  for (const r of cells) for (const [i, cell] of r.entries()) widths[i] = Math.max(widths[i], cell.length)
  fitWidths(
    widths,
    columns.map((c, i) => (c.shrink === false ? widths[i] : Math.max(4, Math.min(headers[i].length, 12)))),
    width - GAP * (columns.length - 1),
  )
  if (headers.every((h) => isPrintableAscii(h)) && cells.every((r) => r.every((c) => isPrintableAscii(c)))) {
    return [headers, ...cells].map((r) => plainLine(r, widths)).join('\n')
  }

  return cliTable(headers, cells, widths)
}

/** The table as cli-table3 lays it out (any text, including wide characters and colours). */
export async function cliTable(headers: string[], cells: string[][], widths: number[]): Promise<string> {
  const {default: Table} = await import('cli-table3')
  const table = new Table({
    chars: BORDERLESS,
    colWidths: widths.map((w) => w + GAP),
    head: headers,
    style: {border: [], compact: true, head: [], 'padding-left': 0, 'padding-right': GAP},
    wordWrap: false,
  })
  table.push(...cells)
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
}

const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/

function isPrintableAscii(text: string): boolean {
  return PRINTABLE_ASCII.test(text)
}

/** One line the way cli-table3 prints it for printable ASCII: cut with an ellipsis, padded, trimmed. */
function plainLine(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => {
      const fitted = cell.length <= widths[i] ? cell : `${cell.slice(0, Math.max(0, widths[i] - 1))}…`
      return fitted.padEnd(widths[i] + GAP)
    })
    .join('')
    .trimEnd()
}

const GAP = 2
const BORDERLESS = {
  bottom: '',
  'bottom-left': '',
  'bottom-mid': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  middle: '',
  right: '',
  'right-mid': '',
  top: '',
  'top-left': '',
  'top-mid': '',
  'top-right': '',
}

function fitWidths(widths: number[], minimums: number[], budget: number): void {
  let total = widths.reduce((a, b) => a + b, 0)
  while (total > budget) {
    let widest = -1
    for (let i = 0; i < widths.length; i++) {
      if (widths[i] > minimums[i] && (widest < 0 || widths[i] > widths[widest])) widest = i
    }

    if (widest < 0) break
    widths[widest]--
    total--
  }
}
