/**
 * The history of `moldctl shell`: `<state dir>/history` ($XDG_STATE_HOME/moldctl or
 * ~/.local/state/moldctl), one line each, mode 0600 in a 0700 directory, the last 1000 lines.
 * Lines that carry a secret are never written (cli/secret-words.ts).
 */
import {appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {carriesSecret} from '../cli/secret-words.js'
import {splitWords} from './words.js'

export const HISTORY_SIZE = 1000

export function historyPath(stateDir: string): string {
  return path.join(stateDir, 'history')
}

/** The saved lines, oldest first (none when the file is missing or unreadable). */
export function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE)
  } catch {
    return []
  }
}

/** Whether a line may be kept: not blank, not carrying a secret. */
export function keepInHistory(line: string): boolean {
  const {words} = splitWords(line)
  return words.length > 0 && !carriesSecret(words)
}

/** Appends a line (when it may be kept); the file is cut to the last lines now and then. */
export function appendHistory(file: string, line: string): void {
  if (!keepInHistory(line)) return
  mkdirSync(path.dirname(file), {mode: 0o700, recursive: true})
  appendFileSync(file, `${line.trim()}\n`, {mode: 0o600})
  chmodSync(file, 0o600)
  const lines = loadHistoryAll(file)
  if (lines.length > HISTORY_SIZE * 1.5)
    writeFileSync(file, `${lines.slice(-HISTORY_SIZE).join('\n')}\n`, {mode: 0o600})
}

function loadHistoryAll(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean)
}
