import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import {useSim} from '../../helpers/sim.js'

/*
 * The pages of a listHosts listing: later pages reuse what the first page computed, so they must
 * still see every change made in between, by an API call or by a job that ran later.
 */

const sim = useSim({speed: 20_000}, {perTest: true})

interface HostPage {
  count?: number
  host?: Array<{id: string; name: string; resourcestate: string}>
}

async function page(params: Record<string, string>): Promise<HostPage> {
  const res = await sim.call('listHosts', {type: 'Routing', ...params})
  assert.equal(res.status, 200, res.text)
  return res.body.listhostsresponse as HostPage
}

async function jobDone(jobid: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const res = await sim.call('queryAsyncJobResult', {jobid})
    if (res.body.queryasyncjobresultresponse.jobstatus !== 0) return
    await delay(5)
  }

  throw new Error(`job ${jobid} did not finish`)
}

describe('listHosts pages', () => {
  it('gives every host once, in order, over the pages', async () => {
    const all = (await page({})).host!.map((h) => h.id)
    const paged: string[] = []
    for (let p = 1; p <= Math.ceil(all.length / 2); p++) {
      const answer = await page({page: String(p), pagesize: '2'})
      assert.equal(answer.count, all.length)
      paged.push(...answer.host!.map((h) => h.id))
    }

    assert.deepEqual(paged, all)
    assert.deepEqual(await page({page: String(all.length), pagesize: '2'}), {count: all.length})
  })

  it('shows on a later page a change made by an API call after the first page', async () => {
    const first = await page({page: '1', pagesize: '2', resourcestate: 'Enabled'})
    const second = await page({page: '2', pagesize: '2', resourcestate: 'Enabled'})
    const disabled = second.host![0]
    const res = await sim.call('updateHost', {allocationstate: 'Disable', id: disabled.id})
    assert.equal(res.status, 200, res.text)
    const after = await page({page: '2', pagesize: '2', resourcestate: 'Enabled'})
    assert.equal(after.count, first.count! - 1)
    assert.ok(!after.host!.some((h) => h.id === disabled.id))
  })

  it('shows on a later page a change a job made after the first page', async () => {
    const {host} = await page({page: '2', pagesize: '2'})
    const target = host![0]
    const submit = await sim.call('prepareHostForMaintenance', {id: target.id})
    assert.equal(submit.status, 200, submit.text)
    // The first page is read while the host is still preparing; the drain ends later.
    const preparing = await page({page: '1', pagesize: '2', resourcestate: 'PrepareForMaintenance'})
    assert.deepEqual(
      preparing.host!.map((h) => h.id),
      [target.id],
    )
    await jobDone(submit.body.preparehostformaintenanceresponse.jobid)
    for (let i = 0; i < 400 && sim.model.hosts.get(target.id)!.resourceState !== 'Maintenance'; i++)
      await delay(5)
    assert.equal(sim.model.hosts.get(target.id)!.resourceState, 'Maintenance')
    assert.deepEqual(await page({page: '2', pagesize: '2', resourcestate: 'PrepareForMaintenance'}), {})
    const inMaintenance = await page({page: '1', pagesize: '2', resourcestate: 'Maintenance'})
    assert.deepEqual(
      inMaintenance.host!.map((h) => h.id),
      [target.id],
    )
  })

  it('shows each host its own lastpinged and the events of its own status', async () => {
    const hosts = sim.model.state.hosts.filter((h) => h.type === 'Routing')
    const [first, second] = hosts
    first.lastPinged = '2026-01-02T03:04:05.000Z'
    second.status = 'Down'
    const listed = (await page({})).host as unknown as Array<{events: string; id: string; lastpinged: string}>
    const shown = (iso: string) =>
      new Date(Math.floor(Date.parse(iso) / 1024)).toISOString().replace(/\.\d{3}Z$/, '+0000')
    for (const host of hosts) {
      const answer = listed.find((h) => h.id === host.id)!
      assert.equal(answer.lastpinged, shown(host.lastPinged), host.name)
    }

    assert.equal(listed[0].lastpinged, '1970-01-20T23:25:01+0000')
    assert.notEqual(listed[1].lastpinged, listed[0].lastpinged)
    assert.equal(
      listed.find((h) => h.id === second.id)?.events,
      'AgentConnected; Ping; Remove; ManagementServerDown; AgentDisconnected; PingTimeout',
    )
    assert.match(listed.find((h) => h.id === hosts[2].id)!.events, /^StartAgentRebalance; /)
  })
})
