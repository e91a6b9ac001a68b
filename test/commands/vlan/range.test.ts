import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {useSim} from '../../helpers/sim.js'
import {vlanTopology} from '../../helpers/vlan-topology.js'

// End to end: the built CLI against a simulator holding zone-1's guest-1 (600-799, VLANs 612
// and 640 allocated, 700-749 dedicated to tenant-a), zone-2 with two guest networks, zone-3 VXLAN.

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

// A fresh simulator for each test.
const sim = useSim({topology: vlanTopology()}, {perTest: true})

const cli = (...args: string[]) => runCli(args, {env: simEnv(sim)})

/** The updatePhysicalNetwork calls the simulator received: their id and vlan parameters. */
async function updateCalls(): Promise<Array<{id: string; method: string; vlan: string}>> {
  return (await sim.requests())
    .filter((r) => r.command === 'updatePhysicalNetwork')
    .map((r) => ({id: r.params.id, method: r.method, vlan: r.params.vlan}))
}

function vlanOf(name: string): string | undefined {
  const pn = sim.model.state.physicalNetworks.find((p) => p.name === name)!
  return pn.vlanRanges.length === 0 ? undefined : pn.vlanRanges.map(([s, e]) => `${s}-${e}`).join(',')
}

function pnId(name: string): string {
  return sim.model.state.physicalNetworks.find((p) => p.name === name)!.id
}

