import assert from 'node:assert/strict'
import {afterEach, describe, it} from 'node:test'

import {parseSimDuration} from '../../../src/sim/behaviour/reboot.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'

/* The host reboot hook (POST /sim/hosts/<id|name|ip>/reboot) and migrateVirtualMachine. */

let sim: TestSim | undefined

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

async function waitJob(s: TestSim, jobid: string): Promise<Json> {
  for (;;) {
    const r = await s.call('queryAsyncJobResult', {jobid})
    const job = r.body.queryasyncjobresultresponse
    if (job.jobstatus !== 0) return job
    await new Promise((resolve) => {
      setTimeout(resolve, 10)
    })
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) {
    await new Promise((resolve) => {
      setTimeout(resolve, 5)
    })
  }

  assert.ok(check(), `never: ${what}`)
}

describe('simulator: host reboot hook and migrateVirtualMachine', () => {
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })

  function hostOf(s: TestSim, name: string) {
    return s.model.state.hosts.find((h) => h.name === name)!
  }

  const reboot = (s: TestSim, ref: string, query: string) =>
    fetch(`${s.hooksUrl}/sim/hosts/${encodeURIComponent(ref)}/reboot?${query}`, {method: 'POST'})

  it('reboots a host: Disconnected at once, then Connecting, then Up with the new version', async () => {
    const s = await startTestSim({speed: 1000})
    sim = s
    const xen = hostOf(s, 'xen-host-01')
    const answer = await reboot(s, 'xen-host-01', 'down=10m&version=8.4.0')
    assert.equal(answer.status, 200)
    assert.deepEqual(await answer.json(), {downMs: 600_000, host: 'xen-host-01', version: '8.4.0'})
    assert.equal(xen.status, 'Disconnected')
    assert.match(xen.disconnected!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/)
    const listed = await s.call('listHosts', {id: xen.id})
    assert.equal(listed.body.listhostsresponse.host[0].state, 'Disconnected')
    await until(() => xen.status === 'Up', 'back Up')
    assert.equal(xen.hypervisorVersion, '8.4.0')
    // Running VMs of a host that reboots outside maintenance are gone: Stopped.
    assert.ok(
      s.model.state.vms.filter((vm) => vm.lastHostId === xen.id).every((vm) => vm.state === 'Stopped'),
    )
  })

  it('sets the kernel of a KVM host (by IP), keeps a host down with down=never, and refuses what it cannot do', async () => {
    const s = await startTestSim({speed: 1000})
    sim = s
    const kvm = hostOf(s, 'kvm-host-02')
    assert.equal((await reboot(s, '10.10.0.12', 'down=1s&version=6.1.0')).status, 200)
    await until(() => kvm.status === 'Up', 'back Up')
    assert.equal(kvm.details['Host.OS.Kernel.Version'], '6.1.0')
    assert.equal(kvm.hypervisorVersion, undefined)
    assert.equal((await reboot(s, kvm.id, 'down=never')).status, 200)
    await new Promise((resolve) => {
      setTimeout(resolve, 100)
    })
    assert.equal(kvm.status, 'Disconnected')
    assert.equal((await reboot(s, kvm.id, '')).status, 409)
    assert.equal((await reboot(s, 'no-such-host', '')).status, 404)
    assert.equal((await reboot(s, 'kvm-host-03', 'down=soon')).status, 400)
  })

  it('parses simulated durations', () => {
    assert.equal(parseSimDuration('20s'), 20_000)
    assert.equal(parseSimDuration('2m'), 120_000)
    assert.equal(parseSimDuration('500ms'), 500)
    assert.equal(parseSimDuration('3'), 3000)
    assert.equal(parseSimDuration('x'), undefined)
  })

  it('migrateVirtualMachine moves a running VM to the host asked for, or one it picks', async () => {
    const s = await startTestSim({speed: 1000})
    sim = s
    const [from, to] = [hostOf(s, 'kvm-host-01'), hostOf(s, 'kvm-host-02')]
    const [vm, other] = s.model.vmsOnHost(from.id).filter((v) => v.state === 'Running')
    const submitted = await s.call('migrateVirtualMachine', {hostid: to.id, virtualmachineid: vm.id})
    assert.equal(submitted.status, 200, submitted.text)
    const job = await waitJob(s, submitted.body.migratevirtualmachineresponse.jobid)
    assert.equal(job.jobstatus, 1, JSON.stringify(job))
    assert.equal(job.jobresult.virtualmachine.hostid, to.id)
    assert.equal(vm.hostId, to.id)
    assert.equal(vm.lastHostId, from.id)
    const auto = await s.call('migrateVirtualMachine', {virtualmachineid: other.id})
    assert.equal((await waitJob(s, auto.body.migratevirtualmachineresponse.jobid)).jobstatus, 1)
    assert.notEqual(other.hostId, from.id)
  })

  it("migrateVirtualMachine refuses with upstream's texts", async () => {
    const s = await startTestSim({speed: 1000})
    sim = s
    const host = hostOf(s, 'kvm-host-01')
    const vm = s.model.vmsOnHost(host.id).find((v) => v.state === 'Running')!
    const stopped = s.model.state.vms.find((v) => v.state === 'Stopped')!
    const error = async (params: Record<string, string>) => {
      const r = await s.call('migrateVirtualMachine', params)
      return [r.status, r.body.migratevirtualmachineresponse.errortext]
    }

    assert.deepEqual(await error({hostid: host.id, virtualmachineid: vm.id}), [
      431,
      'Cannot migrate VM, VM is already present on this host, please specify valid destination host to migrate the VM',
    ])
    assert.deepEqual(await error({virtualmachineid: stopped.id}), [
      431,
      'VM is not Running, unable to migrate the vm with specified id',
    ])
    assert.deepEqual(await error({autoselect: 'false', virtualmachineid: vm.id}), [
      431,
      "Please specify a host or storage as destination, or pass 'autoselect=true' to automatically select a destination host which do not require storage migration",
    ])
    const target = hostOf(s, 'kvm-host-03')
    target.resourceState = 'Maintenance'
    assert.deepEqual(await error({hostid: target.id, virtualmachineid: vm.id}), [
      431,
      'Cannot migrate VM, destination host is not in correct state, has status: Up, state: Maintenance',
    ])
  })
})
