/**
 * Which words of a command line carry a secret: `key=value` parameters of `moldctl api` whose
 * name is a secret's (password=, secretkey=...), flags named like one (--api-key, a
 * --db-password), and URLs with a password in them (mysql://user:pass@host). Used to keep such
 * lines out of the shell's history and to redact the command line in the audit log.
 */
import {isSecretName, REDACTED} from '../api/redact.js'

const URL_PASSWORD = /([a-z][\w+.-]*:\/\/[^/:@\s]*:)[^@\s/]+@/gi

const secretFlag = (word: string) => {
  if (!word.startsWith('--')) return false
  const name = word.slice(2).split('=')[0]
  // --password-stdin, --secret-key-stdin and --key-file name where a secret is, not the secret.
  if (/-(stdin|file)$/.test(name)) return false
  return isSecretName(name.replaceAll('-', ''))
}

/** The words with every secret value replaced by ***. */
export function redactWords(words: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    if (secretFlag(word)) {
      if (word.includes('=')) out.push(`${word.slice(0, word.indexOf('='))}=${REDACTED}`)
      else {
        out.push(word)
        if (i + 1 < words.length) {
          out.push(REDACTED)
          i++
        }
      }

      continue
    }

    const eq = word.indexOf('=')
    if (eq > 0 && !word.startsWith('-') && isSecretName(word.slice(0, eq))) {
      out.push(`${word.slice(0, eq)}=${REDACTED}`)
      continue
    }

    out.push(word.replaceAll(URL_PASSWORD, `$1${REDACTED}@`))
  }

  return out
}

/** Whether any word carries a secret (then the line is never stored in the history). */
export function carriesSecret(words: readonly string[]): boolean {
  const redacted = redactWords(words)
  return redacted.some((word, i) => word !== words[i])
}
