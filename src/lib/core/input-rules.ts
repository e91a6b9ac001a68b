/**
 * What any command-line word must be before anything is sent: the rules the server would refuse
 * it by, checked once for every command (BaseCommand.init), so such input is a usage error
 * (exit 2) and not an API error (exit 1) after a call.
 *
 * - No ASCII control characters (but tab, LF and CR) and no DEL: the API server refuses them in
 *   every parameter ("Received value containing illegal ASCII non-printable characters", as the
 *   simulator answers too: src/sim/http/params.ts).
 * - At most MAX_WORD_LENGTH characters: the API's string parameters are 255 characters unless a
 *   parameter says more (@Parameter's `length`, enforced by apache/cloudstack
 *   server/src/main/java/com/cloud/api/dispatch/ParamProcessWorker.java: "Value greater than max
 *   allowed length"), and a GET's whole query must fit the server's URI limit. `api` takes raw
 *   `key=value` words (user data can be large) and is exempt from the length rule.
 */
import {UsageError} from './errors.js'

export const MAX_WORD_LENGTH = 1024

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/

export interface InputWord {
  /** `argument 1`, `--name`, ... */
  label: string
  value: string
}

/** The control character shown as a person can read it: `\x00`, `\x1b`. */
function visible(char: string): string {
  return `\\x${char.codePointAt(0)!.toString(16).padStart(2, '0')}`
}

/** The first problem of a word, as a usage error; undefined when it is fine. */
export function inputProblem(word: InputWord, opts: {lengthExempt?: boolean} = {}): undefined | UsageError {
  const control = CONTROL.exec(word.value)
  if (control) {
    return new UsageError(
      `${word.label} contains the control character ${visible(control[0])} at position ${control.index + 1}; the server refuses such values, so nothing was sent`,
      ['check the quoting of the value (a variable holding a file with line endings, a stray escape)'],
    )
  }

  if (!opts.lengthExempt && word.value.length > MAX_WORD_LENGTH) {
    return new UsageError(
      `${word.label} is ${word.value.length} characters long; at most ${MAX_WORD_LENGTH} are accepted (the API's names are at most 255), so nothing was sent`,
    )
  }

  return undefined
}

/** Every positional word and string flag value, checked; the first problem is thrown. */
export function checkInputWords(
  positionals: readonly string[],
  flags: Readonly<Record<string, unknown>>,
  opts: {lengthExempt?: boolean} = {},
): void {
  const words: InputWord[] = positionals.map((value, i) => ({label: `argument ${i + 1}`, value}))
  for (const [name, value] of Object.entries(flags)) {
    for (const item of Array.isArray(value) ? value : [value])
      if (typeof item === 'string') words.push({label: `--${name}`, value: item})
  }

  for (const word of words) {
    const problem = inputProblem(word, opts)
    if (problem) throw problem
  }
}
