import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import {makeHome, runCli, simEnv, spawnCli} from '../helpers/cli.js'
import {guideTopology} from '../helpers/guide-topology.js'
import {writeProfiles} from '../helpers/profiles.js'
import {startTestSim, useSim} from '../helpers/sim.js'
import {runInTerminal} from '../helpers/tty.js'

/* How moldctl behaves at a terminal and under signals, through the built CLI. */

let env: Record<string, string>
const sim = useSim(
  {},
  {
    clearEachTest: true,
    async afterStart() {
      env = simEnv(sim)
    },
  },
)

describe('Ctrl-C at a prompt', () => {
  for (const [what, args, ready] of [
    ['the host picker', ['host', 'maintenance', 'enter'], /Which hosts\?/],
    ['a single-choice picker', ['cluster', 'disable'], /Which cluster\?/],
  ] as const) {
    it(`at ${what}: one line, exit 130, nothing changed`, async () => {
      const home = makeHome()
      try {
        const r = await runInTerminal([...args, '--url', sim.url], {
          env,
          home,
          steps: [{send: '\u0003', when: ready}],
        })
        assert.equal(r.code, 130, r.screen)
        assert.match(r.screen, /^interrupted\r?$/m)
        assert.doesNotMatch(r.screen, /ExitPromptError|force closed|at .*\.js:\d+/)
        const changes = (await sim.requests()).filter((q) => q.command && !/^(list|query)/.test(q.command))
        assert.deepEqual(changes, [])
      } finally {
        home.remove()
      }
    })
  }

  it('at a yes/no question (profile remove): exit 130 and the profile stays', async () => {
    const home = makeHome()
    try {
      await writeProfiles(home)
      const r = await runInTerminal(['profile', 'remove', 'lab'], {
        home,
        steps: [{send: '\u0003', when: /Remove profile "lab"/}],
      })
      assert.equal(r.code, 130, r.screen)
      assert.match(r.screen, /^interrupted\r?$/m)
      assert.doesNotMatch(r.screen, /ExitPromptError/)
      const list = await runCli(['profile', 'list'], {home})
      assert.match(list.stdout, /lab/)
    } finally {
      home.remove()
    }
  })
})

describe('SIGTERM and SIGHUP during a wait', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} prints the job and the resume command, and exits ${code}; the job goes on`, async () => {
      await sim.setFaults({stuckJobs: true})
      const submitted = await runCli(
        ['api', 'prepareHostForMaintenance', `id=${await hostId('kvm-host-02')}`, '--no-wait'],
        {env},
      )
      const {jobid} = JSON.parse(submitted.stdout) as {jobid: string}
      await sim.clearRequests()
      const {child, done} = spawnCli(['job', 'wait', jobid], {env})
      // Waiting has begun once the job was asked about.
      for (let i = 0; i < 400; i++) {
        if ((await sim.requests()).some((q) => q.command === 'queryAsyncJobResult')) break
        await delay(25)
      }

      child.kill(signal)
      const r = await done
      assert.equal(r.code, code, r.stderr)
      assert.match(r.stderr, new RegExp(`stopped waiting for job ${jobid}; it goes on on the server`))
      assert.match(r.stderr, new RegExp(`resume with: moldctl job wait ${jobid}`))
      assert.equal(sim.model.jobs.get(jobid)!.status, 0)
    })
  }
})

describe('the live drain clock', () => {
  it('ticks every second between two looks at the server, without more API calls', async () => {
    const home = makeHome()
    const fresh = await startTestSim()
    await fresh.setFaults({stuckJobs: true})
    try {
      const r = await runInTerminal(
        ['host', 'maintenance', 'enter', 'kvm-host-03', '--url', fresh.url, '--yes'],
        {
          // The job is looked at at once, after 250 ms, then after 5 s: in between, only the
          // clock changes.
          env: {...simEnv(fresh), MOLDCTL_POLL_MIN_MS: '5000'},
          home,
          steps: [{send: '\u0003', when: /kvm-host-03 {2}Enabled {2}0:03 {2}asking the server/}],
        },
      )
      assert.equal(r.code, 130, r.screen)
      for (const clock of ['0:00', '0:01', '0:02', '0:03'])
        assert.match(r.screen, new RegExp(`kvm-host-03  Enabled  ${clock}  asking the server \\(job`))
      const asked = (await fresh.requests()).filter((q) => q.command === 'queryAsyncJobResult')
      assert.ok(asked.length <= 2, `${asked.length} job polls in 3 s`)
    } finally {
      fresh.close()
      home.remove()
    }
  })
})

describe('the secret prompt without a terminal', () => {
  it('names the flag of the command that reads the secret from standard input', async () => {
    const home = makeHome()
    try {
      const keys = await runCli(
        ['profile', 'add', 'prod', '--url', 'https://mold.example.com', '--api-key', 'K'],
        {home},
      )
      assert.equal(keys.code, 2, keys.stderr)
      assert.match(keys.stderr, /pass the secret on standard input with --secret-key-stdin/)
      const login = await runCli(
        ['profile', 'add', 'lab', '--url', 'https://mold.example.com', '--username', 'ops'],
        {home},
      )
      assert.equal(login.code, 2, login.stderr)
      assert.match(login.stderr, /pass the secret on standard input with --password-stdin/)
      for (const r of [keys, login]) assert.doesNotMatch(r.stderr, /--\*-stdin/)
    } finally {
      home.remove()
    }
  })
})

describe('NO_COLOR', () => {
  const guide = useSim({topology: guideTopology()})

  const show = (noColor: string) => {
    const home = makeHome()
    return runInTerminal(['capacity', 'show', '--cluster', 'guide-kvm', '--url', guide.url], {
      env: {...simEnv(guide), NO_COLOR: noColor},
      home,
      steps: [],
    }).finally(() => home.remove())
  }

  it('colours "high" at a terminal, and not when NO_COLOR has any value', async () => {
    const coloured = await show('')
    assert.equal(coloured.code, 0, coloured.screen)
    const yellow = '\u001B[33m'
    assert.ok(coloured.screen.includes(`${yellow}high\u001B[39m`), coloured.screen)
    for (const value of ['1', 'true']) {
      const plain = await show(value)
      assert.equal(plain.code, 0, plain.screen)
      assert.match(plain.screen, /75% +high/)
      const colours = [1, 2, 3, 4, 5, 6, 7].map((n) => `\u001B[3${n}m`)
      assert.ok(!colours.some((c) => plain.screen.includes(c)), plain.screen)
    }
  })
})

async function hostId(name: string): Promise<string> {
  const r = await sim.call('listHosts', {name, type: 'Routing'})
  return (r.body as {listhostsresponse: {host: Array<{id: string}>}}).listhostsresponse.host[0].id
}
