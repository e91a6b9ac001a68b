import type {Writable} from 'node:stream'

/*
 * --json output without building it as one string: `host list --json` of 20,000 hosts is some
 * 45 MB of text, which as one string plus the buffer written from it would double the peak
 * memory. The text is exactly JSON.stringify(value, null, 2) and a newline.
 */

const PIECE = 64 * 1024

/**
 * The text of `JSON.stringify(value, null, 2)` followed by a newline, in pieces of about 64 KiB:
 * a top-level array goes element by element (each indented one level, as stringify would).
 * @yields the next piece of the text
 */
export function* jsonPieces(value: unknown): Generator<string> {
  if (!Array.isArray(value) || value.length === 0) {
    yield `${JSON.stringify(value, null, 2) ?? ''}\n`
    return
  }

  let piece = '[\n'
  for (const [i, item] of value.entries()) {
    // Inside an array, what stringify leaves out (undefined, functions) becomes null; string
    // values never hold a raw newline, so indenting at every newline is exact.
    const text = JSON.stringify(item, null, 2) ?? 'null'
    piece += `${i === 0 ? '' : ',\n'}  ${text.replaceAll('\n', '\n  ')}`
    if (piece.length >= PIECE) {
      yield piece
      piece = ''
    }
  }

  yield `${piece}\n]\n`
}

/** Resolves when the stream may take more (or failed). */
export function drained(stream: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('error', done)
      resolve()
    }

    stream.on('drain', done)
    stream.on('error', done)
  })
}

/**
 * Writes the value as JSON (see jsonPieces), waiting whenever the stream's buffer is full;
 * resolves once the last piece has been handed to the system, so that an exit right after loses
 * nothing. Stops quietly when the stream fails (e.g. the reader of a pipe went away).
 */
export async function writeJson(stream: Writable, value: unknown): Promise<void> {
  let failed = false
  const onError = () => {
    failed = true
  }

  stream.on('error', onError)
  try {
    const pieces = jsonPieces(value)
    let next = pieces.next()
    for (;;) {
      if (next.done || failed) return
      const piece = next.value
      next = pieces.next()
      if (next.done) {
        // eslint-disable-next-line no-await-in-loop
        await new Promise<void>((resolve) => {
          stream.write(piece, () => resolve())
        })
      } else if (!stream.write(piece)) {
        // eslint-disable-next-line no-await-in-loop
        await drained(stream)
      }
    }
  } finally {
    stream.off('error', onError)
  }
}
