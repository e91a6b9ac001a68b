import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  type CandidateHost,
  checkDrainCapacity,
  explainDrainCapacity,
  formatBytes,
  freeCapacity,
  parseOvercommitRatio,
  type VmDemand,
  whyVmDoesNotFit,
} from '../../../src/lib/maintenance/capacity-rules.js'

const GiB = 1024 ** 3

function host(id: string, overrides: Partial<CandidateHost> = {}): CandidateHost {
  return {
    allocatedCpuMhz: 0,
    allocatedMemoryBytes: 0,
    cpuNumber: 8,
    cpuSpeedMhz: 2000,
    id,
    memoryTotalBytes: 16 * GiB,
    name: id,
    resourceState: 'Enabled',
    state: 'Up',
    ...overrides,
  }
}

function vm(id: string, memoryGiB: number, cpuNumber = 1, cpuSpeedMhz = 1000): VmDemand {
  return {cpuNumber, cpuSpeedMhz, id, memoryBytes: memoryGiB * GiB, name: id}
}

const noOvercommit = {cpu: 1, memory: 1}

/** Every VM is accounted for once; no target is the source, drained, down, disabled or overfilled. */
function assertSoundDrain(
  hosts: CandidateHost[],
  vmsByHost: Map<string, VmDemand[]>,
  factors: {cpu: number; memory: number},
  result: ReturnType<typeof checkDrainCapacity>,
): void {
  const added = new Map<string, {cpu: number; mem: number}>()
  const drained = new Set<string>()
  const placements = result.hosts.flatMap((r) => r.placements)
  for (const check of result.hosts) {
    const own = vmsByHost.get(check.hostId) ?? []
    const movedIn = placements.filter((p) => p.targetHostId === check.hostId)
    assert.equal(check.placements.length + check.unplaced.length, own.length + movedIn.length)
    for (const p of check.placements) {
      assert.notEqual(p.targetHostId, check.hostId)
      assert.ok(!drained.has(p.targetHostId))
      const target = hosts.find((h) => h.id === p.targetHostId)!
      assert.equal(target.state, 'Up')
      assert.equal(target.resourceState, 'Enabled')
      const sum = added.get(target.id) ?? {cpu: 0, mem: 0}
      sum.cpu += p.vm.cpuNumber * p.vm.cpuSpeedMhz
      sum.mem += p.vm.memoryBytes
      added.set(target.id, sum)
      assert.ok(sum.cpu + target.allocatedCpuMhz <= target.cpuNumber * target.cpuSpeedMhz * factors.cpu)
      assert.ok(sum.mem + target.allocatedMemoryBytes <= target.memoryTotalBytes * factors.memory)
    }

    drained.add(check.hostId)
  }

  assert.equal(
    result.ok,
    result.hosts.every((h) => h.unplaced.length === 0),
  )
}

function vmsFromSpecs(
  hostId: string,
  specs: Array<{cores: number; memGiB: number; speed: number}>,
): VmDemand[] {
  return specs.map((v, j) => vm(`${hostId}-v${j}`, v.memGiB, v.cores, v.speed))
}

describe('freeCapacity', () => {
  it('multiplies the raw capacity by the factors before subtracting the allocation', () => {
    const h = host('h', {allocatedCpuMhz: 4000, allocatedMemoryBytes: 8 * GiB})
    assert.deepEqual(freeCapacity(h, noOvercommit), {cpuMhz: 12_000, memoryBytes: 8 * GiB})
    assert.deepEqual(freeCapacity(h, {cpu: 2, memory: 1.5}), {cpuMhz: 28_000, memoryBytes: 16 * GiB})
  })
})

describe('whyVmDoesNotFit', () => {
  it('checks cores, core speed, free CPU and free memory, in that order', () => {
    assert.match(whyVmDoesNotFit(vm('v', 1, 16), host('h'), noOvercommit)!, /h has 8 cores, the VM needs 16/)
    assert.match(
      whyVmDoesNotFit(vm('v', 1, 1, 3000), host('h'), noOvercommit)!,
      /runs at 2000 MHz, the VM needs 3000/,
    )
    const busy = host('h', {allocatedCpuMhz: 15_500})
    assert.match(whyVmDoesNotFit(vm('v', 1, 1, 1000), busy, noOvercommit)!, /500 MHz CPU free/)
    assert.match(whyVmDoesNotFit(vm('v', 17), host('h'), noOvercommit)!, /16 GiB memory free/)
    assert.equal(whyVmDoesNotFit(vm('v', 16, 8, 2000), host('h'), noOvercommit), undefined)
  })
})

