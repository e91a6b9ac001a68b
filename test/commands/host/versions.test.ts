import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {pathParts} from '../../../src/lib/output/columns.js'
import {smallTopology} from '../../../src/sim/state/topology/presets.js'
import {json, runCli, simEnv} from '../../helpers/cli.js'
import {useSim} from '../../helpers/sim.js'

// host versions: per cluster the hypervisor, OS and kernel versions hosts report; a cluster
// whose hosts differ is flagged. In this cloud kvm-host-03 runs an older kernel.

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const OLD_KERNEL = '5.14.0-362.8.1.el9_3.x86_64'
const sim = useSim(
  {topology: smallTopology()},
  {
    async afterStart() {
      sim.model.state.hosts.find((h) => h.name === 'kvm-host-03')!.details['Host.OS.Kernel.Version'] =
        OLD_KERNEL
    },
  },
)
const cli = (...args: string[]) => runCli(args, {env: {COLUMNS: '200', ...simEnv(sim)}})

describe('host versions', () => {
  it('lists each host with version, OS and kernel and flags the cluster whose kernels differ', async () => {
    const r = await cli('host', 'versions')
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^CLUSTER\s+HOST\s+HYPERVISOR\s+VERSION\s+OS\s+KERNEL\s+CLUSTER HOSTS$/m)
    assert.match(
      r.stdout,
      /^kvm-cluster-1\s+kvm-host-01\s+KVM\s+Rocky Linux 9\.4\s+5\.14\.0-427\.13\.1\.el9_4\.x86_64\s+differs: kernel$/m,
    )
    assert.match(
      r.stdout,
      new RegExp(
        `^kvm-cluster-1\\s+kvm-host-03\\s+KVM\\s+Rocky Linux 9\\.4\\s+${OLD_KERNEL.replaceAll('.', String.raw`\.`)}\\s+differs: kernel$`,
        'm',
      ),
    )
    assert.match(r.stdout, /^xen-cluster-1\s+xen-host-01\s+XenServer\s+8\.2\.1\s+same$/m)
    assert.match(
      r.stderr,
      /Warning: Cluster kvm-cluster-1: its 4 hosts differ in kernel \(5\.14\.0-427\.13\.1\.el9_4\.x86_64 \/ 5\.14\.0-362\.8\.1\.el9_3\.x86_64\)/,
    )
    assert.doesNotMatch(r.stderr, /xen-cluster-1/)
  })

  it('--columns reaches detail keys with dots; --cluster narrows; --json keeps the details', async () => {
    const r = await cli(
      'host',
      'versions',
      '--cluster',
      'kvm-cluster-1',
      '--columns',
      'name,details."Host.OS.Kernel.Version"',
      '-o',
      'csv',
    )
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trim().split('\n')
    assert.equal(lines.length, 5)
    assert.match(lines[3], new RegExp(`^kvm-host-03,${OLD_KERNEL.replaceAll('.', String.raw`\.`)}$`))
    const rows = json<Json[]>(await cli('host', 'versions', '--zone', 'zone-1', '--json'))
    const host = rows.find((row) => row.name === 'kvm-host-01')!
    assert.equal(host.details['Host.OS'], 'Rocky Linux')
    assert.deepEqual(host.clusterdiffers, ['kernel'])
    assert.deepEqual(rows.find((row) => row.name === 'xen-host-01')!.clusterdiffers, [])
  })

  it('an unknown cluster is exit 2; --cluster and --zone together are refused', async () => {
    const unknown = await cli('host', 'versions', '--cluster', 'nope')
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /no cluster is named "nope"/)
    const both = await cli('host', 'versions', '--cluster', 'a', '--zone', 'b')
    assert.equal(both.code, 2)
  })

  it('pathParts splits dotted paths, keeping quoted parts whole', () => {
    assert.deepEqual(pathParts('details."Host.OS.Kernel.Version"'), ['details', 'Host.OS.Kernel.Version'])
    assert.deepEqual(pathParts('outofbandmanagement.powerstate'), ['outofbandmanagement', 'powerstate'])
    assert.deepEqual(pathParts('name'), ['name'])
  })
})
