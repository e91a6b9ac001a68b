import assert from 'node:assert/strict'
import {beforeEach, describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import {type TestSim, useSim} from '../../helpers/sim.js'
import {vlanTopology} from '../../helpers/vlan-topology.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

async function waitForJob(sim: TestSim, jobid: string): Promise<Json> {
  for (let i = 0; i < 400; i++) {
    const job = (await sim.call('queryAsyncJobResult', {jobid})).body.queryasyncjobresultresponse
    if (job.jobstatus !== 0) return job
    await delay(5)
  }

  throw new Error(`job ${jobid} did not finish`)
}

async function physicalNetwork(sim: TestSim, name: string): Promise<Json> {
  const list = (await sim.call('listPhysicalNetworks', {name})).body.listphysicalnetworksresponse
  const found = list.physicalnetwork.find((pn: Json) => pn.name === name)
  assert.ok(found, `physical network ${name}`)
  return found
}

/** updatePhysicalNetwork with vlan=…, waited for: the job as queryAsyncJobResult reports it. */
async function updateVlan(sim: TestSim, id: string, vlan: string): Promise<Json> {
  const submit = await sim.call('updatePhysicalNetwork', {id, vlan}, {method: 'POST'})
  assert.equal(submit.status, 200, submit.text)
  return waitForJob(sim, submit.body.updatephysicalnetworkresponse.jobid)
}

function domainId(sim: TestSim, path: string): string {
  return sim.model.state.domains.find((d) => d.path === path)!.id
}

describe('simulator: physical networks and guest VLANs', () => {
  // A fresh simulator per test: each starts from the topology's ranges and dedications.
  const sim = useSim({topology: vlanTopology()}, {perTest: true})
  let guest: Json

  beforeEach(async () => {
    guest = await physicalNetwork(sim, 'guest-1')
  })

  describe('listPhysicalNetworks and listTrafficTypes', () => {
    it('lists physical networks with the vlan string, zone and isolation', async () => {
      assert.equal(guest.vlan, '600-799')
      assert.equal(guest.zonename, 'zone-1')
      assert.equal(guest.isolationmethods, 'VLAN')
      assert.equal(guest.state, 'Enabled')
      const mgmt = await physicalNetwork(sim, 'mgmt-1')
      assert.equal('vlan' in mgmt, false, 'no ranges ⇒ no vlan field')
    })

    it('filters by zone and by name (LIKE)', async () => {
      const zone2 = sim.model.state.zones.find((z) => z.name === 'zone-2')!
      const byZone = (await sim.call('listPhysicalNetworks', {zoneid: zone2.id})).body
        .listphysicalnetworksresponse
      assert.deepEqual(
        byZone.physicalnetwork.map((pn: Json) => pn.name),
        ['guest-2a', 'guest-2b'],
      )
      const byName = (await sim.call('listPhysicalNetworks', {name: 'GUEST-2'})).body
        .listphysicalnetworksresponse
      assert.equal(byName.count, 2)
    })

    it('lists the traffic types a physical network carries', async () => {
      const res = await sim.call('listTrafficTypes', {physicalnetworkid: guest.id})
      const types = res.body.listtraffictypesresponse.traffictype
      assert.deepEqual(
        types.map((t: Json) => t.traffictype),
        ['Guest', 'Public'],
      )
      assert.equal(types[0].physicalnetworkid, guest.id)
      assert.match(types[0].id, /^[\da-f-]{36}$/)
    })

    it('requires physicalnetworkid for listTrafficTypes', async () => {
      const res = await sim.call('listTrafficTypes')
      assert.equal(res.status, 431)
      assert.equal(
        res.body.listtraffictypesresponse.errortext,
        'Unable to execute API command listtraffictypes due to missing parameter physicalnetworkid',
      )
    })
  })

  describe('updatePhysicalNetwork vlan (full replacement)', () => {
    it('is asynchronous and stores the merged, sorted string', async () => {
      const job = await updateVlan(sim, guest.id, '1200-1300,600-799,800-810,1301-1301')
      assert.equal(job.jobstatus, 1, JSON.stringify(job))
      assert.equal(job.jobresult.physicalnetwork.vlan, '600-810,1200-1301')
      assert.equal((await physicalNetwork(sim, 'guest-1')).vlan, '600-810,1200-1301')
    })

    it('replaces the whole set: ranges not sent are removed', async () => {
      const job = await updateVlan(sim, guest.id, '600-749')
      assert.equal(job.jobstatus, 1, JSON.stringify(job))
      assert.equal(job.jobresult.physicalnetwork.vlan, '600-749')
    })

    it('refuses to remove allocated VNETs, naming the removed range', async () => {
      const job = await updateVlan(sim, guest.id, '650-799')
      assert.equal(job.jobstatus, 2)
      assert.equal(job.jobresultcode, 431)
      assert.match(
        job.jobresult.errortext,
        /^physicalnetwork PhysicalNetwork \{"id":\d+,"uuid":"[\da-f-]+","name":"guest-1"\}\. has allocated vnets in the range 600-649$/,
      )
      assert.equal((await physicalNetwork(sim, 'guest-1')).vlan, '600-799', 'unchanged')
    })

    it('refuses to remove a range whose end lies in a dedicated range', async () => {
      const job = await updateVlan(sim, guest.id, '600-719')
      assert.equal(job.jobstatus, 2)
      assert.equal(
        job.jobresult.errortext,
        'Vnet range 700-749 is dedicated to an account. The specified range 720-799 overlaps with the dedicated range  Please release the overlapping dedicated range before deleting the range',
      )
    })

    it('like the server, tests only the ends of a removed range against dedicated ranges', async () => {
      const job = await updateVlan(sim, guest.id, '600-689')
      assert.equal(
        job.jobstatus,
        1,
        'removing 690-799 swallows the dedicated 700-749: the server lets it through',
      )
      assert.equal(job.jobresult.physicalnetwork.vlan, '600-689')
    })

    it('refuses the empty string while VNETs are allocated', async () => {
      const job = await updateVlan(sim, guest.id, '')
      assert.equal(job.jobstatus, 2)
      assert.match(job.jobresult.errortext, /^physicalnetwork PhysicalNetwork .* has 2 vnets in use$/)
    })

    it('removes every range with the empty string when nothing is allocated', async () => {
      const pn2 = await physicalNetwork(sim, 'guest-2b')
      const job = await updateVlan(sim, pn2.id, '')
      assert.equal(job.jobstatus, 1)
      assert.equal('vlan' in job.jobresult.physicalnetwork, false)
    })

    const invalid: Array<[string, string]> = [
      [
        '700',
        'Please provide valid vnet range. vnet range should be a comma separated list of vlan ranges. example 500-500,600-601 between 0 and 4095',
      ],
      [
        '600-799,abc-def',
        'Please provide valid vnet range. The vnet range should be a comma separated list example 2001-2012,3000-3005. between 0 and 4095',
      ],
      ['600-4096', 'Vnet range has to be between 0 and 4095'],
      [
        '800-600',
        'Vnet range has to be between 0 and 4095 and start range should be lesser than or equal to stop range',
      ],
      [
        '600-99999999999',
        'Please provide valid vnet range. The vnet range should be a comma separated list example 2001-2012,3000-3005. between 0 and 4095',
      ],
    ]
    for (const [vlan, text] of invalid) {
      it(`refuses vlan=${vlan} with the server's text`, async () => {
        const job = await updateVlan(sim, guest.id, vlan)
        assert.equal(job.jobstatus, 2)
        assert.equal(job.jobresultcode, 431)
        assert.equal(job.jobresult.errortext, text)
        assert.equal((await physicalNetwork(sim, 'guest-1')).vlan, '600-799')
      })
    }

    it('uses the VXLAN bounds and refuses VNIs used by another physical network of the zone', async () => {
      const vxlan = await physicalNetwork(sim, 'vxlan-3')
      assert.equal((await updateVlan(sim, vxlan.id, '5000-5999,16777214-16777214')).jobstatus, 1)
      const tooBig = await updateVlan(sim, vxlan.id, '5000-16777215')
      assert.equal(tooBig.jobresult.errortext, 'Vnet range has to be between 0 and 16777214')
      const clash = await updateVlan(sim, vxlan.id, '5000-5999,7000-7010')
      assert.match(
        clash.jobresult.errortext,
        /^VNI 7000 already exists on another network in zone \(Zone .*"name":"zone-3"\}\), please specify a unique range$/,
      )
    })

    it('refuses vnet changes in a Basic zone', async () => {
      const basic = await physicalNetwork(sim, 'basic-pn')
      const job = await updateVlan(sim, basic.id, '100-200')
      assert.equal(job.jobresult.errortext, "Can't add vnet range to the physical network in the Basic zone")
    })

    it('validates state and tags', async () => {
      const submit = await sim.call('updatePhysicalNetwork', {id: guest.id, state: 'On'}, {method: 'POST'})
      const job = await waitForJob(sim, submit.body.updatephysicalnetworkresponse.jobid)
      assert.equal(
        job.jobresult.errortext,
        "Unable to resolve state 'On' to a supported value {Enabled or Disabled}",
      )
      const tags = await sim.call('updatePhysicalNetwork', {id: guest.id, tags: 'a,b'}, {method: 'POST'})
      const tagJob = await waitForJob(sim, tags.body.updatephysicalnetworkresponse.jobid)
      assert.equal(tagJob.jobresult.errortext, 'Unable to support more than one tag on network yet')
    })

    it('refuses an unknown physical network id at once', async () => {
      const res = await sim.call('updatePhysicalNetwork', {
        id: '00000000-0000-4000-8000-000000000000',
        vlan: '1-2',
      })
      assert.equal(res.status, 431)
    })
  })

  describe('listGuestVlans', () => {
    it('lists the allocated VLANs with their owners', async () => {
      const res = await sim.call('listGuestVlans', {allocatedonly: 'true', physicalnetworkid: guest.id})
      const vlans = res.body.listguestvlansresponse.guestvlan
      assert.deepEqual(
        vlans.map((v: Json) => [v.vlan, v.account, v.domain, v.allocationstate, v.isdedicated]),
        [
          ['612', 'tenant-a', 'customers', 'Allocated', false],
          ['640', 'tenant-b', 'customers', 'Allocated', false],
        ],
      )
    })

    it('lists every VLAN of the ranges without allocatedonly, dedicated ones marked', async () => {
      const res = await sim.call('listGuestVlans', {physicalnetworkid: guest.id, vnet: '701'})
      const [vlan] = res.body.listguestvlansresponse.guestvlan
      assert.equal(vlan.isdedicated, true)
      assert.equal(vlan.allocationstate, 'Free')
      assert.equal(vlan.account, 'tenant-a')
      const all = await sim.call('listGuestVlans', {page: '1', pagesize: '5', physicalnetworkid: guest.id})
      assert.equal(all.body.listguestvlansresponse.count, 200)
    })
  })

  describe('dedicated guest VLAN ranges', () => {
    const customers = () => domainId(sim, '/customers/')

    it('lists the topology dedication with internal numeric ids, as the real response does', async () => {
      const res = await sim.call('listDedicatedGuestVlanRanges', {physicalnetworkid: guest.id})
      const [range] = res.body.listdedicatedguestvlanrangesresponse.dedicatedguestvlanrange
      assert.equal(range.guestvlanrange, '700-749')
      assert.equal(range.account, 'tenant-a')
      assert.equal(range.domain, 'customers')
      assert.equal(typeof range.physicalnetworkid, 'number')
      assert.equal(typeof range.zoneid, 'number')
    })

    it('dedicates to an account, and merges a range adjacent to one the account holds', async () => {
      const params = {account: 'tenant-a', domainid: customers(), physicalnetworkid: guest.id}
      const first = await sim.call('dedicateGuestVlanRange', {...params, vlanrange: '750-759'})
      assert.equal(first.status, 200, first.text)
      const merged = first.body.dedicateguestvlanrangeresponse.dedicatedguestvlanrange
      assert.equal(merged.guestvlanrange, '700-759')
      const list = await sim.call('listDedicatedGuestVlanRanges', {physicalnetworkid: guest.id})
      assert.equal(list.body.listdedicatedguestvlanrangesresponse.count, 1)
    })

    it('dedicates to a project', async () => {
      const project = sim.model.state.projects.find((p) => p.name === 'lab')!
      const res = await sim.call('dedicateGuestVlanRange', {
        physicalnetworkid: guest.id,
        projectid: project.id,
        vlanrange: '780-789',
      })
      assert.equal(res.status, 200, res.text)
      const range = res.body.dedicateguestvlanrangeresponse.dedicatedguestvlanrange
      assert.equal(range.project, 'lab')
      assert.equal(range.projectid, project.id)
      assert.equal('account' in range, false)
      const byProject = await sim.call('listDedicatedGuestVlanRanges', {projectid: project.id})
      assert.equal(
        byProject.body.listdedicatedguestvlanrangesresponse.dedicatedguestvlanrange[0].id,
        range.id,
      )
    })

    const refusals: Array<[string, Record<string, string>, string]> = [
      ['outside every range', {vlanrange: '900-910'}, 'Unable to find guest vlan by range 900-910'],
      [
        'already dedicated',
        {vlanrange: '740-760'},
        'Vlan range is already dedicated. Cannot dedicate guest vlan range 740-760',
      ],
      [
        'holding a VLAN allocated to another account',
        {vlanrange: '610-615'},
        'Guest VLAN from this range 612 is allocated to a different Account. Can only dedicate a range which has no allocated VLANs or has VLANs allocated to the same Account ',
      ],
      [
        'malformed',
        {vlanrange: '700'},
        "Invalid format for parameter value vlan 700 .VLAN should be specified as 'startvlan-endvlan'",
      ],
      ['not numbers', {vlanrange: 'a-b'}, 'Please provide valid guest vlan range'],
      [
        'an unknown account',
        {account: 'nobody', vlanrange: '600-605'},
        'Unable to find account by name nobody',
      ],
    ]
    for (const [what, extra, text] of refusals) {
      it(`refuses a range ${what}`, async () => {
        const res = await sim.call('dedicateGuestVlanRange', {
          account: 'tenant-b',
          domainid: customers(),
          physicalnetworkid: guest.id,
          ...extra,
        })
        assert.equal(res.status, 431)
        assert.equal(res.body.dedicateguestvlanrangeresponse.errortext, text)
      })
    }

    it('refuses account together with project', async () => {
      const project = sim.model.state.projects.find((p) => p.name === 'lab')!
      const res = await sim.call('dedicateGuestVlanRange', {
        account: 'tenant-a',
        physicalnetworkid: guest.id,
        projectid: project.id,
        vlanrange: '600-605',
      })
      assert.equal(
        res.body.dedicateguestvlanrangeresponse.errortext,
        'accountName and projectId are mutually exclusive',
      )
    })

    it('lets an account dedicate a range holding its own allocated VLAN', async () => {
      const res = await sim.call('dedicateGuestVlanRange', {
        account: 'tenant-b',
        domainid: customers(),
        physicalnetworkid: guest.id,
        vlanrange: '635-645',
      })
      assert.equal(res.status, 200, res.text)
    })

    it('releases a dedicated range asynchronously', async () => {
      const [range] = (await sim.call('listDedicatedGuestVlanRanges', {physicalnetworkid: guest.id})).body
        .listdedicatedguestvlanrangesresponse.dedicatedguestvlanrange
      const submit = await sim.call('releaseDedicatedGuestVlanRange', {id: range.id}, {method: 'POST'})
      const job = await waitForJob(sim, submit.body.releasededicatedguestvlanrangeresponse.jobid)
      assert.equal(job.jobstatus, 1)
      assert.deepEqual(job.jobresult, {success: true})
      const list = await sim.call('listDedicatedGuestVlanRanges', {physicalnetworkid: guest.id})
      assert.deepEqual(list.body.listdedicatedguestvlanrangesresponse, {})
    })
  })
})
