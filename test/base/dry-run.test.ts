import assert from 'node:assert/strict'
import {after, before, beforeEach, describe, it} from 'node:test'

import {smallTopology} from '../../src/sim/state/topology/presets.js'
import {runCli, simEnv} from '../helpers/cli.js'
import {startTestSim, type TestSim} from '../helpers/sim.js'
import {vlanTopology} from '../helpers/vlan-topology.js'

// --dry-run on the commands that lacked it: the calls are printed, none is made (the request log
// holds only reads), and the refusals of a real run still happen.

let sim: TestSim
const cli = (...args: string[]) => runCli(args, {env: {COLUMNS: '200', ...simEnv(sim)}})

async function changesSent(): Promise<string[]> {
  return (await sim.requests()).map((r) => r.command ?? '').filter((c) => !/^(list|query|get)/.test(c))
}

describe('--dry-run (small cloud)', () => {
  before(async () => {
    sim = await startTestSim({topology: smallTopology()})
  })

  after(() => sim.close())

  beforeEach(() => sim.clearRequests())

  it('host disable / enable print updateHost and change nothing', async () => {
    const host = sim.model.state.hosts.find((h) => h.name === 'kvm-host-02')!
    const disable = await cli('host', 'disable', 'kvm-host-02', '--dry-run')
    assert.equal(disable.code, 0, disable.stderr)
    assert.equal(disable.stdout.trim(), `would call: updateHost allocationstate=Disable id=${host.id}`)
    assert.equal(host.resourceState, 'Enabled')
    const enable = await cli('host', 'enable', 'kvm-host-02', '--dry-run')
    assert.equal(enable.code, 0, enable.stderr)
    assert.match(enable.stdout, /Dry run: nothing to do \(kvm-host-02 is already Enabled/)
    assert.deepEqual(await changesSent(), [])
  })

  it('oobm enable / disable print one call per target', async () => {
    const cluster = sim.model.state.clusters.find((c) => c.name === 'kvm-cluster-1')!
    const r = await cli('oobm', 'disable', '--cluster', 'kvm-cluster-1', '--dry-run')
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout.trim(), `would call: disableOutOfBandManagementForCluster clusterid=${cluster.id}`)
    const hosts = await cli('oobm', 'enable', '--host', 'kvm-host-01', '--host', 'kvm-host-02', '--dry-run')
    assert.equal(hosts.code, 0, hosts.stderr)
    assert.equal(hosts.stdout.trim().split('\n').length, 2)
    assert.match(hosts.stdout, /^would call: enableOutOfBandManagementForHost hostid=[\da-f-]{36}$/m)
    assert.deepEqual(await changesSent(), [])
  })

  it("oobm password change: the call without the password; a redfish host says only Mold's copy changes", async () => {
    const host = sim.model.state.hosts.find((h) => h.name === 'kvm-host-03')!
    host.oobm!.driver = 'redfish'
    try {
      const r = await runCli(['oobm', 'password', 'change', 'kvm-host-03', '--password-stdin', '--dry-run'], {
        env: simEnv(sim),
        stdin: 'N3w-Secret',
      })
      assert.equal(r.code, 0, r.stderr)
      assert.equal(
        r.stdout.trim(),
        `would call: changeOutOfBandManagementPassword hostid=${host.id} password=<redacted>`,
      )
      assert.match(r.stderr, /redfish driver: only the password Mold keeps for its BMC changes/)
      assert.ok(!`${r.stdout}${r.stderr}`.includes('N3w-Secret'))
      assert.deepEqual(await changesSent(), [])
    } finally {
      host.oobm!.driver = 'ipmitool'
    }
  })

  it('host remove --dry-run shows the KVM "stop cloudstack-agent first" reminder', async () => {
    const host = sim.model.state.hosts.find((h) => h.name === 'kvm-host-04')!
    host.resourceState = 'Maintenance'
    try {
      const r = await cli('host', 'remove', 'kvm-host-04', '--dry-run')
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stderr, /stop the agent on it before removing it\s+\(systemctl stop cloudstack-agent\)/)
      assert.equal(r.stdout.trim(), `would call: deleteHost id=${host.id}`)
      assert.deepEqual(await changesSent(), [])
    } finally {
      host.resourceState = 'Enabled'
    }
  })

  it('host remove --drain --dry-run runs the capacity check of the real run', async () => {
    const ok = await cli('host', 'remove', 'kvm-host-01', '--drain', '--dry-run')
    assert.equal(ok.code, 0, ok.stderr)
    assert.match(
      ok.stdout,
      /1\. kvm-host-01 \(kvm-cluster-1\): drain its VMs to the other hosts of the cluster/,
    )
    assert.match(ok.stdout, /would call: prepareHostForMaintenance id=/)
    assert.match(ok.stdout, /would call: deleteHost id=/)
    const others = sim.model.state.hosts.filter(
      (h) => h.name.startsWith('kvm-host-') && h.name !== 'kvm-host-01',
    )
    for (const h of others) h.resourceState = 'Disabled'
    try {
      const refused = await cli('host', 'remove', 'kvm-host-01', '--drain', '--dry-run')
      assert.equal(refused.code, 2, refused.stderr)
      assert.match(
        refused.stderr,
        /the other hosts of the cluster cannot take all the VMs; nothing was changed/,
      )
    } finally {
      for (const h of others) h.resourceState = 'Enabled'
    }

    assert.deepEqual(await changesSent(), [])
  })

  it('maintenance on a Down host says what the guide does (remove --force, reinstall, add again)', async () => {
    const host = sim.model.state.hosts.find((h) => h.name === 'kvm-host-02')!
    host.status = 'Down'
    try {
      const r = await cli('host', 'maintenance', 'enter', 'kvm-host-02', '--dry-run')
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stdout, /kvm-host-02 is Down: the management server cannot reach its agent/)
      assert.match(r.stdout, /moldctl host remove kvm-host-02 --force/)
      assert.match(r.stdout, /add it again with moldctl host add/)
      assert.deepEqual(await changesSent(), [])
    } finally {
      host.status = 'Up'
    }
  })
})

