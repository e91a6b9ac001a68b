import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import {type TestSim, useSim} from '../../helpers/sim.js'

/* Parameters the simulator applies as upstream does, each with the effect it has. */

async function ok(sim: TestSim, command: string, params: Record<string, string> = {}) {
  const res = await sim.call(command, params, {method: command.startsWith('list') ? 'GET' : 'POST'})
  assert.equal(res.status, 200, `${command}: ${res.text}`)
  return res.body[`${command.toLowerCase()}response`]
}

/** Runs an async command to its end, noting each state of the VM `vmId` seen meanwhile. */
async function runWatching(sim: TestSim, command: string, params: Record<string, string>, vmId: string) {
  const {jobid} = await ok(sim, command, params)
  const seen = new Set<string>()
  for (let i = 0; i < 2000; i++) {
    const [vm] = (await ok(sim, 'listVirtualMachines', {id: vmId})).virtualmachine
    seen.add(vm.state)
    const job = await ok(sim, 'queryAsyncJobResult', {jobid})
    if (job.jobstatus !== 0) return {job, seen}
    await delay(5)
  }

  throw new Error(`${command} job did not finish`)
}

describe('stopVirtualMachine forced', () => {
  // Speed 5: a stop that waits for the hypervisor stays Stopping for a simulated 5 s (1 s).
  const sim = useSim({speed: 5})

  it('stops a running VM at once, without passing through Stopping; unforced it does pass', async () => {
    const running = (await ok(sim, 'listVirtualMachines', {listall: 'true', state: 'Running'})).virtualmachine
    assert.ok(running.length >= 2, 'two running VMs')
    const [a, b] = running

    const forced = await runWatching(sim, 'stopVirtualMachine', {forced: 'true', id: a.id}, a.id)
    assert.equal(forced.job.jobstatus, 1, JSON.stringify(forced.job))
    assert.equal(forced.job.jobresult.virtualmachine.state, 'Stopped')
    assert.ok(!forced.seen.has('Stopping'), [...forced.seen].join(','))

    const plain = await runWatching(sim, 'stopVirtualMachine', {id: b.id}, b.id)
    assert.equal(plain.job.jobstatus, 1, JSON.stringify(plain.job))
    assert.equal(plain.job.jobresult.virtualmachine.state, 'Stopped')
    assert.ok(plain.seen.has('Stopping'), [...plain.seen].join(','))
  })
})