describe('moldctl vlan range', () => {
  describe('vlan range add', () => {
    it('adds non-contiguous ranges, sending the union as the exact vlan string', async () => {
      const result = await cli('vlan', 'range', 'add', '1200-1299', '1400', '--zone', 'zone-1', '--json')
      assert.equal(result.code, 0, result.stderr)
      const report = json<Json>(result)
      assert.equal(report.vlan, '600-799,1200-1299,1400-1400')
      assert.equal(report.vlanafter, '600-799,1200-1299,1400-1400')
      assert.equal(report.before, '600-799')
      assert.equal(report.after, '600-799,1200-1299,1400')
      assert.equal(report.status, 'applied')
      assert.match(report.jobid, /^[\da-f-]{36}$/)
      assert.deepEqual(await updateCalls(), [
        {id: pnId('guest-1'), method: 'POST', vlan: '600-799,1200-1299,1400-1400'},
      ])
      assert.equal(vlanOf('guest-1'), '600-799,1200-1299,1400-1400')
    })

    it('shows before, the change, after and the exact call', async () => {
      const result = await cli('vlan', 'range', 'add', '790-810', '811-820', '--physical-network', 'guest-1')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^Before +600-799 {2}\(200 VLANs\)$/m)
      assert.match(result.stdout, /^Add +800-820 {2}\(21 VLANs\) {2}\[already present: 790-799]$/m)
      assert.match(result.stdout, /^After +600-820 {2}\(221 VLANs\)$/m)
      assert.match(
        result.stdout,
        new RegExp(`^API call +updatePhysicalNetwork id=${pnId('guest-1')} vlan=600-820$`, 'm'),
      )
      assert.match(result.stdout, /^Result +done \(job [\da-f-]{36}\); the server now holds 600-820$/m)
      // The values start in one column, the result's (printed after the change) too.
      const starts = result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => /^\S+(?: \S+)* {2,}(?=\S)/.exec(line)?.[0].length)
      assert.deepEqual(new Set(starts), new Set(['Physical network  '.length]), result.stdout)
      assert.equal(vlanOf('guest-1'), '600-820', 'overlapping and adjacent ranges merged')
    })

    it('makes no call when every requested VLAN is already there', async () => {
      const result = await cli('vlan', 'range', 'add', '600-610', '700', '--zone', 'zone-1')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /nothing to do: every requested VLAN is already in the physical network/)
      assert.match(result.stdout, /^API call +\(none needed\)$/m)
      assert.deepEqual(await updateCalls(), [])
    })

    it('--dry-run prints the call it would make and makes none', async () => {
      const result = await cli('vlan', 'range', 'add', '900-999', '--zone', 'zone-1', '--dry-run')
      assert.equal(result.code, 0, result.stderr)
      assert.match(
        result.stdout,
        new RegExp(`updatePhysicalNetwork id=${pnId('guest-1')} vlan=600-799,900-999`),
      )
      assert.match(result.stdout, /dry run: nothing was sent/)
      assert.deepEqual(await updateCalls(), [])
      assert.equal(vlanOf('guest-1'), '600-799')
    })

    it('accepts the larger VNI bounds of a VXLAN network', async () => {
      const result = await cli('vlan', 'range', 'add', '10000-10010', '--zone', 'zone-3', '--json')
      assert.equal(result.code, 0, result.stderr)
      assert.equal(json<Json>(result).vlanafter, '5000-5999,10000-10010')
    })

    for (const [what, args, message] of [
      [
        'malformed',
        ['12a'],
        /"12a" is not a VLAN range: write START-END \(e\.g\. 500-599\) or a single VLAN \(e\.g\. 700\)/,
      ],
      ['reversed', ['700-600'], /VLAN range 700-600 is reversed/],
      ['beyond any VNET id', ['99999999999'], /out of bounds/],
      ['negative', ['-5'], /Error:/],
    ] as const) {
      it(`refuses a ${what} range before any call (exit 2)`, async () => {
        const result = await cli('vlan', 'range', 'add', ...args, '--zone', 'zone-1')
        assert.equal(result.code, 2, result.stdout + result.stderr)
        assert.match(result.stderr, message)
        assert.deepEqual(await sim.requests(), [], 'no API call at all')
      })
    }

    it('refuses VLANs beyond 4095 on a VLAN network, changing nothing (exit 2)', async () => {
      const result = await cli('vlan', 'range', 'add', '4000-4096', '--zone', 'zone-1')
      assert.equal(result.code, 2)
      assert.match(
        result.stderr,
        /VLAN range 4000-4096 is out of bounds for physical network guest-1: VLAN isolation allows 0-4095/,
      )
      assert.deepEqual(await updateCalls(), [])
    })

    it('needs a range and a physical network or zone (exit 2, no call)', async () => {
      const noRange = await cli('vlan', 'range', 'add', '--zone', 'zone-1')
      assert.equal(noRange.code, 2)
      const noTarget = await cli('vlan', 'range', 'add', '700')
      assert.equal(noTarget.code, 2)
      assert.match(noTarget.stderr, /--physical-network PN or --zone Z/)
      const both = await cli(
        'vlan',
        'range',
        'add',
        '700',
        '--zone',
        'zone-1',
        '--physical-network',
        'guest-1',
      )
      assert.equal(both.code, 2)
      assert.deepEqual(await sim.requests(), [])
    })

    it('lists the guest physical networks when a zone has several (exit 2)', async () => {
      const result = await cli('vlan', 'range', 'add', '3000', '--zone', 'zone-2')
      assert.equal(result.code, 2)
      assert.match(
        result.stderr,
        /zone zone-2 has 2 physical networks carrying guest traffic; pick one with --physical-network/,
      )
      assert.match(result.stderr, new RegExp(`guest-2a  ${pnId('guest-2a')}`))
      assert.match(result.stderr, new RegExp(`guest-2b  ${pnId('guest-2b')}`))
      assert.deepEqual(await updateCalls(), [])
    })

    it('says when a zone has no physical network carrying guest traffic (exit 2)', async () => {
      const result = await cli('vlan', 'range', 'add', '3000', '--zone', 'zone-empty')
      assert.equal(result.code, 2)
      assert.match(result.stderr, /zone zone-empty has no physical network carrying guest traffic/)
      assert.match(result.stderr, /its physical networks: storage-only/)
    })

    it('refuses an unknown physical network (exit 2)', async () => {
      const result = await cli('vlan', 'range', 'add', '3000', '--physical-network', 'nope')
      assert.equal(result.code, 2)
      assert.match(result.stderr, /no physical network is named "nope"/)
    })

    it('reports a failed update job (exit 1) and does not send it twice', async () => {
      await sim.setFaults({
        failCommand: {command: 'updatePhysicalNetwork', errortext: 'database is down', inJob: true},
      })
      const result = await cli('vlan', 'range', 'add', '1200', '--zone', 'zone-1')
      assert.equal(result.code, 1)
      assert.match(result.stderr, /updatePhysicalNetwork job [\da-f-]{36} failed \(530\): database is down/)
      assert.equal((await updateCalls()).length, 1)
      assert.equal(vlanOf('guest-1'), '600-799')
    })

    it('does not resend the update when the connection drops after it was sent: the read back settles it', async () => {
      await sim.setFaults({dropCommand: {afterExecute: true, command: 'updatePhysicalNetwork', times: 1}})
      const result = await cli('vlan', 'range', 'add', '1200', '--zone', 'zone-1')
      assert.equal(result.code, 0, result.stdout + result.stderr)
      assert.match(
        result.stderr,
        /the answer to updatePhysicalNetwork was lost; reading the physical network/,
      )
      assert.match(
        result.stdout,
        /^Result +done \(answer lost, read back\); the server now holds 600-799,1200-1200$/m,
      )
      assert.equal(vlanOf('guest-1'), '600-799,1200-1200')
      assert.equal((await updateCalls()).length, 1, 'sent once, never repeated')
    })

    it('retries reads answered 503 and still applies the change once', async () => {
      await sim.setFaults({errorRate: 0.5, status: 503})
      const result = await cli('vlan', 'range', 'add', '1200', '--zone', 'zone-1', '--json')
      assert.equal(result.code, 0, result.stderr)
      assert.equal(json<Json>(result).vlanafter, '600-799,1200-1200')
      assert.equal((await updateCalls()).length, 1)
    })
  })

  describe('vlan range remove', () => {
    it('splits a range when its middle is removed', async () => {
      const result = await cli('vlan', 'range', 'remove', '650-659', '--zone', 'zone-1', '--yes', '--json')
      assert.equal(result.code, 0, result.stderr)
      const report = json<Json>(result)
      assert.equal(report.vlan, '600-649,660-799')
      assert.equal(report.changed, '650-659')
      assert.deepEqual(await updateCalls(), [{id: pnId('guest-1'), method: 'POST', vlan: '600-649,660-799'}])
      assert.equal(vlanOf('guest-1'), '600-649,660-799')
    })

    it('refuses when a VLAN to remove is allocated, naming it and its account (exit 2, no update)', async () => {
      const result = await cli('vlan', 'range', 'remove', '600-650', '--zone', 'zone-1', '--yes')
      assert.equal(result.code, 2)
      assert.match(
        result.stderr,
        /refusing to remove 600-650 from physical network guest-1: VLAN 612 is allocated to account tenant-a \(domain customers\); VLAN 640 is allocated to account tenant-b \(domain customers\)/,
      )
      assert.match(result.stderr, /nothing was changed/)
      assert.deepEqual(await updateCalls(), [])
    })

    it('refuses when the removal touches a dedicated range, naming its owner and how to release it', async () => {
      const dedicatedId = sim.model.state.dedicatedVlanRanges[0].id
      const result = await cli('vlan', 'range', 'remove', '745-760', '--zone', 'zone-1', '--yes')
      assert.equal(result.code, 2)
      assert.match(
        result.stderr,
        new RegExp(
          `VLANs 745-749 are dedicated to account tenant-a \\(domain customers\\) \\(dedicated range 700-749, id ${dedicatedId}\\)`,
        ),
      )
      assert.match(result.stderr, new RegExp(`moldctl vlan release ${dedicatedId}`))
      assert.deepEqual(await updateCalls(), [])
    })

    it('refuses to swallow a whole dedicated range, which the server itself would let through', async () => {
      const result = await cli('vlan', 'range', 'remove', '690-799', '--zone', 'zone-1', '--yes')
      assert.equal(result.code, 2)
      assert.match(result.stderr, /VLANs 700-749 are dedicated to account tenant-a/)
      assert.deepEqual(await updateCalls(), [])
    })

    it('needs --yes without a terminal (exit 2, no update)', async () => {
      const result = await cli('vlan', 'range', 'remove', '650-659', '--zone', 'zone-1')
      assert.equal(result.code, 2)
      assert.match(result.stderr, /add --yes/)
      assert.match(result.stdout, /^After +600-649,660-799/m, 'the plan is shown before asking')
      assert.deepEqual(await updateCalls(), [])
    })

    it('makes no call when none of the VLANs is configured', async () => {
      const result = await cli('vlan', 'range', 'remove', '3000-3100', '--zone', 'zone-1', '--yes')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /nothing to do: none of the requested VLANs is in the physical network/)
      assert.deepEqual(await updateCalls(), [])
    })

    it('--dry-run prints the call and makes none', async () => {
      const result = await cli('vlan', 'range', 'remove', '780-799', '--zone', 'zone-1', '--dry-run')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /updatePhysicalNetwork id=\S+ vlan=600-779$/m)
      assert.deepEqual(await updateCalls(), [])
    })

    it('removes every range of a network by sending the empty string', async () => {
      const result = await cli(
        'vlan',
        'range',
        'remove',
        '2000-2099',
        '--physical-network',
        'guest-2b',
        '--yes',
      )
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /vlan=''$/m)
      assert.match(result.stdout, /^After +\(none\)$/m)
      assert.deepEqual(await updateCalls(), [{id: pnId('guest-2b'), method: 'POST', vlan: ''}])
      assert.equal(vlanOf('guest-2b'), undefined)
    })

    it('on a server without listGuestVlans, warns and leaves the allocated check to the server', async () => {
      await sim.setFaults({
        failCommand: {
          command: 'listGuestVlans',
          errorcode: 432,
          errortext: 'Unknown API command: listGuestVlans',
        },
      })
      const free = await cli('vlan', 'range', 'remove', '650-659', '--zone', 'zone-1', '--yes')
      assert.equal(free.code, 0, free.stderr)
      assert.match(
        free.stderr,
        /cannot list allocated VLANs \(listGuestVlans needs CloudStack 4\.17 or later\)/,
      )
      const taken = await cli('vlan', 'range', 'remove', '600-649', '--zone', 'zone-1', '--yes')
      assert.equal(taken.code, 1, 'the server refuses')
      assert.match(taken.stderr, /has allocated vnets in the range 600-649/)
      assert.equal(vlanOf('guest-1'), '600-649,660-799')
      const list = await cli('vlan', 'range', 'list', '--zone', 'zone-1')
      assert.match(list.stdout, /^guest-1 +zone-1 +600-649 +50 +\?$/m)
    })

    it('refuses out-of-bounds and malformed input (exit 2, no update)', async () => {
      const bounds = await cli('vlan', 'range', 'remove', '5000', '--zone', 'zone-1', '--yes')
      assert.equal(bounds.code, 2)
      assert.match(bounds.stderr, /VLAN isolation allows 0-4095/)
      const malformed = await cli('vlan', 'range', 'remove', '600-', '--zone', 'zone-1', '--yes')
      assert.equal(malformed.code, 2)
      assert.deepEqual(await updateCalls(), [])
    })
  })

  describe('vlan range list', () => {
    it('shows each range with its size, allocated count and dedications', async () => {
      const result = await cli('vlan', 'range', 'list', '--zone', 'zone-1')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /^NETWORK +ZONE +RANGE +VLANS +ALLOCATED +DEDICATED$/m)
      assert.match(result.stdout, /^guest-1 +zone-1 +600-799 +200 +2 +700-749 tenant-a$/m)
      assert.match(result.stdout, /^mgmt-1 +zone-1 +\(none\) +0 +0$/m)
    })

    it('gives the details in JSON, one row per range', async () => {
      await sim.call(
        'updatePhysicalNetwork',
        {id: pnId('guest-2a'), vlan: '1000-1099,1500-1500'},
        {method: 'POST'},
      )
      while (vlanOf('guest-2a') !== '1000-1099,1500-1500')
        await new Promise((resolve) => setTimeout(resolve, 5))
      const result = await cli('vlan', 'range', 'list', '--physical-network', 'guest-2a', '--json')
      assert.equal(result.code, 0, result.stderr)
      const rows = json<Json[]>(result)
      assert.deepEqual(
        rows.map((r) => [r.physicalnetwork, r.vlanrange, r.vlans, r.allocated]),
        [
          ['guest-2a', '1000-1099', 100, 0],
          ['guest-2a', '1500', 1, 0],
        ],
      )
      const all = json<Json[]>(await cli('vlan', 'range', 'list', '--json'))
      const guest1 = all.find((r) => r.physicalnetwork === 'guest-1')!
      assert.deepEqual(guest1.dedicated, [
        {
          account: 'tenant-a',
          domain: 'customers',
          guestvlanrange: '700-749',
          id: sim.model.state.dedicatedVlanRanges[0].id,
        },
      ])
    })
  })
})
