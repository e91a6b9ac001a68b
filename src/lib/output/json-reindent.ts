import {isUtf8} from 'node:buffer'

/*
 * The items of a JSON array written as `JSON.stringify(items, null, 2)` writes them inside the
 * list, straight from the bytes of an answer: no JSON.parse into objects, no stringify, no string
 * to encode again. A page of 500 hosts is about 1 MB of compact JSON: parsed, stringified and
 * encoded it took some 5.5 ms of CPU and left its objects and strings to the garbage collector;
 * re-indented from the bytes it takes about 2.5 ms and leaves one buffer.
 *
 * The text must be exactly what parse-then-stringify gives, so everything where the two could
 * differ is either done as stringify does it or refused (undefined: the caller parses the page
 * as before): bytes that are not UTF-8, anything JSON.parse would refuse (raw control characters
 * in strings, bad literals and numbers, trailing commas...), a key given twice in one object
 * (JSON.parse keeps the last value at the first place), a key that starts with a digit (an
 * array index, which JSON.parse's objects list first), an escape in a key, nesting deeper than
 * 63. Numbers that stringify would write otherwise (`1.50`, `1e3`, `-0`, 16 digits or more) are
 * written as stringify writes them; strings with escapes are decoded and encoded again.
 */

export interface ItemsText {
  /** The buffer `text` was written in (the one given, or a larger one). */
  buffer: Buffer
  /** Where the array ends in the bytes (just after its `]`). */
  end: number
  /** How many items the array has. */
  length: number
  /**
   * The items as the whole list's `JSON.stringify(list, null, 2)` writes them after an earlier
   * item: `,\n`, then each item indented by two spaces, joined by `,\n` (empty for no items).
   */
  text: Buffer
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const MINUS = 0x2d
const PLUS = 0x2b
const DOT = 0x2e
const ZERO = 0x30
const NINE = 0x39
const OPEN_OBJECT = 0x7b
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const NEWLINE = 0x0a
const SPACE = 0x20
const LOWER_E = 0x65
const UPPER_E = 0x45

const MAX_DEPTH = 64
/** Room kept free in the output before each step: a newline and the deepest indentation. */
const SLACK = 2 * MAX_DEPTH + 16
/** Key slots per nesting level for the duplicate check (open addressing; at most half used). */
const SLOT_BITS = 10
const SLOTS = 1 << SLOT_BITS
const MAX_KEYS = SLOTS / 2
/** 2^32 / φ: multiplied by it, a hash's high bits depend on all of its bits (the slot is taken from them). */
const GOLDEN = -1_640_531_535

// The keys seen in the object open at each depth: a slot belongs to that object while its epoch
// is the object's (every object gets a new epoch, so nothing is cleared).
const slotEpoch = new Int32Array(MAX_DEPTH * SLOTS)
const slotHash = new Int32Array(MAX_DEPTH * SLOTS)
const slotStart = new Int32Array(MAX_DEPTH * SLOTS)
const slotLength = new Int32Array(MAX_DEPTH * SLOTS)
const objectEpoch = new Int32Array(MAX_DEPTH)
const objectKeys = new Int32Array(MAX_DEPTH)
let lastEpoch = 0

/** 1 for the bytes a string holds as they are: not its quote, a backslash or a control character. */
const PLAIN = new Uint8Array(256).fill(1)
PLAIN.fill(0, 0, SPACE)
PLAIN[QUOTE] = 0
PLAIN[BACKSLASH] = 0

/** Bytes and a view of them as 32-bit words (little-endian, at any offset). */
interface Words {
  bytes: Uint8Array
  view: DataView
}

function wordsOf(bytes: Uint8Array): Words {
  return {bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)}
}

/**
 * Copies the plain bytes of a string (PLAIN) from src[p] to out[o], four at a time while no
 * byte of the four is special (the classic has-less and has-zero tests on a 32-bit word); the
 * position of the first byte that is not plain. `out` has room for the rest of `src`.
 */
