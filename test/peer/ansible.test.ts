import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {isReadCommand} from '../../src/sim/catalog/registry.js'
import {json, ROOT, runCli} from '../helpers/cli.js'
import {type Running, serve, stop} from '../helpers/serve.js'

/*
 * Ansible's ngine_io.cloudstack modules (bundled in Debian's ansible package) manage the small
 * simulated cloud through `moldctl sim serve --flavor cloudstack`: a check-mode run sends no
 * write, the first real run changes everything, the second changes nothing, and moldctl sees the
 * result. .ci/run installs ansible; elsewhere the suite is skipped with the reason.
 */

const KEYS = {MOLDCTL_SIM_API_KEY: 'ansible-api-key', MOLDCTL_SIM_SECRET_KEY: 'ansible-secret-key-0123456789'}
const PLAYBOOKS = path.join(ROOT, 'test/fixtures/peer')

function missing(): false | string {
  const probe = spawnSync('ansible-doc', ['-t', 'module', '--json', 'ngine_io.cloudstack.cs_zone'], {
    encoding: 'utf8',
  })
  if (probe.error || probe.status !== 0) {
    return 'ansible with the ngine_io.cloudstack collection is not installed (.ci/run installs it: apt-get install ansible python3-cs)'
  }

  return false
}

interface PlayResult {
  changed: number
  failed: number
  output: string
}

function play(running: Running, playbook: string, check = false): Promise<PlayResult> {
  const args = [...(check ? ['--check'] : []), path.join(PLAYBOOKS, playbook)]
  const child = spawn('ansible-playbook', args, {
    env: {
      ...process.env,
      ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
      ANSIBLE_LOCALHOST_WARNING: 'False',
      ANSIBLE_NOCOLOR: '1',
      CLOUDSTACK_ENDPOINT: running.url,
      CLOUDSTACK_KEY: KEYS.MOLDCTL_SIM_API_KEY,
      CLOUDSTACK_SECRET: KEYS.MOLDCTL_SIM_SECRET_KEY,
    },
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => {
      const recap = /localhost\s*:\s*ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)/.exec(output)
      if (!recap) {
        reject(new Error(`ansible-playbook exited ${code} without a recap:\n${output}`))
        return
      }

      resolve({changed: Number(recap[1]), failed: Number(recap[2]), output})
    })
  })
}

async function requests(running: Running): Promise<Array<{command: string}>> {
  const hooks = new URL('/sim/requests', running.url)
  const log = (await (await fetch(hooks)).json()) as Array<{command: string}>
  await fetch(hooks, {method: 'DELETE'})
  return log
}

const writes = (log: Array<{command: string}>) =>
  log.map((entry) => entry.command).filter((command) => !isReadCommand(command))

describe(
  'Ansible ngine_io.cloudstack playbooks against sim serve --flavor cloudstack',
  {skip: missing()},
  () => {
    let running: Running
    let env: Record<string, string>

    before(async () => {
      running = await serve(['--flavor', 'cloudstack', '--speed', '1000'], KEYS)
      env = {
        MOLDCTL_API_KEY: KEYS.MOLDCTL_SIM_API_KEY,
        MOLDCTL_FLAVOR: 'cloudstack',
        MOLDCTL_SECRET_KEY: KEYS.MOLDCTL_SIM_SECRET_KEY,
        MOLDCTL_URL: running.url,
      }
    })

    after(async () => {
      if (running) await stop(running.child)
    })

    it('check mode reports the changes and sends no write', async () => {
      await requests(running)
      const result = await play(running, 'infra.yml', true)
      assert.equal(result.failed, 0, result.output)
      assert.equal(result.changed, 6, result.output)
      const log = await requests(running)
      assert.ok(log.length > 0, 'the modules read the cloud')
      assert.deepEqual(writes(log), [])
    })

    it('applies the playbook once (changed) and then finds nothing to do (ok)', async () => {
      const first = await play(running, 'infra.yml')
      assert.equal(first.failed, 0, first.output)
      assert.equal(first.changed, 6, first.output)
      assert.deepEqual(writes(await requests(running)).sort(), [
        'prepareHostForMaintenance',
        'updateCluster',
        'updateConfiguration',
        'updatePhysicalNetwork',
        'updatePod',
        'updateZone',
      ])
      const second = await play(running, 'infra.yml')
      assert.equal(second.failed, 0, second.output)
      assert.equal(second.changed, 0, second.output)
      assert.deepEqual(writes(await requests(running)), [])
    })

    it('leaves the state moldctl then sees', async () => {
      const zones = json<{zone: Array<Record<string, string>>}>(
        await runCli(['api', 'listZones', 'name=zone-1'], {env}),
      )
      assert.deepEqual(
        [zones.zone[0].dns1, zones.zone[0].dns2, zones.zone[0].internaldns1, zones.zone[0].internaldns2],
        ['9.9.9.9', '149.112.112.112', '10.10.0.53', '10.10.0.54'],
      )
      const hosts = json<Array<{name: string; resourcestate: string}>>(
        await runCli(['host', 'list', '--json'], {env}),
      )
      assert.equal(hosts.find((host) => host.name === 'kvm-host-04')?.resourcestate, 'Maintenance')
      const clusters = json<{cluster: Array<{allocationstate: string}>}>(
        await runCli(['api', 'listClusters', 'name=xen-cluster-1'], {env}),
      )
      assert.equal(clusters.cluster[0].allocationstate, 'Disabled')
      const networks = json<{physicalnetwork: Array<{vlan: string}>}>(
        await runCli(['api', 'listPhysicalNetworks', 'name=physnet-guest'], {env}),
      )
      assert.equal(networks.physicalnetwork[0].vlan, '500-1100')
      const setting = json<{configuration: Array<{value: string}>}>(
        await runCli(['api', 'listConfigurations', 'name=outofbandmanagement.sync.poolsize'], {env}),
      )
      assert.equal(setting.configuration[0].value, '60')
    })

    it('takes the host out of maintenance: check mode sends no write, then changed, then ok', async () => {
      await requests(running)
      const check = await play(running, 'host-enabled.yml', true)
      assert.equal(check.failed, 0, check.output)
      assert.equal(check.changed, 1, check.output)
      assert.deepEqual(writes(await requests(running)), [])
      const first = await play(running, 'host-enabled.yml')
      assert.equal(first.changed, 1, first.output)
      assert.ok(writes(await requests(running)).includes('cancelHostMaintenance'))
      const second = await play(running, 'host-enabled.yml')
      assert.equal(second.changed, 0, second.output)
      assert.deepEqual(writes(await requests(running)), [])
      const hosts = json<Array<{name: string; resourcestate: string}>>(
        await runCli(['host', 'list', '--json'], {env}),
      )
      assert.equal(hosts.find((host) => host.name === 'kvm-host-04')?.resourcestate, 'Enabled')
    })

    it('finds the primary pool and secondary storage as declared (ok, no write)', async () => {
      await requests(running)
      const result = await play(running, 'storage.yml')
      assert.equal(result.failed, 0, result.output)
      assert.equal(result.changed, 0, result.output)
      const log = await requests(running)
      assert.deepEqual(writes(log), [])
      for (const command of ['listStoragePools', 'listImageStores', 'listStorageProviders']) {
        assert.ok(
          log.some((entry) => entry.command === command),
          `${command} was asked`,
        )
      }

      const pools = json<{storagepool: Array<{name: string; state: string}>}>(
        await runCli(['api', 'listStoragePools', 'name=kvm-primary-nfs'], {env}),
      )
      assert.equal(pools.storagepool[0].state, 'Up')
    })
  },
)
