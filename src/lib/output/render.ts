import {cellValue, type Column, selectColumns} from './columns.js'
import {terminalWidth} from './tty.js'
import {neutraliseCsvCell, visibleCsvText, visibleText, visibleValues} from './visible.js'

export type OutputFormat = 'csv' | 'json' | 'table' | 'yaml'
/** The values of -o: `wide` is a table never cut to the terminal's width. */
export const OUTPUT_FORMATS: Array<'wide' | OutputFormat> = ['table', 'wide', 'json', 'yaml', 'csv']

export interface RenderOptions<T> {
  columns: Column<T>[]
  /** CSV cells as they are (no apostrophe before = + - @, control characters kept): --csv-raw. */
  csvRaw?: boolean
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
      return renderCsv(rows, selectColumns(opts.columns, opts.selected), opts.csvRaw)
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
  opts: {csvRaw?: boolean} = {},
): Promise<string> {
  if (format === 'json') return JSON.stringify(obj, null, 2)
  if (format === 'yaml') {
    const {stringify} = await import('yaml')
    return stringify(obj).trimEnd()
  }

  const columns: Column[] = fields ?? Object.keys(obj).map((key) => ({key}))
  const shown = format === 'csv' ? obj : visibleValues(obj)
  const pairs = columns.map((c) => ({field: c.header ?? c.key, value: cellValue(shown, c)}))
  if (format === 'csv') return renderCsv(pairs, [{key: 'field'}, {key: 'value'}], opts.csvRaw)
  const {default: Table} = await import('cli-table3')
  const table = new Table({...BORDERLESS, wordWrap: false})
  table.push(...pairs.map((p) => [visibleText(p.field), p.value]))
  return trimLines(table.toString())
}

