import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'

import {readFixture} from '../../helpers/fixtures.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'

/*
 * listApis against what upstream's command classes declare. The fixture
 * upstream-api-parameters.json records, per command the simulator serves, the @Parameter
 * declarations of its command class (and base classes) with the upstream file and commit they
 * were read at. docs/simulator.md's table says, per command, which of them the simulator applies,
 * accepts without modelling, or leaves out; this test holds the simulator, the data and the table
 * to each other.
 */

interface UpstreamParam {
  name: string
  required: boolean
  since?: string
  type: string
}

interface Source {
  commit: string
  path: string
  repo: string
  subclass?: {commit?: string; path: string}
}

interface Declaration {
  extends: string
  params: UpstreamParam[]
  source: Source
}

interface UpstreamData {
  bases: Record<string, Declaration>
  commands: Record<string, Declaration>
  mold: Record<string, Declaration>
}

interface ListedParam {
  name: string
  required: boolean
  since?: string
  type: string
}

interface ListedApi {
  name: string
  params: ListedParam[]
}

type Flavor = 'cloudstack' | 'mold'

const DATA = readFixture<UpstreamData>('upstream-api-parameters.json')
const DOC = readFileSync(new URL('../../../docs/simulator.md', import.meta.url), 'utf8')
const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')

/** README's list under "What the simulator does not simulate": `- \`cmd\`: \`a\`, \`b\``. */
function readmeNotSimulated(): Map<string, string[]> {
  const start = README.indexOf('### What the simulator does not simulate')
  assert.ok(start !== -1, 'README.md has the section')
  const section = README.slice(start).split('\n## ')[0]
  const rows = new Map<string, string[]>()
  for (const match of section.matchAll(/^- `(\w+)`: (.+)$/gm))
    rows.set(
      match[1],
      [...match[2].matchAll(/`([^`]+)`/g)].map((name) => name[1]),
    )
  return rows
}

/** The parameters a server of this flavor declares for the command, base classes included. */
function declared(command: string, flavor: Flavor): Map<string, UpstreamParam> {
  const own = (flavor === 'mold' && DATA.mold[command]) || DATA.commands[command]
  const params = [...own.params]
  let base = own.extends
  while (DATA.bases[base]) {
    params.push(...DATA.bases[base].params)
    base = DATA.bases[base].extends
  }

  return new Map(params.map((param) => [param.name, param]))
}

interface DocRow {
  accepted: string[]
  applied: number
  declared: number
  notSimulated: string[]
}

/** The rows of docs/simulator.md's per-command table: | `cmd` | class | N / M | accepted | left out |. */
function docRows(): Map<string, DocRow> {
  const names = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1])
  const rows = new Map<string, DocRow>()
  for (const line of DOC.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim())
    const counts = /^(\d+) \/ (\d+)$/.exec(cells[3] ?? '')
    if (cells.length !== 7 || !counts || !/^`\w+`$/.test(cells[1])) continue
    rows.set(cells[1].slice(1, -1), {
      accepted: names(cells[4]),
      applied: Number(counts[1]),
      declared: Number(counts[2]),
      notSimulated: names(cells[5]),
    })
  }

  return rows
}

describe('upstream @Parameter declarations (fixture upstream-api-parameters.json)', () => {
  const sims: Partial<Record<Flavor, TestSim>> = {}
  const listed: Partial<Record<Flavor, ListedApi[]>> = {}

  before(async () => {
    for (const flavor of ['mold', 'cloudstack'] as const) {
      const sim = await startTestSim({flavor})
      sims[flavor] = sim
      const res = await sim.call('listApis')
      listed[flavor] = res.body.listapisresponse.api
    }
  })

  after(async () => {
    await sims.mold?.close()
    await sims.cloudstack?.close()
  })

  it('cites an upstream file and commit for every declaration', () => {
    const all = [...Object.values(DATA.commands), ...Object.values(DATA.bases), ...Object.values(DATA.mold)]
    for (const {source} of all) {
      assert.match(source.repo, /^(apache\/cloudstack|ablecloud-team\/ablestack-cloud)$/)
      assert.match(source.path, /^(api|server|plugins)\/.+\.java$/)
      assert.match(source.commit, /^[0-9a-f]{40}$/)
    }

    for (const {extends: base} of all)
      assert.ok(base === 'BaseCmd' || base === 'BaseAsyncCmd' || DATA.bases[base], base)
  })

  it('has a declaration for every command the simulator serves, and none for others', () => {
    const served = listed.mold!.map((api) => api.name).sort()
    assert.deepEqual(Object.keys(DATA.commands).sort(), served)
    assert.ok(served.length >= 55, `${served.length} commands`)
  })

  for (const flavor of ['mold', 'cloudstack'] as const) {
    it(`${flavor}: listApis invents no parameter and keeps upstream's type, required flag and since`, () => {
      let compared = 0
      let withSince = 0
      for (const api of listed[flavor]!) {
        const upstream = declared(api.name, flavor)
        for (const param of api.params) {
          const mine = `${api.name}.${param.name}`
          const theirs = upstream.get(param.name)
          assert.ok(theirs, `${mine} is not declared by ${DATA.commands[api.name].source.path}`)
          assert.equal(param.type, theirs.type, `${mine}.type`)
          assert.equal(param.required, theirs.required, `${mine}.required`)
          assert.equal(param.since, theirs.since, `${mine}.since`)
          if (theirs.since !== undefined) withSince++
          compared++
        }

        for (const [name, param] of upstream) {
          if (param.required)
            assert.ok(
              api.params.some((p) => p.name === name),
              `${api.name} lists required ${name}`,
            )
        }
      }

      assert.ok(compared > 300, `${compared} parameters compared`)
      assert.ok(withSince >= 10, `${withSince} parameters with a since`)
    })
  }

  it("docs/simulator.md's table accounts for every declared parameter of every command", () => {
    const rows = docRows()
    assert.deepEqual([...rows.keys()].sort(), listed.mold!.map((api) => api.name).sort())
    for (const api of listed.mold!) {
      const row = rows.get(api.name)!
      const upstream = declared(api.name, 'mold')
      const names = api.params.map((param) => param.name)
      for (const name of row.accepted)
        assert.ok(names.includes(name), `${api.name}: accepted ${name} is listed`)
      assert.equal(row.applied, names.length - row.accepted.length, `${api.name}: applied count`)
      assert.equal(row.declared, upstream.size, `${api.name}: declared count`)
      assert.deepEqual(
        [...row.notSimulated].sort(),
        [...upstream.keys()].filter((name) => !names.includes(name)).sort(),
        `${api.name}: the parameters left out of listApis`,
      )
    }
  })

  it('README.md lists, per command, every declared parameter left out of listApis', () => {
    const listedInReadme = readmeNotSimulated()
    const leftOut = new Map<string, string[]>()
    for (const api of listed.mold!) {
      const names = new Set(api.params.map((param) => param.name))
      const missing = [...declared(api.name, 'mold').keys()].filter((name) => !names.has(name))
      if (missing.length > 0) leftOut.set(api.name, missing.sort())
    }

    assert.deepEqual([...listedInReadme.keys()].sort(), [...leftOut.keys()].sort())
    for (const [command, names] of leftOut)
      assert.deepEqual([...listedInReadme.get(command)!].sort(), names, `README.md: ${command}`)
  })

  for (const flavor of ['mold', 'cloudstack'] as const) {
    it(`${flavor}: a call without its required parameters answers 431/9999 as ParamProcessWorker words it`, async () => {
      let probed = 0
      for (const api of listed[flavor]!) {
        const required = api.params.filter((param) => param.required).map((param) => param.name)
        if (required.length === 0 || api.name === 'login') continue
        const res = await sims[flavor]!.call(api.name, {})
        const envelope = res.body[`${api.name.toLowerCase()}response`]
        assert.equal(res.status, 431, api.name)
        assert.equal(envelope.cserrorcode, 9999, api.name)
        const match = /^Unable to execute API command (\w+) due to missing parameter (\w+)$/.exec(
          envelope.errortext,
        )
        assert.ok(match, `${api.name}: ${envelope.errortext}`)
        assert.equal(match[1], api.name.toLowerCase())
        assert.ok(required.includes(match[2]), `${api.name}: ${match[2]} is required`)
        probed++
      }

      assert.ok(probed >= 30, `${probed} commands probed`)
    })
  }
})
