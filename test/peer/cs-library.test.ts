import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {ROOT} from '../helpers/cli.js'
import {type Running, serve, stop} from '../helpers/serve.js'

/*
 * An independent client judges the simulator: Debian's python3-cs (the `cs` library that
 * Ansible's ngine_io.cloudstack modules use) against `moldctl sim serve --flavor cloudstack`.
 * .ci/run installs it; elsewhere the suite is skipped with the reason.
 */

const PYTHON = '/usr/bin/python3'
const KEYS = {MOLDCTL_SIM_API_KEY: 'peer-api-key', MOLDCTL_SIM_SECRET_KEY: 'peer-secret-key'}

function missing(): false | string {
  const probe = spawnSync(PYTHON, ['-c', 'import cs'], {encoding: 'utf8'})
  return probe.status === 0
    ? false
    : 'python3-cs is not installed (.ci/run installs it: apt-get install python3-cs)'
}

describe('the python cs library against sim serve --flavor cloudstack', {skip: missing()}, () => {
  let running: Running

  before(async () => {
    running = await serve(['--flavor', 'cloudstack', '--speed', '1000'], KEYS)
  })

  after(async () => {
    if (running) await stop(running.child)
  })

  it('lists, pages, runs async jobs with polling and reads errors', async () => {
    const script = path.join(ROOT, 'test/fixtures/peer/cs-client.py')
    const result = spawnSync(
      PYTHON,
      [script, running.url, KEYS.MOLDCTL_SIM_API_KEY, KEYS.MOLDCTL_SIM_SECRET_KEY],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    )
    assert.equal(result.status, 0, result.stderr)
    const out = JSON.parse(result.stdout)
    assert.deepEqual(out.zones, ['zone-1'])
    assert.deepEqual(out.kvm_hosts, ['kvm-host-01', 'kvm-host-02', 'kvm-host-03', 'kvm-host-04'])
    // Every host row: the six hypervisor hosts and the zone's two system-VM hosts.
    assert.equal(out.paged_hosts, 8)
    // The job ends once the host is PrepareForMaintenance (its VMs are still migrating), as upstream's does.
    assert.equal(out.maintenance, 'PrepareForMaintenance')
    assert.equal(out.cancelled, 'Enabled')
    assert.deepEqual(out.error, {
      cserrorcode: 9999,
      status: 431,
      text: 'Unable to execute API command preparehostformaintenance due to invalid value. Invalid parameter id value=6f1e2d3c-0000-4000-8000-000000000000 due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.',
    })
  })

  it('reads storage pools, image stores, system-VM hosts and storage capacity', async () => {
    const script = path.join(ROOT, 'test/fixtures/peer/cs-storage.py')
    const result = spawnSync(
      PYTHON,
      [script, running.url, KEYS.MOLDCTL_SIM_API_KEY, KEYS.MOLDCTL_SIM_SECRET_KEY],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    )
    assert.equal(result.status, 0, result.stderr)
    const out = JSON.parse(result.stdout)
    const GIB = 1024 ** 3
    assert.deepEqual(out.pools, [
      ['kvm-primary-nfs', 'kvm-cluster-1', 'CLUSTER', 'Up', 2048 * GIB, 614 * GIB],
      ['xen-primary-nfs', 'xen-cluster-1', 'CLUSTER', 'Up', 1024 * GIB, 410 * GIB],
    ])
    assert.deepEqual(out.stores, [['nfs-secondary', 'nfs', 'NFS', 'nfs://10.10.0.5/export/secondary']])
    assert.deepEqual(out.providers, ['DefaultPrimary'])
    assert.deepEqual(out.systemvms, ['ConsoleProxy', 'SecondaryStorageVM'])
    assert.deepEqual(out.capacity, [
      [2, 'STORAGE'],
      [3, 'STORAGE_ALLOCATED'],
      [6, 'SECONDARY_STORAGE'],
    ])
    // ConfigurationManagerImpl declares migrate.vm.across.clusters with default false, dynamic.
    assert.deepEqual(out.setting, ['false', true])
    assert.deepEqual(out.error, [431, 4350, 'Invalid parameter: tape'])
  })
})
