import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import {choiceLabel, filterChoices} from '../../src/lib/output/picker.js'
import {makeHome, runCli, simEnv} from '../helpers/cli.js'
import {startTestSim, type TestSim} from '../helpers/sim.js'
import {runInTerminal} from '../helpers/tty.js'

let sim: TestSim
let env: Record<string, string>

before(async () => {
  sim = await startTestSim()
  env = simEnv(sim)
})
after(() => sim.close())

describe('the entity picker', () => {
  it('labels hosts with their IP, cluster, states and VM count, and filters by every typed word', () => {
    const host = {
      clustername: 'kvm-cluster-1',
      id: 'x',
      ipaddress: '10.0.0.1',
      name: 'kvm-host-01',
      resourcestate: 'Enabled',
      state: 'Up',
    }
    const label = choiceLabel('host', host, 3)
    assert.equal(label, 'kvm-host-01  10.0.0.1  (kvm-cluster-1: Up/Enabled, 3 VMs)')
    const choices = [
      {label, value: 'a'},
      {label: 'xen-host-01  10.0.0.9  (xen-cluster-1: Up/Enabled, 1 VM)', value: 'b'},
    ]
    assert.deepEqual(
      filterChoices(choices, 'KVM enabled').map((c) => c.value),
      ['a'],
    )
    assert.equal(filterChoices(choices, '').length, 2)
  })

  it('without a terminal, a missing host is a usage error (exit 2) and nothing is called', async () => {
    await sim.clearRequests()
    for (const args of [
      ['host', 'show'],
      ['host', 'maintenance', 'enter'],
      ['host', 'disable'],
      ['cluster', 'disable', '--yes'],
    ]) {
      const r = await runCli(args, {env})
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, /argument is needed/)
    }

    assert.equal((await sim.requests()).length, 0)
  })

  it('at a terminal, offers the hosts to search and pick from', async () => {
    const home = makeHome()
    try {
      const r = await runInTerminal(['host', 'show', '--url', sim.url, '-o', 'yaml'], {
        env,
        home,
        steps: [
          {send: 'host-03', when: /Which host\?/},
          {send: '\r', when: /❯ kvm-host-03 {2}10\.10\.0\.13/},
        ],
      })
      assert.equal(r.code, 0, r.screen)
      assert.match(r.screen, /VMs\)/)
      assert.match(r.screen, /^name: kvm-host-03/m)
    } finally {
      home.remove()
    }
  })

  it('at a terminal, ticks several hosts for maintenance from a checkbox list', async () => {
    const home = makeHome()
    await sim.clearRequests()
    try {
      const r = await runInTerminal(['host', 'maintenance', 'cancel', '--url', sim.url], {
        env,
        home,
        steps: [
          {send: ' ', when: /Which hosts\?/},
          {send: '\r', when: /◉/},
        ],
      })
      assert.equal(r.code, 0, r.screen)
      assert.match(r.screen, /kvm-host-01/)
      assert.equal((await sim.requests()).filter((q) => q.command === 'cancelHostMaintenance').length, 0)
    } finally {
      home.remove()
    }
  })
})

describe('piped stdin never becomes an argument', () => {
  it('a secret piped to a command missing its argument is not taken as the argument', async () => {
    const r = await runCli(['host', 'show'], {env, stdin: 'hunter2-secret\n'})
    assert.equal(r.code, 2)
    assert.ok(!r.stderr.includes('hunter2-secret'), r.stderr)
    assert.ok(!r.stdout.includes('hunter2-secret'))
  })
})
