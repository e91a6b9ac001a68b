import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {useSim} from '../../helpers/sim.js'
import {vlanTopology} from '../../helpers/vlan-topology.js'

// End to end: vlan dedicate, vlan dedicated list and vlan release against the simulator
// (guest-1 holds 600-799 with 700-749 dedicated to tenant-a of ROOT/customers; project "lab").

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

// A fresh simulator for each test.
const sim = useSim({topology: vlanTopology()}, {perTest: true})

const cli = (...args: string[]) => runCli(args, {env: simEnv(sim)})

async function commandsCalled(): Promise<string[]> {
  return (await sim.requests()).map((r) => r.command ?? '')
}

function dedications(): string[] {
  return sim.model.state.dedicatedVlanRanges.map((d) => `${d.start}-${d.end}`).sort()
}

describe('moldctl vlan dedicate, dedicated list, release', () => {
  describe('vlan dedicate', () => {
    it('dedicates to an account given by domain path; adjacent ranges of the account merge', async () => {
      const result = await cli(
        'vlan',
        'dedicate',
        '750-759',
        '--physical-network',
        'guest-1',
        '--account',
        'tenant-a',
        '--domain',
        'ROOT/customers',
        '--json',
      )
      assert.equal(result.code, 0, result.stderr)
      const dedicated = json<Json>(result)
      assert.equal(dedicated.guestvlanrange, '700-759')
      assert.equal(dedicated.account, 'tenant-a')
      assert.equal(dedicated.physicalnetwork, 'guest-1')
      assert.deepEqual(dedications(), ['700-759'])
    })

    it('dedicates a single VLAN to a project', async () => {
      const result = await cli('vlan', 'dedicate', '780', '--physical-network', 'guest-1', '--project', 'lab')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^Done: 780-780 dedicated to project lab on guest-1 \(id [\da-f-]{36}\)$/m)
      const call = (await sim.requests()).find((r) => r.command === 'dedicateGuestVlanRange')!
      assert.equal(call.params.vlanrange, '780-780')
      assert.equal(call.params.projectid, sim.model.state.projects[0].id)
    })

    it('shows the server refusal for a range already dedicated (exit 1)', async () => {
      const result = await cli(
        'vlan',
        'dedicate',
        '720-730',
        '--physical-network',
        'guest-1',
        '--account',
        'tenant-b',
        '--domain',
        'customers',
      )
      assert.equal(result.code, 1)
      assert.match(
        result.stderr,
        /Vlan range is already dedicated\. Cannot dedicate guest vlan range 720-730/,
      )
      assert.deepEqual(dedications(), ['700-749'])
    })

    it('refuses a malformed range or a missing owner before any call (exit 2)', async () => {
      const malformed = await cli(
        'vlan',
        'dedicate',
        '7x',
        '--physical-network',
        'guest-1',
        '--project',
        'lab',
      )
      assert.equal(malformed.code, 2)
      assert.match(malformed.stderr, /"7x" is not a VLAN range/)
      const noOwner = await cli('vlan', 'dedicate', '780-789', '--physical-network', 'guest-1')
      assert.equal(noOwner.code, 2)
      assert.match(noOwner.stderr, /--account A --domain D, or --project P/)
      const both = await cli(
        'vlan',
        'dedicate',
        '780-789',
        '--physical-network',
        'guest-1',
        '--project',
        'lab',
        '--account',
        'x',
        '--domain',
        'ROOT',
      )
      assert.equal(both.code, 2)
      assert.deepEqual(await commandsCalled(), [])
    })

    it('refuses an unknown domain or project (exit 2, nothing dedicated)', async () => {
      const domain = await cli(
        'vlan',
        'dedicate',
        '780-789',
        '--physical-network',
        'guest-1',
        '--account',
        'tenant-a',
        '--domain',
        'nowhere',
      )
      assert.equal(domain.code, 2)
      assert.match(domain.stderr, /no domain is named "nowhere"/)
      const project = await cli(
        'vlan',
        'dedicate',
        '780-789',
        '--physical-network',
        'guest-1',
        '--project',
        'ghost',
      )
      assert.equal(project.code, 2)
      assert.match(project.stderr, /no project is named "ghost"/)
      assert.equal((await commandsCalled()).includes('dedicateGuestVlanRange'), false)
    })
  })

  describe('vlan dedicated list', () => {
    it('lists dedicated ranges with their physical network and owner', async () => {
      const table = await cli('vlan', 'dedicated', 'list')
      assert.equal(table.code, 0, table.stderr)
      assert.match(table.stdout, /^ID +RANGE +NETWORK +OWNER +DOMAIN$/m)
      assert.match(table.stdout, /^[\da-f-]{36} +700-749 +guest-1 +tenant-a +customers$/m)
      const rows = json<Json[]>(await cli('vlan', 'dedicated', 'list', '--zone', 'zone-1', '--json'))
      assert.equal(rows.length, 1)
      assert.equal(rows[0].zonename, 'zone-1')
      assert.equal(rows[0].id, sim.model.state.dedicatedVlanRanges[0].id)
    })

    it('says so when there are none', async () => {
      const result = await cli('vlan', 'dedicated', 'list', '--zone', 'zone-2')
      assert.equal(result.code, 0)
      assert.match(result.stderr, /No dedicated VLAN ranges\./)
    })
  })

  describe('vlan release', () => {
    it('releases a dedicated range with --yes', async () => {
      const {id} = sim.model.state.dedicatedVlanRanges[0]
      const result = await cli('vlan', 'release', id, '--yes', '--json')
      assert.equal(result.code, 0, result.stderr)
      assert.equal(json<Json>(result).released, true)
      assert.deepEqual(dedications(), [])
      const freed = await cli('vlan', 'range', 'remove', '700-749', '--zone', 'zone-1', '--yes')
      assert.equal(freed.code, 0, `released VLANs can be removed: ${freed.stderr}`)
    })

    it('asks for --yes without a terminal, naming what it would release (exit 2)', async () => {
      const {id} = sim.model.state.dedicatedVlanRanges[0]
      const result = await cli('vlan', 'release', id)
      assert.equal(result.code, 2)
      assert.match(result.stderr, /Release 700-749 dedicated to account tenant-a \(domain customers\)/)
      assert.match(result.stderr, /add --yes/)
      assert.equal((await commandsCalled()).includes('releaseDedicatedGuestVlanRange'), false)
    })

    it('refuses ids that are not UUIDs before any call, and unknown ones (exit 2)', async () => {
      const bad = await cli('vlan', 'release', '42', '--yes')
      assert.equal(bad.code, 2)
      assert.deepEqual(await commandsCalled(), [])
      const unknown = await cli('vlan', 'release', '00000000-0000-4000-8000-000000000000', '--yes')
      assert.equal(unknown.code, 2)
      assert.match(unknown.stderr, /no dedicated VLAN range has the id/)
      assert.equal((await commandsCalled()).includes('releaseDedicatedGuestVlanRange'), false)
    })
  })
})
