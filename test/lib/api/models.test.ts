import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {MoldClient} from '../../../src/lib/api/client.js'

import {listItems, unwrapResponse} from '../../../src/lib/api/envelope.js'
import {toCluster, toConfiguration, toHost} from '../../../src/lib/api/models.js'
import {readFixture} from '../../helpers/fixtures.js'
import {simClient, useSim} from '../../helpers/sim.js'

type Recorded = Record<string, Record<string, unknown>>

/** Field name → JSON type, for comparing a recorded object with a simulated one. */
function signature(obj: Record<string, unknown>): Map<string, string> {
  return new Map(Object.entries(obj).map(([k, v]) => [k, Array.isArray(v) ? 'array' : typeof v]))
}

function recordedItems(file: string, command: string): Record<string, unknown>[] {
  const body = readFixture<Recorded>(`recorded/${file}`)[command]
  return listItems(unwrapResponse(command, 200, body)) as Record<string, unknown>[]
}

let client: MoldClient
const sim = useSim(
  {},
  {
    async afterStart() {
      client = simClient(sim, 10_000)
    },
  },
)

describe('recorded real answers and simulated ones give the same typed objects', () => {
  const cases = [
    {command: 'listHosts', file: 'HostService.json', params: {type: 'Routing'}, parse: toHost},
    {command: 'listClusters', file: 'ClusterService.json', params: {}, parse: toCluster},
    {command: 'listConfigurations', file: 'ConfigurationService.json', params: {}, parse: toConfiguration},
  ]
  for (const {command, file, params, parse} of cases) {
    it(command, async () => {
      const recorded = recordedItems(file, command)
      const simulated = await client.list(command, params)
      assert.ok(recorded.length > 0 && simulated.length > 0)
      for (const item of [...recorded, ...simulated]) parse(item)
      const real = signature(recorded[0])
      const ours = signature(
        simulated.find((s) => Object.keys(recorded[0]).every((k) => k in s)) ?? simulated[0],
      )
      const mismatched = [...real]
        .filter(([k, type]) => ours.has(k) && ours.get(k) !== type)
        .map(([k, type]) => `${k}: real ${type}, simulated ${ours.get(k)}`)
      assert.deepEqual(mismatched, [])
      const missing = [...real.keys()].filter((k) => !ours.has(k))
      assert.ok(
        missing.length <= real.size / 5,
        `simulated ${command} lacks many real fields: ${missing.join(', ')}`,
      )
    })
  }

  it('the shape check names what is wrong', () => {
    assert.throws(() => toHost({id: 1}), /host: clusterid should be a string/)
  })
})