describe('checkDrainCapacity', () => {
  it('places every VM when the other hosts have room', () => {
    const result = checkDrainCapacity({
      clusterHosts: [host('a'), host('b'), host('c')],
      clusterName: 'c1',
      drainOrder: ['a'],
      factors: noOvercommit,
      vmsByHost: new Map([['a', [vm('v1', 8), vm('v2', 8), vm('v3', 4)]]]),
    })
    assert.equal(result.ok, true)
    assert.deepEqual(
      result.hosts[0].placements.map((p) => [p.vm.id, p.targetHostId]),
      [
        ['v1', 'b'],
        ['v2', 'b'],
        ['v3', 'c'],
      ],
    )
    assert.deepEqual(result.hosts[0].targetHostIds, ['b', 'c'])
  })

  it('ignores hosts that are not Up and Enabled', () => {
    const result = checkDrainCapacity({
      clusterHosts: [
        host('a'),
        host('down', {state: 'Down'}),
        host('disabled', {resourceState: 'Disabled'}),
        host('maint', {resourceState: 'Maintenance'}),
      ],
      clusterName: 'c1',
      drainOrder: ['a'],
      factors: noOvercommit,
      vmsByHost: new Map([['a', [vm('v1', 1)]]]),
    })
    assert.equal(result.ok, false)
    assert.deepEqual(result.hosts[0].targetHostIds, [])
    assert.match(result.hosts[0].unplaced[0].reason, /no other host of cluster c1 is Up and Enabled/)
  })

  it('names the VMs that fit nowhere, with the reason per host', () => {
    const result = checkDrainCapacity({
      clusterHosts: [host('a'), host('b', {allocatedMemoryBytes: 12 * GiB})],
      clusterName: 'c1',
      drainOrder: ['a'],
      factors: noOvercommit,
      vmsByHost: new Map([['a', [vm('small', 2), vm('big', 6)]]]),
    })
    assert.equal(result.ok, false)
    assert.deepEqual(
      result.hosts[0].unplaced.map((u) => u.vm.name),
      ['big'],
    )
    assert.deepEqual(
      result.hosts[0].placements.map((p) => p.vm.name),
      ['small'],
    )
    const lines = explainDrainCapacity(result, noOvercommit)
    assert.match(
      lines[0],
      /^big on a fits on no other host: needs 1×1000 MHz, 6 GiB; b has 4 GiB memory free$/,
    )
    assert.match(lines.at(-1)!, /cpu ×1, memory ×1/)
  })

  it('honours the overprovisioning factors', () => {
    const input = {
      clusterHosts: [host('a'), host('b', {allocatedMemoryBytes: 12 * GiB})],
      clusterName: 'c1',
      drainOrder: ['a'],
      vmsByHost: new Map([['a', [vm('v', 6)]]]),
    }
    assert.equal(checkDrainCapacity({...input, factors: noOvercommit}).ok, false)
    assert.equal(checkDrainCapacity({...input, factors: {cpu: 1, memory: 1.5}}).ok, true)
  })

  it('drains several hosts of a cluster one after another; VMs moved onto a later host move again', () => {
    const input = {
      clusterName: 'c1',
      drainOrder: ['a', 'b'],
      factors: noOvercommit,
      vmsByHost: new Map([
        ['a', [vm('a1', 8)]],
        ['b', [vm('b1', 8)]],
      ]),
    }
    // a1 goes to b (first fit); when b drains, both a1 and b1 need c.
    const roomy = checkDrainCapacity({...input, clusterHosts: [host('a'), host('b'), host('c')]})
    assert.deepEqual(roomy.hosts[0].targetHostIds, ['b', 'c'])
    assert.deepEqual(roomy.hosts[1].targetHostIds, ['c'])
    assert.deepEqual(roomy.hosts[1].placements.map((p) => [p.vm.id, p.targetHostId]).sort(), [
      ['a1', 'c'],
      ['b1', 'c'],
    ])
    assert.equal(roomy.ok, true)
    const tight = checkDrainCapacity({
      ...input,
      clusterHosts: [host('a'), host('b'), host('c', {memoryTotalBytes: 12 * GiB})],
    })
    assert.equal(tight.ok, false)
    assert.equal(tight.hosts[0].unplaced.length, 0)
    assert.equal(tight.hosts[1].unplaced.length, 1)
  })

  it('refuses every VM when placement in the cluster is not allowed', () => {
    const result = checkDrainCapacity({
      clusterHosts: [host('a'), host('b')],
      clusterName: 'c1',
      drainOrder: ['a'],
      factors: noOvercommit,
      placementAllowed: false,
      vmsByHost: new Map([['a', [vm('v', 1)]]]),
    })
    assert.equal(result.ok, false)
    assert.match(result.hosts[0].unplaced[0].reason, /Disabled/)
  })

  it('reports a host with no VMs as ok', () => {
    const result = checkDrainCapacity({
      clusterHosts: [host('a')],
      clusterName: 'c1',
      drainOrder: ['a'],
      factors: noOvercommit,
      vmsByHost: new Map(),
    })
    assert.equal(result.ok, true)
  })

  it('never overfills a target, never uses the source or a drained host, and accounts for every VM', () => {
    const hostArb = fc.record({
      allocatedGiB: fc.integer({max: 16, min: 0}),
      cores: fc.integer({max: 16, min: 1}),
      memGiB: fc.integer({max: 32, min: 1}),
      resourceState: fc.constantFrom('Enabled', 'Enabled', 'Disabled', 'Maintenance'),
      speed: fc.constantFrom(1000, 2000, 3000),
      state: fc.constantFrom('Up', 'Up', 'Up', 'Down'),
    })
    const vmArb = fc.record({
      cores: fc.integer({max: 8, min: 1}),
      memGiB: fc.integer({max: 12, min: 1}),
      speed: fc.constantFrom(500, 1000, 2500),
    })
    fc.assert(
      fc.property(
        fc.array(hostArb, {maxLength: 6, minLength: 1}),
        fc.array(fc.array(vmArb, {maxLength: 5}), {maxLength: 6, minLength: 1}),
        fc.double({max: 4, min: 0.5, noNaN: true}),
        fc.double({max: 4, min: 0.5, noNaN: true}),
        (hostSpecs, vmSpecs, cpuFactor, memFactor) => {
          const hosts = hostSpecs.map((h, i) =>
            host(`h${i}`, {
              allocatedMemoryBytes: h.allocatedGiB * GiB,
              cpuNumber: h.cores,
              cpuSpeedMhz: h.speed,
              memoryTotalBytes: h.memGiB * GiB,
              resourceState: h.resourceState,
              state: h.state,
            }),
          )
          const drainOrder = hosts.slice(0, Math.min(hosts.length, vmSpecs.length)).map((h) => h.id)
          const vmsByHost = new Map(drainOrder.map((id, i) => [id, vmsFromSpecs(id, vmSpecs[i])]))
          const factors = {cpu: cpuFactor, memory: memFactor}
          const result = checkDrainCapacity({
            clusterHosts: hosts,
            clusterName: 'c',
            drainOrder,
            factors,
            vmsByHost,
          })
          assertSoundDrain(hosts, vmsByHost, factors, result)
        },
      ),
    )
  })
})

describe('parseOvercommitRatio', () => {
  it('reads the API string and falls back to 1', () => {
    assert.equal(parseOvercommitRatio('2.5'), 2.5)
    assert.equal(parseOvercommitRatio(3), 3)
    assert.equal(parseOvercommitRatio(), 1)
    assert.equal(parseOvercommitRatio('abc'), 1)
    assert.equal(parseOvercommitRatio('0'), 1)
  })
})

describe('formatBytes', () => {
  it('uses GiB from one GiB up', () => {
    assert.equal(formatBytes(512 * 1024 * 1024), '512 MiB')
    assert.equal(formatBytes(1.5 * GiB), '1.5 GiB')
  })
})