function copyPlain(src: Words, p: number, out: Words, o: number): number {
  const from = src.view
  const to = out.view
  const last = src.bytes.length - 4
  let q = p
  let w = o
  while (q <= last) {
    const word = from.getUint32(q, true)
    const quote = word ^ 0x22_22_22_22
    const backslash = word ^ 0x5c_5c_5c_5c
    const special =
      ((word - 0x20_20_20_20) & ~word) |
      ((quote - 0x01_01_01_01) & ~quote) |
      ((backslash - 0x01_01_01_01) & ~backslash)
    if ((special & 0x80_80_80_80) !== 0) break
    to.setUint32(w, word, true)
    q += 4
    w += 4
  }

  const {bytes} = src
  const target = out.bytes
  while (PLAIN[bytes[q]] === 1) target[w++] = bytes[q++]
  return q
}

const TRUE = Buffer.from('true')
const FALSE = Buffer.from('false')
const NULL = Buffer.from('null')

/** The literal (`true`, `false`, `null`) at src[pos], if there is one. */
function literalAt(src: Uint8Array, pos: number): Uint8Array | undefined {
  const literal = src[pos] === 0x74 ? TRUE : src[pos] === 0x66 ? FALSE : src[pos] === 0x6e ? NULL : undefined
  if (!literal) return undefined
  for (let i = 1; i < literal.length; i++) if (src[pos + i] !== literal[i]) return undefined
  return literal
}

/** The number src[start, end) as stringify writes it: 1.50 → 1.5, 1E3 → 1000, -0 → 0, 1e400 → null. */
function stringifiedNumber(src: Uint8Array, start: number, end: number): string {
  let text = ''
  for (let i = start; i < end; i++) text += String.fromCodePoint(src[i])
  const value = Number(text)
  return Number.isFinite(value) ? String(value) : 'null'
}

function isSpace(c: number): boolean {
  return c === SPACE || c === NEWLINE || c === 0x0d || c === 0x09
}

function grown(out: Buffer, used: number, need: number): Buffer {
  const bigger: Buffer = Buffer.allocUnsafe(Math.max(out.length * 2, used + need))
  out.copy(bigger, 0, 0, used)
  return bigger
}

/**
 * A hash of the key src[start, end) from its length and three of its bytes: no loop over the
 * key, and keys that share it are told apart by their bytes (newKey).
 */
function keyHash(src: Uint8Array, start: number, end: number): number {
  const length = end - start
  return Math.imul(
    (length << 24) ^ (src[start] << 16) ^ (src[start + (length >> 1)] << 8) ^ src[end - 1],
    GOLDEN,
  )
}

/**
 * Notes the key of src[start, end) (its bytes between the quotes) in the object open at
 * `depth`; false when that object has it already (or has too many keys to check).
 */
function newKey(src: Uint8Array, start: number, end: number, depth: number): boolean {
  if (++objectKeys[depth] > MAX_KEYS) return false
  const hash = keyHash(src, start, end)
  const base = depth * SLOTS
  const epoch = objectEpoch[depth]
  const length = end - start
  let slot = hash >>> (32 - SLOT_BITS)
  while (slotEpoch[base + slot] === epoch) {
    const at = base + slot
    if (slotHash[at] === hash && slotLength[at] === length) {
      const other = slotStart[at]
      let same = true
      for (let i = 0; i < length; i++) {
        if (src[other + i] !== src[start + i]) {
          same = false
          break
        }
      }

      if (same) return false
    }

    slot = (slot + 1) & (SLOTS - 1)
  }

  const at = base + slot
  slotEpoch[at] = epoch
  slotHash[at] = hash
  slotStart[at] = start
  slotLength[at] = length
  return true
}

function openObject(depth: number): void {
  if (lastEpoch === 0x7f_ff_ff_ff) {
    slotEpoch.fill(0)
    lastEpoch = 0
  }

  objectEpoch[depth] = ++lastEpoch
  objectKeys[depth] = 0
}

