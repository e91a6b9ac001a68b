import assert from 'node:assert/strict'
import {Writable} from 'node:stream'
import {after, describe, it} from 'node:test'

import {startActivity} from '../../src/lib/output/spinner.js'
import {json, makeHome, runCli, simEnv} from '../helpers/cli.js'
import {startTestSim, useSim} from '../helpers/sim.js'
import {simulateWorkApi} from '../helpers/test-apis.js'
import {runInTerminal} from '../helpers/tty.js'

const sim = useSim({apis: [simulateWorkApi]})
const home = makeHome()

after(() => home.remove())

async function submit(seconds: number): Promise<string> {
  const r = await runCli(['api', 'simulateWork', '--no-wait', `seconds=${seconds}`], {env: simEnv(sim)})
  assert.equal(r.code, 0, r.stderr)
  return json<{jobid: string}>(r).jobid
}

/** The text without terminal escape sequences (colours, cursor moves). */
// eslint-disable-next-line no-control-regex -- escape sequences are what is removed
const plain = (screen: string) => screen.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '')

/** A stream that looks like a terminal of the given width and keeps what was written. */
function fakeTerminal(columns: number): NodeJS.WriteStream & {text: () => string} {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString())
      callback()
    },
  }) as unknown as NodeJS.WriteStream & {text: () => string}
  Object.assign(stream, {
    clearLine: () => true,
    columns,
    cursorTo: () => true,
    isTTY: true,
    moveCursor: () => true,
    text: () => chunks.join(''),
  })
  return stream
}

describe('one long wait: ora at a terminal, time-stamped lines elsewhere', () => {
  it('job wait draws an ora spinner and its success mark in a pseudo-terminal', async () => {
    const jobid = await submit(3000)
    const result = await runInTerminal(['job', 'wait', jobid], {env: simEnv(sim), home, steps: []})
    assert.equal(result.code, 0, result.screen)
    assert.match(plain(result.screen), /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for job/, 'a spinner frame')
    assert.match(plain(result.screen), new RegExp(`✔ Job ${jobid} finished`))
    assert.doesNotMatch(result.screen, /\d\d:\d\d:\d\d Waiting/, 'no plain lines at a terminal')
  })

  it('colours the spinner at a terminal, and not when NO_COLOR has a value', async () => {
    // eslint-disable-next-line no-control-regex -- a colour escape is what is looked for
    const colour = /\u001B\[3\dm/
    const coloured = await runInTerminal(['job', 'wait', await submit(1500)], {
      env: {...simEnv(sim), NO_COLOR: ''},
      home,
      steps: [],
    })
    assert.equal(coloured.code, 0, coloured.screen)
    // eslint-disable-next-line no-control-regex -- a colour escape is what is looked for
    assert.match(coloured.screen, /\u001B\[36m[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/, 'a cyan frame')
    const plainRun = await runInTerminal(['job', 'wait', await submit(1500)], {
      env: {...simEnv(sim), NO_COLOR: '1'},
      home,
      steps: [],
    })
    assert.equal(plainRun.code, 0, plainRun.screen)
    assert.match(plain(plainRun.screen), /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for job/, 'still a spinner')
    assert.doesNotMatch(plainRun.screen, colour)
  })

  it('job wait prints plain time-stamped lines, no escape sequences, when stderr is not a terminal', async () => {
    const jobid = await submit(3000)
    const r = await runCli(['job', 'wait', jobid], {env: simEnv(sim)})
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, new RegExp(`^\\d\\d:\\d\\d:\\d\\d Waiting for job ${jobid}\\.\\.\\.$`, 'm'))
    assert.match(r.stderr, new RegExp(`^\\d\\d:\\d\\d:\\d\\d Job ${jobid} finished$`, 'm'))
    // eslint-disable-next-line no-control-regex -- no escape sequence may appear
    assert.doesNotMatch(r.stderr, /\u001B|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✔]/)
  })

  it('reading many pages: an ora spinner at a terminal, nothing in a pipe', async () => {
    // 1,700 hosts are 4 pages of 500: a listing of 4 pages or more shows its reading.
    const large = await startTestSim({hosts: 1700, topology: 'large'})
    try {
      const live = await runInTerminal(['host', 'list', '-o', 'csv', '--columns', 'name'], {
        env: simEnv(large),
        home,
        steps: [],
      })
      assert.equal(live.code, 0, live.screen.slice(-2000))
      assert.match(plain(live.screen), /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Reading listHosts: [1-4] of 4 pages \(\d+ items\)/)
      assert.doesNotMatch(live.screen, /\d\d:\d\d:\d\d Reading/, 'no plain lines at a terminal')
      const piped = await runCli(['host', 'list', '-o', 'csv', '--columns', 'name'], {env: simEnv(large)})
      assert.equal(piped.code, 0, piped.stderr)
      assert.ok(piped.stdout.split('\n').length > 1500)
      assert.equal(piped.stderr, '', 'reading pages is quiet in a log')
    } finally {
      await large.close()
    }
  })

  it('forced live, ora draws and stops on a terminal that reports 0 columns', async () => {
    const stream = fakeTerminal(0)
    const activity = await startActivity('Reading listHosts: 1 of 40 pages', {live: true, stream})
    activity.update('Reading listHosts: 2 of 40 pages')
    activity.succeed('Read 40 pages')
    assert.equal(activity.live, true)
    assert.match(stream.text(), /Reading listHosts: 1 of 40 pages/)
    assert.match(plain(stream.text()), /✔ Read 40 pages/)
  })

  it('forced plain, writes time-stamped lines for each change (and nothing when quiet)', async () => {
    const stream = fakeTerminal(80)
    const activity = await startActivity('Writing 4 rows', {live: false, stream})
    activity.update('Writing 4 rows')
    activity.update('Checking 4 rows')
    activity.succeed()
    assert.deepEqual(
      stream.text().replaceAll(/^\d\d:\d\d:\d\d /gm, 'T '),
      'T Writing 4 rows\nT Checking 4 rows\nT Checking 4 rows: done\n',
    )
    const quiet = fakeTerminal(80)
    const silent = await startActivity('Logging in', {live: false, quiet: true, stream: quiet})
    silent.stop()
    assert.equal(quiet.text(), '')
  })
})
