/** Capacity bars in human output: blocks and colour at a terminal, ASCII in a pipe, none in data formats. */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import {json, makeHome, runCli, simEnv} from '../../helpers/cli.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'
import {runInTerminal} from '../../helpers/tty.js'

/** The escape character that starts a colour code. */
const ESC = String.fromCodePoint(27)

describe('capacity bars', () => {
  let sim: TestSim
  let env: Record<string, string>

  before(async () => {
    sim = await startTestSim()
    env = simEnv(sim)
  })

  after(() => sim.close())

  it('in a pipe: ASCII bars with the threshold marks, no escape codes', async () => {
    const r = await runCli(['capacity', 'show'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^MEMORY +zone-1 +\[#+\+*\.*\|\.*\|\.*\] +[\d.]+% used, [\d.]+% allocated$/m)
    assert.ok(!r.stdout.includes(`${ESC}[`), 'an escape code in a pipe')
    const over = await runCli(['cluster', 'overprovision', 'show', 'kvm-cluster-1'], {env})
    assert.equal(over.code, 0, over.stderr)
    assert.match(over.stdout, /^cpu +\[#+[.|]*\] +52\.08% allocated$/m)
    assert.match(over.stdout, /^memory +\[#+[.|]*\] +21\.09% allocated$/m)
  })

  it('--json and csv stay data: no bar', async () => {
    const rows = json<Array<Record<string, unknown>>>(await runCli(['capacity', 'show', '--json'], {env}))
    assert.ok(rows.length > 0 && rows.every((row) => !('bar' in row) && !('amounts' in row)))
    const csv = await runCli(['capacity', 'show', '-o', 'csv'], {env})
    assert.doesNotMatch(csv.stdout, /\[#/)
    const clusters = json<Array<Record<string, unknown>>>(
      await runCli(['cluster', 'overprovision', 'show', '--json'], {env}),
    )
    assert.ok(clusters.every((c) => !('bar' in c) && !('amounts' in c)))
  })

  it('at a terminal: blocks, in colour unless NO_COLOR', async () => {
    const home = makeHome()
    try {
      const coloured = await runInTerminal(['capacity', 'show', '--cluster', 'kvm-cluster-1'], {
        columns: 200,
        env: {...env, NO_COLOR: ''},
        home,
        steps: [],
      })
      assert.equal(coloured.code, 0, coloured.screen)
      assert.ok(coloured.screen.includes(`${ESC}[32m█`), 'green used cells')
      assert.match(coloured.screen, /░/)
      const plain = await runInTerminal(['capacity', 'show', '--cluster', 'kvm-cluster-1'], {
        columns: 200,
        env,
        home,
        steps: [],
      })
      assert.match(plain.screen, /\[█+░*│░*│░*\]/)
      assert.ok(!new RegExp(`${ESC}\\[3\\dm`).test(plain.screen), 'colour under NO_COLOR')
    } finally {
      home.remove()
    }
  })
})
