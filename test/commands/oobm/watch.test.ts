import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {makeHome, runCli, simEnv, spawnCli} from '../../helpers/cli.js'
import {useSim} from '../../helpers/sim.js'
import {runInTerminal} from '../../helpers/tty.js'

/* `oobm status --watch` through the built CLI against the simulator. */

const BLOCK = /^--- \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC( \(changed\))? ---$/gm

describe('oobm status --watch', () => {
  const sim = useSim({}, {clearEachTest: true, perTest: true})
  const watch = (...extra: string[]) => ['oobm', 'status', '--watch', '--interval', '1', ...extra]

  it('prints a new block in a pipe when a power state changes, and SIGINT ends it with exit 0', async () => {
    const host = sim.model.state.hosts.find((h) => h.oobm)!
    assert.ok(host.oobm, 'a host with out-of-band management')
    const before = host.oobm.powerState
    const {child, done} = spawnCli(watch(host.name), {env: simEnv(sim)})
    let stdout = ''
    const seen = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${stdout}`)), 15_000)
        const look = (chunk: Buffer) => {
          stdout += chunk.toString()
          if (pattern.test(stdout)) {
            clearTimeout(timer)
            child.stdout!.off('data', look)
            resolve()
          }
        }

        child.stdout!.on('data', look)
      })
    await seen(new RegExp(host.name))
    const after = before === 'On' ? 'Off' : 'On'
    host.oobm.powerState = after
    await seen(/\(changed\) ---[\s\S]*\n/)
    child.kill('SIGINT')
    const result = await done
    assert.equal(result.code, 0, result.stderr)
    const blocks = result.stdout.split(BLOCK).filter((part) => part && !part.startsWith(' ('))
    assert.equal(blocks.length, 2, result.stdout)
    assert.match(blocks[0], new RegExp(`${host.name} .* ${before} `))
    assert.match(blocks[1], new RegExp(`${host.name} .* ${after} `))
  })

  it('redraws at a terminal every interval; Ctrl-C ends it with exit 0', async () => {
    const home = makeHome()
    try {
      const result = await runInTerminal(watch(), {
        env: simEnv(sim),
        home,
        steps: [{send: '\u0003', when: /(Every 1s: moldctl oobm status [^\n]*Ctrl-C to stop[\s\S]*){2}/}],
      })
      assert.equal(result.code, 0, result.screen)
      assert.ok(result.screen.split('\u001B[H\u001B[J').length >= 3, result.screen)
      assert.match(result.screen, /HOST +CLUSTER +OOBM Z\/C\/H/)
    } finally {
      home.remove()
    }
  })

  it('--json gives one JSON line per look; -o csv and --interval 0 exit 2', async () => {
    const {child, done} = spawnCli(watch('-o', 'json'), {env: simEnv(sim)})
    await new Promise<void>((resolve) => {
      let text = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        if (text.split('\n').length > 2) resolve()
      })
    })
    child.kill('SIGTERM')
    const result = await done
    assert.equal(result.code, 0, result.stderr)
    const lines = result.stdout.trimEnd().split('\n')
    assert.ok(lines.length >= 2)
    for (const line of lines) {
      const look = JSON.parse(line) as {rows: Array<{name: string}>}
      assert.equal(look.rows.length, sim.model.state.hosts.filter((h) => h.type === 'Routing').length)
    }

    for (const bad of [watch('-o', 'csv'), ['oobm', 'status', '--watch', '--interval', '0']]) {
      const refused = await runCli(bad, {env: simEnv(sim)})
      assert.equal(refused.code, 2, refused.stderr)
      assert.equal(refused.stdout, '')
    }
  })
})