describe('list parameters whose upstream answer the simulator gives', () => {
  const sim = useSim({speed: 10_000})

  it('listTrafficTypes: keyword changes nothing, as ListTrafficTypesCmd passes only the physical network', async () => {
    const [pn] = (await ok(sim, 'listPhysicalNetworks')).physicalnetwork
    const all = await ok(sim, 'listTrafficTypes', {physicalnetworkid: pn.id})
    assert.ok(all.traffictype.length >= 2, JSON.stringify(all))
    const listed = (await ok(sim, 'listApis', {name: 'listTrafficTypes'})).api[0].params
    assert.ok(listed.some((p: {name: string}) => p.name === 'keyword'))
    for (const keyword of ['Guest', 'no-such-type'])
      assert.deepEqual(await ok(sim, 'listTrafficTypes', {keyword, physicalnetworkid: pn.id}), all, keyword)
  })

  // ManagementServerImpl.listCapacities reads type, zone, pod, cluster and fetchlatest only;
  // NetworkServiceImpl.listDedicatedGuestVlanRanges id, owner, range, physical network and zone.
  for (const [command, params] of [
    ['listCapacity', {}],
    ['listDedicatedGuestVlanRanges', {}],
  ] as const) {
    it(`${command}: keyword is listed and changes nothing, as upstream's search ignores it`, async () => {
      const listed = (await ok(sim, 'listApis', {name: command})).api[0].params
      assert.ok(listed.some((p: {name: string}) => p.name === 'keyword'))
      const all = await ok(sim, command, params)
      assert.ok(all.count > 0, JSON.stringify(all))
      for (const keyword of ['900', 'STORAGE', 'no-such-thing'])
        assert.deepEqual(await ok(sim, command, {...params, keyword}), all, keyword)
    })
  }

  it('listGuestVlans: ordered by vnet as text; keyword keeps the VNETs whose number contains it, as NetworkServiceImpl matches vnet LIKE %keyword%', async () => {
    const [pn] = (await ok(sim, 'listPhysicalNetworks')).physicalnetwork
    const vlans = async (params: Record<string, string>) =>
      (
        (await ok(sim, 'listGuestVlans', {pagesize: '-1', physicalnetworkid: pn.id, ...params})).guestvlan ??
        []
      ).map((v: {vlan: string}) => v.vlan) as string[]
    const all = await vlans({})
    // Ordered by the vnet column, a string: 1000 before 500, as Filter(DataCenterVnetVO, "vnet") gives.
    assert.deepEqual(all, [...all].sort())
    assert.equal(all[0], '1000')
    const expected = all.filter((vlan) => vlan.includes('99'))
    assert.ok(expected.length > 1 && expected.length < all.length, expected.join(','))
    assert.deepEqual(await vlans({keyword: '99'}), expected)
    assert.deepEqual(await vlans({keyword: 'x'}), [])
    // With allocatedonly: the allocated VNETs containing it.
    const allocated = await vlans({allocatedonly: 'true'})
    const [first] = allocated
    assert.deepEqual(
      await vlans({allocatedonly: 'true', keyword: first}),
      allocated.filter((v) => v.includes(first)),
    )
  })

  it('listCapacity: fetchlatest answers the current rows, a VM stopped a moment ago included', async () => {
    const memoryUsed = async (params: Record<string, string>) =>
      (await ok(sim, 'listCapacity', {type: '0', ...params})).capacity.reduce(
        (sum: number, row: {capacityused: number}) => sum + row.capacityused,
        0,
      )
    const before = await memoryUsed({fetchlatest: 'true'})
    const [vm] = (await ok(sim, 'listVirtualMachines', {listall: 'true', state: 'Running'})).virtualmachine
    const {job} = await runWatching(sim, 'stopVirtualMachine', {id: vm.id}, vm.id)
    assert.equal(job.jobstatus, 1, JSON.stringify(job))
    const after = await memoryUsed({fetchlatest: 'true'})
    assert.ok(after < before, `${after} < ${before}`)
    assert.equal(after, await memoryUsed({}))
    assert.equal(before - after, vm.memory * 1024 * 1024)
  })
})

describe('updateCluster hypervisor and clustertype', () => {
  const sim = useSim({speed: 10_000})

  it('sets the hypervisor (any case, canonical name) and the cluster type; refuses unknown ones, changing nothing', async () => {
    const [cluster] = (await ok(sim, 'listClusters')).cluster
    const other = cluster.hypervisortype === 'KVM' ? 'XenServer' : 'KVM'
    const updated = (
      await ok(sim, 'updateCluster', {
        clustertype: 'ExternalManaged',
        hypervisor: other.toLowerCase(),
        id: cluster.id,
      })
    ).cluster
    assert.equal(updated.hypervisortype, other)
    assert.equal(updated.clustertype, 'ExternalManaged')
    const [listed] = (await ok(sim, 'listClusters', {id: cluster.id})).cluster
    assert.equal(listed.hypervisortype, other)
    assert.equal(listed.clustertype, 'ExternalManaged')

    for (const [params, text] of [
      [{hypervisor: 'Hyper-X'}, 'Unable to resolve Hyper-X to a supported type'],
      [{clustertype: 'cloudmanaged'}, 'Unable to resolve cloudmanaged to a supported type'],
    ] as const) {
      const res = await sim.call(
        'updateCluster',
        {...params, clustername: 'renamed', id: cluster.id},
        {method: 'POST'},
      )
      const body = res.body.updateclusterresponse
      assert.equal(res.status, 431, res.text)
      assert.equal(body.cserrorcode, 4350)
      assert.equal(body.errortext, text)
    }

    const [after] = (await ok(sim, 'listClusters', {id: cluster.id})).cluster
    assert.equal(after.name, cluster.name)
    assert.equal(after.hypervisortype, other)
    assert.equal(after.clustertype, 'ExternalManaged')
  })
})
