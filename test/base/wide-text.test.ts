/**
 * Wide characters through the real CLI: Korean zone, cluster and host names count two columns
 * each, and every table and aligned block (drawn by cli-table3) keeps its columns lined up.
 */
import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import stringWidth from 'string-width'

import type {TopologySpec} from '../../src/sim/state/topology/spec.js'

import {makeHome, runCli, simEnv} from '../helpers/cli.js'
import {rollingTopology} from '../helpers/rolling-topology.js'
import {useSim} from '../helpers/sim.js'
import {runInTerminal} from '../helpers/tty.js'

const SEOUL = ['서울-호스트-01', '서울-예비-02']

function koreanCloud(): TopologySpec {
  const topology = rollingTopology([
    {extra: {name: SEOUL[0]}},
    {extra: {name: 'kvm-2'}},
    {extra: {name: SEOUL[1]}},
  ])
  topology.zones.push({
    name: '부산-존',
    pods: [
      {
        clusters: [
          {hosts: [{ipaddress: '10.30.0.11', name: '부산-호스트'}], hypervisor: 'KVM', name: '부산-클러스터'},
        ],
        name: '부산-포드',
      },
    ],
  })
  return topology
}

const sim = useSim({topology: koreanCloud()})
const home = makeHome()
after(() => home.remove())

/** The display column at which `pattern` starts on each line that has it. */
function columnOf(lines: string[], pattern: RegExp): number[] {
  return lines
    .filter((line) => pattern.test(line))
    .map((line) => stringWidth(line.slice(0, line.search(pattern))))
}

// eslint-disable-next-line no-control-regex -- escape sequences are what is removed
const plain = (screen: string) => screen.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '')

describe('Korean names line up', () => {
  it('host list at an 80-column terminal: every line fits, the STATE column starts at one display column', async () => {
    const r = await runInTerminal(['host', 'list'], {columns: 80, env: simEnv(sim), home, steps: []})
    assert.equal(r.code, 0, r.screen)
    const lines = plain(r.screen)
      .split(/\r?\n/)
      .filter((line) => /^(NAME|kvm-|xen-|서울|부산)/.test(line))
    assert.equal(lines.length, 1 + 5, r.screen)
    for (const line of lines) assert.ok(stringWidth(line.trimEnd()) <= 80, `${stringWidth(line)}: ${line}`)
    const starts = columnOf(lines, /\b(STATE|Up)\b/)
    assert.equal(starts.length, lines.length, r.screen)
    assert.equal(new Set(starts).size, 1, r.screen)
    assert.match(r.screen, /서울-예비-02 {4}Up/)
  })

  it('a narrow terminal cuts a Korean cluster name between characters, with an ellipsis, and keeps the columns', async () => {
    // NAME (14 columns, never cut) + STATE (5) + CLUSTER (부산-클러스터: 13) and the gaps are 36:
    // CLUSTER gives way to 7 columns, which hold 부산- and the ellipsis (a syllable is 2 wide).
    const r = await runInTerminal(['host', 'list', '--columns', 'name,state,clustername'], {
      columns: 30,
      env: simEnv(sim),
      home,
      steps: [],
    })
    assert.equal(r.code, 0, r.screen)
    const lines = plain(r.screen)
      .split(/\r?\n/)
      .filter((line) => /^(NAME|kvm-|xen-|서울|부산)/.test(line))
    for (const line of lines) assert.ok(stringWidth(line.trimEnd()) <= 30, `${stringWidth(line)}: ${line}`)
    assert.match(plain(r.screen), /^부산-호스트 {5}Up {5}부산-…$/m)
    assert.match(plain(r.screen), /^서울-호스트-01 {2}Up {5}kvm-a$/m)
    assert.equal(new Set(columnOf(lines, /\b(STATE|Up)\b/)).size, 1, r.screen)
  })

  it('the capacity bars under the table start at one display column, per zone', async () => {
    const r = await runCli(['capacity', 'show'], {env: simEnv(sim)})
    assert.equal(r.code, 0, r.stderr)
    const bars = r.stdout.split('\n').filter((line) => /\[[#+.|]+\]/.test(line))
    assert.ok(
      bars.some((line) => line.includes('부산-존')) && bars.some((line) => line.includes('zone-r')),
      r.stdout,
    )
    assert.equal(new Set(columnOf(bars, /\[[#+.|]+\]/)).size, 1, r.stdout)
  })

  it("the rolling-maintenance plan's host table lines up", async () => {
    const r = await runCli(['rolling-maintenance', 'start', '--clusters', 'kvm-a', '--dry-run'], {
      env: simEnv(sim),
    })
    assert.equal(r.code, 0, r.stderr)
    const rows = r.stdout.split('\n').filter((line) => /^ {2}(#|\d)/.test(line))
    assert.equal(rows.length, 4, r.stdout)
    assert.ok(
      rows.some((line) => line.includes(SEOUL[1])),
      r.stdout,
    )
    assert.equal(new Set(columnOf(rows, /\b(STATE|Up)\b/)).size, 1, r.stdout)
    assert.equal(new Set(columnOf(rows, /\b(RESOURCE|Enabled)\b/)).size, 1, r.stdout)
  })
})
