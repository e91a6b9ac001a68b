import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import type {RollingHostOptions} from '../../helpers/rolling-topology.js'

import {SimClock} from '../../../src/sim/behaviour/clock.js'
import {
  rollingDate,
  type RollingOutcome,
  type RollingRequest,
  rollingScopeOf,
  runRollingMaintenance,
} from '../../../src/sim/behaviour/rolling-maintenance.js'
import {SimModel} from '../../../src/sim/state/model.js'
import {buildState} from '../../../src/sim/state/topology/build.js'
import {rollingTopology} from '../../helpers/rolling-topology.js'
import {startTestSim} from '../../helpers/sim.js'

function makeRun(hosts: RollingHostOptions[], settings: Record<string, string> = {}) {
  const model = new SimModel(buildState(rollingTopology(hosts, settings)))
  const clock = new SimClock(100_000)
  const cluster = [...model.clusters.values()].find((c) => c.name === 'kvm-a')!
  const host = (name: string) => [...model.hosts.values()].find((h) => h.name === name)!
  const run = async (request: Partial<RollingRequest> = {}): Promise<RollingOutcome> => {
    try {
      return await runRollingMaintenance(model, clock, {
        forced: false,
        ids: [cluster.id],
        timeout: 1800,
        type: 'Cluster',
        ...request,
      })
    } finally {
      clock.close()
    }
  }

  return {cluster, host, model, run}
}

const skipped = (outcome: RollingOutcome) => outcome.hostsskipped.map((h) => [h.hostname, h.reason])
const updated = (outcome: RollingOutcome) => outcome.hostsupdated.map((h) => h.hostname)

