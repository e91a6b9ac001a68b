/** A column of table/csv output; `key` is an API field name or a dotted path into one. */
export interface Column<T = Record<string, unknown>> {
  /** Value shown; defaults to the field at `key`. */
  get?: (row: T) => unknown
  /** Header text; defaults to the key upper-cased. */
  header?: string
  key: string
  /** false: never narrowed to fit the terminal (names, ids); other columns give way first. */
  shrink?: false
}

/**
 * The parts of a dotted path; a part in double quotes may hold dots itself
 * (`details."Host.OS.Kernel.Version"` is `details` then `Host.OS.Kernel.Version`).
 */
export function pathParts(path: string): string[] {
  return [...path.matchAll(/"([^"]*)"|([^.]+)/g)].map((m) => m[1] ?? m[2])
}

/** The field at a dotted path (`outofbandmanagement.powerstate`, `details."Host.OS"`). */
export function fieldAt(row: unknown, path: string): unknown {
  let value: unknown = row
  for (const part of pathParts(path)) {
    if (value === null || value === undefined || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }

  return value
}

/** Text for one cell: objects and arrays compact JSON, missing values empty. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/**
 * The columns to show: the command's defaults, or those named with --columns (any API field,
 * in the order given; a name matching a default column keeps its header and formatting).
 */
export function selectColumns<T>(defaults: Column<T>[], selected?: string[]): Column<T>[] {
  if (!selected || selected.length === 0) return defaults
  return selected.map((name) => defaults.find((c) => c.key === name) ?? {key: name})
}

/** The names of a --columns value (`name,ipaddress, state`), blanks dropped. */
export function parseColumns(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  return names.length > 0 ? names : undefined
}

/**
 * The names in `selected` that are no column: neither a default column's key nor a field (or a
 * dotted path to one) of any row. With no rows the fields are unknown, so only obvious
 * nonsense could be refused; nothing is. `valid` lists what may be named, for the message.
 */
export function unknownColumns<T>(
  selected: string[],
  defaults: Column<T>[],
  rows: T[],
): {unknown: string[]; valid: string[]} {
  const keys = new Set(defaults.map((c) => c.key))
  const fields = new Set<string>()
  for (const row of rows) {
    if (row && typeof row === 'object') for (const key of Object.keys(row)) fields.add(key)
  }

  const sortedFields = [...fields].sort()
  const valid = [...keys, ...sortedFields.filter((field) => !keys.has(field))]
  if (rows.length === 0) return {unknown: [], valid}
  const unknown = selected.filter(
    (name) => !keys.has(name) && !fields.has(name) && !rows.some((row) => fieldAt(row, name) !== undefined),
  )
  return {unknown, valid}
}

export function cellValue<T>(row: T, column: Column<T>): string {
  return cellText(column.get ? column.get(row) : fieldAt(row, column.key))
}
