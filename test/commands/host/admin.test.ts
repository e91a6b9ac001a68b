import assert from 'node:assert/strict'
import {afterEach, describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {type LoggedRequest, startTestSim, type TestSim} from '../../helpers/sim.js'

/* `host enable|disable|reconnect|add|remove` through the built CLI against the simulator. */

let sim: TestSim | undefined

async function freshSim(): Promise<TestSim> {
  sim = await startTestSim({speed: 20_000})
  return sim
}

describe('host administration commands', () => {
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })

  function mutating(log: LoggedRequest[]): LoggedRequest[] {
    return log.filter((r) => r.command && !/^(list|query)/.test(r.command))
  }

  function host(s: TestSim, name: string) {
    const found = s.model.state.hosts.find((h) => h.name === name)
    assert.ok(found, `no host ${name}`)
    return found
  }

  function cli(s: TestSim, args: string[], stdin?: string) {
    return runCli(args, {env: simEnv(s), stdin})
  }

  describe('host enable / disable', () => {
    it('disables and enables with updateHost allocationstate=Disable/Enable', async () => {
      const s = await freshSim()
      const disabled = await cli(s, ['host', 'disable', 'kvm-host-02', '--json'])
      assert.equal(disabled.code, 0, disabled.stderr)
      assert.equal(json<{resourcestate: string}>(disabled).resourcestate, 'Disabled')
      const enabled = await cli(s, ['host', 'enable', '10.10.0.12'])
      assert.equal(enabled.code, 0, enabled.stderr)
      assert.match(enabled.stderr, /kvm-host-02 is now Enabled/)
      assert.deepEqual(
        mutating(await s.requests()).map((r) => [r.command, r.params.allocationstate]),
        [
          ['updateHost', 'Disable'],
          ['updateHost', 'Enable'],
        ],
      )
    })

    it('does nothing for a host already in the state, and refuses a host in maintenance', async () => {
      const s = await freshSim()
      const same = await cli(s, ['host', 'enable', 'kvm-host-01'])
      assert.equal(same.code, 0, same.stderr)
      assert.match(same.stderr, /already Enabled/)
      host(s, 'kvm-host-03').resourceState = 'Maintenance'
      const refused = await cli(s, ['host', 'disable', 'kvm-host-03'])
      assert.equal(refused.code, 2)
      assert.match(refused.stderr, /moldctl host maintenance cancel kvm-host-03/)
      const unknown = await cli(s, ['host', 'disable', 'ghost'])
      assert.equal(unknown.code, 2)
      assert.deepEqual(mutating(await s.requests()), [])
    })
  })

  describe('host reconnect', () => {
    it("reconnects an Up host and reports the server's refusal for a Down one", async () => {
      const s = await freshSim()
      const ok = await cli(s, ['host', 'reconnect', 'kvm-host-01', '--json'])
      assert.equal(ok.code, 0, ok.stderr)
      assert.equal(json<{state: string}>(ok).state, 'Up')
      host(s, 'kvm-host-02').status = 'Down'
      const down = await cli(s, ['host', 'reconnect', 'kvm-host-02'])
      assert.equal(down.code, 1)
      assert.match(
        down.stderr,
        /Unable to disconnect host because it is not in the correct state: host=\d+; Status=Down/,
      )
    })
  })

  describe('host add', () => {
    it('adds a host with the password from stdin, which appears nowhere', async () => {
      const s = await freshSim()
      const result = await cli(
        s,
        [
          'host',
          'add',
          '10.10.0.50',
          '--cluster',
          'kvm-cluster-1',
          '--username',
          'root',
          '--password-stdin',
          '--json',
        ],
        'Sup3r-secret\n',
      )
      assert.equal(result.code, 0, result.stderr)
      const added = json<{clustername: string; ipaddress: string}>(result)
      assert.equal(added.ipaddress, '10.10.0.50')
      assert.equal(added.clustername, 'kvm-cluster-1')
      const [call] = mutating(await s.requests())
      assert.equal(call.command, 'addHost')
      assert.equal(call.params.url, 'http://10.10.0.50')
      assert.equal(call.params.hypervisor, 'KVM')
      assert.equal(call.params.password, '***')
      assert.doesNotMatch(result.stdout + result.stderr, /Sup3r-secret/)
    })

    it('needs the password on stdin when there is no terminal, and makes no call', async () => {
      const s = await freshSim()
      const result = await cli(s, [
        'host',
        'add',
        '10.10.0.51',
        '--cluster',
        'kvm-cluster-1',
        '--username',
        'root',
      ])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /--\*-stdin|--password-stdin/)
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it('checks the input before any call, and --dry-run makes none', async () => {
      const s = await freshSim()
      const wrongPod = await cli(s, [
        'host',
        'add',
        '10.10.0.52',
        '--cluster',
        'kvm-cluster-1',
        '--username',
        'root',
        '--hypervisor',
        'XenServer',
      ])
      assert.equal(wrongPod.code, 2)
      assert.match(wrongPod.stderr, /is a KVM cluster, not XenServer/)
      const noUser = await cli(s, ['host', 'add', '10.10.0.52', '--cluster', 'kvm-cluster-1'])
      assert.equal(noUser.code, 2)
      const dry = await cli(s, [
        'host',
        'add',
        '10.10.0.52',
        '--cluster',
        'kvm-cluster-1',
        '--username',
        'root',
        '--dry-run',
      ])
      assert.equal(dry.code, 0, dry.stderr)
      assert.match(
        dry.stdout,
        /would call: addHost clusterid=[\da-f-]+ hypervisor=KVM podid=[\da-f-]+ url=http:\/\/10\.10\.0\.52 username=root zoneid=[\da-f-]+ password=\*\*\*/,
      )
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it("reports the server's refusal of a duplicate address", async () => {
      const s = await freshSim()
      const result = await cli(
        s,
        ['host', 'add', '10.10.0.11', '--cluster', 'kvm-cluster-1', '--username', 'root', '--password-stdin'],
        'pw',
      )
      assert.equal(result.code, 1)
      assert.match(
        result.stderr,
        /Unable to add the host: Cannot find the server resources at http:\/\/10\.10\.0\.11/,
      )
    })
  })

  describe('host remove', () => {
    it('refuses a host not in maintenance before any call', async () => {
      const s = await freshSim()
      const result = await cli(s, ['host', 'remove', 'kvm-host-04', '--yes'])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /only in Maintenance or Degraded \(add --drain/)
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it('needs --yes without a terminal', async () => {
      const s = await freshSim()
      host(s, 'kvm-host-04').resourceState = 'Maintenance'
      const result = await cli(s, ['host', 'remove', 'kvm-host-04'])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /add --yes/)
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it('removes a host in maintenance, reminding to stop the KVM agent', async () => {
      const s = await freshSim()
      const kvm4 = host(s, 'kvm-host-04')
      kvm4.resourceState = 'Maintenance'
      const result = await cli(s, ['host', 'remove', 'kvm-host-04', '--yes'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(
        result.stderr,
        /stop the agent on it before removing it\s+\(systemctl stop cloudstack-agent\)/,
      )
      assert.equal(s.model.hosts.has(kvm4.id), false)
      assert.deepEqual(
        mutating(await s.requests()).map((r) => [r.command, r.params.forced]),
        [['deleteHost', undefined]],
      )
    })

    it('with --drain enters maintenance first, then removes', async () => {
      const s = await freshSim()
      const kvm3 = host(s, 'kvm-host-03')
      const result = await cli(s, ['host', 'remove', 'kvm-host-03', '--drain', '--yes'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(s.model.hosts.has(kvm3.id), false)
      assert.deepEqual(
        mutating(await s.requests()).map((r) => r.command),
        ['prepareHostForMaintenance', 'deleteHost'],
      )
    })

    it('with --force deletes with forced=true; --dry-run only prints the calls', async () => {
      const s = await freshSim()
      const dry = await cli(s, ['host', 'remove', 'xen-host-02', '--force', '--dry-run'])
      assert.equal(dry.code, 0, dry.stderr)
      assert.match(dry.stdout, /would call: deleteHost forced=true id=[\da-f-]+/)
      assert.deepEqual(mutating(await s.requests()), [])
      const forced = await cli(s, ['host', 'remove', 'xen-host-02', '--force', '--yes'])
      assert.equal(forced.code, 0, forced.stderr)
      assert.deepEqual(
        mutating(await s.requests()).map((r) => [r.command, r.params.forced]),
        [['deleteHost', 'true']],
      )
    })
  })
})