/** Set by numberEnd: whether stringify writes the number as it is. */
let verbatimNumber = false

/**
 * The end of the number at src[pos] (JSON's grammar), -1 when it is none; verbatimNumber tells
 * whether stringify writes it as it is (a whole number of at most 15 digits, not -0).
 */
function numberEnd(src: Uint8Array, pos: number): number {
  const start = pos
  let c = src[pos]
  if (c === MINUS) c = src[++pos]
  if (c === ZERO) {
    c = src[++pos]
  } else if (c > ZERO && c <= NINE) {
    do c = src[++pos]
    while (c >= ZERO && c <= NINE)
  } else return -1

  verbatimNumber = pos - start <= 15 && !(src[start] === MINUS && src[start + 1] === ZERO)
  if (c === DOT) {
    verbatimNumber = false
    pos = digitsEnd(src, pos + 1)
    if (pos < 0) return -1
    c = src[pos]
  }

  if (c === LOWER_E || c === UPPER_E) {
    verbatimNumber = false
    c = src[++pos]
    if (c === PLUS || c === MINUS) pos++
    pos = digitsEnd(src, pos)
  }

  return pos
}

/** The end of the digits at src[pos] (one at least), else -1. */
function digitsEnd(src: Uint8Array, pos: number): number {
  let p = pos
  while (src[p] >= ZERO && src[p] <= NINE) p++
  return p === pos ? -1 : p
}

/** The end of the string with escapes starting at src[pos] (its quote), -1 if it has none or a control character. */
function escapedStringEnd(src: Uint8Array, pos: number): number {
  let p = pos + 1
  for (;;) {
    const c = src[p]
    if (c === QUOTE) return p + 1
    if (!(c >= SPACE)) return -1
    p += c === BACKSLASH ? 2 : 1
  }
}

/**
 * The items of the JSON array at src[start] (its `[`), re-indented (see ItemsText), written in
 * `into` when it is large enough for them; undefined when the bytes are not a JSON array or
 * where the text could differ from parse-then-stringify.
 */
