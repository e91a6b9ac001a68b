/**
 * The reliability suite's runner: every registered scenario (bench/chaos/scenarios/), one after
 * another against in-process simulators, then ONE line of figures:
 *
 *   faults 29/29, bad inputs 104/104, secrets leaked 0, rows lost 0, updates lost 0
 *
 * Options: `--only TEXT` runs the scenarios whose name contains TEXT; `--verbose` prints a line
 * per scenario; `--json FILE` writes every outcome. Exit 0 when every scenario held, 1 otherwise.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {runCli, simEnv} from '../../test/helpers/cli.js'
import {startTestSim, type TestSim} from '../../test/helpers/sim.js'
import {type ChaosContext, type Family, registered, type Scenario, type ScenarioOutcome} from './registry.js'
import './scenarios/index.js'

export interface ChaosReport {
  line: string
  outcomes: Array<ScenarioOutcome & {family: Family; name: string}>
  /** Whether every scenario that ran held (and nothing was leaked or lost). */
  passed: boolean
}

const FAMILY_LABEL: Record<'bad-inputs' | 'faults', string> = {'bad-inputs': 'bad inputs', faults: 'faults'}

/** The one line: held/ran per family, then what leaked and what was lost. */
export function summaryLine(outcomes: ChaosReport['outcomes']): string {
  const ran = outcomes.filter((o) => !o.skipped)
  const parts = (['faults', 'bad-inputs'] as const).map((family) => {
    const of = ran.filter((o) => o.family === family)
    return `${FAMILY_LABEL[family]} ${of.filter((o) => !o.problem).length}/${of.length}`
  })
  const sum = (key: 'rowsLost' | 'secretsLeaked' | 'updatesLost') =>
    ran.reduce((total, o) => total + (o[key] ?? 0), 0)
  const secrets = ran.filter((o) => o.family === 'secrets')
  const rows = ran.some((o) => o.rowsLost !== undefined) ? String(sum('rowsLost')) : 'n/a (no database)'
  parts.push(
    `secrets leaked ${sum('secretsLeaked')} (${secrets.length} canaries)`,
    `rows lost ${rows}`,
    `updates lost ${sum('updatesLost')}`,
  )
  return parts.join(', ')
}

export async function runChaos(
  opts: {log?: (line: string) => void; only?: string; verbose?: boolean} = {},
): Promise<ChaosReport> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const sims = new Map<string, TestSim>()
  const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-chaos-'))
  let runs = 0
  const ctx: ChaosContext = {
    async moldctl(sim, args, runOpts = {}) {
      const audit = path.join(dir, `audit-${++runs}.log`)
      const result = await runCli(args, {
        env: {...simEnv(sim), MOLDCTL_AUDIT_LOG: audit, ...runOpts.env},
        home: runOpts.home,
        stdin: runOpts.stdin,
      })
      let text = ''
      try {
        text = readFileSync(audit, 'utf8')
      } catch {}

      return {...result, audit: text}
    },
    async sim(topology = 'small') {
      let sim = sims.get(topology)
      if (!sim) {
        sim = await startTestSim({speed: 1000, topology})
        sims.set(topology, sim)
      }

      await sim.clearFaults()
      return sim
    },
  }

  const chosen: readonly Scenario[] = registered().filter((s) => !opts.only || s.name.includes(opts.only))
  const outcomes: ChaosReport['outcomes'] = []
  try {
    for (const scenario of chosen) {
      let outcome: ScenarioOutcome
      try {
        outcome = await scenario.run(ctx)
      } catch (error) {
        outcome = {problem: `the scenario itself failed: ${(error as Error).message}`}
      }

      outcomes.push({...outcome, family: scenario.family, name: scenario.name})
      if (opts.verbose || outcome.problem)
        log(
          `${outcome.skipped ? 'skip' : outcome.problem ? 'FAIL' : 'ok  '} ${scenario.name}${outcome.problem ? `: ${outcome.problem}` : outcome.skipped ? ` (${outcome.skipped})` : ''}`,
        )
    }
  } finally {
    await Promise.all([...sims.values()].map((sim) => sim.close()))
    rmSync(dir, {force: true, recursive: true})
  }

  const passed = outcomes.every(
    (o) => o.skipped !== undefined || (!o.problem && !o.secretsLeaked && !o.rowsLost && !o.updatesLost),
  )
  return {line: summaryLine(outcomes), outcomes, passed}
}

export async function main(argv: string[]): Promise<number> {
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined
  const jsonFile = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined
  const report = await runChaos({only, verbose: argv.includes('--verbose')})
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(report, null, 2) + '\n')
  process.stdout.write(`${report.line}\n`)
  return report.passed ? 0 : 1
}
