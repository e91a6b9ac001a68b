import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {SimModel} from '../../../src/sim/state/model.js'
import {buildState} from '../../../src/sim/state/topology/build.js'
import {largeTopology, smallTopology} from '../../../src/sim/state/topology/presets.js'
import {parseBytes} from '../../../src/sim/state/topology/spec.js'
import {startTestSim, useSim} from '../../helpers/sim.js'

/** Greedy placement of a host's running VMs on the other Up+Enabled hosts of its cluster. */
function canDrain(model: SimModel, hostId: string): boolean {
  const host = model.hosts.get(hostId)!
  const others = model.hostsInCluster(host.clusterId).filter((h) => h.id !== hostId)
  const capacity = model.hostCapacities(others)
  for (const vm of model.vmsOnHost(hostId).filter((v) => v.state === 'Running')) {
    const target = others.find((h) => {
      const c = capacity.get(h.id)!
      return (
        c.cpuAllocated + vm.cpuNumber * vm.cpuSpeed <= c.cpuWithOverprovisioning &&
        c.memoryAllocated + vm.memory * 1024 * 1024 <= c.memoryWithOverprovisioning
      )
    })
    if (!target) return false
    const c = capacity.get(target.id)!
    c.cpuAllocated += vm.cpuNumber * vm.cpuSpeed
    c.memoryAllocated += vm.memory * 1024 * 1024
  }

  return true
}

describe('small topology', () => {
  const model = new SimModel(buildState(smallTopology(), {apiKey: 'k', secretKey: 's'}))

  it('has one zone and pod, a KVM cluster of 4 and a XenServer cluster of 2', () => {
    assert.equal(model.state.zones.length, 1)
    assert.equal(model.state.pods.length, 1)
    const byHypervisor = Object.fromEntries(
      model.state.clusters.map((c) => [c.hypervisor, model.hostsInCluster(c.id).length]),
    )
    assert.deepEqual(byHypervisor, {KVM: 4, XenServer: 2})
    assert.equal(model.state.vms.length, 20)
  })

  it('can drain any one KVM host', () => {
    for (const host of model.state.hosts.filter((h) => h.hypervisor === 'KVM')) {
      assert.ok(model.vmsOnHost(host.id).length > 0, host.name)
      assert.ok(canDrain(model, host.id), host.name)
    }
  })

  it('has a guest physical network with VLANs 500-1000, allocated VNETs and a dedicated range', () => {
    const [network] = model.state.physicalNetworks
    assert.ok(network.trafficTypes.includes('Guest'))
    assert.deepEqual(network.vlanRanges, [[500, 1000]])
    assert.ok(network.vnetsAllocated.length > 0)
    assert.ok(
      network.vnetsAllocated.every((v) => v.vnet >= 500 && v.vnet <= 1000 && model.accounts.has(v.accountId)),
    )
    assert.equal(model.state.dedicatedVlanRanges.length, 1)
    assert.equal(model.state.dedicatedVlanRanges[0].physicalNetworkId, network.id)
  })

  it('configures OOBM (ipmitool, On) and rolling-maintenance scripts on the KVM hosts only', () => {
    for (const host of model.state.hosts) {
      const kvm = host.hypervisor === 'KVM'
      assert.equal(host.oobm?.enabled ?? false, kvm, host.name)
      if (kvm) {
        assert.equal(host.oobm?.driver, 'ipmitool')
        assert.equal(host.oobm?.powerState, 'On')
        assert.equal(host.bmc.power, 'On')
        assert.deepEqual(Object.keys(host.rollingMaintenance).sort(), [
          'Maintenance',
          'PostMaintenance',
          'PreFlight',
          'PreMaintenance',
        ])
      } else {
        assert.deepEqual(host.rollingMaintenance, {})
      }
    }
  })

  it('makes the same ids from the same topology', () => {
    const again = buildState(smallTopology())
    assert.deepEqual(
      again.hosts.map((h) => h.id),
      model.state.hosts.map((h) => h.id),
    )
    assert.deepEqual(
      again.vms.map((v) => v.id),
      model.state.vms.map((v) => v.id),
    )
  })

  it('parses byte sizes with units', () => {
    assert.equal(parseBytes('128GiB'), 128 * 1024 ** 3)
    assert.equal(parseBytes(42), 42)
    assert.throws(() => parseBytes('lots'), /invalid size/)
  })
})

describe('large topology', () => {
  const sim = useSim({hosts: 20_000, topology: 'large'})

  it('spreads hosts over clusters of 32', () => {
    const spec = largeTopology(100)
    const counts = spec.zones[0].pods!.flatMap((pod) => pod.clusters!.map((c) => c.hostcount))
    assert.deepEqual(counts, [32, 32, 32, 4])
  })

  it('lists 20,000 hosts in pages of 500', async () => {
    const seen = new Set<string>()
    for (let page = 1; page <= 40; page++) {
      const res = await sim.call('listHosts', {details: 'min', page: String(page), pagesize: '500'})
      assert.equal(res.status, 200)
      assert.equal(res.body.listhostsresponse.count, 20_000)
      for (const host of res.body.listhostsresponse.host) seen.add(host.id)
    }

    assert.equal(seen.size, 20_000)
    const beyond = await sim.call('listHosts', {page: '41', pagesize: '500'})
    assert.deepEqual(beyond.body, {listhostsresponse: {count: 20_000}})
  })

  it('caps unpaged lists at default.page.size', async () => {
    const res = await sim.call('listHosts', {details: 'min'})
    assert.equal(res.body.listhostsresponse.count, 20_000)
    assert.equal(res.body.listhostsresponse.host.length, 500)
  })

  it('filters by cluster', async () => {
    const cluster = sim.model.state.clusters[7]
    const res = await sim.call('listHosts', {clusterid: cluster.id})
    assert.equal(res.body.listhostsresponse.count, 32)
  })
})

describe('topology files', () => {
  it('builds a cloud from a YAML file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-sim-'))
    const file = path.join(dir, 'lab.yaml')
    writeFileSync(
      file,
      [
        'seed: lab',
        'zones:',
        '  - name: lab-zone',
        '    pods:',
        '      - name: lab-pod',
        '        clusters:',
        '          - name: lab-kvm',
        '            hypervisor: KVM',
        '            details: {cpuOvercommitRatio: "2.0"}',
        '            hostcount: 3',
        '            vmsperhost: 2',
        '            hosts:',
        '              - name: special',
        '                cpunumber: 8',
        '                memorytotal: 64GiB',
        '                bmc: {mode: wrong-credentials}',
      ].join('\n'),
    )
    const sim = await startTestSim({topology: file})
    try {
      const hosts = await sim.call('listHosts')
      assert.equal(hosts.body.listhostsresponse.count, 4)
      const special = hosts.body.listhostsresponse.host.find((h: {name: string}) => h.name === 'special')
      assert.equal(special.cpunumber, 8)
      assert.equal(special.cpuwithoverprovisioning, String(8 * 2400 * 2))
      assert.equal(special.memorytotal, 64 * 1024 ** 3)
      const clusters = await sim.call('listClusters')
      assert.equal(clusters.body.listclustersresponse.cluster[0].cpuovercommitratio, '2.0')
      assert.equal(sim.model.state.vms.length, 6)
      assert.equal(sim.model.state.hosts.find((h) => h.name === 'special')?.bmc.mode, 'wrong-credentials')
    } finally {
      await sim.close()
    }
  })
})