// eslint-disable-next-line complexity -- one loop over the bytes, its positions and output in locals (not passed and returned per token)
export function reindentItems(src: Uint8Array, start: number, into?: Buffer): ItemsText | undefined {
  if (src[start] !== OPEN_ARRAY || !isUtf8(src)) return undefined
  let pos = start + 1
  while (isSpace(src[pos])) pos++
  const empty = Buffer.alloc(0)
  if (src[pos] === CLOSE_ARRAY) return {buffer: empty, end: pos + 1, length: 0, text: empty}
  // Room for the text as a page of hosts has it (1.25 times the bytes); more is made as needed.
  const room = Math.ceil((src.length - start) * 1.3) + 4 * SLACK
  // A new buffer has room for a slightly larger page too: the next page can be written in it.
  let out: Buffer = into && into.length >= room ? into : Buffer.allocUnsafe(room + (room >> 3))
  const words = wordsOf(src)
  // What copyPlain writes in (`out` is replaced as it grows).
  let outWords = wordsOf(out)
  let o = 0
  out[o++] = COMMA
  out[o++] = NEWLINE
  // The kind of container (its opening bracket) at each depth; depth 0 is the array of items.
  const kinds = new Uint8Array(MAX_DEPTH)
  kinds[0] = OPEN_ARRAY
  let depth = 0
  let items = 0
  out[o++] = SPACE
  out[o++] = SPACE
  let expectKey = false
  for (;;) {
    // A value (or, in an object, a key) starts at pos.
    if (o + SLACK > out.length) out = grown(out, o, SLACK)
    let c = src[pos]
    if (expectKey) {
      // "key": copied and checked on the way (room as for a string, below).
      if (c !== QUOTE) return undefined
      if (out.length - o < src.length - pos + SLACK) out = grown(out, o, src.length - pos + SLACK)
      if (outWords.bytes !== out) outWords = wordsOf(out)

      out[o++] = QUOTE
      const keyStart = pos + 1
      c = src[keyStart]
      if (c >= ZERO && c <= NINE) return undefined
      const p = copyPlain(words, keyStart, outWords, o)
      o += p - keyStart
      c = src[p]

      if (c !== QUOTE) return undefined

      if (!newKey(src, keyStart, p, depth)) return undefined
      out[o++] = QUOTE
      pos = p + 1
      while (isSpace(src[pos])) pos++
      if (src[pos] !== COLON) return undefined
      pos++
      while (isSpace(src[pos])) pos++
      out[o++] = COLON
      out[o++] = SPACE
      expectKey = false
      continue
    }

    if (c === QUOTE) {
      // Copied while it is read: the room left is enough for the rest of the bytes.
      if (out.length - o < src.length - pos + SLACK) out = grown(out, o, src.length - pos + SLACK)
      if (outWords.bytes !== out) outWords = wordsOf(out)

      const from = o
      out[o++] = QUOTE
      const p = copyPlain(words, pos + 1, outWords, o)
      o += p - pos - 1
      c = src[p]

      if (c === QUOTE) {
        out[o++] = QUOTE
        pos = p + 1
      } else {
        o = from
        // An escape (or a control character, which JSON.parse refuses): decoded and encoded again.
        const end = c === BACKSLASH ? escapedStringEnd(src, pos) : -1
        if (end < 0) return undefined
        let text: string
        try {
          text = JSON.stringify(
            JSON.parse(Buffer.from(src.buffer, src.byteOffset + pos, end - pos).toString()),
          )
        } catch {
          return undefined
        }

        const bytes = Buffer.byteLength(text)
        if (o + bytes + SLACK > out.length) out = grown(out, o, bytes + SLACK)
        o += out.write(text, o)
        pos = end
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const close = c + 2
      pos++
      while (isSpace(src[pos])) pos++
      out[o++] = c
      if (src[pos] === close) {
        out[o++] = close
        pos++
      } else {
        if (++depth === MAX_DEPTH) return undefined
        kinds[depth] = c
        out[o++] = NEWLINE
        for (let i = 0; i <= depth; i++) {
          out[o++] = SPACE
          out[o++] = SPACE
        }

        if (c === OPEN_OBJECT) {
          openObject(depth)
          expectKey = true
        }

        continue
      }
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      const end = numberEnd(src, pos)
      // Whatever it is, stringify writes a number in at most 24 characters: SLACK is room enough.
      if (end < 0) return undefined
      if (verbatimNumber) {
        for (let i = pos; i < end; i++) out[o++] = src[i]
      } else {
        o += out.write(stringifiedNumber(src, pos, end), o, 'latin1')
      }

      pos = end
    } else {
      const literal = literalAt(src, pos)
      if (!literal) return undefined
      for (const byte of literal) out[o++] = byte
      pos += literal.length
    }

    // After a value: a comma, or the ends of the containers it closes.
    for (;;) {
      while (isSpace((c = src[pos]))) pos++
      if (o + SLACK > out.length) out = grown(out, o, SLACK)
      if (c === COMMA) {
        pos++
        while (isSpace(src[pos])) pos++
        out[o++] = COMMA
        out[o++] = NEWLINE
        for (let i = 0; i <= depth; i++) {
          out[o++] = SPACE
          out[o++] = SPACE
        }

        if (depth === 0) items++
        expectKey = kinds[depth] === OPEN_OBJECT
        break
      }

      if (c !== kinds[depth] + 2) return undefined
      pos++
      if (depth === 0) return {buffer: out, end: pos, length: items + 1, text: out.subarray(0, o)}
      depth--
      out[o++] = NEWLINE
      for (let i = 0; i <= depth; i++) {
        out[o++] = SPACE
        out[o++] = SPACE
      }

      out[o++] = c
    }
  }
}