describe('simulated rolling maintenance', () => {
  it('writes dates like getDateStringInternal', () => {
    assert.equal(rollingDate(Date.UTC(2014, 5, 29, 23, 45, 1)), "2014-06-29'T'23:45:01+00:00")
  })

  it('takes the first non-empty scope in the order pods, clusters, zones, hosts', () => {
    assert.deepEqual(rollingScopeOf({clusterids: ['c'], hostids: ['h'], podids: ['p']}), {
      ids: ['p'],
      type: 'Pod',
    })
    assert.deepEqual(rollingScopeOf({hostids: ['h'], zoneids: ['z']}), {ids: ['z'], type: 'Zone'})
    assert.throws(
      () => rollingScopeOf({}),
      /Parameters podId, clusterId, zoneId, hostId are mutually exclusive/,
    )
  })

  it('updates every host in order, disabling the cluster meanwhile', async () => {
    const {cluster, model, run} = makeRun([{}, {}, {}])
    const outcome = await run()
    assert.equal(outcome.success, true)
    assert.equal(outcome.details, 'OK')
    assert.deepEqual(updated(outcome), ['kvm-1', 'kvm-2', 'kvm-3'])
    assert.equal(cluster.allocationState, 'Enabled')
    assert.ok([...model.hosts.values()].every((h) => h.resourceState === 'Enabled'))
    const [first, second] = outcome.hostsupdated
    assert.ok(first.enddate <= second.startdate)
    assert.equal(first.output, 'Maintenance: packages updated\nrebooted')
  })

  it('refuses a timeout equal to the ping interval and touches nothing', async () => {
    const {cluster, run} = makeRun([{}, {}], {'kvm.rolling.maintenance.ping.interval': '30'})
    const outcome = await run({timeout: 30})
    assert.deepEqual(outcome, {
      details:
        "The timeout value provided must be greater or equal than the ping interval defined in 'kvm.rolling.maintenance.ping.interval'",
      hostsskipped: [],
      hostsupdated: [],
      success: false,
    })
    assert.equal(cluster.allocationState, 'Enabled')
  })

  it('skips hosts whose PreMaintenance exits 70', async () => {
    const {run} = makeRun([{stages: {PreMaintenance: {exitcode: 70}}}, {}])
    const outcome = await run()
    assert.equal(outcome.success, true)
    assert.deepEqual(skipped(outcome), [['kvm-1', 'Pre-maintenance stage set to avoid maintenance']])
    assert.deepEqual(updated(outcome), ['kvm-2'])
  })

  it('lists a host whose PostMaintenance fails under --forced as both updated and skipped', async () => {
    const {run} = makeRun([{stages: {PostMaintenance: {exitcode: 2, output: 'check failed'}}}, {}])
    const outcome = await run({forced: true})
    assert.equal(outcome.success, true)
    assert.deepEqual(updated(outcome), ['kvm-1', 'kvm-2'])
    assert.deepEqual(skipped(outcome), [['kvm-1', 'Post-maintenance script failed: check failed']])
  })

  it('ignores a failed PreFlight when forced, and stops on it otherwise', async () => {
    const hosts = [{stages: {PreFlight: {exitcode: 1, output: 'not ready'}}}, {}]
    const forced = await makeRun(hosts).run({forced: true})
    assert.equal(forced.success, true)
    assert.deepEqual(updated(forced), ['kvm-1', 'kvm-2'])
    const plain = makeRun(hosts)
    const outcome = await plain.run()
    assert.equal(
      outcome.details,
      `Error starting rolling maintenance: Stage: PreFlight failed on host ${plain.host('kvm-1').id}: not ready`,
    )
    assert.equal(plain.cluster.allocationState, 'Enabled')
  })

  it('stops at VMs in blocking states, or skips the cluster when forced', async () => {
    const hosts: RollingHostOptions[] = [{}, {vms: [['s', 2, 4, 'Stopping']]}]
    const plain = makeRun(hosts)
    const outcome = await plain.run()
    assert.equal(outcome.details, `VMs in invalid states in cluster: ${plain.cluster.id}`)
    assert.deepEqual(skipped(outcome), [
      [
        'kvm-2',
        'There are VMs in starting/stopping/migrating/error/unknown state, not allowing rolling maintenance in the cluster',
      ],
    ])
    const forced = await makeRun(hosts).run({forced: true})
    assert.equal(forced.success, true)
    assert.deepEqual(updated(forced), [])
  })

  it('names hosts that are not Up or not Enabled', async () => {
    const hosts: RollingHostOptions[] = [{extra: {state: 'Disconnected'}}, {}, {}]
    const plain = makeRun(hosts)
    assert.equal(
      (await plain.run()).details,
      `Error starting rolling maintenance: Host ${plain.host('kvm-1').id} is not connected, state = Disconnected`,
    )
    const forced = await makeRun(hosts).run({forced: true})
    assert.deepEqual(updated(forced), ['kvm-2', 'kvm-3'])
    assert.match(forced.hostsskipped[0].reason, /is not connected, state = Disconnected$/)
  })

  it('always stops when no other host could take the VMs, even when forced', async () => {
    const {cluster, host, run} = makeRun([{}])
    const outcome = await run({forced: true})
    assert.equal(
      outcome.details,
      `Error starting rolling maintenance: No host available in cluster ${cluster.id} (kvm-a) to support host ${host('kvm-1').id} (kvm-1) in maintenance`,
    )
    assert.equal(cluster.allocationState, 'Enabled')
  })

  it('leaves an already disabled cluster disabled', async () => {
    const {cluster, run} = makeRun([{}, {}])
    cluster.allocationState = 'Disabled'
    assert.equal((await run()).success, true)
    assert.equal(cluster.allocationState, 'Disabled')
  })

  it('ignores non-KVM hosts of the scope', async () => {
    const {model, run} = makeRun([{}, {}])
    const zone = [...model.zones.values()][0]
    const outcome = await run({ids: [zone.id], type: 'Zone'})
    assert.deepEqual(updated(outcome), ['kvm-1', 'kvm-2'])
    assert.ok(!outcome.hostsskipped.some((h) => h.hostname === 'xen-1'))
  })

  it('serves startRollingMaintenance as an async job whose result carries the outcome', async () => {
    const sim = await startTestSim({topology: rollingTopology([{}, {stages: {PreFlight: {exitcode: 70}}}])})
    try {
      const none = await sim.call('startRollingMaintenance', {})
      assert.equal(none.status, 530)
      assert.match(none.body.startrollingmaintenanceresponse.errortext, /mutually exclusive/)
      const cluster = [...sim.model.clusters.values()].find((c) => c.name === 'kvm-a')!
      const submit = await sim.call('startRollingMaintenance', {clusterids: cluster.id})
      const {jobid} = submit.body.startrollingmaintenanceresponse
      let job
      for (let i = 0; i < 500; i++) {
        job = (await sim.call('queryAsyncJobResult', {jobid})).body.queryasyncjobresultresponse
        if (job.jobstatus !== 0) break
        await delay(5)
      }

      assert.equal(job.jobstatus, 1)
      assert.equal(job.jobinstancetype, undefined)
      const rolling = job.jobresult.rollingmaintenance
      assert.equal(rolling.success, true)
      assert.deepEqual(
        rolling.hostsupdated.map((h: {hostname: string}) => h.hostname),
        ['kvm-1'],
      )
      assert.deepEqual(rolling.hostsskipped, [
        {
          hostid: rolling.hostsskipped[0].hostid,
          hostname: 'kvm-2',
          reason: 'Pre-flight stage set to avoid maintenance',
        },
      ])
    } finally {
      await sim.close()
    }
  })
})
