import assert from 'node:assert/strict'
import {afterEach, beforeEach, describe, it} from 'node:test'

import {SimClock} from '../../../src/sim/behaviour/clock.js'
import {
  cancelMaintenance,
  drainFinished,
  enterMaintenance,
  findMigrationTarget,
  isDraining,
  nextResourceState,
  transitResourceState,
} from '../../../src/sim/behaviour/maintenance.js'
import {SimApiError} from '../../../src/sim/catalog/registry.js'
import {type Host, SimModel} from '../../../src/sim/state/model.js'
import {buildState} from '../../../src/sim/state/topology/build.js'
import {smallTopology} from '../../../src/sim/state/topology/presets.js'

let model: SimModel
let clock: SimClock

describe('simulator maintenance', () => {
  beforeEach(() => {
    model = new SimModel(buildState(smallTopology()))
    clock = new SimClock(200_000)
  })

  afterEach(() => clock.close())

  /** A slower clock for tests that watch intermediate states (timers fire at best every ~1 ms). */
  function useSlowClock(): void {
    clock.close()
    clock = new SimClock(5000)
  }

  function hostNamed(name: string): Host {
    const host = model.state.hosts.find((h) => h.name === name)
    assert.ok(host, `no host ${name}`)
    return host
  }

  function runningOn(host: Host): string[] {
    return model
      .vmsOnHost(host.id)
      .filter((vm) => vm.state === 'Running' || vm.state === 'Migrating')
      .map((vm) => vm.name)
  }

  function jobError(fn: () => unknown): SimApiError {
    try {
      fn()
    } catch (error) {
      assert.ok(error instanceof SimApiError, `expected a SimApiError, got ${String(error)}`)
      return error
    }

    assert.fail('expected an error')
  }

  /** Records every resource state the host passes through until the drain ends. */
  async function watchStates(host: Host): Promise<string[]> {
    const seen = [host.resourceState as string]
    const done = drainFinished(model, host.id).then(() => true)
    for (;;) {
      const finished = await Promise.race([done, clock.sleep(5000).then(() => false)])
      if (seen.at(-1) !== host.resourceState) seen.push(host.resourceState)
      if (finished) return seen
    }
  }

  describe('resource state machine', () => {
    it('follows the reference transitions', () => {
      assert.equal(nextResourceState('Enabled', 'AdminAskMaintenance'), 'PrepareForMaintenance')
      assert.equal(nextResourceState('Degraded', 'AdminAskMaintenance'), 'Maintenance')
      assert.equal(nextResourceState('ErrorInMaintenance', 'AdminAskMaintenance'), 'PrepareForMaintenance')
      assert.equal(nextResourceState('Disabled', 'AdminAskMaintenance'), undefined)
      assert.equal(nextResourceState('Maintenance', 'Disable'), undefined)
      assert.equal(
        nextResourceState('ErrorInPrepareForMaintenance', 'ErrorsCorrected'),
        'PrepareForMaintenance',
      )
      assert.equal(nextResourceState('Maintenance', 'InternalCreated'), 'Maintenance')
    })

    it('throws the server text on a refused transition', () => {
      const host = hostNamed('kvm-host-01')
      host.resourceState = 'Maintenance'
      assert.throws(
        () => transitResourceState(host, 'Disable'),
        /^NoTransitionError: No next resource state found for current state = Maintenance event = Disable$/,
      )
    })
  })

  describe('enterMaintenance', () => {
    it('drains the host one VM at a time onto other hosts of the cluster, then reaches Maintenance', async () => {
      const host = hostNamed('kvm-host-01')
      const before = runningOn(host)
      assert.equal(before.length, 4)
      const reported = enterMaintenance(model, clock, host.id)
      assert.equal(reported.resourceState, 'PrepareForMaintenance')
      assert.ok(isDraining(model, host.id))
      // Right after the job, one VM is migrating and the rest are still running on the host.
      const migrating = model.vmsOnHost(host.id).filter((vm) => vm.state === 'Migrating')
      assert.equal(migrating.length, 1)
      assert.equal(await drainFinished(model, host.id), 'Maintenance')
      assert.equal(host.resourceState, 'Maintenance')
      assert.deepEqual(runningOn(host), [])
      const kvmCluster = host.clusterId
      for (const name of before) {
        const vm = model.state.vms.find((v) => v.name === name)!
        const target = model.hosts.get(vm.hostId!)!
        assert.equal(target.clusterId, kvmCluster)
        assert.notEqual(target.id, host.id)
        assert.equal(vm.lastHostId, host.id)
        assert.equal(vm.state, 'Running')
      }

      for (const h of model.hostsInCluster(kvmCluster)) {
        const c = model.hostCapacity(h)
        assert.ok(c.memoryAllocated <= c.memoryWithOverprovisioning)
      }
    })

    it('goes straight to Maintenance when nothing runs on the host', () => {
      const host = hostNamed('kvm-host-01')
      for (const vm of model.vmsOnHost(host.id)) {
        vm.state = 'Stopped'
        vm.hostId = undefined
      }

      assert.equal(enterMaintenance(model, clock, host.id).resourceState, 'Maintenance')
      assert.equal(isDraining(model, host.id), false)
    })

    it('sends no VM to a Disabled or Down host', async () => {
      const host = hostNamed('kvm-host-01')
      hostNamed('kvm-host-02').resourceState = 'Disabled'
      hostNamed('kvm-host-03').status = 'Down'
      const names = runningOn(host)
      enterMaintenance(model, clock, host.id)
      assert.equal(await drainFinished(model, host.id), 'Maintenance')
      const target = hostNamed('kvm-host-04')
      for (const name of names) assert.equal(model.state.vms.find((v) => v.name === name)!.hostId, target.id)
    })

    it('fails the job and ends in ErrorInMaintenance when the cluster takes no VMs', async () => {
      const host = hostNamed('kvm-host-01')
      model.clusters.get(host.clusterId)!.allocationState = 'Disabled'
      const error = jobError(() => enterMaintenance(model, clock, host.id))
      assert.equal(error.errorcode, 530)
      assert.equal(
        error.errortext,
        `Failed to prepare host for maintenance due to: Unable to prepare for maintenance host ${host.internalId}`,
      )
      assert.equal(host.resourceState, 'PrepareForMaintenance')
      assert.equal(await drainFinished(model, host.id), 'ErrorInMaintenance')
      assert.equal(runningOn(host).length, 4)
    })

    it('lets rolling maintenance drain a host of the cluster it disabled', async () => {
      const host = hostNamed('kvm-host-01')
      model.clusters.get(host.clusterId)!.allocationState = 'Disabled'
      assert.ok(findMigrationTarget(model, model.vmsOnHost(host.id)[0], host, {allowDisabledCluster: true}))
      enterMaintenance(model, clock, host.id, {allowDisabledCluster: true})
      assert.equal(await drainFinished(model, host.id), 'Maintenance')
    })

    it('passes through ErrorInPrepareForMaintenance to ErrorInMaintenance when a VM fits nowhere', async () => {
      const host = hostNamed('kvm-host-01')
      useSlowClock()
      const db = model.vmsOnHost(host.id).find((vm) => vm.name === 'db-01')!
      db.memory = 200 * 1024 // bigger than any other host
      const changes: number[] = []
      enterMaintenance(model, clock, host.id, {onChange: () => changes.push(1)})
      const states = await watchStates(host)
      assert.deepEqual(states, [
        'PrepareForMaintenance',
        'ErrorInPrepareForMaintenance',
        'ErrorInMaintenance',
      ])
      assert.deepEqual(runningOn(host), ['db-01'])
      assert.ok(changes.length > 3)
    })

    it('recovers to Maintenance when room appears while retrying', async () => {
      useSlowClock()
      const host = hostNamed('kvm-host-01')
      model.vmsOnHost(host.id).find((vm) => vm.name === 'db-01')!.memory = 200 * 1024
      enterMaintenance(model, clock, host.id)
      while (host.resourceState === 'PrepareForMaintenance') await clock.sleep(1000)
      assert.equal(host.resourceState, 'ErrorInPrepareForMaintenance')
      hostNamed('kvm-host-03').memoryTotal = 512 * 1024 ** 3
      assert.equal(await drainFinished(model, host.id), 'Maintenance')
      assert.deepEqual(runningOn(host), [])
    })

    it("refuses with the server's texts", () => {
      const host = hostNamed('kvm-host-01')
      const other = hostNamed('kvm-host-02')
      const prefix = 'Failed to prepare host for maintenance due to: '

      host.resourceState = 'Maintenance'
      assert.equal(
        jobError(() => enterMaintenance(model, clock, host.id)).errortext,
        `${prefix}Host is already in state Maintenance. Cannot recall for maintenance until resolved.`,
      )

      host.resourceState = 'Enabled'
      other.resourceState = 'ErrorInPrepareForMaintenance'
      const cluster = model.clusters.get(host.clusterId)!
      assert.equal(
        jobError(() => enterMaintenance(model, clock, host.id)).errortext,
        `${prefix}There are other servers attempting migrations for maintenance. Found hosts in PrepareForMaintenance OR ErrorInPrepareForMaintenance STATUS in cluster ${cluster.internalId}`,
      )
      other.resourceState = 'Enabled'

      const vm = model.vmsOnHost(host.id)[0]
      vm.state = 'Starting'
      assert.match(
        jobError(() => enterMaintenance(model, clock, host.id)).errortext,
        /VMs in starting\/stopping state/,
      )
      vm.state = 'Unknown'
      assert.match(
        jobError(() => enterMaintenance(model, clock, host.id)).errortext,
        /error\/unknown\/shutdown state/,
      )
      vm.state = 'Running'

      host.resourceState = 'Disabled'
      assert.equal(
        jobError(() => enterMaintenance(model, clock, host.id)).errortext,
        `${prefix}Cannot transit resource state of Host {"id":${host.internalId},"name":"kvm-host-01","type":"Routing","uuid":"${host.id}"} to MaintenanceNo next resource state found for current state = Disabled event = AdminAskMaintenance`,
      )
      assert.equal(host.resourceState, 'Disabled')
    })

    it('cannot prepare a host whose agent is not connected, unless set.host.down.to.maintenance', () => {
      const host = hostNamed('kvm-host-01')
      host.status = 'Down'
      assert.match(
        jobError(() => enterMaintenance(model, clock, host.id)).errortext,
        /Unable to prepare for maintenance host/,
      )
      assert.equal(host.resourceState, 'Enabled')
      model.state.settings['set.host.down.to.maintenance'] = 'true'
      assert.equal(enterMaintenance(model, clock, host.id).resourceState, 'Maintenance')
    })
  })

  describe('cancelMaintenance', () => {
    it('stops the drain and returns the host to Enabled', async () => {
      const host = hostNamed('kvm-host-01')
      enterMaintenance(model, clock, host.id)
      const done = drainFinished(model, host.id)
      assert.equal(cancelMaintenance(model, host.id).resourceState, 'Enabled')
      assert.equal(await done, 'Enabled')
      // The migration under way completed; the others stayed.
      await clock.sleep(120_000)
      assert.equal(runningOn(host).length, 3)
      assert.equal(host.resourceState, 'Enabled')
    })

    it('refuses a host that is not in maintenance', () => {
      const host = hostNamed('kvm-host-01')
      const error = jobError(() => cancelMaintenance(model, host.id))
      assert.equal(error.errorcode, 530)
      assert.equal(
        error.errortext,
        `Cannot perform cancelMaintenance when resource state is Enabled, hostId = ${host.internalId}`,
      )
    })
  })
})
