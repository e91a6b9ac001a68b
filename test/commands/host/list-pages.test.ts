import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parse} from 'yaml'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {useSim} from '../../helpers/sim.js'

const sim = useSim({hosts: 1200, topology: 'large'})

describe('host list over many pages (written page by page)', () => {
  it('gives every host once, in the server order, as JSON, YAML and CSV alike', async () => {
    await sim.clearRequests()
    const env = simEnv(sim)
    const asJson = await runCli(['host', 'list', '--json'], {env})
    assert.equal(asJson.code, 0, asJson.stderr)
    const hosts = json<Array<{id: string; name: string}>>(asJson)
    const expected = sim.model.state.hosts.filter((h) => h.type === 'Routing').map((h) => h.id)
    assert.equal(hosts.length, expected.length)
    assert.deepEqual(
      hosts.map((h) => h.id),
      expected,
    )
    const pages = (await sim.requests()).filter((r) => r.command === 'listHosts').map((r) => r.params.page)
    assert.deepEqual(pages, ['1', '2', '3'])
    // -o json is the same text as --json.
    const oJson = await runCli(['host', 'list', '-o', 'json'], {env})
    assert.equal(oJson.stdout, asJson.stdout)
    const yaml = await runCli(['host', 'list', '-o', 'yaml'], {env})
    assert.equal(yaml.code, 0, yaml.stderr)
    assert.deepEqual(parse(yaml.stdout), hosts)
    const csv = await runCli(['host', 'list', '-o', 'csv', '--columns', 'id,name'], {env})
    assert.equal(csv.code, 0, csv.stderr)
    assert.deepEqual(csv.stdout.trimEnd().split('\n'), ['id,name', ...hosts.map((h) => `${h.id},${h.name}`)])
  })

  it('fails with the server error when the listing fails', async () => {
    await sim.setFaults({failCommand: {command: 'listHosts', errorcode: 530, errortext: 'page broke'}})
    try {
      const r = await runCli(['host', 'list', '--json'], {env: simEnv(sim)})
      assert.notEqual(r.code, 0)
      assert.match(r.stderr, /page broke/)
    } finally {
      await sim.clearFaults()
    }
  })

  it('stops mid-array with exit 1 when a later page fails: never a valid partial list', async () => {
    await sim.setFaults({
      failCommand: {after: 1, command: 'listHosts', errorcode: 530, errortext: 'page 2 broke'},
    })
    try {
      const r = await runCli(['host', 'list', '--json'], {env: simEnv(sim)})
      assert.equal(r.code, 1, r.stderr)
      assert.match(r.stderr, /page 2 broke/)
      assert.match(r.stdout, /^\[\n {2}\{/, 'the first page was written as it came')
      assert.throws(() => JSON.parse(r.stdout), SyntaxError, 'an unfinished array, not a shorter list')
      const pages = (await sim.requests()).filter((q) => q.command === 'listHosts')
      assert.ok(pages.length >= 2)
    } finally {
      await sim.clearFaults()
    }
  })
})