describe('--dry-run (VLAN cloud)', () => {
  before(async () => {
    sim = await startTestSim({topology: vlanTopology()})
  })

  after(() => sim.close())

  beforeEach(() => sim.clearRequests())

  it('vlan dedicate --dry-run validates and prints the call; a bad range is still refused', async () => {
    const r = await cli(
      'vlan',
      'dedicate',
      '780',
      '--physical-network',
      'guest-1',
      '--project',
      'lab',
      '--dry-run',
    )
    assert.equal(r.code, 0, r.stderr)
    const pn = sim.model.state.physicalNetworks.find((p) => p.name === 'guest-1')!
    assert.equal(
      r.stdout.trim(),
      `would call: dedicateGuestVlanRange physicalnetworkid=${pn.id} vlanrange=780-780 projectid=${sim.model.state.projects[0].id}`,
    )
    const bad = await cli(
      'vlan',
      'dedicate',
      '9000',
      '--physical-network',
      'guest-1',
      '--project',
      'lab',
      '--dry-run',
    )
    assert.equal(bad.code, 2)
    assert.deepEqual(await changesSent(), [])
    assert.equal(sim.model.state.dedicatedVlanRanges.length, 1)
  })

  it('vlan release --dry-run names the range and the call, without asking', async () => {
    const [range] = sim.model.state.dedicatedVlanRanges
    const r = await cli('vlan', 'release', range.id, '--dry-run')
    assert.equal(r.code, 0, r.stderr)
    assert.equal(
      r.stdout.trim(),
      `700-749 dedicated to account tenant-a (domain customers); would call: releaseDedicatedGuestVlanRange id=${range.id}`,
    )
    assert.deepEqual(await changesSent(), [])
  })
})
