import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {networkTopology} from '../../helpers/network-topology.js'
import {useSim} from '../../helpers/sim.js'

// End to end: network offering list|create, network create|list|delete against the simulator.

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

// A fresh simulator for each test.
const sim = useSim({topology: networkTopology()}, {perTest: true})

const cli = (...args: string[]) => runCli(args, {env: {COLUMNS: '250', ...simEnv(sim)}})

const MUTATING = new Set(['createNetwork', 'createNetworkOffering', 'deleteNetwork', 'updateNetworkOffering'])

async function mutatingCalls(): Promise<string[]> {
  return (await sim.requests()).map((r) => r.command ?? '').filter((c) => MUTATING.has(c))
}

async function makeOffering(): Promise<void> {
  const made = await cli('network', 'offering', 'create', 'Isolated-SpecifyVLAN', '--specify-vlan')
  assert.equal(made.code, 0, made.stderr)
  await sim.clearRequests()
}

const TENANT_A = ['--account', 'tenant-a', '--domain', 'ROOT/customers']

describe('moldctl network', () => {
  describe('network offering list', () => {
    it('shows which offerings have Specify VLAN (none of the default isolated ones)', async () => {
      const result = await cli('network', 'offering', 'list')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /SPECIFY VLAN/)
      assert.match(
        result.stdout,
        /DefaultIsolatedNetworkOfferingWithSourceNatService\s+Isolated\s+no\s+Enabled/,
      )
      assert.match(result.stdout, /DefaultSharedNetworkOffering\s+Shared\s+yes\s+Enabled/)
      const only = json<Json[]>(await cli('network', 'offering', 'list', '--specify-vlan', '--json'))
      assert.ok(only.length > 0)
      assert.ok(only.every((o) => o.specifyvlan === true))
    })
  })

  describe('network offering create', () => {
    it('creates an isolated offering with Specify VLAN and enables it', async () => {
      const result = await cli(
        'network',
        'offering',
        'create',
        'Isolated-SpecifyVLAN',
        '--specify-vlan',
        '--json',
      )
      assert.equal(result.code, 0, result.stderr)
      const offering = json<Json>(result)
      assert.equal(offering.name, 'Isolated-SpecifyVLAN')
      assert.equal(offering.specifyvlan, true)
      assert.equal(offering.state, 'Enabled')
      assert.equal(offering.guestiptype, 'Isolated')
      assert.ok(
        offering.service.some((s: Json) => s.name === 'SourceNat' && s.provider[0].name === 'VirtualRouter'),
      )
      assert.deepEqual(await mutatingCalls(), ['createNetworkOffering', 'updateNetworkOffering'])
      const create = (await sim.requests()).find((r) => r.command === 'createNetworkOffering')!
      assert.equal(create.params['serviceproviderlist[0].provider'], 'VirtualRouter')
    })

    it('--dry-run prints both calls and makes none', async () => {
      const result = await cli('network', 'offering', 'create', 'X', '--specify-vlan', '--dry-run')
      assert.equal(result.code, 0, result.stderr)
      assert.match(
        result.stdout,
        /would call: createNetworkOffering .*guestiptype=Isolated.*specifyvlan=true/,
      )
      assert.match(result.stdout, /would call: updateNetworkOffering id=<new offering id> state=Enabled/)
      assert.deepEqual(await mutatingCalls(), [])
    })

    it('the simulator refuses a bad traffic type with the server text', async () => {
      const answer = await sim.call('createNetworkOffering', {
        guestiptype: 'Isolated',
        name: 'x',
        traffictype: 'Bogus',
      })
      assert.equal(answer.status, 431)
      assert.match(
        answer.body.createnetworkofferingresponse.errortext,
        /^Invalid value for traffictype\. Supported traffic types: Public, Management, Control, Guest, Vlan or Storage$/,
      )
    })
  })

  describe('network create', () => {
    it('without an offering that has Specify VLAN: exit 2, says how to make one, no call', async () => {
      const result = await cli('network', 'create', 'n1', '--zone', 'zone-1', '--vlan', '850', ...TENANT_A)
      assert.equal(result.code, 2)
      assert.match(result.stderr, /no enabled isolated network offering has "Specify VLAN" on/)
      assert.match(result.stderr, /moldctl network offering create NAME --specify-vlan/)
      assert.deepEqual(await mutatingCalls(), [])
    })

    it('creates the network on the VLAN for the account; list shows it', async () => {
      await makeOffering()
      const result = await cli(
        'network',
        'create',
        'tenant-a-net',
        '--zone',
        'zone-1',
        '--vlan',
        '880',
        ...TENANT_A,
        '--json',
      )
      assert.equal(result.code, 0, result.stderr)
      const network = json<Json>(result)
      assert.equal(network.vlan, '880')
      assert.equal(network.broadcasturi, 'vlan://880')
      assert.equal(network.account, 'tenant-a')
      assert.equal(network.networkofferingname, 'Isolated-SpecifyVLAN')
      assert.equal(network.cidr, '10.1.1.0/24')
      const call = (await sim.requests()).find((r) => r.command === 'createNetwork')!
      assert.equal(call.params.vlan, '880')
      assert.equal(call.params.account, 'tenant-a')
      assert.equal(call.params.domainid, sim.model.state.domains.find((d) => d.name === 'customers')!.id)
      const list = await cli('network', 'list', '--zone', 'zone-1')
      assert.equal(list.code, 0, list.stderr)
      assert.match(list.stdout, /tenant-a-net\s+880\s+Allocated\s+zone-1\s+tenant-a\s+10\.1\.1\.0\/24/)
    })

    it('for a project, with gateway and netmask', async () => {
      await makeOffering()
      const result = await cli(
        'network',
        'create',
        'lab-net',
        '--zone',
        'zone-1',
        '--vlan',
        '901',
        '--project',
        'lab',
        '--gateway',
        '10.9.1.1',
        '--netmask',
        '255.255.255.0',
        '--json',
      )
      assert.equal(result.code, 0, result.stderr)
      const network = json<Json>(result)
      assert.equal(network.project, 'lab')
      assert.equal(network.cidr, '10.9.1.0/24')
      const listed = json<Json[]>(await cli('network', 'list', '--project', 'lab', '--json'))
      assert.deepEqual(
        listed.map((n) => n.name),
        ['lab-net'],
      )
    })

    it('refuses a VLAN inside the physical network range (the dynamic pool), before any change', async () => {
      await makeOffering()
      for (const vlan of ['650', '612', '720']) {
        const result = await cli('network', 'create', 'n', '--zone', 'zone-1', '--vlan', vlan, ...TENANT_A)
        assert.equal(result.code, 2, vlan)
        assert.match(result.stderr, new RegExp(`VLAN ${vlan} lies in guest-1's VLAN range \\(600-799\\)`))
        assert.match(result.stderr, /is already being used for dynamic vlan allocation/)
      }

      assert.deepEqual(await mutatingCalls(), [])
    })

    it('the simulator itself refuses that VLAN with the server text', async () => {
      await makeOffering()
      const offering = sim.model.state.networkOfferings!.find((o) => o.name === 'Isolated-SpecifyVLAN')!
      const answer = await sim.call('createNetwork', {
        name: 'n',
        networkofferingid: offering.id,
        vlan: '650',
        zoneid: sim.model.state.zones[0].id,
      })
      assert.equal(answer.status, 431)
      assert.equal(
        answer.body.createnetworkresponse.errortext,
        'The VLAN tag to use for new guest network, 650 is already being used for dynamic vlan allocation for the guest network in zone zone-1',
      )
    })

    it('refuses a VLAN another network uses, and one dedicated to someone else', async () => {
      await makeOffering()
      const first = await cli('network', 'create', 'one', '--zone', 'zone-1', '--vlan', '880', ...TENANT_A)
      assert.equal(first.code, 0, first.stderr)
      await sim.clearRequests()
      const again = await cli('network', 'create', 'two', '--zone', 'zone-1', '--vlan', '880', ...TENANT_A)
      assert.equal(again.code, 2)
      assert.match(again.stderr, /VLAN 880 is already used by network one/)
      const dedicated = await cli(
        'network',
        'create',
        'three',
        '--zone',
        'zone-1',
        '--vlan',
        '855',
        ...TENANT_A,
      )
      assert.equal(dedicated.code, 2)
      assert.match(
        dedicated.stderr,
        /VLAN 855 is dedicated to account tenant-b \(range 850-859 of public-1\)/,
      )
      assert.match(dedicated.stderr, /Vlan 855 is dedicated to a different account/)
      assert.deepEqual(await mutatingCalls(), [])
      const owner = await cli(
        'network',
        'create',
        'b-net',
        '--zone',
        'zone-1',
        '--vlan',
        '855',
        '--account',
        'tenant-b',
        '--domain',
        'customers',
      )
      assert.equal(owner.code, 0, owner.stderr)
    })

    it('bad input: VLAN not a number, gateway without netmask, broadcast gateway, zone with two guest networks, offering without Specify VLAN', async () => {
      await makeOffering()
      const cases: Array<[string[], RegExp]> = [
        [['--vlan', 'abc'], /--vlan abc is not a VLAN number/],
        [['--vlan', '5000'], /--vlan 5000 is outside 0-4095/],
        [['--vlan', '880', '--gateway', '10.0.0.1'], /--netmask|netmask/],
        [
          ['--vlan', '880', '--gateway', '10.0.0.0', '--netmask', '255.255.255.0'],
          /network or broadcast address/,
        ],
        [['--vlan', '880', '--offering', 'DefaultIsolatedNetworkOffering'], /"Specify VLAN" off/],
        [['--vlan', '880', '--offering', 'nope'], /no network offering is named "nope"/],
      ]
      for (const [flags, message] of cases) {
        const result = await cli('network', 'create', 'n', '--zone', 'zone-1', ...flags)
        assert.equal(result.code, 2, `${flags.join(' ')}: ${result.stderr}`)
        assert.match(result.stderr, message)
      }

      const zone2 = await cli('network', 'create', 'n', '--zone', 'zone-2', '--vlan', '3000')
      assert.equal(zone2.code, 2)
      assert.match(zone2.stderr, /zone zone-2 has 2 physical networks carrying guest traffic/)
      assert.deepEqual(await mutatingCalls(), [])
    })

    it('--dry-run prints the call and makes none', async () => {
      await makeOffering()
      const result = await cli(
        'network',
        'create',
        'n',
        '--zone',
        'zone-1',
        '--vlan',
        '880',
        ...TENANT_A,
        '--dry-run',
      )
      assert.equal(result.code, 0, result.stderr)
      assert.match(
        result.stdout,
        /^would call: createNetwork account=tenant-a displaytext=n domainid=[\da-f-]{36} name=n networkofferingid=[\da-f-]{36} vlan=880 zoneid=[\da-f-]{36}$/m,
      )
      assert.deepEqual(await mutatingCalls(), [])
    })

    it('a server refusal (fault) is exit 1 and shows the server text', async () => {
      await makeOffering()
      await sim.setFaults({
        failCommand: {command: 'createNetwork', errorcode: 530, errortext: 'boom from the server'},
      })
      const result = await cli('network', 'create', 'n', '--zone', 'zone-1', '--vlan', '880', ...TENANT_A)
      assert.equal(result.code, 1, result.stderr)
      assert.match(result.stderr, /boom from the server/)
    })
  })

  describe('network delete', () => {
    it('needs --yes without a terminal; --dry-run makes no call; with --yes it deletes', async () => {
      await makeOffering()
      assert.equal(
        (await cli('network', 'create', 'gone', '--zone', 'zone-1', '--vlan', '880', ...TENANT_A)).code,
        0,
      )
      await sim.clearRequests()
      const refused = await cli('network', 'delete', 'gone')
      assert.equal(refused.code, 2)
      assert.match(refused.stderr, /add --yes/)
      const dry = await cli('network', 'delete', 'gone', '--dry-run')
      assert.equal(dry.code, 0, dry.stderr)
      assert.match(dry.stdout, /would call: deleteNetwork id=[\da-f-]{36}/)
      assert.deepEqual(await mutatingCalls(), [])
      const done = await cli('network', 'delete', 'gone', '--yes')
      assert.equal(done.code, 0, done.stderr)
      assert.match(done.stdout, /Deleted network gone \(VLAN 880\)/)
      assert.deepEqual(await mutatingCalls(), ['deleteNetwork'])
      assert.equal(sim.model.state.guestNetworks!.length, 0)
      const unknown = await cli('network', 'delete', 'gone', '--yes')
      assert.equal(unknown.code, 2)
      assert.match(unknown.stderr, /no network is named "gone"/)
    })
  })
})
