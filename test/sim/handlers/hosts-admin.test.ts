import assert from 'node:assert/strict'
import {beforeEach, describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import {useSim} from '../../helpers/sim.js'

/* The host-administration handlers over HTTP: envelopes, job results and the server's texts. */

const sim = useSim({speed: 20_000})

describe('host administration API', () => {
  function hostId(name: string): string {
    const host = sim.model.state.hosts.find((h) => h.name === name)
    assert.ok(host, `no host ${name}`)
    return host.id
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function job(command: string, params: Record<string, string>): Promise<Record<string, any>> {
    const submit = await sim.call(command, params)
    assert.equal(submit.status, 200, submit.text)
    const {jobid} = submit.body[`${command.toLowerCase()}response`]
    for (let i = 0; i < 400; i++) {
      const res = await sim.call('queryAsyncJobResult', {jobid})
      const body = res.body.queryasyncjobresultresponse
      if (body.jobstatus !== 0) return body
      await delay(5)
    }

    throw new Error(`job ${jobid} did not finish`)
  }

  async function resourceState(id: string): Promise<string> {
    const res = await sim.call('listHosts', {id})
    return res.body.listhostsresponse.host[0].resourcestate
  }

  describe('prepareHostForMaintenance and cancelHostMaintenance', () => {
    it('reports the host preparing, then reaches Maintenance; cancel brings it back', async () => {
      const id = hostId('kvm-host-01')
      const prepared = await job('prepareHostForMaintenance', {id})
      assert.equal(prepared.jobstatus, 1)
      assert.equal(prepared.jobinstancetype, 'Host')
      assert.equal(prepared.jobinstanceid, id)
      assert.equal(prepared.cmd, 'org.apache.cloudstack.api.command.admin.host.PrepareForMaintenanceCmd')
      assert.equal(prepared.jobresult.host.resourcestate, 'PrepareForMaintenance')
      for (let i = 0; i < 400 && (await resourceState(id)) !== 'Maintenance'; i++) await delay(5)
      assert.equal(await resourceState(id), 'Maintenance')
      const vms = await sim.call('listVirtualMachines', {hostid: id, listall: 'true'})
      assert.deepEqual(vms.body.listvirtualmachinesresponse, {})

      const again = await job('prepareHostForMaintenance', {id})
      assert.equal(again.jobstatus, 2)
      assert.deepEqual(again.jobresult, {
        errorcode: 530,
        errortext:
          'Failed to prepare host for maintenance due to: Host is already in state Maintenance. Cannot recall for maintenance until resolved.',
      })

      const cancelled = await job('cancelHostMaintenance', {id})
      assert.equal(cancelled.jobstatus, 1)
      assert.equal(cancelled.jobresult.host.resourcestate, 'Enabled')
      const twice = await job('cancelHostMaintenance', {id})
      assert.equal(
        twice.jobresult.errortext.startsWith(
          'Cannot perform cancelMaintenance when resource state is Enabled, hostId = ',
        ),
        true,
      )
    })

    it('refuses an unknown host id with the parameter error', async () => {
      const res = await sim.call('prepareHostForMaintenance', {id: '00000000-0000-4000-8000-000000000000'})
      assert.equal(res.status, 431)
      assert.match(
        res.body.preparehostformaintenanceresponse.errortext,
        /Invalid parameter id value=00000000/,
      )
    })
  })

  describe('updateHost', () => {
    beforeEach(() => {
      for (const h of sim.model.state.hosts) h.resourceState = 'Enabled'
    })

    it('uses Enable/Disable and wraps errors as the server does', async () => {
      const host = sim.model.hosts.get(hostId('kvm-host-02'))!
      const disabled = await sim.call('updateHost', {allocationstate: 'Disable', id: host.id})
      assert.equal(disabled.status, 200)
      assert.equal(disabled.body.updatehostresponse.host.resourcestate, 'Disabled')
      const wrong = await sim.call('updateHost', {allocationstate: 'Enabled', id: host.id})
      assert.equal(wrong.status, 530)
      assert.equal(
        wrong.body.updatehostresponse.errortext,
        `Failed to update host:${host.internalId},Invalid allocation state: Enabled, only Enable/Disable are allowed`,
      )
      host.resourceState = 'Maintenance'
      const refused = await sim.call('updateHost', {allocationstate: 'Disable', id: host.id})
      assert.equal(refused.status, 530)
      assert.match(
        refused.body.updatehostresponse.errortext,
        /No next resource state found for current state = Maintenance event = Disable/,
      )
    })
  })

  describe('deleteHost, addHost, reconnectHost', () => {
    it('deletes only hosts in Maintenance unless forced, stopping what is left', async () => {
      const host = sim.model.hosts.get(hostId('xen-host-02'))!
      const refused = await sim.call('deleteHost', {id: host.id})
      assert.equal(refused.status, 530)
      assert.equal(
        refused.body.deletehostresponse.errortext,
        `Host ${host.id} cannot be deleted as it is not in maintenance mode. Either put the host into maintenance or perform a forced deletion.`,
      )
      const vmIds = sim.model.vmsOnHost(host.id).map((vm) => vm.id)
      const forced = await sim.call('deleteHost', {forced: 'true', id: host.id})
      assert.deepEqual(forced.body, {deletehostresponse: {success: true}})
      assert.equal(sim.model.hosts.has(host.id), false)
      for (const id of vmIds) assert.notEqual(sim.model.vms.get(id)!.hostId, host.id)
    })

    it('adds a host to a cluster and refuses a second one at the same address', async () => {
      const cluster = sim.model.state.clusters.find((c) => c.name === 'kvm-cluster-1')!
      const base = {
        clusterid: cluster.id,
        hypervisor: 'KVM',
        podid: cluster.podId,
        url: 'http://10.10.0.99',
        zoneid: cluster.zoneId,
      }
      const noUser = await sim.call('addHost', base)
      assert.equal(noUser.status, 431)
      assert.equal(noUser.body.addhostresponse.errortext, 'Username need to be provided.')
      const added = await sim.call(
        'addHost',
        {...base, password: 'secret', username: 'root'},
        {method: 'POST'},
      )
      assert.equal(added.status, 200)
      assert.equal(added.body.addhostresponse.count, 1)
      const [host] = added.body.addhostresponse.host
      assert.equal(host.ipaddress, '10.10.0.99')
      assert.equal(host.clusterid, cluster.id)
      assert.equal(host.resourcestate, 'Enabled')
      const dup = await sim.call('addHost', {...base, password: 'secret', username: 'root'}, {method: 'POST'})
      assert.equal(dup.status, 530)
      assert.equal(
        dup.body.addhostresponse.errortext,
        'Unable to add the host: Cannot find the server resources at http://10.10.0.99',
      )
      const log = await sim.requests()
      assert.ok(
        log
          .filter((r) => r.command === 'addHost')
          .every((r) => r.params.password === undefined || r.params.password === '***'),
      )
    })

    it('reconnects an Up host and refuses a Down one', async () => {
      const up = await job('reconnectHost', {id: hostId('kvm-host-03')})
      assert.equal(up.jobresult.host.state, 'Up')
      const down = sim.model.hosts.get(hostId('kvm-host-04'))!
      down.status = 'Down'
      const refused = await job('reconnectHost', {id: down.id})
      assert.equal(refused.jobstatus, 2)
      assert.equal(
        refused.jobresult.errortext,
        `Unable to disconnect host because it is not in the correct state: host=${down.internalId}; Status=Down`,
      )
      down.status = 'Up'
    })
  })

  describe('declareHostAsDegraded / cancelHostAsDegraded', () => {
    it('declares only Alert or Disconnected hosts, and cancels back to Enabled', async () => {
      const host = sim.model.hosts.get(hostId('kvm-host-03'))!
      const refused = await job('declareHostAsDegraded', {id: host.id})
      assert.equal(refused.jobstatus, 2)
      assert.equal(
        refused.jobresult.errortext,
        `Cannot perform declare host [id=${host.internalId}, name=kvm-host-03] as 'Degraded' when host is in Up status`,
      )
      host.status = 'Alert'
      const declared = await job('declareHostAsDegraded', {id: host.id})
      assert.equal(declared.jobresult.host.resourcestate, 'Degraded')
      const again = await job('declareHostAsDegraded', {id: host.id})
      assert.equal(again.jobresult.errortext, `Host [id:${host.internalId}] was already marked as Degraded.`)
      const cancelled = await job('cancelHostAsDegraded', {id: host.id})
      assert.equal(cancelled.jobresult.host.resourcestate, 'Enabled')
      const notDegraded = await job('cancelHostAsDegraded', {id: host.id})
      assert.equal(
        notDegraded.jobresult.errortext,
        `Cannot perform cancelHostAsDegraded on host [id=${host.internalId}, name=kvm-host-03] when host is in Enabled state`,
      )
      host.status = 'Up'
    })
  })

  describe('updateZone / updatePod / updateCluster', () => {
    it('set the allocation state and refuse unknown values with the server texts', async () => {
      const cluster = sim.model.state.clusters[0]
      const res = await sim.call('updateCluster', {allocationstate: 'Disabled', id: cluster.id})
      assert.equal(res.body.updateclusterresponse.cluster.allocationstate, 'Disabled')
      const bad = await sim.call('updateCluster', {allocationstate: 'Disable', id: cluster.id})
      assert.equal(bad.status, 431)
      assert.equal(
        bad.body.updateclusterresponse.errortext,
        "Unable to resolve Allocation State 'Disable' to a supported state",
      )
      const pod = sim.model.state.pods[0]
      const podRes = await sim.call('updatePod', {allocationstate: 'Disabled', id: pod.id})
      assert.equal(podRes.body.updatepodresponse.pod.allocationstate, 'Disabled')
      const zone = sim.model.state.zones[0]
      const zoneBad = await sim.call('updateZone', {allocationstate: 'Off', id: zone.id})
      assert.equal(zoneBad.status, 431)
      const zoneRes = await sim.call('updateZone', {allocationstate: 'Disabled', id: zone.id})
      assert.equal(zoneRes.body.updatezoneresponse.zone.allocationstate, 'Disabled')
      for (const g of [cluster, pod, zone]) g.allocationState = 'Enabled'
    })
  })
})
