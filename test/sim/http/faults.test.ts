import assert from 'node:assert/strict'
import {afterEach, describe, it} from 'node:test'

import {defineApi} from '../../../src/sim/catalog/registry.js'
import {parseFaultSpec} from '../../../src/sim/http/faults.js'
import {redactParams} from '../../../src/sim/http/server.js'
import {useSim} from '../../helpers/sim.js'

/** A test-only mutating command: renames the first host. */
const renameApi = defineApi({
  description: 'Test-only mutating command',
  handler({model, params}) {
    model.state.hosts[0].name = params.name
    return {success: true}
  },
  isasync: false,
  name: 'testRenameHost',
  params: [{description: 'new name', name: 'name', required: true, type: 'string'}],
})

describe('fault injection', () => {
  const sim = useSim({apis: [renameApi]})

  afterEach(() => sim.clearFaults())

  it('answers an even share of reads with the given status', async () => {
    await sim.setFaults({errorRate: 0.5, status: 502})
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await sim.call('listZones')).status)
    assert.deepEqual(statuses, [200, 502, 200, 502, 200, 502])
    const write = await sim.call('testRenameHost', {name: 'renamed'})
    assert.equal(write.status, 200)
  })

  it('destroys connections with dropRate', async () => {
    await sim.setFaults({dropRate: 1})
    await assert.rejects(sim.call('listZones'))
    await sim.clearFaults()
    assert.equal((await sim.call('listZones')).status, 200)
  })

  it('fails the next N requests of a command with failCommand', async () => {
    await sim.setFaults({failCommand: {command: 'listHosts', errorcode: 534, errortext: 'busy', times: 2}})
    const first = await sim.call('listHosts')
    const second = await sim.call('listHosts')
    const third = await sim.call('listHosts')
    assert.equal(first.status, 534)
    assert.equal(first.body.listhostsresponse.errortext, 'busy')
    assert.equal(second.status, 534)
    assert.equal(third.status, 200)
    assert.equal((await sim.call('listZones')).status, 200)
  })

  it('drops a command after executing it with dropCommand afterExecute', async () => {
    await sim.setFaults({dropCommand: {afterExecute: true, command: 'testRenameHost', times: 1}})
    await assert.rejects(sim.call('testRenameHost', {name: 'applied-but-lost'}))
    assert.equal(sim.model.state.hosts[0].name, 'applied-but-lost')
    const log = await sim.requests()
    assert.equal(log.at(-1)?.dropped, true)
  })

  it('holds requests of a command with holdCommand until the second arrives, then runs them in order', async () => {
    await sim.setFaults({holdCommand: {command: 'testRenameHost', count: 2, maxMs: 60_000}})
    const first = sim.call('testRenameHost', {name: 'first'})
    let firstDone = false
    first.then(
      () => {
        firstDone = true
      },
      () => {},
    )
    await new Promise((resolve) => {
      setTimeout(resolve, 200)
    })
    assert.equal(firstDone, false, 'the first request ran before the second arrived')
    assert.notEqual(sim.model.state.hosts[0].name, 'first')
    const second = sim.call('testRenameHost', {name: 'second'})
    assert.deepEqual(
      (await Promise.all([first, second])).map((r) => r.status),
      [200, 200],
    )
    // Run in the order they came: the later write is the one that stays.
    assert.equal(sim.model.state.hosts[0].name, 'second')
    // One round only: the next request runs at once.
    assert.equal((await sim.call('testRenameHost', {name: 'third'})).status, 200)
  })

  it('lets a held request go after maxMs, and when the faults are cleared', async () => {
    await sim.setFaults({holdCommand: {command: 'testRenameHost', maxMs: 50}})
    assert.equal((await sim.call('testRenameHost', {name: 'alone'})).status, 200)
    await sim.setFaults({holdCommand: {command: 'testRenameHost', maxMs: 60_000}})
    const held = sim.call('testRenameHost', {name: 'held'})
    await new Promise((resolve) => {
      setTimeout(resolve, 100)
    })
    await sim.clearFaults()
    assert.equal((await held).status, 200)
    assert.throws(() => parseFaultSpec({holdCommand: {command: 'x', count: 0}}), /count/)
  })

  it('adds latency without changing answers', async () => {
    await sim.setFaults({latencyMs: 20})
    assert.equal((await sim.call('listZones')).status, 200)
  })

  it('refuses malformed fault documents', async () => {
    const res = await fetch(`${sim.hooksUrl}/sim/faults`, {body: '{"errorRate": 3}', method: 'POST'})
    assert.equal(res.status, 400)
    assert.throws(() => parseFaultSpec({failCommand: {times: 1}}), /command/)
    assert.throws(() => parseFaultSpec([]), /object/)
  })
})

describe('request log', () => {
  const sim = useSim()

  it('records command, status and redacted parameters, and can be cleared', async () => {
    await sim.clearRequests()
    await sim.call('listHosts', {name: 'kvm-host-01'})
    await fetch(sim.url, {
      body: 'command=login&username=admin&password=hunter2&response=json',
      headers: {'Content-Type': 'application/x-www-form-urlencoded'},
      method: 'POST',
    })
    const log = await sim.requests()
    assert.equal(log.length, 2)
    assert.equal(log[0].command, 'listHosts')
    assert.equal(log[0].method, 'GET')
    assert.equal(log[0].status, 200)
    assert.equal(log[0].params.name, 'kvm-host-01')
    assert.equal(log[0].params.apiKey, '***')
    assert.equal(log[0].params.signature, '***')
    assert.equal(log[1].params.password, '***')
    assert.ok(!JSON.stringify(log).includes(sim.apiKey))
    assert.ok(!JSON.stringify(log).includes('hunter2'))
    await sim.clearRequests()
    assert.deepEqual(await sim.requests(), [])
  })

  it('redacts every secret-looking parameter name', () => {
    assert.deepEqual(
      redactParams({
        apikey: 'k',
        command: 'x',
        newPassword: 'p',
        secretkey: 's',
        sessionkey: 'sk',
        'details[0].password': 'd',
      }),
      {
        apikey: '***',
        command: 'x',
        newPassword: '***',
        secretkey: '***',
        sessionkey: '***',
        'details[0].password': '***',
      },
    )
  })
})
