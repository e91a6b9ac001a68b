import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ERROR_PATHS} from '../../../src/sim/catalog/error-codes.js'
import {type RawResponse, readResponse, type TestSim, useSim} from '../../helpers/sim.js'

const NO_SUCH_ID = '6f1e2d3c-0000-4000-8000-000000000000'

/** One request per row of ERROR_PATHS that takes the simulator down that path. */
const PROBES: Record<string, (sim: TestSim) => Promise<RawResponse>> = {
  'bad-signature': (sim) => sim.call('listZones', {}, {secretKey: 'not-the-secret'}),
  'cloud-runtime': (sim) => sim.call('listCaCertificate', {provider: 'no-such-provider'}),
  'command-invalid-parameter': (sim) => sim.call('listHosts', {details: 'bogus'}),
  'invalid-number': (sim) => sim.call('listHosts', {page: 'x', pagesize: '1'}),
  'login-failed': async (sim) =>
    readResponse(
      await fetch(sim.url, {
        body: new URLSearchParams({
          command: 'login',
          password: 'not-the-password',
          response: 'json',
          username: 'admin',
        }),
        method: 'POST',
      }),
    ),
  'manager-invalid-parameter': (sim) =>
    sim.call('updateConfiguration', {name: 'no.such.setting', value: '1'}),
  'missing-parameter': (sim) => sim.call('prepareHostForMaintenance', {}),
  'unknown-command-signed': (sim) => sim.call('noSuchCommand', {}),
  'unknown-uuid': (sim) => sim.call('prepareHostForMaintenance', {id: NO_SUCH_ID}),
}

describe('error codes as upstream maps them (catalog/error-codes.ts)', () => {
  const sim = useSim()

  it('has a probe for every row and a row for every probe', () => {
    assert.deepEqual(Object.keys(PROBES).sort(), ERROR_PATHS.map((row) => row.id).sort())
  })

  for (const row of ERROR_PATHS) {
    it(`${row.id}: ${row.when} → ${row.errorcode}/${row.cserrorcode ?? '-'} (${row.source.split('/').pop()})`, async () => {
      assert.match(row.source, /^(api|server|utils|plugins|engine)\/src\/main\/java\/.+\.java$/)
      const res = await PROBES[row.id](sim)
      assert.equal(res.status, row.errorcode)
      const [envelope] = Object.values(res.body) as Array<Record<string, unknown>>
      assert.equal(envelope.errorcode, row.errorcode)
      assert.equal(envelope.cserrorcode, row.cserrorcode)
      assert.equal(typeof envelope.errortext, 'string')
    })
  }

  it('words an unknown uuid as ParamProcessWorker does', async () => {
    const res = await PROBES['unknown-uuid'](sim)
    assert.equal(
      res.body.preparehostformaintenanceresponse.errortext,
      `Unable to execute API command preparehostformaintenance due to invalid value. Invalid parameter id value=${NO_SUCH_ID} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
    )
  })
})
