/**
 * A `moldctl shell` line made into words as a POSIX shell would for plain commands: blanks
 * separate words, single quotes keep everything, double quotes keep all but `\"` and `\\`, a
 * backslash outside quotes keeps the next character. No variables, globs, pipes or redirections:
 * those characters are literal. A `#` at the start of a word starts a comment.
 */
export interface SplitLine {
  /** A quote was left open (the line is incomplete). */
  open?: "'" | '"'
  /** The line ended in a blank: the word being typed is a new, empty one. */
  trailingBlank: boolean
  words: string[]
}

export function splitWords(line: string): SplitLine {
  const words: string[] = []
  let word: string | undefined
  let quote: "'" | '"' | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      const taken = quoted(line, i, quote)
      if (taken.closed) quote = undefined
      else word += taken.text
      i = taken.next
    } else if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word)
      word = undefined
    } else if (c === '#' && word === undefined) {
      break
    } else if (c === "'" || c === '"') {
      quote = c
      word ??= ''
    } else {
      const escaped = c === '\\' && i + 1 < line.length
      word = (word ?? '') + (escaped ? line[++i] : c)
    }
  }

  const trailingBlank = word === undefined && quote === undefined
  if (word !== undefined) words.push(word)
  return {...(quote ? {open: quote} : {}), trailingBlank, words}
}

/** One character inside quotes at `i`: the closing quote, or the text it stands for (and where it ends). */
function quoted(line: string, i: number, quote: "'" | '"'): {closed: boolean; next: number; text: string} {
  const c = line[i]
  if (c === quote) return {closed: true, next: i, text: ''}
  if (quote === '"' && c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\'))
    return {closed: false, next: i + 1, text: line[i + 1]}
  return {closed: false, next: i, text: c}
}
