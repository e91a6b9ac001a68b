/**
 * The reliability suite's scenarios: a registry anyone can add to. A scenario belongs to one
 * family and, when run, says whether moldctl held up and what it lost or leaked:
 *
 * - `faults`: a simulator fault (src/sim/http/faults.ts) against the commands it concerns; held
 *   when the exit code is the documented one, nothing crashed and no change was sent twice.
 * - `bad-inputs`: input the server would refuse; held when it is exit 2 (or 3 for configuration)
 *   with a message and no call that changes anything.
 * - `secrets`: canaries passed through stdin, the environment or a profile; `leaked` counts the
 *   places (stdout, stderr, --debug, audit log) one appeared in.
 * - `data`: runs that may lose what they should keep; `rowsLost` and `updatesLost` count it.
 *
 * Register scenarios with `register()` from a module under bench/chaos/scenarios/ and import it
 * in bench/chaos/scenarios/index.ts.
 */
import type {CliHome, CliResult} from '../../test/helpers/cli.js'
import type {TestSim} from '../../test/helpers/sim.js'

export type Family = 'bad-inputs' | 'data' | 'faults' | 'secrets'

export interface ScenarioOutcome {
  /** What went wrong, when it did not hold. */
  problem?: string
  rowsLost?: number
  /** Places a secret appeared in. */
  secretsLeaked?: number
  /** Why it did not run (no database server...): counted neither way. */
  skipped?: string
  updatesLost?: number
}

export interface ChaosContext {
  /** Runs the built CLI against `sim` (API keys in the environment), with an audit log of its own. */
  moldctl(
    sim: TestSim,
    args: string[],
    opts?: {env?: Record<string, string>; home?: CliHome; stdin?: string},
  ): Promise<CliRun>
  /** A simulator of a named topology, shared by the scenarios that use it (faults cleared first). */
  sim(topology?: 'small'): Promise<TestSim>
}

export interface CliRun extends CliResult {
  /** The audit log the run wrote ('' when none). */
  audit: string
}

export interface Scenario {
  family: Family
  name: string
  run(ctx: ChaosContext): Promise<ScenarioOutcome>
  /** Scenarios of the same group run one after another (they share a simulator's state). */
  serial?: boolean
}

const scenarios: Scenario[] = []

export function register(...added: Scenario[]): void {
  for (const scenario of added) {
    if (scenarios.some((s) => s.name === scenario.name))
      throw new Error(`duplicate chaos scenario ${scenario.name}`)
    scenarios.push(scenario)
  }
}

export function registered(): readonly Scenario[] {
  return scenarios
}

/** A crash shows as a stack trace: "    at fn (file.js:1:2)". */
export function crashed(result: CliResult): boolean {
  return (
    /^\s+at .+:\d+:\d+\)?$/m.test(result.stderr) || /TypeError|ReferenceError|RangeError/.test(result.stderr)
  )
}
