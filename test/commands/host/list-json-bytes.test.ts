import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {readListAnswer} from '../../../src/lib/api/list-answer.js'
import {JSON_ITEMS, jsonItems} from '../../../src/lib/output/stream.js'
import {json, runCli, simEnv} from '../../helpers/cli.js'
import {useSim} from '../../helpers/sim.js'

const sim = useSim({hosts: 1200, topology: 'large'})

/*
 * `host list --json` writes each page's items straight from the answer's bytes, re-indented
 * (lib/output/json-reindent.ts), and falls back to JSON.parse and stringify for a page it cannot
 * take that way. Under --debug every answer is parsed (the debug log shows it), so --debug's
 * stdout is the text of the parsing path to compare with.
 */
describe('host list --json from the answers’ bytes', () => {
  /** `host list --json` with and without --debug: the same text, the same pages asked. */
  async function bothWays(): Promise<string> {
    const env = simEnv(sim)
    await sim.clearRequests()
    const fast = await runCli(['host', 'list', '--json'], {env})
    assert.equal(fast.code, 0, fast.stderr)
    const fastPages = (await sim.requests())
      .filter((r) => r.command === 'listHosts')
      .map((r) => r.params.page)
    await sim.clearRequests()
    const parsed = await runCli(['host', 'list', '--json', '--debug'], {env})
    assert.equal(parsed.code, 0, parsed.stderr)
    const parsedPages = (await sim.requests())
      .filter((r) => r.command === 'listHosts')
      .map((r) => r.params.page)
    assert.equal(fast.stdout, parsed.stdout)
    assert.deepEqual(fastPages, ['1', '2', '3'])
    assert.deepEqual(parsedPages, fastPages)
    assert.equal(fast.stdout, `${JSON.stringify(json(fast), null, 2)}\n`)
    return fast.stdout
  }

  it('takes the simulator’s pages from their bytes', async () => {
    const answer = await sim.call('listHosts', {page: '2', pagesize: '500', type: 'Routing'})
    const page = readListAnswer(Buffer.from(answer.text), JSON_ITEMS.readItems!, 'host')
    assert.ok(page, 'read from the bytes')
    assert.equal(page.count, 1200)
    assert.equal(page.length, 500)
    const parsed = jsonItems(answer.body.listhostsresponse.host)
    assert.equal(Buffer.from(page.items.text).toString(), Buffer.from(parsed.text).toString())
  })

  it('writes the text JSON.parse and stringify write', async () => {
    const hosts = JSON.parse(await bothWays()) as Array<{id: string}>
    assert.deepEqual(
      hosts.map((h) => h.id),
      sim.model.state.hosts.filter((h) => h.type === 'Routing').map((h) => h.id),
    )
  })

  it('writes strings with escapes and characters beyond ASCII, and pages it leaves to JSON.parse, alike', async () => {
    const hosts = sim.model.state.hosts.filter((h) => h.type === 'Routing')
    const [first, second, third] = [hosts[0], hosts[600], hosts[1100]]
    const saved = [first, second, third].map((h) => ({annotation: h.annotation, details: h.details}))
    const annotation = 'a "quoted" word, a back\\slash, a\ttab, a\nnewline, é € 𝄞 \u2028 and \u0001'
    try {
      first.annotation = annotation
      // Keys JSON.parse would reorder or that have an escape: those pages are parsed.
      second.details = {...second.details, '7': 'an index key'}
      third.details = {'a"b': 'an escaped key', ...third.details}
      const listed = JSON.parse(await bothWays()) as Array<{
        annotation?: string
        details?: Record<string, string>
        id: string
      }>
      assert.equal(listed.find((h) => h.id === first.id)?.annotation, annotation)
      assert.equal(listed.find((h) => h.id === second.id)?.details?.['7'], 'an index key')
      assert.equal(listed.find((h) => h.id === third.id)?.details?.['a"b'], 'an escaped key')
    } finally {
      for (const [i, host] of [first, second, third].entries()) {
        host.annotation = saved[i].annotation
        host.details = saved[i].details
      }
    }
  })
})
