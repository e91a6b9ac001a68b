import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/lib/core/errors.js'
import {formatMemory, GiB} from '../../../src/lib/overprovision/capacity-rules.js'
import {
  allocatedAfterRestart,
  allocatedUnderFactor,
  checkFactorForHypervisor,
  effectiveFactor,
  parseFactor,
  projectFactorChange,
  type VmFactorView,
  vmFactorView,
  vmsKeepingOldFactor,
  XENSERVER_LIMIT_REASON,
} from '../../../src/lib/overprovision/rules.js'
import {readFixture} from '../../helpers/fixtures.js'

describe('parseFactor', () => {
  it('accepts decimals greater than 0', () => {
    assert.equal(parseFactor('2', '--cpu'), 2)
    assert.equal(parseFactor('1.5', '--memory'), 1.5)
    assert.equal(parseFactor('0.5', '--cpu'), 0.5)
    assert.equal(parseFactor(' 3 ', '--cpu'), 3)
    assert.equal(parseFactor('.5', '--cpu'), 0.5)
  })

  for (const bad of ['0', '-1', 'abc', '', '0.0', 'NaN', 'Infinity', '1e400', '2x', '1,5', '1e3']) {
    it(`refuses "${bad}" as a usage error naming the flag`, () => {
      assert.throws(
        () => parseFactor(bad, '--cpu'),
        (error: unknown) =>
          error instanceof UsageError &&
          error.exitCode === 2 &&
          error.message.startsWith('--cpu must be a number greater than 0'),
      )
    })
  }
})

describe('checkFactorForHypervisor', () => {
  const opts = {clusterName: 'xen-1', flag: '--memory', force: false}

  it('refuses more than 4 on XenServer, quoting the guide', () => {
    assert.throws(
      () => checkFactorForHypervisor(5, 'XenServer', opts),
      (error: unknown) =>
        error instanceof UsageError &&
        error.exitCode === 2 &&
        error.message.includes(XENSERVER_LIMIT_REASON) &&
        error.message.includes('xen-1'),
    )
  })

  it('allows 4 on XenServer and anything on KVM', () => {
    assert.equal(checkFactorForHypervisor(4, 'XenServer', opts), undefined)
    assert.equal(checkFactorForHypervisor(10, 'KVM', opts), undefined)
    assert.equal(checkFactorForHypervisor(10, undefined, opts), undefined)
  })

  it('lets --force through with a warning that still quotes the guide', () => {
    const warning = checkFactorForHypervisor(5, 'xenserver', {...opts, force: true})
    assert.ok(warning?.includes(XENSERVER_LIMIT_REASON))
  })
})

describe('effectiveFactor', () => {
  it('reads the recorded listClusters answer (cluster value 1.0)', () => {
    const recorded = readFixture<{
      listClusters: {listclustersresponse: {cluster: Array<Record<string, never>>}}
    }>('recorded/ClusterService.json')
    const [cluster] = recorded.listClusters.listclustersresponse.cluster
    assert.deepEqual(effectiveFactor(cluster, 'cpu', 3), {source: 'cluster', value: 1})
    assert.deepEqual(effectiveFactor(cluster, 'memory', 3), {source: 'cluster', value: 1})
  })

  it('prefers the cluster detail, else the shown ratio as inherited, else the global default', () => {
    assert.deepEqual(
      effectiveFactor({cpuovercommitratio: '2.0', resourcedetails: {cpuOvercommitRatio: '2.0'}}, 'cpu', 1),
      {source: 'cluster', value: 2},
    )
    assert.deepEqual(effectiveFactor({memoryovercommitratio: '1.5', resourcedetails: {}}, 'memory', 1), {
      source: 'global',
      value: 1.5,
    })
    assert.deepEqual(effectiveFactor({}, 'memory', 1.25), {source: 'global', value: 1.25})
  })
})

function vm(name: string, state: string, memoryMiB: number, details?: Record<string, string>): VmFactorView {
  return vmFactorView({
    cpunumber: 1,
    cpuspeed: 1000,
    details,
    id: `id-${name}`,
    memory: memoryMiB,
    name,
    state,
  })
}

describe('vmFactorView', () => {
  it('takes sizes and recorded start factors from listVirtualMachines fields', () => {
    const v = vm('a', 'Running', 1024, {cpuOvercommitRatio: '2.0', memoryOvercommitRatio: '1.5'})
    assert.equal(v.cpuMhz, 1000)
    assert.equal(v.memoryBytes, GiB)
    assert.deepEqual(v.startFactor, {cpu: 2, memory: 1.5})
    assert.deepEqual(v.startFactorRecorded, {cpu: true, memory: true})
  })

  it('treats a VM without recorded factors as started under factor 1', () => {
    const v = vm('b', 'Running', 512)
    assert.deepEqual(v.startFactor, {cpu: 1, memory: 1})
    assert.deepEqual(v.startFactorRecorded, {cpu: false, memory: false})
  })
})

