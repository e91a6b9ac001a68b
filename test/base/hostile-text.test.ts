import assert from 'node:assert/strict'
import {after, before, beforeEach, describe, it} from 'node:test'

import {json, makeHome, runCli, simEnv} from '../helpers/cli.js'
import {startTestSim, type TestSim} from '../helpers/sim.js'
import {runInTerminal} from '../helpers/tty.js'

/*
 * Trust the screen: text from the server (names, error texts) is shown with its control
 * characters visible, never obeyed, in tables, plain lines and messages, at a terminal and in
 * pipes; CSV cells that a spreadsheet would run are neutralised; JSON and YAML keep the exact
 * values. The names come from a topology (the API itself refuses control characters in
 * parameters). Drives the built CLI (needs `npm run build`).
 */

const TITLE = '\u001B]0;owned\u0007'
const CLEAR = '\u001B[2J\u001B[H'
const EVIL_HOST = `evil${TITLE}host`
const FORGED_CLUSTER = 'kvm\nforged-host  10.0.0.1  Up'
const FORMULA_HOST = '=HYPERLINK("http://x","y")'

describe('server text on the screen', () => {
  let sim: TestSim
  let env: Record<string, string>
  const moldctl = (...args: string[]) => runCli(args, {env})

  before(async () => {
    sim = await startTestSim({
      topology: {
        seed: 'moldctl-hostile-text',
        zones: [
          {
            name: 'zone-1',
            pods: [
              {
                clusters: [
                  {
                    hosts: [
                      {ipaddress: '10.0.0.11', name: EVIL_HOST},
                      {ipaddress: '10.0.0.12', name: `wipe${CLEAR}`},
                      {ipaddress: '10.0.0.13', name: FORMULA_HOST},
                      {ipaddress: '10.0.0.14', name: '-2+3'},
                    ],
                    hypervisor: 'KVM',
                    name: FORGED_CLUSTER,
                  },
                ],
                name: 'pod-1',
              },
            ],
          },
        ],
      },
    })
    env = simEnv(sim)
  })

  after(() => sim.close())

  beforeEach(() => sim.clearFaults())

  const noRawEscapes = (text: string) => {
    assert.ok(!text.includes(TITLE), 'no title escape')
    assert.ok(!text.includes('\u001B[2J'), 'no clear-screen escape')
    assert.ok(!text.includes('\u0007'), 'no bell')
  }

  it('a table in a pipe shows escapes and newlines visibly; no row is forged', async () => {
    const result = await moldctl('host', 'list')
    assert.equal(result.code, 0, result.stderr)
    noRawEscapes(result.stdout)
    assert.ok(result.stdout.includes(String.raw`evil\x1b]0;owned\x07host`), result.stdout)
    assert.ok(result.stdout.includes(String.raw`wipe\x1b[2J\x1b[H`))
    assert.ok(result.stdout.includes(String.raw`kvm\nforged-host`))
    assert.doesNotMatch(result.stdout, /^forged-host/m)
    // A header and one line per host.
    assert.equal(result.stdout.trimEnd().split('\n').length, 5)
  })

  it('JSON and YAML keep the exact values', async () => {
    const result = await moldctl('host', 'list', '--json')
    assert.equal(result.code, 0, result.stderr)
    const names = json<Array<{clustername: string; name: string}>>(result).map((h) => h.name)
    assert.ok(names.includes(EVIL_HOST))
    assert.ok(json<Array<{clustername: string}>>(result).every((h) => h.clustername === FORGED_CLUSTER))
    const yaml = await moldctl('host', 'list', '-o', 'yaml')
    assert.equal(yaml.code, 0, yaml.stderr)
    const {parse} = await import('yaml')
    assert.ok((parse(yaml.stdout) as Array<{name: string}>).some((h) => h.name === EVIL_HOST))
  })

  it('CSV neutralises cells a spreadsheet would run; --csv-raw keeps them', async () => {
    const result = await moldctl('host', 'list', '-o', 'csv', '--columns', 'name')
    assert.equal(result.code, 0, result.stderr)
    assert.ok(result.stdout.includes(`"'=HYPERLINK(""http://x"",""y"")"`), result.stdout)
    assert.match(result.stdout, /^'-2\+3$/m)
    noRawEscapes(result.stdout)
    const raw = await moldctl('host', 'list', '-o', 'csv', '--columns', 'name', '--csv-raw')
    assert.equal(raw.code, 0, raw.stderr)
    assert.ok(raw.stdout.includes(`"=HYPERLINK(""http://x"",""y"")"`))
    assert.match(raw.stdout, /^-2\+3$/m)
    assert.ok(raw.stdout.includes(EVIL_HOST))
  })

  it("a server's error text cannot clear the screen or forge a line", async () => {
    await sim.setFaults({
      failCommand: {command: 'updateZone', errortext: `${CLEAR}boom\nError: everything is fine`},
    })
    const result = await moldctl('zone', 'disable', 'zone-1', '--yes')
    assert.equal(result.code, 1, result.stderr)
    noRawEscapes(result.stderr)
    assert.ok(result.stderr.includes(String.raw`\x1b[2J\x1b[Hboom\nError: everything is fine`), result.stderr)
    assert.doesNotMatch(result.stderr, /^Error: everything is fine/m)
  })

  it('at a terminal too: the title and screen stay untouched', async () => {
    const home = makeHome()
    try {
      const result = await runInTerminal(['host', 'list'], {env, home, steps: []})
      assert.equal(result.code, 0, result.screen)
      noRawEscapes(result.screen)
      assert.ok(result.screen.includes(String.raw`evil\x1b]0;owned\x07host`), result.screen)
      assert.ok(result.screen.includes(String.raw`kvm\nforged-host`))
    } finally {
      home.remove()
    }
  })
})
