import assert from 'node:assert/strict'
import {beforeEach, describe, it} from 'node:test'

import {runCli, simEnv} from '../../../helpers/cli.js'
import {guideTopology} from '../../../helpers/guide-topology.js'
import {useSim} from '../../../helpers/sim.js'

// The guide's overprovisioning warnings, on the guide's own example (guide-kvm: one host of 2 GB,
// memory factor 2, three 1 GB VMs; guide-xen: a XenServer cluster).

const sim = useSim({topology: guideTopology()})
const moldctl = (...args: string[]) => runCli(args, {env: {COLUMNS: '200', ...simEnv(sim)}})
const updates = async () => (await sim.requests()).filter((r) => r.command === 'updateConfiguration')

beforeEach(() => sim.clearRequests())

describe("overprovisioning: the guide's warnings", () => {
  it('lowering the memory factor of the guide example from 2 to 1 warns with the numbers', async () => {
    const r = await moldctl('cluster', 'overprovision', 'set', 'guide-kvm', '--memory', '1', '--dry-run')
    assert.equal(r.code, 0, r.stderr)
    assert.match(
      r.stderr,
      /Warning: lowering the memory factor of guide-kvm from 2 to 1 overcommits it: 3 GiB allocated against 2 GiB × 1 = 2 GiB \(1 GiB over\)/,
    )
    assert.deepEqual(await updates(), [])
  })

  it('raising it does not warn about overcommitting; memory above 1 on KVM prints the balloon prerequisites', async () => {
    const r = await moldctl('cluster', 'overprovision', 'set', 'guide-kvm', '--memory', '3', '--dry-run')
    assert.equal(r.code, 0, r.stderr)
    assert.doesNotMatch(r.stderr, /overcommits/)
    assert.match(r.stderr, /balloon driver: virtio with CONFIG_VIRTIO_BALLOON=y/)
    const viaSetting = await moldctl(
      'setting',
      'set',
      'mem.overprovisioning.factor',
      '1.5',
      '--cluster',
      'guide-kvm',
      '--dry-run',
    )
    assert.equal(viaSetting.code, 0, viaSetting.stderr)
    assert.match(viaSetting.stderr, /KVM cannot manage VM memory dynamically/)
    const xen = await moldctl('cluster', 'overprovision', 'set', 'guide-xen', '--memory', '2', '--dry-run')
    assert.doesNotMatch(xen.stderr, /balloon/)
  })

  it('a global factor above 4 while XenServer clusters exist is refused unless --force', async () => {
    const refused = await moldctl('setting', 'set', 'cpu.overprovisioning.factor', '5')
    assert.equal(refused.code, 2)
    assert.match(
      refused.stderr,
      /global cpu\.overprovisioning\.factor 5 while XenServer clusters exist \(guide-xen\) is refused/,
    )
    assert.match(refused.stderr, /can not use an over-provisioning factor greater than 4/)
    assert.deepEqual(await updates(), [])
    const forced = await moldctl('setting', 'set', 'cpu.overprovisioning.factor', '5', '--force')
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(forced.stderr, /exceeds the admin guide's limit of 4 for XenServer \(--force\)/)
    assert.equal((await updates()).length, 1)
    assert.equal((await moldctl('setting', 'reset', 'cpu.overprovisioning.factor')).code, 0)
    const fine = await moldctl('setting', 'set', 'cpu.overprovisioning.factor', '4', '--dry-run')
    assert.equal(fine.code, 0, fine.stderr)
  })
})
