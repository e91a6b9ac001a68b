import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {choiceLabel, filterChoices, pickConfirmation, searchFields} from '../../src/lib/output/picker.js'
import {makeHome, runCli, simEnv} from '../helpers/cli.js'
import {useSim} from '../helpers/sim.js'
import {runInTerminal} from '../helpers/tty.js'

let env: Record<string, string>
const sim = useSim(
  {},
  {
    async afterStart() {
      env = simEnv(sim)
    },
  },
)

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
    const xen = {...host, clustername: 'xen-cluster-1', ipaddress: '10.0.0.9', name: 'xen-host-01'}
    const choices = [
      {label, search: searchFields(host), value: 'a'},
      {label: choiceLabel('host', xen, 1), search: searchFields(xen), value: 'b'},
    ]
    assert.deepEqual(
      filterChoices(choices, 'KVM enabled').map((c) => c.value),
      ['a'],
    )
    assert.equal(filterChoices(choices, '').length, 2)
    assert.deepEqual(
      filterChoices(choices, '10.0.0.9').map((c) => c.value),
      ['b'],
    )
    // The VM count in the label is not searched.
    assert.equal(filterChoices(choices, 'VMs').length, 0)
  })

  it('names the picked hosts and their running VMs in the confirmation', () => {
    const pick = (name: string, runningVms?: number) => ({
      label: name,
      name,
      runningVms,
      search: [name],
      value: name,
    })
    assert.equal(
      pickConfirmation('Put into maintenance', 'host', [
        pick('kvm-01', 3),
        pick('kvm-02', 0),
        pick('kvm-03', 1),
      ]),
      'Put into maintenance 3 hosts: kvm-01 (3 running VMs), kvm-02 (no running VMs), kvm-03 (1 running VM)?',
    )
    assert.equal(pickConfirmation('Enable', 'cluster', [pick('c1')]), 'Enable cluster c1?')
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
          {send: 'y\r', when: /Cancel maintenance of host kvm-host-01 \(4 running VMs\)\? \(y\/N\)/},
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

describe('the multi-host picker is a filter, and a pick is confirmed', () => {
  const prepares = async () => (await sim.requests()).filter((q) => q.command === 'prepareHostForMaintenance')
  const hostId = async (name: string) => {
    const r = await sim.call('listHosts', {name, type: 'Routing'})
    return (r.body as {listhostsresponse: {host: Array<{id: string}>}}).listhostsresponse.host[0].id
  }

  // Ticks kvm-host-03 (found by name) and xen-host-01 (found by IP); letters and digits on the
  // way are filter text only ("a" once ticked every host, a digit toggled a row).
  const tickTwo = [
    {send: 'a', when: /Which hosts\?/},
    {send: '1', when: /ticked 0/},
    {send: '\u0015host-03', when: /no host matches "a1"/},
    {send: ' ', when: /❯ ◯ kvm-host-03/},
    {send: '\u001510.10.0.21', when: /ticked 1: kvm-host-03/},
    {send: ' ', when: /❯ ◯ xen-host-01/},
    {send: '\r', when: /ticked 2: kvm-host-03, xen-host-01/},
  ]
  const question =
    /Put into maintenance 2 hosts: kvm-host-03 \(3 running VMs\), xen-host-01 \(3\s+running VMs\)\? \(y\/N\)/

  it('typing filters, space ticks, and the default answer (No) changes nothing', async () => {
    const home = makeHome()
    await sim.clearRequests()
    try {
      const r = await runInTerminal(['host', 'maintenance', 'enter', '--url', sim.url, '--no-wait'], {
        env,
        home,
        steps: [...tickTwo, {send: '\r', when: question}],
      })
      assert.equal(r.code, 0, r.screen)
      assert.doesNotMatch(r.screen, /ticked [3-6]/)
      assert.match(r.screen, /Nothing was changed\./)
      assert.deepEqual(await prepares(), [])
    } finally {
      home.remove()
    }
  })

  it('--yes does not skip the question after a pick; "y" drains exactly the ticked hosts', async () => {
    const home = makeHome()
    await sim.clearRequests()
    try {
      const r = await runInTerminal(
        ['host', 'maintenance', 'enter', '--url', sim.url, '--no-wait', '--yes'],
        {
          env,
          home,
          steps: [...tickTwo, {send: 'y\r', when: question}],
        },
      )
      assert.equal(r.code, 0, r.screen)
      const ids = (await prepares()).map((q) => q.params.id).sort()
      assert.deepEqual(ids, [await hostId('kvm-host-03'), await hostId('xen-host-01')].sort())
    } finally {
      await sim.call('cancelHostMaintenance', {id: await hostId('kvm-host-03')})
      await sim.call('cancelHostMaintenance', {id: await hostId('xen-host-01')})
      home.remove()
    }
  })

  it('the single-choice pickers filter the same way (by IP here) and confirm the change', async () => {
    const home = makeHome()
    await sim.clearRequests()
    try {
      const r = await runInTerminal(['host', 'disable', '--url', sim.url], {
        env,
        home,
        steps: [
          {send: '10.10.0.22', when: /Which host\?/},
          {send: '\r', when: /❯ xen-host-02/},
          {send: '\r', when: /Disable host xen-host-02 \((?:no|\d+) running VMs?\)\? \(y\/N\)/},
        ],
      })
      assert.equal(r.code, 0, r.screen)
      const cluster = await runInTerminal(['cluster', 'enable', '--url', sim.url], {
        env,
        home,
        steps: [
          {send: 'xen', when: /Which cluster\?/},
          {send: '\r', when: /❯ xen-cluster-1/},
          {send: '\r', when: /Enable cluster xen-cluster-1\? \(y\/N\)/},
        ],
      })
      assert.equal(cluster.code, 0, cluster.screen)
      assert.match(cluster.screen, /Nothing was changed\./)
      const changes = (await sim.requests()).filter(
        (q) => q.command === 'updateHost' || q.command === 'updateCluster',
      )
      assert.deepEqual(changes, [])
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
