/**
 * The benchmarks still work: each module runs once on a tiny cloud (the `smoke` option) and
 * gives a well-formed result. Nothing here looks at how fast anything was; the numbers are
 * judged only by `npm run bench`.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {BenchResult, Measure} from '../../bench/lib/types.js'

import {csPeerMissing} from '../../bench/lib/peer.js'
import {
  benchmarkId,
  BENCHMARKS,
  formatMarkdown,
  formatTable,
  runBenchmark,
  unavailable,
} from '../../bench/lib/runner.js'
import {dbSkipReason} from '../helpers/cloud-db.js'

const smoke = {log() {}, smoke: true}
// The database benchmark is skipped, with the reason, when no database server answers.
const noDb = await dbSkipReason()
// The python cs peer column is there where python3-cs is installed, and otherwise a note says why not.
const noPeer = csPeerMissing()

function assertWellFormed(result: BenchResult, id: string): void {
  assert.equal(result.id, id)
  assert.equal(result.error, undefined, result.error)
  assert.ok(result.title.length > 0)
  assert.equal(result.pass, undefined, 'a smoke run judges nothing')
  for (const m of result.measures) {
    assert.ok(m.samples.length > 0, `${m.name}: samples`)
    for (const v of [m.min, m.median, m.max, ...m.samples])
      assert.ok(Number.isFinite(v) && v >= 0, `${m.name}: ${v}`)
    assert.ok(m.min <= m.median && m.median <= m.max, `${m.name}: min ≤ median ≤ max`)
    assert.equal(m.pass, undefined)
  }
}

const byKey = (result: BenchResult, key: string): Measure => {
  const found = result.measures.find((m) => m.key === key)
  assert.ok(found, `no measure ${key} in ${result.measures.map((m) => m.key).join(', ')}`)
  return found
}

function assertPeer(result: BenchResult, keys: string[]): void {
  const present = result.measures.filter((m) => m.key.startsWith('cs-')).map((m) => m.key)
  if (noPeer) {
    assert.deepEqual(present, [])
    assert.ok(result.notes.includes(`python cs: not available: ${noPeer}`), result.notes.join('\n'))
  } else {
    assert.deepEqual(present, keys)
    for (const key of keys) assert.equal(byKey(result, key).target, undefined, `${key}: reported, not judged`)
  }
}

describe('benchmarks (smoke: tiny sizes, one run)', () => {
  it('startup times node -e 0, --version and host list --help, with ratios to node', async () => {
    const result = await runBenchmark('startup', smoke)
    assertWellFormed(result, 'startup')
    for (const key of ['version-wall', 'help-wall']) {
      const m = byKey(result, key)
      assert.ok(m.ratio !== undefined && m.ratio > 0)
      assert.match(m.target!.text, /node -e 0/)
    }

    assert.ok(byKey(result, 'node-cpu').median > 0)
    assertPeer(result, ['cs-host-list-wall', 'cs-host-list-cpu'])
    if (!noPeer) assert.ok(byKey(result, 'cs-host-list-wall').ratio! > 0, 'beside node -e 0')
  })

  it('startup-instructions counts the instructions of node -e 0 and --version under valgrind, or says valgrind is missing', async () => {
    const result = await runBenchmark('startup-instructions', smoke)
    if (result.skipped) {
      assert.match(result.skipped, /valgrind is not installed/)
      return
    }

    assertWellFormed(result, 'startup-instructions')
    const node = byKey(result, 'node-instructions')
    const version = byKey(result, 'version-instructions')
    // Node's own start is hundreds of millions of instructions; moldctl --version does more.
    assert.ok(node.median > 50, `node -e 0: ${node.median} M`)
    assert.ok(version.median > node.median && version.ratio! > 1, `--version: ${version.median} M`)
  })

  it('host-list lists every host of the simulated cloud and reads peak RSS', async () => {
    const result = await runBenchmark('host-list', smoke)
    assertWellFormed(result, 'host-list')
    assert.equal(result.details?.hosts, 200)
    assert.ok(byKey(result, 'rss').median > 10, 'a node process takes more than 10 MB')
    assert.equal(byKey(result, 'wall').target?.max, 3000)
    assert.ok(byKey(result, 'cpu').median > 0, 'the CLI used CPU')
    assert.ok(byKey(result, 'sim-cpu').median > 0, 'the simulator answered')
    assert.equal(byKey(result, 'cpu').pass, undefined, 'reported, not judged')
    // Each size's listing by the peer, its output checked like the CLI's (every host once).
    assertPeer(result, ['cs-wall', 'cs-rss', 'cs-cpu', 'cs-wall-100k', 'cs-rss-100k', 'cs-cpu-100k'])
    if (!noPeer) assert.ok(byKey(result, 'cs-rss').median > 10, 'a python process takes more than 10 MB')
  })

  it('password-rotate rotates through MariaDB with both encryptors', {skip: noDb}, async () => {
    const result = await runBenchmark('password-rotate', smoke)
    assertWellFormed(result, 'password-rotate')
    assert.equal(result.skipped, undefined, result.skipped)
    assert.deepEqual(
      result.measures.map((m) => m.key),
      ['v2-json', 'v2-table', 'v1-json', 'v1-table'],
    )
  })

  it('maintenance-calls counts the calls made after the submission until the host is in Maintenance', async () => {
    const result = await runBenchmark('maintenance-calls', smoke)
    assertWellFormed(result, 'maintenance-calls')
    const waiting = byKey(result, 'waiting')
    const total = byKey(result, 'total')
    assert.ok(waiting.median >= 1, 'at least one look at the host after the submission')
    assert.ok(total.median > waiting.median)
    const timeline = result.details?.timelineAfterSubmission as string[]
    assert.equal(timeline.length, waiting.median)
  })

  it('oobm-power runs when its module and command exist, and otherwise says why not', async () => {
    const reason = unavailable('oobm-power', ['oobm:power'])
    const result = await runBenchmark('oobm-power', smoke)
    if (reason) {
      assert.equal(result.skipped, `not available: ${reason}`)
      assert.deepEqual(result.measures, [])
    } else {
      assertWellFormed(result, 'oobm-power')
      assert.ok(result.measures.length > 0)
    }
  })

  it('knows every benchmark the runner lists, and refuses an unknown one', async () => {
    assert.deepEqual(
      BENCHMARKS.map((b) => b.id),
      ['startup', 'startup-instructions', 'host-list', 'oobm-power', 'password-rotate', 'maintenance-calls'],
    )
    await assert.rejects(runBenchmark('nope', smoke), /no benchmark "nope"/)
  })

  it('takes benchmark names with or without dashes', () => {
    assert.equal(benchmarkId('hostlist'), 'host-list')
    assert.equal(benchmarkId('Maintenance-Calls'), 'maintenance-calls')
    assert.equal(benchmarkId('startup'), 'startup')
    assert.equal(benchmarkId('host'), undefined)
  })
})

describe('benchmark tables', () => {
  const result: BenchResult = {
    id: 'x',
    measures: [
      {
        key: 'a',
        max: 130,
        median: 120,
        min: 110,
        name: 'thing, wall',
        ratio: 1.9,
        samples: [110, 120, 130],
        target: {max: 126, text: '≤ 2× node -e 0'},
        pass: true,
        unit: 'ms',
      },
      {
        key: 'b',
        max: 300,
        median: 260,
        min: 250,
        name: 'thing, peak RSS',
        samples: [250, 260, 300],
        target: {max: 250, text: '≤ 250 MB'},
        pass: false,
        unit: 'MB',
      },
    ],
    notes: [],
    title: 'Thing',
  }
  const missing: BenchResult = {
    id: 'y',
    measures: [],
    notes: [],
    skipped: 'not available: no command',
    title: 'Other',
  }

  it('prints min/median/max, the target and the verdict (with the ratio) per measure', () => {
    const lines = formatTable([result, missing]).split('\n')
    assert.match(lines[0], /^BENCHMARK +MEASURE +MIN +MEDIAN +MAX +TARGET +RESULT$/)
    assert.match(
      lines[1],
      /^Thing +thing, wall +110 ms +120 ms +130 ms +≤ 2× node -e 0 \(126 ms\) +1\.90× pass$/,
    )
    assert.match(lines[2], /^ +thing, peak RSS +250\.0 MB +260\.0 MB +300\.0 MB +≤ 250 MB +MISS$/)
    assert.match(lines[3], /^Other +not available: no command/)
  })

  it('gives the same rows as a Markdown table', () => {
    const lines = formatMarkdown([result]).split('\n')
    assert.equal(lines[0], '| Benchmark | Measure | Median | Min – max | Target | Result |')
    assert.equal(
      lines[2],
      '| Thing | thing, wall | 120 ms | 110 ms – 130 ms | ≤ 2× node -e 0 (126 ms) | 1.90× pass |',
    )
    assert.equal(lines[3], '|  | thing, peak RSS | 260.0 MB | 250.0 MB – 300.0 MB | ≤ 250 MB | MISS |')
  })
})