/** One CSV field (RFC 4180 quoting); unless raw, neutralised for spreadsheets and made visible. */
export function csvField(s: string, raw = false): string {
  const text = raw ? s : visibleCsvText(neutraliseCsvCell(s))
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function renderCsv<T>(rows: T[], columns: Column<T>[], raw = false): string {
  const lines = [columns.map((c) => csvField(c.key, raw)).join(',')]
  for (const row of rows) lines.push(columns.map((c) => csvField(cellValue(row, c), raw)).join(','))
  return lines.join('\n')
}

/**
 * A borderless table that fits `width` (like kubectl's and gh's), drawn by cli-table3: the
 * widths are decided here (fitWidths: when the natural widths are too wide, the columns that can
 * give way are narrowed) and cli-table3 draws the cells in them, cutting with an ellipsis. Wide
 * characters (Korean host names) count two columns, as string-width measures them.
 */
export async function renderTable<T>(rows: T[], columns: Column<T>[], width: number): Promise<string> {
  const {cells, headers, widths} = await tableLayout(rows, columns, width)
  const text = await drawTable(headers, cells, widths)
  // What was drawn ahead was for this table: nothing else is printed from it.
  drawnAhead.clear()
  cellsOfRow = undefined
  return text
}

/**
 * Draws, ahead of renderTable, the parts of the table of `rows` whose rows are final
 * (`opts.ready(index)`), while the others are still coming (a batch's hosts): TABLE_CHUNK rows at a
 * time, each as renderTable would draw it in the widths the rows give now, with a turn of the
 * event loop between parts. renderTable takes a part drawn ahead only when its cells and widths
 * are the ones it has (rows not final yet may stand in with what is known of them: should a
 * later row widen a column, the parts are simply drawn again), so the text is the same.
 * `opts.stopped()` ends the drawing (the table is being printed).
 */
export async function prepareTable<T>(
  rows: T[],
  columns: Column<T>[],
  opts: {ready: (index: number) => boolean; stopped?: () => boolean; width: number},
): Promise<void> {
  const {ready, stopped = () => false, width} = opts
  cellsOfRow ??= new WeakMap()
  const {cells, headers, widths} = await tableLayout(rows, columns, width)
  for (let start = 0; start < cells.length; start += TABLE_CHUNK) {
    if (stopped()) return
    const end = Math.min(cells.length, start + TABLE_CHUNK)
    let final = true
    for (let i = start; i < end && final; i++) final = ready(i)
    if (!final) continue
    const head = start === 0 ? headers : undefined
    const key = chunkKey(head, cells.slice(start, end), widths)
    if (drawnAhead.has(key)) continue
    // eslint-disable-next-line no-await-in-loop
    const text = await drawChunk(head, cells.slice(start, end), widths)
    if (stopped()) return
    if (drawnAhead.size >= DRAWN_AHEAD_MAX) drawnAhead.delete(drawnAhead.keys().next().value!)
    drawnAhead.set(key, text)
    // eslint-disable-next-line no-await-in-loop
    await new Promise((resolve) => {
      setImmediate(resolve)
    })
  }
}

/** The headers, the cells (as shown) and the width of each column of a table of `rows`. */
async function tableLayout<T>(
  rows: T[],
  columns: Column<T>[],
  width: number,
): Promise<{cells: string[][]; headers: string[]; widths: number[]}> {
  const {default: stringWidth} = await import('string-width')
  const measure = (text: string) => (ASCII.test(text) ? text.length : stringWidth(text))
  const headers = columns.map((c) => c.header ?? c.key.toUpperCase())
  const natural = headers.map((h) => measure(h))
  // Per column: some cell is filled, and every filled cell is a UUID.
  const filled = columns.map(() => false)
  const uuids = columns.map(() => true)
  const cells: string[][] = []
  for (const row of rows) {
    const info = rowCells(row, columns, measure)
    cells.push(info.cells)
    for (let i = 0; i < columns.length; i++) {
      natural[i] = Math.max(natural[i], info.widths[i])
      filled[i] ||= info.cells[i] !== ''
      uuids[i] &&= info.uuids[i]
    }
  }

  const widths = fitWidths(
    natural.map((w, i) => ({
      header: measure(headers[i]),
      kind: columnKind(columns[i], filled[i] && uuids[i], w),
      width: w,
    })),
    width - GAP * (columns.length - 1),
  )
  return {cells, headers, widths}
}

/** A row as a table shows it: its cells, their display widths, which are empty or a UUID. */
interface RowCells {
  cells: string[]
  uuids: boolean[]
  widths: number[]
}

/**
 * While a table is drawn ahead (from prepareTable to renderTable), each row's cells for the
 * columns last asked: a row is read once, not at every part drawn. Rows given as ready are final.
 */
let cellsOfRow: undefined | WeakMap<object, {columns: unknown[]; row: RowCells}>

/**
 * A row's cells as shown: server text is shown, not obeyed (an escape or a newline in a name stays
 * inside its cell, visible as \x1b, \n); the columns' own line breaks become spaces, their colours stay.
 */
function rowCells<T>(row: T, columns: Column<T>[], measure: (text: string) => number): RowCells {
  const memo = cellsOfRow && typeof row === 'object' && row !== null ? cellsOfRow : undefined
  const known = memo?.get(row as object)
  if (known && known.columns === columns) return known.row
  const shown = visibleValues(row)
  const cells = columns.map((c) => cellValue(shown, c).replaceAll(/\s*\n\s*/g, ' '))
  const info = {
    cells,
    uuids: cells.map((cell) => cell === '' || UUID.test(cell)),
    widths: cells.map((cell) => measure(cell)),
  }
  memo?.set(row as object, {columns, row: info})
  return info
}

/**
 * Aligned columns without a header or a width limit, drawn by cli-table3 like every table: the
 * text blocks of plans and reports that line things up (a plan's hosts, doctor's checks, the bars
 * under a capacity table). Wide characters count two columns and colour escapes none, so names
 * line up whatever they hold; rows may have fewer cells than others (the rest are empty); the
 * last column is not padded. `minWidths`: columns at least this wide (to line up with lines
 * printed at another time).
 */
export async function alignColumns(rows: string[][], opts: {minWidths?: number[]} = {}): Promise<string[]> {
  if (rows.length === 0) return []
  const {default: stringWidth} = await import('string-width')
  const count = Math.max(...rows.map((row) => row.length))
  const cells = rows.map((row) => Array.from({length: count}, (_, i) => row[i] ?? ''))
  const widths = Array.from({length: count}, (_, i) =>
    Math.max(
      opts.minWidths?.[i] ?? 0,
      ...cells.map((row) => (ASCII.test(row[i]) ? row[i].length : stringWidth(row[i]))),
    ),
  )
  return (await drawTable(undefined, cells, widths)).split('\n')
}

/**
 * Draws cells in the given display widths (each column followed by the gap), the header first
 * when there is one; cut cells end in an ellipsis. cli-table3's layout grows faster than linearly
 * with the number of rows, so the rows are drawn in tables of TABLE_CHUNK rows in the same widths,
 * which line up as one table.
 */
async function drawTable(
  headers: string[] | undefined,
  cells: string[][],
  widths: number[],
): Promise<string> {
  const parts: string[] = []
  for (let start = 0; start === 0 || start < cells.length; start += TABLE_CHUNK) {
    const head = start === 0 ? headers : undefined
    const chunk = cells.slice(start, start + TABLE_CHUNK)
    const ahead = drawnAhead.size > 0 ? drawnAhead.get(chunkKey(head, chunk, widths)) : undefined
    // eslint-disable-next-line no-await-in-loop
    parts.push(ahead ?? (await drawChunk(head, chunk, widths)))
  }

  return parts.filter((part) => part !== '').join('\n')
}

/** One table of cli-table3: the rows (and the header, when given) in the widths, lines trimmed. */
async function drawChunk(
  headers: string[] | undefined,
  cells: string[][],
  widths: number[],
): Promise<string> {
  const {default: Table} = await import('cli-table3')
  tableParts.drawn++
  const options = {...BORDERLESS, colWidths: widths.map((w) => w + GAP), truncate: '…', wordWrap: false}
  const table = new Table(headers ? {...options, head: headers} : options)
  table.push(...cells)
  return trimLines(table.toString())
}

/** How many parts of tables cli-table3 drew in this process (for tests). */
export const tableParts = {drawn: 0}

/** Parts of a table drawn by prepareTable, by chunkKey (a few tables' worth at most). */
const drawnAhead = new Map<string, string>()
const DRAWN_AHEAD_MAX = 256

/**
 * What a part of a table is drawn from: the header (if any), the widths and the cells. The last
 * column is not padded (lines are trimmed), so its width only matters to the cells it cuts: a
 * width every cell of the part fits in is one key, `fit` (a late row that widens the last column,
 * a longer message, leaves the parts drawn ahead as they are).
 */
function chunkKey(headers: string[] | undefined, cells: string[][], widths: number[]): string {
  const last = widths.length - 1
  const fits = [headers?.[last] ?? '', ...cells.map((row) => row[last] ?? '')].every(
    (text) => (ASCII.test(text) ? text.length : Infinity) <= widths[last],
  )
  const shown = fits ? [...widths.slice(0, last), 'fit'] : widths
  const lines = cells.map((row) => row.join('\u001F'))
  return [headers ? headers.join('\u001F') : '', shown.join(','), ...lines].join('\u001E')
}

/** cli-table3 without borders or colours: cells padded on the right by the gap between columns. */
const BORDERLESS = {
  chars: {
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
  },
  style: {border: [], compact: true, head: [], 'padding-left': 0, 'padding-right': 2},
}
/** Rows per cli-table3 table (25: each is drawn in a few milliseconds, as fast per row as 100). */
const TABLE_CHUNK = 25

function trimLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
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

function columnKind<T>(column: Column<T>, allUuids: boolean, width: number): ColumnKind {
  if (allUuids) return 'long'
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
