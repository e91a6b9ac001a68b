import assert from 'node:assert/strict'
import {type ChildProcess} from 'node:child_process'
import {describe, it} from 'node:test'

import {makeHome, runCli, simEnv, spawnCli} from '../../../helpers/cli.js'
import {useSim} from '../../../helpers/sim.js'
import {runInTerminal} from '../../../helpers/tty.js'

/* `host maintenance status --watch` through the built CLI against the simulator. */

const HOME_CLEAR = '\u001B[H\u001B[J'
const BLOCK = /^--- \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC( \(changed\))? ---$/gm

/** Resolves once the child's stdout (so far) matches `pattern`; fails after `ms`. */
function outputMatching(child: ChildProcess, pattern: RegExp, ms = 15_000): Promise<string> {
  let text = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${text}`)), ms)
    const look = (chunk: Buffer) => {
      text += chunk.toString()
      if (pattern.test(text)) {
        clearTimeout(timer)
        child.stdout!.off('data', look)
        resolve(text)
      }
    }

    child.stdout!.on('data', look)
  })
}

describe('host maintenance status --watch', () => {
  const sim = useSim({speed: 200}, {clearEachTest: true, perTest: true})
  const watch = (...extra: string[]) => [
    'host',
    'maintenance',
    'status',
    '--watch',
    '--interval',
    '1',
    ...extra,
  ]

  it('redraws the table at a terminal until Ctrl-C, which ends it with exit 0', async () => {
    const home = makeHome()
    try {
      const result = await runInTerminal(watch('--cluster', 'kvm-cluster-1'), {
        env: simEnv(sim),
        home,
        // Ctrl-C once the second frame is drawn.
        steps: [
          {send: '\u0003', when: /Ctrl-C to stop[\s\S]*kvm-host-04[\s\S]*Ctrl-C to stop[\s\S]*kvm-host-04/},
        ],
      })
      assert.equal(result.code, 0, result.screen)
      const frames = result.screen.split(HOME_CLEAR).slice(1)
      assert.ok(frames.length >= 2, result.screen)
      for (const frame of frames.slice(0, 2)) {
        assert.match(
          frame,
          /^Every 1s: moldctl host maintenance status {4}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {4}Ctrl-C to stop/,
        )
        assert.match(frame, /kvm-host-01 +kvm-cluster-1 +Up +Enabled/)
      }

      assert.doesNotMatch(result.screen, /interrupted|Error/)
    } finally {
      home.remove()
    }
  })

  it('prints a block per change in a pipe: a host entering maintenance shows as new blocks', async () => {
    const kvm1 = sim.model.state.hosts.find((h) => h.name === 'kvm-host-01')!
    const {child, done} = spawnCli(watch('kvm-host-01', 'kvm-host-03'), {env: simEnv(sim)})
    await outputMatching(child, /kvm-host-03/)
    const prepared = await sim.call('prepareHostForMaintenance', {id: kvm1.id})
    assert.equal(prepared.status, 200, prepared.text)
    await outputMatching(child, /kvm-host-01 .* Maintenance +0/)
    child.kill('SIGINT')
    const result = await done
    assert.equal(result.code, 0, result.stderr)
    const blocks = result.stdout.split(BLOCK).filter((part) => part && !part.startsWith(' ('))
    assert.ok(blocks.length >= 2, result.stdout)
    assert.equal(result.stdout.match(BLOCK)![0].includes('changed'), false)
    assert.ok(
      result.stdout
        .match(BLOCK)!
        .slice(1)
        .every((line) => line.endsWith('(changed) ---')),
    )
    assert.match(blocks[0], /kvm-host-01 +kvm-cluster-1 +Up +Enabled/)
    assert.match(blocks.at(-1)!, /kvm-host-01 +kvm-cluster-1 +\w+ +Maintenance +0/)
    // kvm-host-03 is in every block, unchanged: only the change made a new one.
    for (const block of blocks) assert.match(block, /kvm-host-03 +kvm-cluster-1 +Up +Enabled/)
    assert.equal(kvm1.resourceState, 'Maintenance')
  })

  it('prints nothing again while nothing changes, though it keeps looking', async () => {
    const {child, done} = spawnCli(watch('kvm-host-02'), {env: simEnv(sim)})
    await outputMatching(child, /kvm-host-02/)
    await new Promise((resolve) => {
      setTimeout(resolve, 2600)
    })
    child.kill('SIGTERM')
    const result = await done
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout.match(BLOCK)?.length, 1, result.stdout)
    const looks = (await sim.requests()).filter((r) => r.command === 'listHosts')
    assert.ok(looks.length >= 3, `${looks.length} listHosts calls`)
  })

  it('--json prints one compact JSON document per look, one per line', async () => {
    const {child, done} = spawnCli(watch('kvm-host-01', '--json'), {env: simEnv(sim)})
    await outputMatching(child, /(^\{.*\}\n){2}/m)
    child.kill('SIGINT')
    const result = await done
    assert.equal(result.code, 0, result.stderr)
    const lines = result.stdout.trimEnd().split('\n')
    assert.ok(lines.length >= 2, result.stdout)
    for (const line of lines) {
      const look = JSON.parse(line) as {rows: Array<{name: string; resourcestate: string}>; time: string}
      assert.match(look.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      assert.deepEqual(
        look.rows.map((r) => [r.name, r.resourcestate]),
        [['kvm-host-01', 'Enabled']],
      )
    }
  })

  it('refuses bad --interval values and yaml/csv with exit 2, before any API call', async () => {
    const env = simEnv(sim)
    for (const args of [
      ['host', 'maintenance', 'status', '--watch', '--interval', '0'],
      ['host', 'maintenance', 'status', '--watch', '--interval', 'soon'],
      ['host', 'maintenance', 'status', '--interval', '3'],
      watch('-o', 'yaml'),
      watch('-o', 'csv'),
    ]) {
      const result = await runCli(args, {env})
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, /interval|watch/, args.join(' '))
      assert.equal(result.stdout, '')
    }

    assert.deepEqual(
      (await sim.requests()).filter((r) => r.command === 'listHosts'),
      [],
    )
  })

  it('shows a failed look and goes on; 3 failures in a row end the watch with exit 1', async () => {
    const {child, done} = spawnCli(watch('kvm-host-01'), {env: simEnv(sim)})
    await outputMatching(child, /kvm-host-01/)
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    await sim.setFaults({
      failCommand: {command: 'listHosts', errorcode: 530, errortext: 'database is down', times: 1},
    })
    const recovered = (await sim.requests()).length
    await new Promise((resolve) => {
      setTimeout(resolve, 3200)
    })
    assert.match(
      stderr,
      /^\d\d:\d\d:\d\d error: .*database is down.* \(failure 1 of 3 in a row; next look in 1s\)$/m,
    )
    assert.ok((await sim.requests()).length > recovered + 1, 'the watch went on looking')
    // Now every look fails: the third one in a row ends the watch.
    await sim.setFaults({failCommand: {command: 'listHosts', errorcode: 530, errortext: 'database is down'}})
    const result = await done
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /failure 2 of 3 in a row/)
    assert.match(result.stderr, /database is down/)
  })

  it('a first look that fails ends the watch at once with its exit code', async () => {
    const result = await runCli(watch('no-such-host'), {env: simEnv(sim)})
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /no host is named "no-such-host"/)
    assert.equal(result.stdout, '')
  })
})
