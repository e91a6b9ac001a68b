import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {FLAVOR_ALGORITHM, signParams} from '../../../src/lib/api/sign.js'
import {listBody} from '../../../src/sim/http/envelope.js'
import {formatApiDate, formatPercent} from '../../../src/sim/state/format.js'
import {readResponse, useSim} from '../../helpers/sim.js'

describe('envelopes and parameter validation', () => {
  const sim = useSim()

  it('answers an empty list as {}', async () => {
    const res = await sim.call('listHosts', {name: 'no-such-host'})
    assert.equal(res.status, 200)
    assert.equal(res.text, '{"listhostsresponse":{}}')
  })

  // type=Routing: the six hypervisor hosts (the zone's two system-VM hosts are listed without it).
  it('reports count as the total and pages with page/pagesize', async () => {
    const first = await sim.call('listHosts', {page: '1', pagesize: '4', type: 'Routing'})
    const second = await sim.call('listHosts', {page: '2', pagesize: '4', type: 'Routing'})
    assert.equal(first.body.listhostsresponse.count, 6)
    assert.equal(first.body.listhostsresponse.host.length, 4)
    assert.equal(second.body.listhostsresponse.host.length, 2)
    const ids = new Set(
      [...first.body.listhostsresponse.host, ...second.body.listhostsresponse.host].map(
        (h: {id: string}) => h.id,
      ),
    )
    assert.equal(ids.size, 6)
  })

  it('answers a page past the end with the count only', async () => {
    const res = await sim.call('listHosts', {page: '9', pagesize: '4', type: 'Routing'})
    assert.deepEqual(res.body, {listhostsresponse: {count: 6}})
  })

  it('enforces the paging rules with the real texts', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{pagesize: '10'}, '"page" parameter is required when "pagesize" is specified'],
      [{page: '1'}, '"pagesize" parameter is required when "page" is specified'],
      [{page: '1', pagesize: '501'}, "Page size can't exceed max allowed page size value: 500"],
      [{page: '1', pagesize: '-1'}, "Can't specify page parameter when pagesize is -1 (Unlimited)"],
    ]
    for (const [params, text] of cases) {
      const res = await sim.call('listHosts', params)
      assert.equal(res.status, 431, text)
      assert.equal(res.body.listhostsresponse.errortext, text)
    }

    const unlimited = await sim.call('listHosts', {pagesize: '-1'})
    assert.equal(unlimited.body.listhostsresponse.host.length, 8)
  })

  it('answers a missing required parameter with 431 and the real text', async () => {
    const res = await sim.call('queryAsyncJobResult')
    assert.equal(res.status, 431)
    assert.deepEqual(res.body, {
      queryasyncjobresultresponse: {
        cserrorcode: 9999,
        errorcode: 431,
        errortext: 'Unable to execute API command queryasyncjobresult due to missing parameter jobid',
        uuidList: [],
      },
    })
    assert.ok(
      res.text.startsWith('{"queryasyncjobresultresponse":{"uuidList":[],"errorcode":431,"cserrorcode":9999'),
    )
  })

  it('refuses bad integers and unknown uuids', async () => {
    const bad = await sim.call('listHosts', {page: 'one', pagesize: '10'})
    assert.equal(bad.status, 431)
    assert.equal(
      bad.body.listhostsresponse.errortext,
      'Unable to execute API command listhosts due to invalid value one for parameter page',
    )
    const unknown = await sim.call('listHosts', {zoneid: '00000000-0000-4000-8000-000000000000'})
    assert.equal(unknown.status, 431)
    assert.match(
      unknown.body.listhostsresponse.errortext,
      /^Unable to execute API command listhosts due to invalid value\. Invalid parameter zoneid value=00000000-0000-4000-8000-000000000000 due to incorrect long value format/,
    )
  })

  it('refuses values with control characters', async () => {
    const res = await sim.call('listHosts', {name: 'a\u0001b'})
    assert.equal(res.status, 431)
    assert.equal(
      res.body.listhostsresponse.errortext,
      'Received value containing illegal ASCII non-printable characters for parameter name',
    )
  })

  it('refuses an invalid details value on listHosts', async () => {
    const res = await sim.call('listHosts', {details: 'min,bogus'})
    assert.equal(res.status, 431)
    assert.match(
      res.body.listhostsresponse.errortext,
      /allowed values are \[min, all, capacity, events, stats]/,
    )
  })

  it('answers XML when response=json is not sent', async () => {
    const params: Record<string, string> = {apiKey: sim.apiKey, command: 'listZones'}
    params.signature = signParams(params, sim.secretKey, FLAVOR_ALGORITHM.mold)
    const res = await readResponse(await fetch(`${sim.url}?${new URLSearchParams(params)}`))
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/xml/)
    assert.match(
      res.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?><listzonesresponse cloud-stack-version="4.22.0.0"><count>1<\/count><zone><id>/,
    )
  })

  it('uses the first value of a repeated parameter', async () => {
    const params: Record<string, string> = {
      apiKey: sim.apiKey,
      command: 'listHosts',
      name: 'kvm-host-01',
      response: 'json',
    }
    params.signature = signParams(params, sim.secretKey, FLAVOR_ALGORITHM.mold)
    const query = `${new URLSearchParams(params)}&name=xen-host-01`
    const res = await readResponse(await fetch(`${sim.url}?${query}`))
    assert.equal(res.body.listhostsresponse.host[0].name, 'kvm-host-01')
  })

  it('formats dates and percentages like the server', () => {
    assert.equal(formatApiDate(new Date(Date.UTC(2021, 9, 3, 10, 59, 51))), '2021-10-03T10:59:51+0000')
    assert.equal(formatPercent(0, 100), '0%')
    assert.equal(formatPercent(1, 8), '12.5%')
    assert.equal(formatPercent(2, 3), '66.67%')
  })

  it('builds list bodies with count, page and empty cases', () => {
    const items = [1, 2, 3]
    assert.deepEqual(
      listBody('n', [], {pageSize: 2, startIndex: 0}, (n) => ({n})),
      {},
    )
    assert.deepEqual(
      listBody('n', items, {pageSize: 2, startIndex: 2}, (n) => ({n})),
      {count: 3, n: [{n: 3}]},
    )
    assert.deepEqual(
      listBody('n', items, {pageSize: 2, startIndex: 4}, (n) => ({n})),
      {count: 3},
    )
  })
})
