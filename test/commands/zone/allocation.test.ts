import assert from 'node:assert/strict'
import {afterEach, describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {type LoggedRequest, startTestSim, type TestSim} from '../../helpers/sim.js'

/* `zone|pod|cluster enable|disable` through the built CLI against the simulator. */

let sim: TestSim | undefined

describe('zone, pod and cluster allocation commands', () => {
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })

  async function freshSim(): Promise<TestSim> {
    sim = await startTestSim({speed: 20_000})
    return sim
  }

  function updates(log: LoggedRequest[]): LoggedRequest[] {
    return log.filter((r) => r.command && !/^(list|query)/.test(r.command))
  }

  function cli(s: TestSim, args: string[]) {
    return runCli(args, {env: simEnv(s)})
  }

  describe('cluster / pod / zone disable and enable', () => {
    it('needs --yes without a terminal and then changes nothing', async () => {
      const s = await freshSim()
      const result = await cli(s, ['cluster', 'disable', 'kvm-cluster-1'])
      assert.equal(result.code, 2)
      const cluster = s.model.state.clusters.find((c) => c.name === 'kvm-cluster-1')!
      const hostIds = new Set(s.model.hostsInCluster(cluster.id).map((h) => h.id))
      const running = s.model.state.vms.filter(
        (vm) => vm.state === 'Running' && hostIds.has(vm.hostId ?? ''),
      ).length
      assert.ok(running > 0)
      assert.match(
        result.stderr,
        new RegExp(`Affected: 4 host\\(s\\) \\(4 Up\\) and ${running} running VM\\(s\\)`),
      )
      assert.match(result.stderr, /add --yes/)
      assert.deepEqual(updates(await s.requests()), [])
    })

    it('shows the impact and the call with --dry-run, changing nothing', async () => {
      const s = await freshSim()
      const result = await cli(s, ['zone', 'disable', 'zone-1', '--dry-run'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /Disabling zone zone-1/)
      assert.match(result.stderr, /would call: updateZone allocationstate=Disabled id=[\da-f-]+/)
      assert.deepEqual(updates(await s.requests()), [])
    })

    it('disables with --yes and enables again', async () => {
      const s = await freshSim()
      const disabled = await cli(s, ['pod', 'disable', 'pod-1', '--yes', '--json'])
      assert.equal(disabled.code, 0, disabled.stderr)
      assert.equal(json<{entity: {allocationstate: string}}>(disabled).entity.allocationstate, 'Disabled')
      const enabled = await cli(s, ['pod', 'enable', 'pod-1'])
      assert.equal(enabled.code, 0, enabled.stderr)
      assert.match(enabled.stderr, /pod pod-1 is now Enabled/)
      assert.deepEqual(
        updates(await s.requests()).map((r) => [r.command, r.params.allocationstate]),
        [
          ['updatePod', 'Disabled'],
          ['updatePod', 'Enabled'],
        ],
      )
    })

    it('leaves an entity already in the state alone, and refuses unknown names', async () => {
      const s = await freshSim()
      const same = await cli(s, ['cluster', 'enable', 'xen-cluster-1'])
      assert.equal(same.code, 0, same.stderr)
      assert.match(same.stderr, /already Enabled; nothing to do/)
      const unknown = await cli(s, ['zone', 'disable', 'zone-9', '--yes'])
      assert.equal(unknown.code, 2)
      assert.match(unknown.stderr, /no zone is named "zone-9"/)
      assert.deepEqual(updates(await s.requests()), [])
    })

    it('a disabled cluster receives no migrations: maintenance is refused by the capacity check', async () => {
      const s = await freshSim()
      assert.equal((await cli(s, ['cluster', 'disable', 'kvm-cluster-1', '--yes'])).code, 0)
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01'])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /cluster kvm-cluster-1 \(or its pod or zone\) is Disabled/)
    })
  })
})
