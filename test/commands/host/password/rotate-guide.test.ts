import assert from 'node:assert/strict'
import {beforeEach, describe, it} from 'node:test'

import {runCli, simEnv} from '../../../helpers/cli.js'
import {useSim} from '../../../helpers/sim.js'

// The guide's password rules: one password per cluster (a warning when only some hosts of a
// cluster are named), and no --update-on-host for VMware hosts (refused before any call).

const sim = useSim()
const rotate = (...args: string[]) =>
  runCli(['host', 'password', 'rotate', '--username', 'root', '--password-stdin', ...args], {
    env: {COLUMNS: '200', ...simEnv(sim)},
    stdin: 'Guide-Rotated-Pw-1\n',
  })
const updateCalls = async () => (await sim.requests()).filter((r) => r.command === 'updateHostPassword')

beforeEach(() => sim.clearRequests())

describe("host password rotate: the guide's rules", () => {
  it('one host of a cluster: warns that every host of the cluster must share the password', async () => {
    const r = await rotate('kvm-host-01', '--dry-run')
    assert.equal(r.code, 0, r.stderr)
    // oclif wraps warnings: join the lines back
    assert.match(
      r.stderr.replaceAll(/\s*\n ›\s+/g, ' '),
      /all hosts of a cluster must share one password.*cluster kvm-cluster-1 also has kvm-host-02, kvm-host-03, kvm-host-04 .*moldctl host password rotate --cluster kvm-cluster-1/,
    )
    assert.deepEqual(await updateCalls(), [])
  })

  it('every host of the cluster, or --cluster: no such warning', async () => {
    const all = await rotate('kvm-host-01', 'kvm-host-02', 'kvm-host-03', 'kvm-host-04', '--dry-run')
    assert.equal(all.code, 0, all.stderr)
    assert.doesNotMatch(all.stderr, /must share one password/)
    const cluster = await rotate('--cluster', 'kvm-cluster-1', '--dry-run')
    assert.equal(cluster.code, 0, cluster.stderr)
    assert.doesNotMatch(cluster.stderr, /must share one password/)
  })

  it('--update-on-host on VMware is refused with the reason, before any call', async () => {
    const cluster = sim.model.state.clusters.find((c) => c.name === 'xen-cluster-1')!
    const hosts = sim.model.hostsInCluster(cluster.id)
    cluster.hypervisor = 'VMware'
    for (const h of hosts) h.hypervisor = 'VMware'
    try {
      const byHost = await rotate(hosts[0].name, '--update-on-host', '--yes')
      assert.equal(byHost.code, 2, byHost.stderr)
      assert.match(
        byHost.stderr,
        /--update-on-host cannot change the password of VMware hosts .*kept by vCenter/,
      )
      const byCluster = await rotate('--cluster', 'xen-cluster-1', '--update-on-host', '--yes')
      assert.equal(byCluster.code, 2, byCluster.stderr)
      assert.match(byCluster.stderr, /VMware hosts \(xen-cluster-1\)/)
      assert.deepEqual(await updateCalls(), [])
    } finally {
      cluster.hypervisor = 'XenServer'
      for (const h of hosts) h.hypervisor = 'XenServer'
    }
  })
})
