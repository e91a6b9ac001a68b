/**
 * `moldctl __complete WORDS...`, the hidden command the completion scripts call on every Tab:
 * prints the candidates for the last word, one a line, and exits 0 whatever happens. Loaded by
 * src/run.ts without oclif (start-up is the whole cost of a Tab): the commands, flags and
 * arguments come from oclif.manifest.json, the names from the cache. A stale or missing cache
 * is refreshed by a detached `moldctl __complete-refresh`, which outlives this process.
 */
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import type {TypedConnection} from './lib/completion/candidates.js'

import {complete} from './lib/completion/complete.js'
import {type Manifest, tableFromManifest} from './lib/completion/manifest.js'
import {moldctlDirs} from './lib/core/dirs.js'

/** Starts the refresh of the names for this connection, detached: it outlives the Tab. */
function startRefresh(binUrl: string, typed: TypedConnection): void {
  const args = [fileURLToPath(binUrl), '__complete-refresh']
  if (typed.profile !== undefined) args.push('--profile', typed.profile)
  if (typed.url !== undefined) args.push('--url', typed.url)
  try {
    const child = spawn(process.execPath, args, {detached: true, env: process.env, stdio: 'ignore'})
    child.on('error', () => {})
    child.unref()
  } catch {
    // No refresh this time; the next Tab tries again.
  }
}

export async function completeCommandLine(
  words: string[],
  binUrl: string,
  topics: Record<string, unknown> = {},
): Promise<void> {
  let lines: string[] = []
  try {
    const manifest = JSON.parse(readFileSync(new URL('../oclif.manifest.json', binUrl), 'utf8')) as Manifest
    const dirs = moldctlDirs()
    lines = await complete(words, {
      cacheDir: dirs.cache,
      configDir: dirs.config,
      env: process.env,
      refresh: (typed) => startRefresh(binUrl, typed),
      table: tableFromManifest(manifest, Object.keys(topics)),
    })
  } catch {
    // Completion never prints an error: nothing is offered.
  }

  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
}
