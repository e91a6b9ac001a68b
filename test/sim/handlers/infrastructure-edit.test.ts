import assert from 'node:assert/strict'
import {before, describe, it} from 'node:test'

import {useSim} from '../../helpers/sim.js'

describe('updateZone and updatePod apply every parameter upstream declares', () => {
  const sim = useSim()
  let zoneId: string
  let podId: string

  before(async () => {
    zoneId = (await sim.call('listZones')).body.listzonesresponse.zone[0].id
    podId = (await sim.call('listPods')).body.listpodsresponse.pod[0].id
  })

  it('stores every updateZone value and reports it in listZones', async () => {
    const res = await sim.call('updateZone', {
      dhcpprovider: 'VirtualRouter',
      'details[0].key': 'custom.key',
      'details[0].value': 'v1',
      dns1: '1.1.1.1',
      dns2: '1.0.0.1',
      dnssearchorder: 'lab.example,example',
      domain: 'cloud.example',
      guestcidraddress: '10.20.0.0/16',
      id: zoneId,
      internaldns1: '10.0.0.53',
      internaldns2: '10.0.0.54',
      ip6dns1: '2001:4860:4860::8888',
      ip6dns2: '2001:4860:4860::8844',
      localstorageenabled: 'true',
      sortkey: '3',
    })
    assert.equal(res.status, 200, res.text)
    const [zone] = (await sim.call('listZones', {id: zoneId})).body.listzonesresponse.zone
    assert.equal(zone.dns1, '1.1.1.1')
    assert.equal(zone.dns2, '1.0.0.1')
    assert.equal(zone.internaldns1, '10.0.0.53')
    assert.equal(zone.internaldns2, '10.0.0.54')
    assert.equal(zone.ip6dns1, '2001:4860:4860::8888')
    assert.equal(zone.ip6dns2, '2001:4860:4860::8844')
    assert.equal(zone.guestcidraddress, '10.20.0.0/16')
    assert.equal(zone.domain, 'cloud.example')
    assert.equal(zone.localstorageenabled, true)
    assert.equal(zone.resourcedetails['custom.key'], 'v1')
    assert.equal(zone.resourcedetails['dns.search.order'], 'lab.example,example')
    // An empty domain clears it.
    await sim.call('updateZone', {domain: '', id: zoneId})
    assert.equal((await sim.call('listZones', {id: zoneId})).body.listzonesresponse.zone[0].domain, undefined)
  })

  for (const [params, text] of [
    [{internaldns2: 'not-an-ip'}, 'Please enter a valid IP address for internal DNS2'],
    [{ip6dns1: '10.0.0.1'}, 'Please enter a valid IPv6 address for IP6 DNS1'],
    [{guestcidraddress: '8.8.8.0/24'}, 'Please enter a valid guest cidr'],
    [{domain: '-bad-.example'}, /^Invalid network domain\. Total length/],
    [{allocationstate: 'Sideways'}, "Unable to resolve Allocation State 'Sideways' to a supported state"],
  ] as const) {
    it(`refuses ${JSON.stringify(params)} with the server's text and changes nothing`, async () => {
      const before = (await sim.call('listZones', {id: zoneId})).body.listzonesresponse.zone[0]
      const res = await sim.call('updateZone', {id: zoneId, ...params})
      assert.equal(res.status, 431)
      assert.equal(res.body.updatezoneresponse.cserrorcode, 4350)
      if (typeof text === 'string') assert.equal(res.body.updatezoneresponse.errortext, text)
      else assert.match(res.body.updatezoneresponse.errortext, text)
      assert.deepEqual((await sim.call('listZones', {id: zoneId})).body.listzonesresponse.zone[0], before)
    })
  }

  it('updates the pod IP range, gateway and netmask', async () => {
    const res = await sim.call('updatePod', {
      endip: '10.10.0.240',
      gateway: '10.10.0.1',
      id: podId,
      netmask: '255.255.255.0',
      startip: '10.10.0.110',
    })
    assert.equal(res.status, 200, res.text)
    const [pod] = (await sim.call('listPods', {id: podId})).body.listpodsresponse.pod
    assert.deepEqual(
      [pod.startip, pod.endip, pod.gateway, pod.netmask],
      [['10.10.0.110'], ['10.10.0.240'], '10.10.0.1', '255.255.255.0'],
    )
  })

  for (const [params, text] of [
    [{startip: '10.99.0.5'}, 'The start address of the IP range is not in the CIDR subnet.'],
    [{endip: 'x'}, 'The end address of the IP range is not a valid IP address.'],
    [{gateway: '10.10.0.150'}, "The gateway shouldn't overlap start/end IP addresses"],
    [{netmask: '255.0.255.0'}, /^Please enter a valid CIDR for pod: /],
  ] as const) {
    it(`refuses updatePod ${JSON.stringify(params)}`, async () => {
      const res = await sim.call('updatePod', {id: podId, ...params})
      assert.equal(res.status, 431)
      if (typeof text === 'string') assert.equal(res.body.updatepodresponse.errortext, text)
      else assert.match(res.body.updatepodresponse.errortext, text)
    })
  }
})
