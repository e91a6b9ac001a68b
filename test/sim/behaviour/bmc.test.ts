import assert from 'node:assert/strict'
import {before, beforeEach, describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import {nextPowerState, oobmActionStats, resetOobmActionStats} from '../../../src/sim/behaviour/bmc.js'
import {readFixture} from '../../helpers/fixtures.js'
import {oobmTopology} from '../../helpers/oobm-topology.js'
import {type TestSim, useSim} from '../../helpers/sim.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

async function finished(sim: TestSim, jobid: string): Promise<Json> {
  for (let i = 0; i < 400; i++) {
    const job = (await sim.call('queryAsyncJobResult', {jobid})).body.queryasyncjobresultresponse
    if (job.jobstatus !== 0) return job
    await delay(5)
  }

  throw new Error(`job ${jobid} did not finish`)
}

/** Submits an async command and waits for its job. */
async function runJob(sim: TestSim, command: string, params: Record<string, string>): Promise<Json> {
  const res = await sim.call(command, params)
  assert.equal(res.status, 200, res.text)
  return finished(sim, res.body[`${command.toLowerCase()}response`].jobid)
}

function hostId(sim: TestSim, name: string): string {
  const host = sim.model.state.hosts.find((h) => h.name === name)
  if (!host) throw new Error(`no host ${name}`)
  return host.id
}

function listedOobm(sim: TestSim, name: string): Promise<Json> {
  return sim
    .call('listHosts', {id: hostId(sim, name)})
    .then((res) => res.body.listhostsresponse.host[0].outofbandmanagement)
}

/** Waits (up to 10 s) for the background sync to bring the listed power state to `expected`. */
async function eventuallyPowerState(sim: TestSim, name: string, expected: string): Promise<void> {
  let seen = ''
  for (let i = 0; i < 200; i++) {
    seen = (await listedOobm(sim, name)).powerstate
    if (seen === expected) return
    await delay(50)
  }

  assert.fail(`power state of ${name} stayed ${seen}, expected ${expected}`)
}

const power = (sim: TestSim, name: string, action: string, extra: Record<string, string> = {}) =>
  runJob(sim, 'issueOutOfBandManagementPowerAction', {action, hostid: hostId(sim, name), ...extra})

describe('simulator: out-of-band management (Mold)', () => {
  const sim = useSim({topology: oobmTopology()})

  before(async () => {
    // The background power-state sync runs 600 simulated seconds (0.6 s here) after enabling.
    sim.model.state.settings['outofbandmanagement.background.task.execution.interval'] = '600'
  })

  describe('configureOutOfBandManagement', () => {
    const base = (sim: TestSim) => ({
      address: '10.20.9.6',
      driver: 'ipmitool',
      hostid: hostId(sim, 'kvm-a06'),
      password: 'new-secret',
      port: '623',
      username: 'ADMIN',
    })

    it('requires manageconsoleprotocol on Mold', async () => {
      const res = await sim.call('configureOutOfBandManagement', base(sim))
      assert.equal(res.status, 431)
      assert.equal(
        res.body.configureoutofbandmanagementresponse.errortext,
        'Unable to execute API command configureoutofbandmanagement due to missing parameter manageconsoleprotocol',
      )
    })

    it('refuses an unknown driver with the server text', async () => {
      const res = await sim.call('configureOutOfBandManagement', {
        ...base(sim),
        driver: 'idrac',
        manageconsoleprotocol: 'https',
      })
      assert.equal(res.status, 530)
      assert.equal(
        res.body.configureoutofbandmanagementresponse.errortext,
        'Out-of-band management driver is not available. Please provide a valid driver name.',
      )
    })

    it('creates the configuration disabled, masks the password and keeps the console details', async () => {
      const res = await sim.call('configureOutOfBandManagement', {
        ...base(sim),
        manageconsoleprotocol: 'http',
      })
      assert.equal(res.status, 200, res.text)
      assert.deepEqual(res.body.configureoutofbandmanagementresponse.outofbandmanagement, {
        address: '10.20.9.6',
        description: 'Out-of-band management successfully configured for the host',
        driver: 'ipmitool',
        enabled: false,
        hostid: hostId(sim, 'kvm-a06'),
        password: 'n****',
        port: '623',
        powerstate: 'Disabled',
        status: true,
        username: 'ADMIN',
      })
      const host = sim.model.hosts.get(hostId(sim, 'kvm-a06'))!
      assert.deepEqual([host.details.manageconsoleprotocol, host.details.manageconsoleport], ['http', '80'])
    })

    it('stores a driver name as given, so an upper-case one fails every later power action', async () => {
      const hostid = hostId(sim, 'kvm-a07')
      const res = await sim.call('configureOutOfBandManagement', {
        ...base(sim),
        driver: 'IPMITOOL',
        hostid,
        manageconsoleprotocol: 'https',
      })
      assert.equal(res.status, 200, res.text)
      assert.equal((await runJob(sim, 'enableOutOfBandManagementForHost', {hostid})).jobstatus, 1)
      const job = await power(sim, 'kvm-a07', 'STATUS')
      assert.equal(job.jobstatus, 2)
      assert.equal(
        job.jobresult.errortext,
        'Configured out-of-band management driver is not available. Aborting any out-of-band management action.',
      )
      // Put it back as it was for the other tests.
      sim.model.hosts.get(hostid)!.oobm!.driver = 'ipmitool'
      await runJob(sim, 'disableOutOfBandManagementForHost', {hostid})
    })
  })

  describe('enable and disable', () => {
    it('refuses a host that is not configured', async () => {
      const bare = sim.model.hosts.get(hostId(sim, 'kvm-a06'))!
      bare.oobm = undefined
      const job = await runJob(sim, 'enableOutOfBandManagementForHost', {hostid: bare.id})
      assert.equal(job.jobstatus, 2)
      assert.equal(job.jobresultcode, 530)
      assert.equal(
        job.jobresult.errortext,
        'Out-of-band management is not configured for the host. Please configure the host before enabling/disabling it.',
      )
    })

    it('answers host enablement with the recorded shape, then the poller refreshes the power state', async () => {
      const recorded =
        readFixture<Json>('recorded/HostService.json').enableOutOfBandManagementForHost
          .enableoutofbandmanagementforhostresponse.jobresult.outofbandmanagement
      const hostid = hostId(sim, 'kvm-a07')
      const job = await runJob(sim, 'enableOutOfBandManagementForHost', {hostid})
      assert.deepEqual(Object.keys(job.jobresult.outofbandmanagement).sort(), Object.keys(recorded).sort())
      assert.deepEqual(job.jobresult.outofbandmanagement, {enabled: true, hostid, status: true})
      assert.equal(job.jobinstancetype, 'Host')
      // Enabling moves the power state to Disabled; the background sync then asks the BMC.
      assert.equal((await listedOobm(sim, 'kvm-a07')).powerstate, 'Disabled')
      await eventuallyPowerState(sim, 'kvm-a07', 'On')
      const off = await runJob(sim, 'disableOutOfBandManagementForHost', {hostid})
      assert.deepEqual(off.jobresult.outofbandmanagement, {enabled: false, hostid, status: true})
    })

    it('keeps cluster and zone enablement as the outOfBandManagementEnabled detail', async () => {
      const recorded = readFixture<Json>('recorded/ClusterService.json').disableOutOfBandManagementForCluster
        .disableoutofbandmanagementforclusterresponse.jobresult
      const clusterid = sim.model.state.clusters.find((c) => c.name === 'kvm-a')!.id
      const job = await runJob(sim, 'disableOutOfBandManagementForCluster', {clusterid})
      assert.deepEqual(job.jobresult, recorded)
      const listed = (await sim.call('listClusters', {id: clusterid})).body.listclustersresponse.cluster[0]
      assert.equal(listed.resourcedetails.outOfBandManagementEnabled, 'false')
      assert.equal((await listedOobm(sim, 'kvm-a01')).powerstate, 'Disabled')
      const refused = await power(sim, 'kvm-a01', 'STATUS')
      assert.equal(
        refused.jobresult.errortext,
        "Out-of-band management is disabled for the host's cluster. Aborting Operation.",
      )
      const on = await runJob(sim, 'enableOutOfBandManagementForCluster', {clusterid})
      assert.deepEqual(on.jobresult, {outofbandmanagement: {enabled: true, status: true}})
      await eventuallyPowerState(sim, 'kvm-a01', 'On')
    })

    it('refuses power actions in a zone with OOBM disabled', async () => {
      const job = await power(sim, 'kvm-c01', 'STATUS')
      assert.equal(
        job.jobresult.errortext,
        "Out-of-band management is disabled for the host's zone. Aborting Operation.",
      )
      const zoneid = sim.model.state.zones.find((z) => z.name === 'zone-2')!.id
      const listed = (await sim.call('listZones', {id: zoneid})).body.listzonesresponse.zone[0]
      assert.equal(listed.resourcedetails.outOfBandManagementEnabled, 'false')
    })
  })

  describe('issueOutOfBandManagementPowerAction', () => {
    beforeEach(() => resetOobmActionStats(sim.model))

    it('reports the chassis power with STATUS and stores it', async () => {
      const job = await power(sim, 'kvm-a02', 'STATUS')
      assert.equal(job.jobstatus, 1)
      assert.equal(job.jobinstancetype, 'Host')
      assert.deepEqual(job.jobresult.outofbandmanagement, {
        action: 'STATUS',
        address: '10.20.1.2',
        description: 'Chassis Power is off',
        driver: 'ipmitool',
        enabled: true,
        hostid: hostId(sim, 'kvm-a02'),
        password: 'i****',
        port: '623',
        powerstate: 'Off',
        status: true,
        username: 'ADMIN',
      })
    })

    it('changes the machine with ON/OFF but the stored state only with STATUS', async () => {
      const on = await power(sim, 'kvm-a02', 'ON')
      assert.equal(on.jobresult.outofbandmanagement.description, 'Chassis Power Control: Up/On')
      assert.equal(on.jobresult.outofbandmanagement.powerstate, 'Off')
      assert.equal((await listedOobm(sim, 'kvm-a02')).powerstate, 'Off')
      const status = await power(sim, 'kvm-a02', 'STATUS')
      assert.equal(status.jobresult.outofbandmanagement.powerstate, 'On')
      const off = await power(sim, 'kvm-a02', 'OFF')
      assert.equal(off.jobresult.outofbandmanagement.description, 'Chassis Power Control: Down/Off')
      assert.equal((await power(sim, 'kvm-a02', 'STATUS')).jobresult.outofbandmanagement.powerstate, 'Off')
    })

    it('takes the action names case-sensitively, failing the job like PowerOperation.valueOf', async () => {
      const job = await power(sim, 'kvm-a01', 'status')
      assert.equal(job.jobstatus, 2)
      assert.equal(job.jobresultcode, 530)
      assert.equal(
        job.jobresult.errortext,
        'No enum constant org.apache.cloudstack.outofbandmanagement.OutOfBandManagement.PowerOperation.status',
      )
    })

    it('reports wrong BMC credentials as an authentication error and the power state as Unknown', async () => {
      const job = await power(sim, 'kvm-a03', 'STATUS')
      assert.equal(job.jobstatus, 2)
      assert.equal(
        job.jobresult.errortext,
        `Out-of-band Management action (STATUS) on host (${hostId(sim, 'kvm-a03')}) failed due to authentication error: Error: RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session. Please check configured credentials.`,
      )
      assert.equal((await listedOobm(sim, 'kvm-a03')).powerstate, 'Unknown')
    })

    it('reports an unreachable BMC as a driver failure', async () => {
      const job = await power(sim, 'kvm-a04', 'OFF')
      assert.equal(
        job.jobresult.errortext,
        `Out-of-band Management action (OFF) on host (${hostId(sim, 'kvm-a04')}) failed with error: Error: Unable to establish IPMI v2 / RMCP+ session`,
      )
    })

    it('times out a BMC slower than the action timeout', async () => {
      const job = await power(sim, 'kvm-a10', 'STATUS', {timeout: '2'})
      assert.match(job.jobresult.errortext, /failed with error: Operation timed out, aborted\.$/)
      assert.equal((await power(sim, 'kvm-a10', 'STATUS')).jobstatus, 1)
    })

    it('treats Degraded, unconfigured and disabled hosts as not enabled', async () => {
      for (const name of ['kvm-a06', 'kvm-a07', 'kvm-a08']) {
        const host = sim.model.hosts.get(hostId(sim, name))!
        if (name === 'kvm-a06') host.oobm = undefined
        const job = await power(sim, name, 'STATUS')
        assert.equal(
          job.jobresult.errortext,
          'Out-of-band management is disabled or not configured for the host. Aborting Operation.',
          name,
        )
      }
    })

    it('answers redfish actions with the HTTP status', async () => {
      const job = await power(sim, 'kvm-a09', 'RESET')
      assert.equal(job.jobresult.outofbandmanagement.description, '200')
      assert.equal(job.jobresult.outofbandmanagement.driver, 'redfish')
    })

    it('counts the power actions in flight', async () => {
      const ids = ['kvm-a01', 'kvm-a02', 'kvm-a09'].map((name) => hostId(sim, name))
      // Slow BMCs (60 simulated seconds = 60 ms here) keep all three in flight together.
      for (const id of ids) sim.model.hosts.get(id)!.bmc.latencyMs = 60_000
      const submitted = await Promise.all(
        ids.map((hostid) => sim.call('issueOutOfBandManagementPowerAction', {action: 'STATUS', hostid})),
      )
      assert.equal(oobmActionStats(sim.model).inFlight, 3)
      await Promise.all(
        submitted.map((res) => finished(sim, res.body.issueoutofbandmanagementpoweractionresponse.jobid)),
      )
      assert.deepEqual(oobmActionStats(sim.model), {inFlight: 0, maxInFlight: 3, total: 3})
      for (const id of ids) sim.model.hosts.get(id)!.bmc.latencyMs = 100
    })
  })

  describe('changeOutOfBandManagementPassword', () => {
    it('changes the stored password through an answering BMC', async () => {
      const hostid = hostId(sim, 'kvm-a01')
      const job = await runJob(sim, 'changeOutOfBandManagementPassword', {hostid, password: 'Rotated-1'})
      assert.deepEqual(job.jobresult, {outofbandmanagement: {hostid, status: true}})
      assert.equal(sim.model.hosts.get(hostid)!.oobm!.password, 'Rotated-1')
    })

    it('generates a password when none is given', async () => {
      const hostid = hostId(sim, 'kvm-a09')
      const before = sim.model.hosts.get(hostid)!.oobm!.password
      assert.equal((await runJob(sim, 'changeOutOfBandManagementPassword', {hostid})).jobstatus, 1)
      const after = sim.model.hosts.get(hostid)!.oobm!.password
      assert.notEqual(after, before)
      assert.ok(after.length > 0 && after.length <= 16)
    })

    it('keeps the old password when the BMC refuses', async () => {
      const hostid = hostId(sim, 'kvm-a03')
      const job = await runJob(sim, 'changeOutOfBandManagementPassword', {hostid, password: 'x'})
      assert.equal(job.jobstatus, 2)
      assert.match(
        job.jobresult.errortext,
        /^Failed to change out-of-band management password for the host .* RAKP 2/,
      )
      assert.equal(sim.model.hosts.get(hostid)!.oobm!.password, 'ipmi-pass-3')
    })
  })
})

describe('simulator: out-of-band management (CloudStack flavor)', () => {
  const sim = useSim({flavor: 'cloudstack', topology: oobmTopology()})

  it('configures without the Mold console parameters', async () => {
    const res = await sim.call('configureOutOfBandManagement', {
      address: '10.20.9.6',
      driver: 'redfish',
      hostid: hostId(sim, 'kvm-a06'),
      password: 'pw',
      port: '443',
      username: 'root',
    })
    assert.equal(res.status, 200, res.text)
    assert.equal(sim.model.hosts.get(hostId(sim, 'kvm-a06'))!.details.manageconsoleprotocol, undefined)
  })
})

describe('power state machine', () => {
  it('follows OutOfBandManagement.PowerState', () => {
    assert.equal(nextPowerState('Disabled', 'On'), 'On')
    assert.equal(nextPowerState('On', 'Off'), 'Off')
    assert.equal(nextPowerState('Off', 'AuthError'), 'Unknown')
    assert.equal(nextPowerState('Unknown', 'AuthError'), 'Unknown')
    assert.equal(nextPowerState('On', 'Disabled'), 'Disabled')
    assert.equal(nextPowerState('Disabled', 'Disabled'), 'Disabled')
  })
})
