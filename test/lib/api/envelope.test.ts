import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  isJobSubmission,
  isReadCommand,
  listItems,
  listPage,
  toWireParams,
  unwrapResponse,
} from '../../../src/lib/api/envelope.js'
import {ApiError, BadAnswerError, TransportError} from '../../../src/lib/core/errors.js'
import {readFixture} from '../../helpers/fixtures.js'

type Recorded = Record<string, Record<string, unknown>>
const hosts = readFixture<Recorded>('recorded/HostService.json')
const clusters = readFixture<Recorded>('recorded/ClusterService.json')
const pairs = readFixture<Record<string, Record<string, Record<string, unknown>>>>(
  'recorded/cloudstack-go-83acc75-async-pairs.json',
)

describe('response envelope', () => {
  it('takes the items of a recorded listHosts answer', () => {
    const inner = unwrapResponse('listHosts', 200, hosts.listHosts)
    const items = listItems<{id: string; resourcestate: string}>(inner)
    assert.equal(items.length, inner.count)
    assert.match(items[0].id, /^[\da-f-]{36}$/)
    assert.equal(items[0].resourcestate, 'Enabled')
  })

  it('takes the items of a recorded listClusters answer, with the factors as strings', () => {
    const items = listItems<{cpuovercommitratio: string}>(
      unwrapResponse('listClusters', 200, clusters.listClusters),
    )
    assert.ok(items.length > 0)
    assert.equal(typeof items[0].cpuovercommitratio, 'string')
  })

  it('treats an empty list answer as no items', () => {
    assert.deepEqual(listItems(unwrapResponse('listHosts', 200, {listhostsresponse: {}})), [])
  })

  it('recognises the first answer of a recorded async command as a job submission', () => {
    const test = pairs['HostService_test.go']
    const initial = Object.values(test)
      .flatMap((t) => Object.entries(t as Record<string, unknown>))
      .find(([k, v]) => k !== 'queryasyncjobresultresponse' && JSON.stringify(v).includes('jobid'))
    assert.ok(initial, 'the fixture has an async submission')
    const body = initial[1] as Record<string, unknown>
    const inner = unwrapResponse('x', 200, 'jobid' in body ? {xresponse: body} : body)
    assert.ok(isJobSubmission(inner))
  })

  it('turns an error body into an ApiError with errorcode, cserrorcode and errortext', () => {
    const body = {
      listhostsresponse: {
        cserrorcode: 9999,
        errorcode: 431,
        errortext: 'Unable to execute API command listhosts due to invalid value',
        uuidList: [],
      },
    }
    assert.throws(
      () => unwrapResponse('listHosts', 431, body),
      (error: unknown) =>
        error instanceof ApiError &&
        error.errorcode === 431 &&
        error.cserrorcode === 9999 &&
        error.message ===
          'listHosts failed (431/9999): Unable to execute API command listhosts due to invalid value',
    )
  })

  it('treats HTTP 200 with an errorresponse inside as an error (seen from Mold)', () => {
    assert.throws(
      () => unwrapResponse('listHosts', 200, {errorresponse: {errorcode: 530, errortext: 'boom'}}),
      ApiError,
    )
  })

  it('maps 401 to the configuration exit code with a hint about keys and flavor', () => {
    try {
      unwrapResponse('listHosts', 401, {
        listhostsresponse: {
          errorcode: 401,
          errortext: 'unable to verify user credentials and/or request signature',
          uuidList: [],
        },
      })
      assert.fail('no error')
    } catch (error) {
      assert.ok(error instanceof ApiError)
      assert.equal(error.exitCode, 3)
      assert.match(error.suggestions.join(' '), /flavor/)
    }
  })

  it('refuses an answer that is not JSON', () => {
    assert.throws(() => unwrapResponse('listHosts', 200, '<html>proxy</html>'), TransportError)
    assert.throws(
      () => unwrapResponse('listHosts', 502, '<html><body>Bad Gateway</body></html>'),
      /Bad Gateway/,
    )
  })

  it('classifies reads and flattens parameters', () => {
    assert.ok(isReadCommand('listHosts'))
    assert.ok(isReadCommand('queryAsyncJobResult'))
    assert.ok(!isReadCommand('prepareHostForMaintenance'))
    assert.ok(!isReadCommand('listing'))
    assert.deepEqual(toWireParams({a: 1, b: true, c: ['x', 'y'], d: undefined, e: null}), {
      a: '1',
      b: 'true',
      c: 'x,y',
    })
  })
})

describe('listPage (a list answer, checked)', () => {
  it('accepts the shapes the server writes: {count, item: [...]}, {} and {count}', () => {
    assert.deepEqual(listPage('listHosts', {count: 1, host: [{id: 'a'}]}, 'host'), {
      count: 1,
      items: [{id: 'a'}],
    })
    assert.deepEqual(listPage('listHosts', {}, 'host'), {count: undefined, items: []})
    assert.deepEqual(listPage('listHosts', {count: 3}), {count: 3, items: []})
  })

  it('refuses a list field that is no list, a count that is no whole number, a wrong item key', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{count: 1, host: {id: 'a'}}, /the list field "host" is an object, not a list/],
      [{count: 1, host: 'a'}, /the list field "host" is string "a"/],
      [{count: 'many', host: []}, /count is string "many", not a whole number/],
      [{count: -1, host: []}, /count is number -1/],
      [{count: 1.5, host: []}, /count is number 1.5/],
      [{count: null, host: []}, /count is null/],
      [{count: 1, vm: [{}]}, /the list field is "vm", expected "host"/],
    ]
    for (const [inner, message] of cases) {
      assert.throws(
        () => listPage('listHosts', inner, 'host'),
        (error: unknown) => error instanceof BadAnswerError && message.test(error.message),
        JSON.stringify(inner),
      )
    }
  })
})