describe('vmsKeepingOldFactor', () => {
  const vms = [
    vm('web-2', 'Running', 1024),
    vm('web-1', 'Running', 1024, {cpuOvercommitRatio: '2.0', memoryOvercommitRatio: '2.0'}),
    vm('stopped', 'Stopped', 1024),
    vm('moving', 'Migrating', 1024),
  ]

  it('lists running VMs whose start factor differs from the new one, by name', () => {
    const result = vmsKeepingOldFactor(vms, {memory: 2})
    assert.deepEqual(
      result.map((r) => [r.vm.name, r.keeps]),
      [
        ['moving', {memory: 1}],
        ['web-2', {memory: 1}],
      ],
    )
  })

  it('ignores resources that do not change and VMs already on the new factor', () => {
    assert.deepEqual(vmsKeepingOldFactor(vms, {}), [])
    assert.deepEqual(
      vmsKeepingOldFactor([vms[1]], {cpu: 2, memory: 2}).map((r) => r.vm.name),
      [],
    )
  })

  it('names both resources when both change', () => {
    const [only] = vmsKeepingOldFactor([vms[1]], {cpu: 3, memory: 1})
    assert.deepEqual(only.keeps, {cpu: 2, memory: 2})
  })
})

describe('allocation under a factor', () => {
  it('counts the guide example: three 1 GB VMs started under factor 2 use 3 GB of 4 GB', () => {
    const three = ['a', 'b', 'c'].map((n) => vm(n, 'Running', 1024, {memoryOvercommitRatio: '2.0'}))
    assert.equal(formatMemory(allocatedUnderFactor(three, 'memory', 2)), '3 GB')
  })

  it('a VM started under factor 2 counts double after the cluster goes to 4', () => {
    const v = [vm('a', 'Running', 1024, {memoryOvercommitRatio: '2.0'})]
    assert.equal(allocatedUnderFactor(v, 'memory', 4), 2 * GiB)
    assert.equal(allocatedAfterRestart(v, 'memory'), GiB)
  })

  it('a VM without a recorded factor counts its plain size, as the server does', () => {
    assert.equal(allocatedUnderFactor([vm('a', 'Running', 1024)], 'memory', 3), GiB)
  })

  it('stopped VMs hold nothing', () => {
    assert.equal(allocatedUnderFactor([vm('a', 'Stopped', 1024)], 'memory', 2), 0)
  })

  it('after restart, allocation does not depend on the factors the VMs had', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            factor: fc.double({max: 8, min: 0.5, noNaN: true}),
            mib: fc.integer({max: 65_536, min: 1}),
          }),
        ),
        (specs) => {
          const vms = specs.map((s, i) =>
            vm(`v${i}`, 'Running', s.mib, {memoryOvercommitRatio: String(s.factor)}),
          )
          assert.equal(
            allocatedAfterRestart(vms, 'memory'),
            specs.reduce((sum, s) => sum + s.mib * 1024 * 1024, 0),
          )
        },
      ),
    )
  })
})

describe('projectFactorChange', () => {
  it('shows before, right after, and after restarts', () => {
    // 2 GB host, factor 2, three 1 GB VMs started under 2; the operator raises the factor to 4.
    const vms = ['a', 'b', 'c'].map((n) => vm(n, 'Running', 1024, {memoryOvercommitRatio: '2.0'}))
    const p = projectFactorChange({
      allocatedNow: 3 * GiB,
      kind: 'memory',
      newFactor: 4,
      oldFactor: 2,
      physical: 2 * GiB,
      vms,
    })
    assert.deepEqual(
      [p.before.withOverprovisioning, p.before.allocated, p.before.free].map((n) => formatMemory(n)),
      ['4 GB', '3 GB', '1 GB'],
    )
    assert.deepEqual(
      [p.afterChange.withOverprovisioning, p.afterChange.allocated, p.afterChange.free].map((n) =>
        formatMemory(n),
      ),
      ['8 GB', '6 GB', '2 GB'],
    )
    assert.deepEqual(
      [p.afterRestart.allocated, p.afterRestart.free].map((n) => formatMemory(n)),
      ['3 GB', '5 GB'],
    )
  })

  it('keeps capacity the server reports beyond the running VMs (recently stopped VMs)', () => {
    const p = projectFactorChange({
      allocatedNow: 2 * GiB,
      kind: 'memory',
      newFactor: 2,
      oldFactor: 1,
      physical: 4 * GiB,
      vms: [vm('a', 'Running', 1024)],
    })
    assert.equal(p.afterChange.allocated, 2 * GiB)
    assert.equal(p.afterRestart.allocated, 2 * GiB)
  })
})
