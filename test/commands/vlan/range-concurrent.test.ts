import assert from 'node:assert/strict'
import {afterEach, beforeEach, describe, it} from 'node:test'

import type {RegisteredApi} from '../../../src/sim/catalog/registry.js'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'
import {vlanTopology} from '../../helpers/vlan-topology.js'

// Two operators changing the same physical network at once. updatePhysicalNetwork replaces the
// whole set, so two read-merge-writes race; the simulator's holdCommand fault makes the race
// certain: each run's updatePhysicalNetwork is held until the other's has arrived, so both write
// what they read before either write lands.

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: TestSim

const cli = (...args: string[]) => runCli(args, {env: simEnv(sim)})

function vlanOf(name: string): string {
  const pn = sim.model.state.physicalNetworks.find((p) => p.name === name)!
  return pn.vlanRanges.map(([s, e]) => `${s}-${e}`).join(',')
}

async function updates(): Promise<string[]> {
  return (await sim.requests()).filter((r) => r.command === 'updatePhysicalNetwork').map((r) => r.params.vlan)
}

describe('vlan range changes made at the same time', () => {
  beforeEach(async () => {
    sim = await startTestSim({topology: vlanTopology()})
  })

  afterEach(() => sim.close())

  it('two concurrent `vlan range add` runs (different ranges): both ranges survive, both exit 0', async () => {
    await sim.setFaults({holdCommand: {command: 'updatePhysicalNetwork', count: 2, maxMs: 60_000}})
    const [a, b] = await Promise.all([
      cli('vlan', 'range', 'add', '1200-1209', '--zone', 'zone-1', '--json'),
      cli('vlan', 'range', 'add', '1300-1309', '--zone', 'zone-1', '--json'),
    ])
    assert.equal(a.code, 0, a.stderr)
    assert.equal(b.code, 0, b.stderr)
    assert.equal(vlanOf('guest-1'), '600-799,1200-1209,1300-1309')
    const sent = await updates()
    // Both first writes were made from the same read: one of them undid the other ...
    assert.ok(sent.includes('600-799,1200-1209'), sent.join(' | '))
    assert.ok(sent.includes('600-799,1300-1309'), sent.join(' | '))
    // ... which its run saw when it read back, and repaired with one more write holding both.
    assert.equal(sent.length, 3, sent.join(' | '))
    assert.equal(sent[2], '600-799,1200-1209,1300-1309')
    const repaired = [a, b].find((r) => json<Json>(r).attempts === 2)
    assert.ok(repaired, 'no run sent a second update')
    assert.match(
      repaired.stderr,
      /physical network guest-1 lacks VLANs? 1[23]00-1[23]09: another change landed at the same time; merging again and resending \(update 2 of at most 5\)/,
    )
  })

  it('an add and a remove at the same time: the added range stays and the removed one goes', async () => {
    await sim.setFaults({holdCommand: {command: 'updatePhysicalNetwork', count: 2, maxMs: 60_000}})
    const [add, remove] = await Promise.all([
      cli('vlan', 'range', 'add', '1200-1209', '--zone', 'zone-1'),
      cli('vlan', 'range', 'remove', '780-799', '--zone', 'zone-1', '--yes'),
    ])
    assert.equal(add.code, 0, add.stderr)
    assert.equal(remove.code, 0, remove.stderr)
    assert.equal(vlanOf('guest-1'), '600-779,1200-1209')
  })

  it('waits for an update already pending on the server before reading and writing', async () => {
    await sim.setFaults({stuckJobs: true})
    const pn = sim.model.state.physicalNetworks.find((p) => p.name === 'guest-1')!
    const other = await sim.call(
      'updatePhysicalNetwork',
      {id: pn.id, vlan: '600-799,1500-1509'},
      {method: 'POST'},
    )
    assert.equal(other.status, 200)
    const run = cli('vlan', 'range', 'add', '1200-1209', '--zone', 'zone-1')
    for (
      let i = 0;
      i < 400 && !(await sim.requests()).some((r) => r.command === 'queryAsyncJobResult');
      i++
    ) {
      await new Promise((resolve) => {
        setTimeout(resolve, 25)
      })
    }

    await sim.clearFaults()
    const result = await run
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stderr,
      /a updatePhysicalNetwork job is already running \(job [\da-f-]{36}\) \(the server does not say for what\); waiting for it/,
    )
    assert.equal(vlanOf('guest-1'), '600-799,1200-1209,1500-1509')
  })

  it('never exits 0 while a VLAN it added is missing: a server that keeps losing the change gives exit 1 naming it', async () => {
    // A server whose updates keep the old set: every write this run makes is lost.
    const api = sim.registry.get('updatePhysicalNetwork') as RegisteredApi
    const original = api.handler
    api.handler = (ctx) => original({...ctx, params: {...ctx.params, vlan: '600-799'}} as typeof ctx)
    const result = await cli('vlan', 'range', 'add', '1200-1209', '--zone', 'zone-1')
    assert.equal(result.code, 1, result.stderr)
    assert.match(
      result.stderr,
      /Error: physical network guest-1 lacks VLANs 1200-1209 after 5 updates: another change keeps replacing the ranges/,
    )
    assert.match(result.stderr, /it now holds 600-799/)
    assert.equal((await updates()).length, 5)
  })
})
