import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'

import {REQUIRED_APIS} from '../../../src/lib/api/required-apis.js'
import {ALL_APIS} from '../../../src/sim/handlers/index.js'
import {ROOT} from '../../helpers/cli.js'

/** Every .ts file under src/, except the simulator (which serves APIs rather than calling them). */
function clientSources(dir = path.join(ROOT, 'src')): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return full.endsWith(`${path.sep}sim`) ? [] : clientSources(full)
    return entry.name.endsWith('.ts') ? [full] : []
  })
}

/** API names passed to the client: request('x'), list('x'), listWithKey('x'), call('x'), submitJob('x'), and the lookup table's command: 'x'. */
function calledApis(): Map<string, string[]> {
  const calls =
    /\b(?:request|list|listWithKey|call|submitJob)(?:<[^>]*>)?\(\s*'([A-Za-z]+)'|\bcommand: '([A-Za-z]+)'/g
  const found = new Map<string, string[]>()
  for (const file of clientSources()) {
    if (file.endsWith('required-apis.ts')) continue
    for (const match of readFileSync(file, 'utf8').matchAll(calls)) {
      const name = match[1] ?? match[2]
      if (name === 'login') continue // the session handshake, not an API a role grants
      found.set(name, [...(found.get(name) ?? []), path.relative(ROOT, file)])
    }
  }

  return found
}

describe('the list of APIs moldctl uses', () => {
  const called = calledApis()

  it('finds the calls it is meant to find', () => {
    assert.ok(called.has('listHosts'))
    assert.ok(called.has('queryAsyncJobResult'))
    assert.ok(called.has('provisionCertificate'))
  })

  it('names every API the code calls', () => {
    const missing = [...called.keys()].filter((name) => !(name in REQUIRED_APIS))
    assert.deepEqual(
      missing,
      [],
      `add to src/lib/api/required-apis.ts: ${missing.map((m) => `${m} (${called.get(m)!.join(', ')})`).join('; ')}`,
    )
  })

  it('names no API the code does not call', () => {
    const stale = Object.keys(REQUIRED_APIS).filter((name) => !called.has(name))
    assert.deepEqual(stale, [], 'remove from src/lib/api/required-apis.ts')
  })

  it('names only APIs the simulator serves, so moldctl doctor passes against it', () => {
    const served = new Set(ALL_APIS.map((api) => api.name))
    assert.deepEqual(
      Object.keys(REQUIRED_APIS).filter((name) => !served.has(name)),
      [],
    )
  })
})
