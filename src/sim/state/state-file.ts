import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs'

import type {SimState} from './model.js'

/** Reads a saved simulator state, or undefined if the file does not exist. */
export function loadStateFile(file: string): SimState | undefined {
  if (!existsSync(file)) return undefined
  const state = JSON.parse(readFileSync(file, 'utf8')) as SimState
  if (state?.version !== 1 || !Array.isArray(state.hosts)) {
    throw new Error(`${file} is not a simulator state file (version 1)`)
  }

  return state
}

/** Writes the state atomically: a temporary file in the same folder, then a rename. */
export function saveStateFile(file: string, state: SimState): void {
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, JSON.stringify(state), {mode: 0o600})
  renameSync(temporary, file)
}
