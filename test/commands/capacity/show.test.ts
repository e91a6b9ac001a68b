import assert from 'node:assert/strict'
import {before, beforeEach, describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {guideTopology} from '../../helpers/guide-topology.js'
import {useSim} from '../../helpers/sim.js'

/* `capacity show` through the built CLI against the simulator (needs `npm run build`). */

describe('capacity show', () => {
  const sim = useSim({topology: guideTopology()})
  let env: Record<string, string>
  const moldctl = (...args: string[]) => runCli(args, {env})

  before(async () => {
    env = simEnv(sim)
  })

  beforeEach(() => sim.clearRequests())

  it('names the types, prints units and percentages, and marks 75 % as high', async () => {
    const result = await moldctl('capacity', 'show', '--cluster', 'guide-kvm')
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^MEMORY +guide-zone \/ guide-kvm +3 GB +4 GB +75% +high$/m)
    assert.match(result.stdout, /^CPU +guide-zone \/ guide-kvm +3 GHz +8 GHz +37\.5%$/m)
    assert.match(result.stdout, /^CPU_CORE +guide-zone \/ guide-kvm +3 +4 +75% +high$/m)
  })

  it('shows zone rows with allocation and VLANs, as JSON with the API fields', async () => {
    const result = await moldctl('capacity', 'show', '--json')
    assert.equal(result.code, 0, result.stderr)
    const rows = json<Array<{capacityallocated?: number; name: string; zonename: string}>>(result)
    assert.deepEqual(
      rows.map((r) => r.name),
      ['MEMORY', 'CPU', 'VLAN', 'CPU_CORE'],
    )
    assert.ok(rows.every((r) => r.zonename === 'guide-zone'))
    assert.equal(rows[0].capacityallocated, 7 * 1024 ** 3)
  })

  it('marks 85 % and more as CRITICAL', async () => {
    // A factor below 1 shrinks the XenServer host's 16 GB to 4 GB, all taken by its 4 GB VM.
    assert.equal((await moldctl('cluster', 'overprovision', 'set', 'guide-xen', '--memory', '0.25')).code, 0)
    try {
      const result = await moldctl('capacity', 'show', '--cluster', 'guide-xen', '--type', 'memory')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^MEMORY +guide-zone \/ guide-xen +4 GB +4 GB +100% +CRITICAL$/m)
    } finally {
      await moldctl('cluster', 'overprovision', 'set', 'guide-xen', '--memory', '1')
    }
  })

  it('--fetch-latest asks the server to recalculate; --type filters by name or number', async () => {
    const result = await moldctl('capacity', 'show', '--zone', 'guide-zone', '--fetch-latest', '--type', '7')
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^VLAN +guide-zone +1 +100 +1%$/m)
    const call = (await sim.requests()).find((r) => r.command === 'listCapacity')!
    assert.equal(call.params.fetchlatest, 'true')
    assert.equal(call.params.type, '7')
  })

  it('refuses an unknown type and an unknown cluster with exit 2', async () => {
    let result = await moldctl('capacity', 'show', '--type', 'disk')
    assert.equal(result.code, 2)
    assert.match(result.stderr, /unknown capacity type "disk"/)
    result = await moldctl('capacity', 'show', '--cluster', 'nope')
    assert.equal(result.code, 2)
    assert.deepEqual(
      (await sim.requests()).filter((r) => r.command === 'listCapacity'),
      [],
    )
  })

  it('retries a read that fails transiently', async () => {
    await sim.setFaults({errorRate: 0.5, status: 502})
    try {
      const result = await moldctl('capacity', 'show', '--json')
      assert.equal(result.code, 0, result.stderr)
      assert.equal(json<unknown[]>(result).length, 4)
    } finally {
      await sim.clearFaults()
    }
  })
})
