/**
 * Text from the server made safe for a terminal: control characters are shown, not obeyed. An
 * escape (ESC, `\x1b`) could set the window title, clear the screen or recolour what follows; a
 * carriage return or newline in a host name could overwrite a line or forge a table row; Unicode
 * direction overrides could reorder what is read. Each becomes a visible escape (`\x1b`, `\n`,
 * `\u202e`). JSON and YAML output keep the exact values; only text for people goes through here.
 */

const NAMED: Record<string, string> = {'\n': String.raw`\n`, '\r': String.raw`\r`, '\t': String.raw`\t`}

// C0, DEL, C1, and the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g
// Line breaks (LF, and CR LF: a PEM from the server has them) and tabs (oclif indents its parse
// errors with one; a tab moves right, it cannot overwrite or forge a line) kept; colour (SGR:
// ESC [ digits ; m) kept, as moldctl's own colours are; the rest shown, a lone CR too.
const UNSAFE_IN_LINES =
  // eslint-disable-next-line no-control-regex
  /\u001B\[[\d;]*m|\r(?!\n)|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g
// In a CSV cell (quoted as RFC 4180 says) tab, LF and CR are data; the rest is shown.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_CSV = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g

function show(char: string): string {
  if (char.length > 1) return char
  const named = NAMED[char]
  if (named) return named
  const code = char.codePointAt(0)!
  return code < 0x1_00
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`
}

/** One value (a table cell, a name, an error text): every control character shown. */
export function visibleText(text: string): string {
  return text.replaceAll(UNSAFE, show)
}

/**
 * Lines of text for people (messages, headings, a drawn table): line breaks kept, every other
 * control character shown. Server values inside them should have gone through visibleText.
 */
export function visibleLines(text: string): string {
  return text.replaceAll(UNSAFE_IN_LINES, show)
}

/**
 * One line for people (a progress line, a spinner's text): as visibleLines, and a line break in it
 * shown too, so that a host name cannot add a line to a block that is redrawn in place.
 */
export function visibleLine(text: string): string {
  return visibleLines(text).replaceAll(/\r?\n/g, (end) => (end === '\n' ? String.raw`\n` : String.raw`\r\n`))
}

/** A CSV cell's text: tab and line breaks kept (the quoting holds them), the rest shown. */
export function visibleCsvText(text: string): string {
  return text.replaceAll(UNSAFE_IN_CSV, show)
}

/**
 * A copy of an API object with every string in it made visible (visibleText), for a table: the
 * columns then format and colour safe values (their own colours stay).
 */
export function visibleValues<T>(value: T): T {
  if (typeof value === 'string') return visibleText(value) as T
  if (Array.isArray(value)) return value.map((item: unknown) => visibleValues(item)) as T
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[visibleText(key)] = visibleValues(item)
    return out as T
  }

  return value
}

/** Whether a CSV cell would be read as a formula by a spreadsheet (= + - @, or tab/CR first). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A CSV cell that a spreadsheet will not run: a value starting with = + - @ (or a tab or CR)
 * gets a leading apostrophe (OWASP's advice on CSV injection). Plain negative numbers stay as
 * they are. `--csv-raw` skips this.
 */
export function neutraliseCsvCell(value: string): string {
  if (!FORMULA_START.test(value) || /^-\d+(\.\d+)?$/.test(value)) return value
  return `'${value}`
}
