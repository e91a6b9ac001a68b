import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** The shared, read-only fixtures folder (real data from outside this project). */
export const FIXTURES_DIR =
  process.env.MOLDCTL_FIXTURES_DIR ??
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures')

export function readFixture<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, relative), 'utf8')) as T
}
