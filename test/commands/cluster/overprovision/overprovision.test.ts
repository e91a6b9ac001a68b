import assert from 'node:assert/strict'
import {before, beforeEach, describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../../helpers/cli.js'
import {guideTopology} from '../../../helpers/guide-topology.js'
import {useSim} from '../../../helpers/sim.js'

const GiB = 1024 ** 3

/* `cluster overprovision show|set` through the built CLI against the simulator (needs `npm run build`). */

describe('cluster overprovision', () => {
  const sim = useSim({speed: 10_000, topology: guideTopology()})
  let env: Record<string, string>
  const moldctl = (...args: string[]) => runCli(args, {env})
  const updateCalls = async () => (await sim.requests()).filter((r) => r.command === 'updateConfiguration')

  before(async () => {
    env = simEnv(sim)
  })

  beforeEach(async () => {
    // Every test starts from the guide's cloud: memory factor 2, three 1 GB VMs started under it.
    for (const cluster of sim.model.state.clusters) {
      cluster.details.cpuOvercommitRatio = '1.0'
      cluster.details.memoryOvercommitRatio = cluster.name === 'guide-kvm' ? '2.0' : '1.0'
    }

    for (const vm of sim.model.state.vms) {
      vm.memoryOvercommitRatio = vm.name === 'xen-vm' ? '1.0' : '2.0'
      vm.cpuOvercommitRatio = '1.0'
    }

    await sim.clearFaults()
    await sim.clearRequests()
  })

  describe('show', () => {
    it("prints the guide's example exactly: 2 GB × 2 = 4 GB, 3 GB allocated, 1 GB free", async () => {
      const result = await moldctl('cluster', 'overprovision', 'show', 'guide-kvm')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^guide-kvm \(KVM, guide-zone \/ guide-pod, 1 host\)$/m)
      assert.match(result.stdout, /^memory +2\.0 +2 GB +4 GB +3 GB +1 GB +75%$/m)
      assert.match(result.stdout, /^cpu +1\.0 +8 GHz +8 GHz +3 GHz +5 GHz +37\.5%$/m)
    })

    it('gives the same numbers as JSON, with the factor source and hypervisor', async () => {
      const result = await moldctl('cluster', 'overprovision', 'show', '--json')
      assert.equal(result.code, 0, result.stderr)
      const clusters = json<Array<Record<string, any>>>(result) // eslint-disable-line @typescript-eslint/no-explicit-any
      const kvm = clusters.find((c) => c.name === 'guide-kvm')!
      assert.equal(kvm.hypervisortype, 'KVM')
      assert.deepEqual(kvm.memory, {
        allocated: 3 * GiB,
        allocatedpercent: 75,
        factor: 2,
        free: GiB,
        physical: 2 * GiB,
        source: 'cluster',
        withoverprovisioning: 4 * GiB,
      })
      assert.equal(clusters.find((c) => c.name === 'guide-xen')!.hypervisortype, 'XenServer')
      assert.deepEqual(kvm.vmsonoldfactor, [])
    })

    it('shows an inherited factor as global', async () => {
      delete sim.model.clusters.get(sim.model.state.clusters[1].id)!.details.cpuOvercommitRatio
      const result = await moldctl('cluster', 'overprovision', 'show', 'guide-xen')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^cpu +1\.0 \(global\) +16 GHz/m)
    })

    it('reports an odd stored factor as stored (set behind its back), never as the global default or 0 B', async () => {
      const kvm = sim.model.state.clusters.find((c) => c.name === 'guide-kvm')!
      // The server itself accepts anything Java's Float.parseFloat does; store it through the API.
      for (const value of ['1e309', 'NaN']) {
        const stored = await sim.call('updateConfiguration', {
          clusterid: kvm.id,
          name: 'mem.overprovisioning.factor',
          value,
        })
        assert.equal(stored.status, 200)
        const table = await moldctl('cluster', 'overprovision', 'show', 'guide-kvm')
        assert.equal(table.code, 0, table.stderr)
        const memory = /^memory .*$/m.exec(table.stdout)?.[0] ?? ''
        assert.match(
          memory,
          new RegExp(`^memory +${value} \\(unusable\\) +2 GB +unknown +(3 GB|unknown) +unknown +unknown$`),
        )
        assert.doesNotMatch(table.stdout, /\(global\)|0 B/)
        assert.match(
          table.stderr.replaceAll(/\s*\n ›\s+/g, ' '),
          new RegExp(`mem.overprovisioning.factor of cluster guide-kvm is stored as "${value}"`),
        )
        const result = await moldctl('cluster', 'overprovision', 'show', 'guide-kvm', '--json')
        assert.equal(result.code, 0, result.stderr)
        const [record] = json<Array<{memory: Record<string, unknown>}>>(result)
        assert.equal(record.memory.storedfactor, value)
        assert.equal(record.memory.factor, null)
        assert.equal(record.memory.source, 'cluster')
        assert.equal(record.memory.physical, 2 * GiB)
      }
    })

    it('setting set refuses numbers that are not numbers: exit 2, no call', async () => {
      for (const value of ['1e309', 'NaN', 'Infinity', '0x10', '']) {
        const result = await moldctl(
          'setting',
          'set',
          'mem.overprovisioning.factor',
          value,
          '--cluster',
          'guide-kvm',
        )
        assert.equal(result.code, 2, `${value}: ${result.stderr}`)
        assert.match(result.stderr, /mem\.overprovisioning\.factor/)
      }

      const count = await moldctl('setting', 'set', 'kvm.rolling.maintenance.ping.interval', '0x10')
      assert.equal(count.code, 2, count.stderr)
      assert.deepEqual(await updateCalls(), [])
    })

    it('refuses an unknown cluster with exit 2', async () => {
      const result = await moldctl('cluster', 'overprovision', 'show', 'no-such-cluster')
      assert.equal(result.code, 2)
      assert.match(result.stderr, /no cluster is named "no-such-cluster"/)
    })
  })

  describe('set refuses bad factors before calling', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['0', ['--cpu', '0'], /--cpu must be a number greater than 0, got "0"/],
      ['-1', ['--memory=-1'], /--memory must be a number greater than 0, got "-1"/],
      ['abc', ['--cpu', 'abc'], /--cpu must be a number greater than 0, got "abc"/],
      ['nothing', [], /nothing to change: give --cpu FACTOR and\/or --memory FACTOR/],
    ]
    for (const [what, flags, message] of cases) {
      it(`${what}: exit 2, a clear message and no updateConfiguration`, async () => {
        const result = await moldctl('cluster', 'overprovision', 'set', 'guide-kvm', ...flags)
        assert.equal(result.code, 2, result.stderr)
        assert.match(result.stderr, message)
        assert.equal(result.stdout, '')
        assert.deepEqual(await updateCalls(), [])
      })
    }

    it('-1 as a separate word is refused too', async () => {
      const result = await moldctl('cluster', 'overprovision', 'set', 'guide-kvm', '--cpu', '-1')
      assert.equal(result.code, 2)
      assert.deepEqual(await updateCalls(), [])
    })

    it('5 on a XenServer cluster: exit 2 quoting the admin guide, and no call', async () => {
      const result = await moldctl('cluster', 'overprovision', 'set', 'guide-xen', '--memory', '5')
      assert.equal(result.code, 2)
      assert.match(
        result.stderr,
        /refused: the admin guide says "In XenServer, due to a constraint of this hypervisor, you can not use an over-provisioning factor greater than 4\."/,
      )
      assert.deepEqual(await updateCalls(), [])
    })

    it('5 on XenServer with --force is set, with a warning', async () => {
      const result = await moldctl('cluster', 'overprovision', 'set', 'guide-xen', '--memory', '5', '--force')
      assert.equal(result.code, 0, result.stderr)
      assert.match(
        result.stderr,
        /^Warning: --memory 5 on XenServer cluster guide-xen exceeds the admin guide's limit of 4/m,
      )
      assert.equal((await updateCalls()).length, 1)
    })

    it('4 on XenServer and 5 on KVM are fine', async () => {
      assert.equal(
        (await moldctl('cluster', 'overprovision', 'set', 'guide-xen', '--cpu', '4', '--dry-run')).code,
        0,
      )
      assert.equal(
        (await moldctl('cluster', 'overprovision', 'set', 'guide-kvm', '--cpu', '5', '--dry-run')).code,
        0,
      )
    })
  })

  describe('set', () => {
    it('--dry-run shows the capacity change and the call, and changes nothing', async () => {
      const result = await moldctl(
        'cluster',
        'overprovision',
        'set',
        'guide-kvm',
        '--memory',
        '4',
        '--dry-run',
      )
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^memory: mem\.overprovisioning\.factor 2\.0 → 4\.0$/m)
      assert.match(result.stdout, /^now +2\.0 +2 GB +4 GB +3 GB +1 GB +75%$/m)
      assert.match(
        result.stdout,
        /Dry run, nothing changed; moldctl would call:\n {2}updateConfiguration clusterid=\S+ name=mem\.overprovisioning\.factor value=4/,
      )
      assert.deepEqual(await updateCalls(), [])
      assert.equal(sim.model.state.clusters[0].details.memoryOvercommitRatio, '2.0')
    })

    it('applies with updateConfiguration + clusterid, shows before/after and the VMs keeping the old factor', async () => {
      const kvm = sim.model.state.clusters.find((c) => c.name === 'guide-kvm')!
      const result = await moldctl('cluster', 'overprovision', 'set', 'guide-kvm', '--memory', '4')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^now +2\.0 +2 GB +4 GB +3 GB +1 GB +75%$/m)
      // Each VM started under 2 holds 0.5 GB of the host, which is 2 GB in factor-4 units...
      assert.match(result.stdout, /^after change +4\.0 +2 GB +8 GB +6 GB +2 GB +75%$/m)
      // ...until it is stopped and started under 4.
      assert.match(result.stdout, /^after restarts +4\.0 +2 GB +8 GB +3 GB +5 GB +37\.5%$/m)
      assert.match(
        result.stdout,
        /3 running VM\(s\) keep their old factor until they are stopped and started:/,
      )
      for (const vm of ['vm-a', 'vm-b', 'vm-c']) {
        assert.match(result.stdout, new RegExp(`^${vm} +guide-kvm-host +2\\.0$`, 'm'))
      }

      const calls = await updateCalls()
      assert.equal(calls.length, 1)
      assert.equal(calls[0].method, 'POST')
      assert.deepEqual(
        [calls[0].params.name, calls[0].params.value, calls[0].params.clusterid],
        ['mem.overprovisioning.factor', '4', kvm.id],
      )
      assert.equal(kvm.details.memoryOvercommitRatio, '4')
      const shown = await moldctl('cluster', 'overprovision', 'show', 'guide-kvm')
      assert.match(shown.stdout, /^memory +4\.0 +2 GB +8 GB +6 GB +2 GB +75%$/m)
      assert.match(shown.stdout, /3 running VM\(s\) still use the factor they were started with/)
    })

    it('a VM stopped and started takes the new factor and leaves the list', async () => {
      assert.equal((await moldctl('cluster', 'overprovision', 'set', 'guide-kvm', '--memory', '4')).code, 0)
      const vmA = sim.model.state.vms.find((vm) => vm.name === 'vm-a')!
      assert.equal((await moldctl('api', 'stopVirtualMachine', `id=${vmA.id}`)).code, 0)
      assert.equal((await moldctl('api', 'startVirtualMachine', `id=${vmA.id}`)).code, 0)
      const result = await moldctl('cluster', 'overprovision', 'show', 'guide-kvm', '--json')
      const [kvm] =
        json<Array<{memory: {allocated: number}; vmsonoldfactor: Array<{keeps: object; name: string}>}>>(
          result,
        )
      assert.deepEqual(
        kvm.vmsonoldfactor.map((v) => [v.name, v.keeps]),
        [
          ['vm-b', {memory: 2}],
          ['vm-c', {memory: 2}],
        ],
      )
      assert.equal(kvm.memory.allocated, 5 * GiB)
    })

    it('--json returns the plan and the VMs', async () => {
      const result = await moldctl('cluster', 'overprovision', 'set', 'guide-kvm', '--cpu', '2', '--json')
      assert.equal(result.code, 0, result.stderr)
      const plan = json<Record<string, any>>(result) // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(plan.applied, true)
      assert.deepEqual(
        plan.changes.map((c: {from: number; resource: string; setting: string; to: number}) => [
          c.resource,
          c.setting,
          c.from,
          c.to,
        ]),
        [['cpu', 'cpu.overprovisioning.factor', 1, 2]],
      )
      assert.equal(plan.changes[0].afterchange.withoverprovisioning, 16_000)
      assert.deepEqual(
        plan.vmskeepingoldfactor.map((v: {name: string}) => v.name),
        ['vm-a', 'vm-b', 'vm-c'],
      )
    })

    it('a server error while setting is exit 1 with its text, sent once', async () => {
      await sim.setFaults({
        failCommand: {command: 'updateConfiguration', errorcode: 530, errortext: 'database is down'},
      })
      const result = await moldctl('cluster', 'overprovision', 'set', 'guide-kvm', '--cpu', '2')
      assert.equal(result.code, 1)
      assert.match(result.stderr, /updateConfiguration failed \(530\/\d+\): database is down/)
      assert.equal((await updateCalls()).length, 1)
    })

    it('survives transient errors on the reads it needs', async () => {
      await sim.setFaults({errorRate: 0.5, status: 503})
      const result = await moldctl('cluster', 'overprovision', 'set', 'guide-kvm', '--cpu', '2', '--dry-run')
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(await updateCalls(), [])
    })
  })
})
