/**
 * `moldctl shell` at a pseudo-terminal (prompt, completion, history, Ctrl-C, Ctrl-D) and with
 * commands on stdin (stop at the first failure, --keep-going, one login for the session).
 */
import assert from 'node:assert/strict'
import {existsSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {type CliHome, makeHome, runCli} from '../../helpers/cli.js'
import {writeProfiles} from '../../helpers/profiles.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'
import {runInTerminal} from '../../helpers/tty.js'

describe('moldctl shell', () => {
  let sim: TestSim
  let home: CliHome

  before(async () => {
    sim = await startTestSim()
    home = makeHome()
    home.env.XDG_STATE_HOME = path.join(home.root, 'state')
    await writeProfiles(home, {
      current: 'sim',
      profiles: {
        login: {domain: '/', password: sim.adminPassword, url: sim.url, username: sim.adminUsername},
        sim: {apikey: sim.apiKey, secretkey: sim.secretKey, url: sim.url},
      },
    })
  })

  after(async () => {
    await sim.close()
    home.remove()
  })

  const port = () => new URL(sim.url).port
  /** The end of a prompt: readline moves the cursor after it (ESC [ n G). */
  const END = String.raw`> (?:\u001B\[\d+G)?$`
  const at = (before: string) => new RegExp(before + END)
  const historyFile = () => path.join(home.env.XDG_STATE_HOME, 'moldctl', 'history')

  it('at a terminal: prompt, Tab completion, use, history without secrets, Ctrl-C, Ctrl-D', async () => {
    const prompt = at(String.raw`moldctl sim \(127\.0\.0\.1:${port()}\)`)
    const {code, screen} = await runInTerminal(['shell'], {
      home,
      steps: [
        {send: 'zone l\t', when: prompt},
        {send: '\r', when: /zone list/},
        {send: 'api listZones password=hunter2-secret\r', when: at(String.raw`zone-1[\s\S]*`)},
        {send: 'host show kvm-host-0\t\t', when: at('')},
        // Ctrl-C drops the half-typed line.
        {send: '\u0003', when: /kvm-host-02/},
        {send: 'use nosuch\r', when: at(String.raw`\^C[\s\S]*`)},
        {send: 'use login\r', when: at(String.raw`no profile "nosuch"[\s\S]*\[3\]`)},
        {send: '\u0004', when: at(String.raw`moldctl login \(127\.0\.0\.1:\d+\)`)},
      ],
    })
    assert.equal(code, 0, screen)
    assert.match(screen, /zone-1 +[\da-f-]{36} +Enabled/, 'zone list ran')
    // Both hosts were offered for "kvm-host-0".
    assert.match(screen, /kvm-host-01\s+kvm-host-02/)
    const history = readFileSync(historyFile(), 'utf8')
    assert.equal(statSync(historyFile()).mode & 0o777, 0o600)
    assert.deepEqual(history.split('\n').filter(Boolean), ['zone list', 'use nosuch', 'use login'])
    assert.ok(!history.includes('hunter2'), 'a secret was written to the history')
  })

  it('Ctrl-C stops a running wait (exit 130 shown), and the session goes on', async () => {
    await sim.setFaults({stuckJobs: true})
    try {
      const {code, screen} = await runInTerminal(['shell'], {
        home,
        steps: [
          {send: 'host maintenance enter kvm-host-03 --yes\r', when: at(String.raw`\)`)},
          {send: '\u0003', when: /asking the server \(job/},
          {send: 'exit\r', when: at(String.raw`\[130\]`)},
        ],
      })
      assert.equal(code, 0, screen)
      assert.match(
        screen,
        /stopped waiting for prepareHostForMaintenance job [\da-f-]+; it goes on on the server/,
      )
      assert.match(screen, /resume with: moldctl host maintenance enter kvm-host-03/)
    } finally {
      await sim.clearFaults()
      await sim.call('cancelHostMaintenance', {
        id: (
          (await sim.call('listHosts', {name: 'kvm-host-03', type: 'Routing'})).body as {
            listhostsresponse: {host: Array<{id: string}>}
          }
        ).listhostsresponse.host[0].id,
      })
    }
  })

  it('commands on stdin run one after another, with one login for the session', async () => {
    await sim.clearRequests()
    const r = await runCli(['shell', '-p', 'login'], {
      home,
      stdin:
        '# a runbook\nzone list\n\nmoldctl pod list -o csv --columns name\nhost list -o csv --columns name\n',
    })
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /zone-1/)
    assert.match(r.stdout, /^pod-1$/m)
    assert.match(r.stdout, /^kvm-host-01$/m)
    const commands = (await sim.requests()).map((q) => q.command)
    assert.deepEqual(
      commands.filter((c) => c === 'login'),
      ['login'],
      `one login for three commands: ${commands.join(' ')}`,
    )
  })

  it('stops at the first failing line with its exit code, or keeps going', async () => {
    const runbook = 'zone list\nhost show no-such-host\npod list\n'
    const stop = await runCli(['shell'], {home, stdin: runbook})
    assert.equal(stop.code, 2, stop.stderr)
    assert.match(stop.stderr, /line 2 failed \(exit 2\): host show no-such-host/)
    assert.doesNotMatch(stop.stdout, /pod-1/)
    const all = await runCli(['shell', '--keep-going'], {home, stdin: runbook})
    assert.equal(all.code, 2)
    assert.match(all.stdout, /pod-1/)
    const secret = await runCli(['shell'], {home, stdin: 'api nosuchApi password=hunter2\n'})
    assert.notEqual(secret.code, 0)
    assert.match(secret.stderr, /line 1 failed \(exit \d\): api nosuchApi password=\*\*\*/)
    assert.ok(!secret.stderr.includes('hunter2'))
  })

  it('a server that fails mid-runbook stops it with the failure', async () => {
    await sim.setFaults({failCommand: {command: 'listPods', errorcode: 530, errortext: 'boom'}})
    try {
      const r = await runCli(['shell'], {home, stdin: 'zone list\npod list\ncluster list\n'})
      assert.equal(r.code, 1, r.stderr)
      assert.match(r.stderr, /boom/)
      assert.match(r.stderr, /line 2 failed \(exit 1\): pod list/)
      assert.doesNotMatch(r.stdout, /cluster/i)
    } finally {
      await sim.clearFaults()
    }
  })

  it('bad input: an unknown profile, an unclosed quote, shell inside the shell', async () => {
    const r = await runCli(['shell'], {home, stdin: 'use nosuch\n'})
    assert.equal(r.code, 3)
    assert.match(r.stderr, /no profile "nosuch"; profiles: login, sim/)
    const quote = await runCli(['shell'], {home, stdin: "api listZones name='x\n"})
    assert.equal(quote.code, 2)
    assert.match(quote.stderr, /unclosed single quote; nothing was run/)
    const nested = await runCli(['shell'], {home, stdin: 'shell\n'})
    assert.equal(nested.code, 2)
    assert.ok(existsSync(historyFile()))
  })
})
