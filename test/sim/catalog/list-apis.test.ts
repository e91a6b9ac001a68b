import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {readFixture} from '../../helpers/fixtures.js'
import {startTestSim, useSim} from '../../helpers/sim.js'

interface FixtureApi {
  isasync: boolean
  params: Array<{name: string; required: boolean; type: string}>
}

/**
 * The checks CloudMonkey's `sync` (config/cache.go UpdateCache) makes with Go type assertions:
 * a missing or mistyped field there is a panic, so every record must carry all of them.
 */
function assertCloudMonkeyParsable(payload: Record<string, unknown>): void {
  assert.equal(typeof payload.count, 'number')
  assert.ok(Array.isArray(payload.api))
  for (const api of payload.api as Array<Record<string, unknown>>) {
    assert.equal(typeof api.name, 'string')
    assert.equal(typeof api.isasync, 'boolean', `${api.name}.isasync`)
    assert.equal(typeof api.description, 'string', `${api.name}.description`)
    assert.ok(Array.isArray(api.params), `${api.name}.params`)
    assert.ok(Array.isArray(api.response), `${api.name}.response`)
    for (const param of api.params as Array<Record<string, unknown>>) {
      assert.equal(typeof param.name, 'string')
      assert.equal(typeof param.type, 'string', `${api.name}.${param.name}.type`)
      assert.equal(typeof param.required, 'boolean', `${api.name}.${param.name}.required`)
      assert.equal(typeof param.description, 'string', `${api.name}.${param.name}.description`)
      if (param.related !== undefined) assert.equal(typeof param.related, 'string')
    }

    for (const field of api.response as Array<Record<string, unknown>>) {
      assert.equal(typeof field.name, 'string', `${api.name} response field`)
    }
  }
}

describe('listApis', () => {
  const sim = useSim()

  it('lists every registered command in a shape CloudMonkey sync can parse', async () => {
    const res = await sim.call('listApis', {listall: 'true'})
    const payload = res.body.listapisresponse
    assertCloudMonkeyParsable(payload)
    assert.equal(payload.count, sim.registry.all().length)
    const names = new Set(payload.api.map((api: {name: string}) => api.name))
    for (const command of ['listHosts', 'listClusters', 'queryAsyncJobResult', 'login', 'listApis']) {
      assert.ok(names.has(command), command)
    }
  })

  it('agrees with the real 4.18 listApis on isasync, required flags and types', async () => {
    const {apis} = readFixture<{apis: Record<string, FixtureApi>}>('recorded/listApis-4.18-subset.json')
    // The recording is Apache CloudStack 4.18's: compare the cloudstack flavor, without Mold's additions.
    const cloudstack = await startTestSim({flavor: 'cloudstack'})
    const res = await cloudstack.call('listApis')
    await cloudstack.close()
    let compared = 0
    for (const api of res.body.listapisresponse.api as Array<{
      isasync: boolean
      name: string
      params: FixtureApi['params']
    }>) {
      const real = apis[api.name]
      if (!real) continue
      compared++
      assert.equal(api.isasync, real.isasync, `${api.name}.isasync`)
      for (const param of api.params) {
        const realParam = real.params.find((p) => p.name === param.name)
        assert.ok(realParam, `${api.name}.${param.name} exists on the real server`)
        assert.equal(param.type, realParam.type, `${api.name}.${param.name}.type`)
        assert.equal(param.required, realParam.required, `${api.name}.${param.name}.required`)
      }

      for (const realParam of real.params.filter((p) => p.required)) {
        assert.ok(
          api.params.some((p) => p.name === realParam.name),
          `${api.name} declares required ${realParam.name}`,
        )
      }
    }

    assert.ok(compared >= 10, `compared ${compared} commands`)
  })

  it('answers one API by name and refuses unknown names', async () => {
    const one = await sim.call('listApis', {name: 'listHosts'})
    assert.equal(one.body.listapisresponse.count, 1)
    assert.ok(
      one.body.listapisresponse.api[0].response.some(
        (f: {name: string}) => f.name === 'cpuwithoverprovisioning',
      ),
    )
    const none = await sim.call('listApis', {name: 'listUnicorns'})
    assert.equal(none.status, 431)
  })
})

describe("listApis: Mold's console parameters of configureOutOfBandManagement", () => {
  for (const [flavor, expected] of [
    ['mold', ['manageconsoleport', 'manageconsoleprotocol']],
    ['cloudstack', []],
  ] as const) {
    it(`${flavor}: ${expected.length > 0 ? expected.join(', ') : 'none'}`, async () => {
      const sim = await startTestSim({flavor})
      try {
        const res = await sim.call('listApis', {name: 'configureOutOfBandManagement'})
        const params = res.body.listapisresponse.api[0].params as Array<{name: string; required: boolean}>
        const console = params.filter((p) => p.name.startsWith('manageconsole'))
        assert.deepEqual(console.map((p) => p.name).sort(), [...expected])
        if (flavor === 'mold')
          assert.equal(console.find((p) => p.name === 'manageconsoleprotocol')?.required, true)
      } finally {
        await sim.close()
      }
    })
  }
})
