import assert from 'node:assert/strict'
import {existsSync, mkdtempSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {defineApi} from '../../../src/sim/catalog/registry.js'
import {startTestSim} from '../../helpers/sim.js'

const renameApi = defineApi({
  description: 'Test-only mutating command',
  handler({model, params}) {
    model.state.hosts[0].name = params.name
    return {success: true}
  },
  isasync: false,
  name: 'testRenameHost',
  params: [{description: 'new name', name: 'name', required: true, type: 'string'}],
})

describe('--state persistence', () => {
  it('saves after a change and loads the model on the next start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-sim-state-'))
    const statePath = path.join(dir, 'state.json')
    const first = await startTestSim({apis: [renameApi], apiKey: 'key-1', secretKey: 'secret-1', statePath})
    const res = await first.call('testRenameHost', {name: 'persisted-host'})
    assert.equal(res.status, 200)
    assert.ok(readFileSync(statePath, 'utf8').includes('persisted-host'), 'saved right after the change')
    await first.close()

    assert.equal(statSync(statePath).mode & 0o777, 0o600)
    assert.deepEqual(readdirSync(dir), ['state.json'], 'no temporary file left behind')

    const second = await startTestSim({statePath})
    try {
      assert.equal(second.apiKey, 'key-1', 'keys come from the saved state')
      const hosts = await second.call('listHosts', {name: 'persisted-host'})
      assert.equal(hosts.body.listhostsresponse.count, 1)
    } finally {
      await second.close()
    }
  })

  it('does not write a file without --state', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-sim-nostate-'))
    const sim = await startTestSim({apis: [renameApi]})
    await sim.call('testRenameHost', {name: 'x'})
    await sim.close()
    assert.equal(existsSync(path.join(dir, 'state.json')), false)
    assert.deepEqual(readdirSync(dir), [])
  })
})
