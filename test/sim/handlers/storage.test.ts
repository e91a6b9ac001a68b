import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'

import {startTestSim, type TestSim} from '../../helpers/sim.js'

/* The small topology's system VMs, storage pools, image store and their capacity rows. */

const GIB = 1024 ** 3
const TIB = 1024 * GIB

interface Row {
  capacitytotal: number
  capacityused: number
  clusterid?: string
  name: string
  percentused: string
  podid?: string
  type: number
}

describe('system-VM hosts, storage pools and storage capacity (small topology)', () => {
  let sim: TestSim

  before(async () => {
    sim = await startTestSim()
  })

  after(() => sim.close())

  const list = async (command: string, params: Record<string, string> = {}) => {
    const res = await sim.call(command, params)
    assert.equal(res.status, 200, res.text)
    return res.body[`${command.toLowerCase()}response`]
  }

  it('lists the secondary storage VM and console proxy as hosts of their types, in no cluster', async () => {
    const [ssvm] = (await list('listHosts', {type: 'SecondaryStorageVM'})).host
    const [cpvm] = (await list('listHosts', {type: 'ConsoleProxy'})).host
    for (const [host, prefix, type] of [
      [ssvm, 's', 'SecondaryStorageVM'],
      [cpvm, 'v', 'ConsoleProxy'],
    ]) {
      assert.match(host.name, new RegExp(`^${prefix}-\\d+-VM$`))
      assert.equal(host.type, type)
      assert.equal(host.state, 'Up')
      assert.equal(host.resourcestate, 'Enabled')
      assert.equal(host.zonename, 'zone-1')
      assert.equal(host.podname, 'pod-1')
      for (const absent of [
        'clusterid',
        'hypervisor',
        'cpunumber',
        'memorytotal',
        'details',
        'capabilities',
      ]) {
        assert.equal(host[absent], undefined, `${type} has no ${absent}`)
      }
    }

    const byId = await list('listHosts', {id: ssvm.id})
    assert.equal(byId.host[0].name, ssvm.name)
  })

  it('lists every host without a type, Routing with type=Routing, and leaves system VMs out of hypervisor filters', async () => {
    const all = await list('listHosts')
    assert.equal(all.count, 8)
    assert.deepEqual(
      all.host.slice(-2).map((h: {type: string}) => h.type),
      ['SecondaryStorageVM', 'ConsoleProxy'],
    )
    assert.equal((await list('listHosts', {type: 'Routing'})).count, 6)
    assert.equal((await list('listHosts', {hypervisor: 'KVM'})).count, 4)
    const cluster = sim.model.state.clusters[0]
    assert.equal((await list('listHosts', {clusterid: cluster.id})).count, 4)
    assert.equal((await list('listHosts', {keyword: 'ConsoleProxy'})).count, 1)
  })

  it('keeps the system VMs out of the host-admin commands', async () => {
    const [ssvm] = (await list('listHosts', {type: 'SecondaryStorageVM'})).host
    const res = await sim.call('prepareHostForMaintenance', {id: ssvm.id})
    assert.equal(res.status, 431)
  })

  it('shows a KVM host the details its agent reports, and a XenServer host none', async () => {
    const [kvm] = (await list('listHosts', {name: 'kvm-host-01'})).host
    for (const key of [
      'Host.OS',
      'Host.OS.Version',
      'Host.OS.Kernel.Version',
      'host.uefi.enable',
      'host.volume.encryption',
      'secured',
    ]) {
      assert.equal(typeof kvm.details[key], 'string', key)
    }

    const [xen] = (await list('listHosts', {name: 'xen-host-01'})).host
    assert.equal(xen.details, undefined)
    assert.equal(xen.hypervisorversion, '8.2.1')
  })

  it('lists the primary storage pools with their sizes and filters them', async () => {
    const pools = await list('listStoragePools')
    assert.equal(pools.count, 2)
    const kvm = pools.storagepool.find((p: {name: string}) => p.name === 'kvm-primary-nfs')
    assert.equal(kvm.type, 'NetworkFilesystem')
    assert.equal(kvm.scope, 'CLUSTER')
    assert.equal(kvm.state, 'Up')
    assert.equal(kvm.clustername, 'kvm-cluster-1')
    assert.equal(kvm.hypervisor, 'KVM')
    assert.equal(kvm.disksizetotal, 2 * TIB)
    assert.equal(kvm.disksizeused, 614 * GIB)
    assert.equal(kvm.disksizeallocated, 1100 * GIB)
    assert.equal(kvm.overprovisionfactor, '2.0')
    const cluster = sim.model.state.clusters.find((c) => c.name === 'xen-cluster-1')!
    const xen = await list('listStoragePools', {clusterid: cluster.id})
    assert.deepEqual(
      xen.storagepool.map((p: {name: string}) => p.name),
      ['xen-primary-nfs'],
    )
    assert.deepEqual(await list('listStoragePools', {scope: 'ZONE'}), {})
    assert.equal((await list('listStoragePools', {id: kvm.id})).count, 1)
    const unknown = await sim.call('listStoragePools', {id: '00000000-0000-4000-8000-000000000000'})
    assert.equal(unknown.status, 431)
  })

  it('lists the image store', async () => {
    const stores = await list('listImageStores')
    assert.equal(stores.count, 1)
    const [store] = stores.imagestore
    assert.deepEqual(
      [store.name, store.protocol, store.providername, store.scope, store.readonly, store.zonename],
      ['nfs-secondary', 'nfs', 'NFS', 'ZONE', false, 'zone-1'],
    )
    assert.equal(store.disksizetotal, 4 * TIB)
    assert.deepEqual(await list('listImageStores', {protocol: 'smb'}), {})
  })

  it('reports storage capacity types 2, 3 and 6 per zone, and per cluster for the pools', async () => {
    const zone = (await list('listCapacity')).capacity as Row[]
    const byType = new Map(zone.map((row) => [row.type, row]))
    assert.deepEqual(
      zone.map((row) => row.type),
      [0, 1, 2, 3, 6, 7, 90],
    )
    assert.deepEqual(
      [byType.get(2)!.name, byType.get(2)!.capacitytotal, byType.get(2)!.capacityused],
      ['STORAGE', 3 * TIB, 1024 * GIB],
    )
    // Allocated against the size times storage.overprovisioning.factor (2 for NFS pools).
    assert.deepEqual(
      [byType.get(3)!.name, byType.get(3)!.capacitytotal, byType.get(3)!.capacityused],
      ['STORAGE_ALLOCATED', 6 * TIB, 1800 * GIB],
    )
    assert.deepEqual(
      [byType.get(6)!.name, byType.get(6)!.capacitytotal, byType.get(6)!.capacityused],
      ['SECONDARY_STORAGE', 4 * TIB, 930 * GIB],
    )

    const cluster = sim.model.state.clusters.find((c) => c.name === 'kvm-cluster-1')!
    const rows = (await list('listCapacity', {clusterid: cluster.id, type: '2'})).capacity as Row[]
    assert.deepEqual(
      rows.map((row) => [row.clusterid, row.capacitytotal, row.capacityused]),
      [[cluster.id, 2 * TIB, 614 * GIB]],
    )
    // Secondary storage belongs to no pod or cluster.
    assert.deepEqual(await list('listCapacity', {clusterid: cluster.id, type: '6'}), {})
  })
})
