import assert from 'node:assert/strict'
import {after, before, beforeEach, describe, it} from 'node:test'

import {checkInputWords, inputProblem, MAX_WORD_LENGTH} from '../../src/lib/core/input-rules.js'
import {runCli, simEnv} from '../helpers/cli.js'
import {startTestSim, type TestSim} from '../helpers/sim.js'

/* Input the server would refuse is refused before any call, exit 2 (needs `npm run build`). */

describe('input rules (lib)', () => {
  it('a NUL, an escape or another control character is refused, shown visibly', () => {
    for (const [value, shown] of [
      ['kvm\u0000host', String.raw`\x00`],
      ['kvm\u001B]0;owned\u0007', String.raw`\x1b`],
      ['a\u007Fb', String.raw`\x7f`],
    ]) {
      const problem = inputProblem({label: 'argument 1', value})
      assert.equal(problem?.exitCode, 2)
      assert.ok(problem?.message.includes(`control character ${shown}`), problem?.message)
    }
  })

  it('tab, LF and CR pass (the server takes them); longer than the limit does not, but for api', () => {
    assert.equal(inputProblem({label: 'x', value: 'a\tb\nc\r'}), undefined)
    const long = 'x'.repeat(MAX_WORD_LENGTH + 1)
    assert.match(
      inputProblem({label: '--name', value: long})?.message ?? '',
      /--name is 1025 characters long/,
    )
    assert.equal(inputProblem({label: '--name', value: long}, {lengthExempt: true}), undefined)
    assert.equal(inputProblem({label: '--name', value: 'x'.repeat(MAX_WORD_LENGTH)}), undefined)
  })

  it('checks flags (lists too) as well as positionals', () => {
    assert.throws(
      () => checkInputWords([], {host: ['ok', 'bad\u0001']}),
      /--host contains the control character/,
    )
    assert.throws(() => checkInputWords(['fine', 'x'.repeat(2000)], {}), /argument 2 is 2000 characters long/)
    assert.doesNotThrow(() => checkInputWords(['fine'], {concurrency: 5, yes: true}))
  })
})

describe('input rules (CLI)', () => {
  let sim: TestSim
  let env: Record<string, string>
  const moldctl = (...args: string[]) => runCli(args, {env})

  before(async () => {
    sim = await startTestSim({topology: 'small'})
    env = simEnv(sim)
  })

  after(() => sim.close())

  beforeEach(() => sim.clearRequests())

  it('a 10,000-character name: exit 2, nothing sent', async () => {
    const result = await moldctl('host', 'show', 'h'.repeat(10_000))
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /argument 1 is 10000 characters long; at most 1024/)
    assert.deepEqual(await sim.requests(), [])
  })

  it('a control character in an argument or flag: exit 2, nothing sent', async () => {
    for (const args of [
      ['zone', 'disable', 'zone-1\u001B[2J', '--yes'],
      ['host', 'list', '--cluster', 'kvm\u0001'],
      ['setting', 'set', 'kvm.rolling.maintenance.ping.interval', '2\u00080'],
    ]) {
      const result = await moldctl(...args)
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, /contains the control character \\x[01][0-9a-f]/)
      assert.ok(!result.stderr.includes('\u001B[2J'), 'the escape is not echoed raw')
    }

    assert.deepEqual(await sim.requests(), [])
  })

  it('api passes long raw values on (the server judges them)', async () => {
    const result = await moldctl('api', 'listZones', `keyword=${'z'.repeat(2000)}`)
    assert.notEqual(result.code, 2, result.stderr)
    assert.equal((await sim.requests()).filter((r) => r.command === 'listZones').length, 1)
  })
})
