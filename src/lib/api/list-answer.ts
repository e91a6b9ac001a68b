/*
 * A page of a list read straight from the bytes of its answer, for a reader that has no use for
 * the items as objects (the JSON output re-indents their text, output/json-reindent.ts): the
 * envelope is read here, the items by the reader. The server writes a list page as
 * `{"<command>response":{"count":N,"<item>":[...]}}`, without whitespace (ApiResponseSerializer
 * .toJSONSerializedString in apache/cloudstack, server/src/main/java/com/cloud/api/response/).
 * Any other text — an error, an empty list (`{}`), a page past the end (`{count}`), fields in
 * another order or more of them — is left to JSON.parse and listPage (envelope.ts) as before, so
 * that what is refused and how stays theirs.
 */

/** The items of the array at bytes[start] (its `[`), or undefined to have the answer parsed. */
export type ItemsReader<U> = (
  bytes: Uint8Array,
  start: number,
) => undefined | {end: number; items: U; length: number}

export interface ListAnswerPage<U> {
  count: number
  /** What the reader made of the items. */
  items: U
  /** The item key (`host`, `cluster`...). */
  key: string
  /** How many items the page has. */
  length: number
}

const QUOTE = 0x22

/** The end of the plain string (printable ASCII, no escape) whose quote is at bytes[pos], else -1. */
function plainStringEnd(bytes: Uint8Array, pos: number): number {
  if (bytes[pos] !== QUOTE) return -1
  for (let p = pos + 1; p < bytes.length; p++) {
    const c = bytes[p]
    if (c === QUOTE) return p + 1
    if (c < 0x20 || c > 0x7e || c === 0x5c) return -1
  }

  return -1
}

function skipSpace(bytes: Uint8Array, pos: number): number {
  let p = pos
  while (bytes[p] === 0x20 || bytes[p] === 0x0a || bytes[p] === 0x0d || bytes[p] === 0x09) p++
  return p
}

/** bytes[pos] is `c`, spaces before it allowed: the position after it, else -1. */
function expect(bytes: Uint8Array, pos: number, c: number): number {
  const p = skipSpace(bytes, pos)
  return bytes[p] === c ? p + 1 : -1
}

/** The text of the bytes [start, end). */
function text(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString()
}

/** `"name":` at bytes[pos] (spaces allowed): the name and the position after the colon, else undefined. */
function member(bytes: Uint8Array, pos: number): undefined | {end: number; name: string} {
  const start = skipSpace(bytes, pos)
  const nameEnd = plainStringEnd(bytes, start)
  const end = nameEnd < 0 ? -1 : expect(bytes, nameEnd, 0x3a)
  return end < 0 ? undefined : {end: skipSpace(bytes, end), name: text(bytes, start + 1, nameEnd - 1)}
}

/** A whole number as the server writes it (no sign, no leading zero, no fraction or exponent) at bytes[pos]. */
function count(bytes: Uint8Array, pos: number): undefined | {end: number; value: number} {
  let end = pos
  while (bytes[end] >= 0x30 && bytes[end] <= 0x39) end++
  const digits = end - pos
  if (digits === 0 || digits > 15 || (bytes[pos] === 0x30 && digits > 1)) return undefined
  return {end, value: Number(text(bytes, pos, end))}
}

/**
 * A list page `{"name":{"count":N,"key":[...]}}` (JSON whitespace allowed between the tokens)
 * read from its bytes, the items by `readItems`; `expectKey`, when given, is the only item key
 * taken. Undefined for any other text.
 */
export function readListAnswer<U>(
  bytes: Uint8Array,
  readItems: ItemsReader<U>,
  expectKey?: string,
): ListAnswerPage<U> | undefined {
  const open = expect(bytes, 0, 0x7b)
  const response = open < 0 ? undefined : member(bytes, open)
  const inner = response && bytes[response.end] === 0x7b ? member(bytes, response.end + 1) : undefined
  const total = inner?.name === 'count' ? count(bytes, inner.end) : undefined
  const comma = total ? expect(bytes, total.end, 0x2c) : -1
  const list = comma < 0 ? undefined : member(bytes, comma)
  // A digit first: JSON.parse's object would list the key before "count" (not worth the care).
  if (!total || !list || list.name === 'count' || /^\d/.test(list.name)) return undefined
  if (expectKey !== undefined && list.name !== expectKey) return undefined
  const items = readItems(bytes, list.end)
  const closed = items ? expect(bytes, items.end, 0x7d) : -1
  const end = closed < 0 ? -1 : expect(bytes, closed, 0x7d)
  if (!items || end < 0 || skipSpace(bytes, end) !== bytes.length) return undefined
  return {count: total.value, items: items.items, key: list.name, length: items.length}
}
