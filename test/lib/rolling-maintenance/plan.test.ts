import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {PlanHost, PlanVm} from '../../../src/lib/rolling-maintenance/plan.js'

import {buildRollingPlan, capacityCheck} from '../../../src/lib/rolling-maintenance/plan.js'

const GiB = 1024 ** 3
function host(id: string, clusterid: string, extra: Partial<PlanHost> = {}): PlanHost {
  return {
    clusterid,
    cpuallocatedvalue: 0,
    cpunumber: 16,
    cpuspeed: 2000,
    cpuwithoverprovisioning: String(16 * 2000),
    hypervisor: 'KVM',
    id,
    memoryallocatedbytes: 0,
    memorywithoverprovisioning: String(64 * GiB),
    name: `kvm-${id}`,
    resourcestate: 'Enabled',
    state: 'Up',
    ...extra,
  }
}

const vm = (id: string, hostid: string, extra: Partial<PlanVm> = {}): PlanVm => ({
  cpunumber: 2,
  cpuspeed: 1000,
  hostid,
  id,
  memory: 4096,
  name: `vm-${id}`,
  state: 'Running',
  ...extra,
})

const cluster = {allocationstate: 'Enabled', id: 'c1', name: 'kvm-cluster'}

describe('capacity check before maintenance', () => {
  it('passes when every VM fits on another Up + Enabled host on its own', () => {
    const hosts = [host('1', 'c1'), host('2', 'c1', {memoryallocatedbytes: 60 * GiB})]
    const vms = [vm('a', '1'), vm('b', '1', {memory: 4 * 1024})]
    assert.deepEqual(capacityCheck(hosts[0], cluster, hosts, vms), {
      message: 'ok (2 VMs fit elsewhere)',
      ok: true,
    })
  })

  it('fails when a VM needs more memory than any other host has free', () => {
    const hosts = [host('1', 'c1'), host('2', 'c1', {memoryallocatedbytes: 62 * GiB})]
    const check = capacityCheck(hosts[0], cluster, hosts, [vm('a', '1')])
    assert.deepEqual(check, {
      message: 'vm-a cannot be migrated away from kvm-1 to any other host in the cluster',
      ok: false,
    })
  })

  it('counts the overprovisioned totals and the CPU capability (cores and clock)', () => {
    const target = host('2', 'c1', {cpunumber: 4, cpuwithoverprovisioning: String(4 * 2000 * 4)})
    const hosts = [host('1', 'c1'), target]
    assert.equal(
      capacityCheck(hosts[0], cluster, hosts, [vm('a', '1', {cpunumber: 4, cpuspeed: 2000})]).ok,
      true,
    )
    assert.equal(
      capacityCheck(hosts[0], cluster, hosts, [vm('a', '1', {cpunumber: 8, cpuspeed: 100})]).ok,
      false,
    )
    assert.equal(
      capacityCheck(hosts[0], cluster, hosts, [vm('a', '1', {cpunumber: 1, cpuspeed: 2500})]).ok,
      false,
    )
  })

  it('is fatal when no other host is Up and Enabled, whatever forced says', () => {
    const hosts = [
      host('1', 'c1'),
      host('2', 'c1', {resourcestate: 'Maintenance'}),
      host('3', 'c1', {state: 'Down'}),
    ]
    const check = capacityCheck(hosts[0], cluster, hosts, [])
    assert.equal(check.ok, false)
    assert.equal(
      check.fatal,
      'No host available in cluster c1 (kvm-cluster) to support host 1 (kvm-1) in maintenance',
    )
  })

  it('ignores stopped VMs', () => {
    const hosts = [host('1', 'c1'), host('2', 'c1', {memoryallocatedbytes: 64 * GiB})]
    assert.equal(capacityCheck(hosts[0], cluster, hosts, [vm('a', '1', {state: 'Stopped'})]).ok, true)
  })
})

describe('buildRollingPlan', () => {
  const base = {forced: false, pingInterval: 10, stageTimeout: 1800}

  it('orders clusters as listed, names non-KVM hosts as ignored, and expects success', () => {
    const hosts = [
      host('3', 'c2'),
      host('1', 'c1'),
      host('2', 'c1'),
      host('4', 'c2'),
      host('x', 'cx', {hypervisor: 'XenServer', name: 'xen-1'}),
    ]
    const plan = buildRollingPlan({
      ...base,
      clusterHosts: hosts,
      clusters: [cluster, {allocationstate: 'Disabled', id: 'c2', name: 'second'}],
      payload: 'a=1',
      scopeHosts: hosts,
      vms: [vm('a', '1')],
    })
    assert.deepEqual(
      plan.clusters.map((c) => [c.name, c.willdisable, c.hosts.map((h) => h.name)]),
      [
        ['kvm-cluster', true, ['kvm-1', 'kvm-2']],
        ['second', false, ['kvm-3', 'kvm-4']],
      ],
    )
    assert.deepEqual(plan.ignoredhosts, [{hypervisor: 'XenServer', id: 'x', name: 'xen-1'}])
    assert.equal(plan.willfail, false)
    assert.deepEqual(plan.expectations, [])
    assert.equal(plan.payload, 'a=1')
    assert.equal(plan.clusters[0].hosts[0].vms, 1)
  })

  it('names hosts with VMs in blocking states: the run stops, or the cluster is skipped when forced', () => {
    const hosts = [host('1', 'c1'), host('2', 'c1')]
    const vms = [vm('a', '2', {state: 'Migrating'}), vm('b', '2', {state: 'Running'})]
    const input = {...base, clusterHosts: hosts, clusters: [cluster], scopeHosts: hosts, vms}
    const plan = buildRollingPlan(input)
    assert.deepEqual(plan.clusters[0].hosts[1].blockingvms, [{name: 'vm-a', state: 'Migrating'}])
    assert.equal(plan.willfail, true)
    assert.deepEqual(plan.expectations, ['the run stops: VMs in invalid states in cluster: c1'])
    const forced = buildRollingPlan({...input, forced: true})
    assert.equal(forced.willfail, false)
    assert.deepEqual(forced.expectations, [
      'cluster kvm-cluster is skipped (VMs in blocking states on kvm-2)',
    ])
  })

  it('reports state-check and capacity failures per host', () => {
    const hosts = [
      host('1', 'c1', {state: 'Disconnected'}),
      host('2', 'c1'),
      host('3', 'c1', {memoryallocatedbytes: 63 * GiB}),
    ]
    const vms = [vm('big', '2', {memory: 8192})]
    const input = {...base, clusterHosts: hosts, clusters: [cluster], scopeHosts: hosts, vms}
    assert.deepEqual(buildRollingPlan(input).expectations, [
      'the run stops: Host 1 is not connected, state = Disconnected',
    ])
    assert.deepEqual(buildRollingPlan({...input, forced: true}).expectations, [
      'kvm-1 is skipped: Host 1 is not connected, state = Disconnected',
      'kvm-2 is likely skipped: capacity check failed: vm-big cannot be migrated away from kvm-2 to any other host in the cluster',
    ])
  })

  it('says when no KVM host is in scope', () => {
    const xen = [host('x', 'cx', {hypervisor: 'XenServer'})]
    const plan = buildRollingPlan({...base, clusterHosts: xen, clusters: [], scopeHosts: xen, vms: []})
    assert.deepEqual(plan.clusters, [])
    assert.deepEqual(plan.expectations, ['no KVM host in scope: the run does nothing'])
  })
})
