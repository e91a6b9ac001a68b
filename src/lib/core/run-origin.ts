import {hostname, userInfo} from 'node:os'

import type {RunOrigin} from './audit.js'

import {redactWords} from '../cli/secret-words.js'

/** Who runs moldctl and where: the OS user (and the sudo user), the host, moldctl's version. */
export function runOrigin(version: string, env: NodeJS.ProcessEnv = process.env): RunOrigin {
  let user: string
  try {
    user = userInfo().username
  } catch {
    user = env.USER ?? env.LOGNAME ?? 'unknown'
  }

  return {host: hostname(), ...(env.SUDO_USER ? {sudoUser: env.SUDO_USER} : {}), user, version}
}

/** `moldctl host maintenance enter kvm-01 --yes`, secrets redacted, words with blanks quoted. */
export function commandLineText(commandId: string, argv: readonly string[]): string {
  return [
    'moldctl',
    ...commandId.split(':').filter(Boolean),
    ...redactWords(argv).map((w) => shellWord(w)),
  ].join(' ')
}

/** A word as a shell would need it: quoted when it holds anything but plain characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./*-]+$/.test(word) ? word : `'${word.replaceAll("'", String.raw`'\''`)}'`
}
