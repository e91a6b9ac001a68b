import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {connectionFlags, outputFlags, yesFlag} from '../../../src/base-command.js'
import {type CommandTable, GLOBAL_FLAGS, normaliseArgv} from '../../../src/lib/cli/argv.js'
import {editDistance, suggest} from '../../../src/lib/core/suggest.js'
import {fitWidths} from '../../../src/lib/output/render.js'

const hostList = {
  flags: [
    {char: 'p', name: 'profile', takesValue: true},
    {char: 'o', name: 'output', takesValue: true},
    {name: 'json', takesValue: false},
    {name: 'zone', takesValue: true},
    {name: 'debug', negatable: false, takesValue: false},
  ],
}
const table: CommandTable = {
  commands: new Map([
    ['api', {flags: [{name: 'post', takesValue: false}]}],
    ['host:list', hostList],
    ['host:show', hostList],
    ['sim:serve', {flags: [{name: 'port', takesValue: true}]}],
  ]),
  topics: new Set(['host', 'sim']),
}

describe('normaliseArgv', () => {
  it('moves global flags (and their values) from before the command words to just after them', () => {
    assert.deepEqual(normaliseArgv(['-p', 'prod', '-o', 'json', 'host', 'list', '--zone', 'z'], table), {
      argv: ['host', 'list', '-p', 'prod', '-o', 'json', '--zone', 'z'],
      ok: true,
    })
    assert.deepEqual(normaliseArgv(['--profile=prod', '-pprod', '--json', 'host', 'show', 'h1'], table), {
      argv: ['host', 'show', '--profile=prod', '-pprod', '--json', 'h1'],
      ok: true,
    })
    // A value that looks like a flag still belongs to the flag before it.
    assert.deepEqual(normaliseArgv(['-p', '-odd-name', 'host', 'list'], table).ok, true)
  })

  it('leaves everything after `--` and negative numbers alone', () => {
    assert.deepEqual(normaliseArgv(['api', 'listZones', '--', '--bogus'], table), {
      argv: ['api', 'listZones', '--', '--bogus'],
      ok: true,
    })
    assert.equal(normaliseArgv(['host', 'list', '--zone', '-1'], table).ok, true)
  })

  it('refuses a moved flag the command does not take, and unknown flags, naming the command', () => {
    const plan = normaliseArgv(['--json', 'sim', 'serve'], table)
    assert.deepEqual(plan, {
      message: '`moldctl sim serve` does not take --json',
      ok: false,
      suggestions: ['see: moldctl sim serve --help'],
    })
    const typo = normaliseArgv(['host', 'list', '--zonee', 'z'], table)
    assert.equal(typo.ok, false)
    assert.deepEqual(!typo.ok && typo.suggestions, ['did you mean --zone?', 'see: moldctl host list --help'])
  })

  it('suggests commands by their words, never by oclif ids', () => {
    const plan = normaliseArgv(['hots', 'lsit'], table)
    assert.equal(plan.ok, false)
    assert.deepEqual(!plan.ok && [plan.message, ...plan.suggestions], [
      'unknown command "hots lsit"',
      'did you mean `host list`?',
      'see: moldctl --help',
    ])
    // A topic alone is left to oclif (it prints the topic's help).
    assert.deepEqual(normaliseArgv(['-p', 'x', 'host'], table), {argv: ['host', '-p', 'x'], ok: true})
  })

  it('knows the global flags as base-command.ts defines them (value or not, short name)', () => {
    const defined = {...connectionFlags, ...outputFlags, ...yesFlag} as Record<
      string,
      {char?: string; type: string}
    >
    for (const flag of GLOBAL_FLAGS) {
      if (flag.name === 'json') continue // oclif's enableJsonFlag
      const definition = defined[flag.name]
      assert.ok(definition, flag.name)
      assert.equal(definition.type === 'option', flag.takesValue, flag.name)
      assert.equal(definition.char, flag.char, flag.name)
    }
  })
})

describe('fitWidths', () => {
  const col = (kind: 'fixed' | 'long' | 'short', width: number, header = 4) => ({header, kind, width})

  it('shrinks UUIDs and free text first, state columns only when that is not enough', () => {
    // NAME (fixed 11), ID (uuid 36), RESOURCE (short 21: PrepareForMaintenance)
    assert.deepEqual(fitWidths([col('fixed', 11), col('long', 36, 2), col('short', 21, 8)], 60), [11, 28, 21])
    assert.deepEqual(fitWidths([col('fixed', 11), col('long', 36, 2), col('short', 21, 8)], 35), [11, 8, 16])
  })

  it('cuts nothing with an infinite budget, and never goes below the minimums', () => {
    assert.deepEqual(fitWidths([col('long', 300), col('short', 30)], Number.POSITIVE_INFINITY), [300, 30])
    assert.deepEqual(fitWidths([col('fixed', 40), col('long', 36), col('short', 10, 6)], 10), [40, 8, 6])
  })
})

describe('suggest', () => {
  it('finds names by edit distance (a swap counts once) and by substring', () => {
    assert.equal(editDistance('hots', 'host'), 1)
    assert.deepEqual(suggest('kvm-host-1', ['kvm-host-01', 'kvm-host-02', 'xen-host-01']), [
      'kvm-host-01',
      'kvm-host-02',
    ])
    assert.deepEqual(suggest('xen', ['kvm-host-01', 'xen-host-01']), ['xen-host-01'])
    assert.deepEqual(suggest('zzzz', ['kvm-host-01']), [])
  })
})
