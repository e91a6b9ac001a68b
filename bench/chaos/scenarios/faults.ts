/**
 * Every simulator fault against the commands it concerns: reads survive transient faults
 * (retried), changes are sent once, broken answers are errors, and nothing crashes.
 */
import type {FaultSpec} from '../../../src/sim/http/faults.js'
import type {TestSim} from '../../../test/helpers/sim.js'

import {isReadCommand} from '../../../src/lib/api/envelope.js'
import {type ChaosContext, crashed, register, type ScenarioOutcome} from '../registry.js'

interface FaultCase {
  args: string[]
  /** Checks beyond the exit code (audit log, output). */
  check?: (run: {audit: string; stderr: string; stdout: string}) => string | undefined
  code: number
  env?: Record<string, string>
  faults: FaultSpec
  /** The most times one change may be sent (1: never repeated blindly). */
  maxSends?: number
  name: string
  /** Runs first (e.g. puts the zone in the state the command changes). */
  prepare?: (ctx: ChaosContext, sim: TestSim) => Promise<void>
}

async function mutatingSends(sim: TestSim): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const r of await sim.requests()) {
    if (!r.command || isReadCommand(r.command) || r.command === 'queryAsyncJobResult') continue
    // The same change: the same command with the same parameters (but the signature's).
    const params = Object.entries(r.params).filter(([k]) => !['apiKey', 'expires', 'signature'].includes(k))
    const key = `${r.command} ${JSON.stringify(params)}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }

  return counts
}

const auditHas = (outcome: string) => (run: {audit: string}) =>
  run.audit.includes(`"outcome":"${outcome}"`) ? undefined : `no ${outcome} entry in the audit log`

/** A change whose answer was lost is `unknown` (exit 6), never reported as failed or done. */
const unknownSaid = (run: {stderr: string}) =>
  /outcome of \w+ is unknown/.test(run.stderr) ? undefined : 'the lost answer is not called unknown'

const CASES: FaultCase[] = [
  {
    args: ['host', 'list'],
    code: 0,
    faults: {errorRate: 0.5},
    name: 'reads retried over 503 (every 2nd read)',
  },
  {args: ['host', 'list'], code: 0, faults: {errorRate: 0.5, status: 429}, name: 'reads retried over 429'},
  {args: ['zone', 'list'], code: 0, faults: {errorRate: 0.5, status: 500}, name: 'reads retried over 500'},
  {args: ['host', 'list'], code: 1, faults: {errorRate: 1}, name: 'a read failing every time is exit 1'},
  {args: ['host', 'list'], code: 0, faults: {dropRate: 0.5}, name: 'reads retried over dropped connections'},
  {args: ['cluster', 'list'], code: 0, faults: {latencyMs: 300}, name: 'slow answers are waited for'},
  {
    args: ['host', 'list', '--request-timeout', '1'],
    code: 1,
    faults: {latencyMs: 1500},
    name: 'an answer slower than --request-timeout',
  },
  {
    args: ['vlan', 'range', 'list', '--zone', 'zone-1'],
    code: 0,
    faults: {errorRate: 0.5},
    name: 'vlan range list over 503',
  },
  {
    args: ['cluster', 'overprovision', 'show'],
    code: 0,
    faults: {errorRate: 0.3},
    name: 'overprovision show over 503',
  },
  {
    args: ['capacity', 'show'],
    code: 0,
    faults: {dropRate: 0.3},
    name: 'capacity show over dropped connections',
  },
  {
    args: ['setting', 'list', '--filter', 'overprovisioning'],
    code: 0,
    faults: {errorRate: 0.5},
    name: 'setting list over 503',
  },
  {
    args: ['oobm', 'power', 'status', '--cluster', 'kvm-cluster-1'],
    code: 0,
    faults: {errorRate: 0.25},
    name: 'oobm power status with failing polls',
  },
  {
    args: ['host', 'reconnect', 'kvm-host-02'],
    code: 0,
    faults: {errorRate: 0.5},
    name: 'job polling continues over 503',
  },
  {
    args: ['host', 'reconnect', 'kvm-host-02'],
    code: 0,
    faults: {dropCommand: {command: 'queryAsyncJobResult', times: 2}},
    name: 'job polling continues over dropped polls',
  },
  {
    args: ['host', 'reconnect', 'kvm-host-02', '--timeout', '2'],
    code: 5,
    faults: {stuckJobs: true},
    name: 'a job that never ends: exit 5 with its id',
    check: (r) => (/job wait [\da-f-]{36}/.test(r.stderr) ? undefined : 'no job id printed'),
  },
  {
    args: ['host', 'reconnect', 'kvm-host-02'],
    code: 1,
    faults: {failCommand: {command: 'reconnectHost', inJob: true}},
    name: 'a failed job is exit 1',
    check: auditHas('job-failed'),
  },
  {
    args: ['zone', 'disable', 'zone-1', '--yes'],
    code: 1,
    faults: {failCommand: {command: 'updateZone', times: 1}},
    name: 'a refused change is exit 1, sent once',
    maxSends: 1,
  },
  {
    args: ['zone', 'disable', 'zone-1', '--yes'],
    code: 6,
    check: unknownSaid,
    faults: {dropCommand: {command: 'updateZone', times: 1}},
    name: 'a change whose connection dropped is not resent',
    maxSends: 1,
  },
  {
    args: ['zone', 'disable', 'zone-1', '--yes'],
    code: 6,
    check: unknownSaid,
    faults: {dropCommand: {afterExecute: true, command: 'updateZone', times: 1}},
    name: 'a change whose answer was lost is not resent',
    maxSends: 1,
    prepare: enableZone,
  },
  {
    args: ['setting', 'set', 'kvm.rolling.maintenance.ping.interval', '15'],
    code: 1,
    faults: {failCommand: {command: 'updateConfiguration', errorcode: 431, errortext: 'refused'}},
    name: 'setting set refused by the server',
    maxSends: 1,
  },
  {
    args: ['host', 'list'],
    code: 1,
    env: {MOLDCTL_MAX_ANSWER_BYTES: '1000000'},
    faults: {oversizeAnswer: {bytes: 3_000_000, command: 'listHosts'}},
    name: 'an answer over the size limit',
    check: (r) =>
      /MOLDCTL_MAX_ANSWER_BYTES/.test(r.stderr)
        ? undefined
        : 'the message does not say how to raise the limit',
  },
  {
    args: ['zone', 'list'],
    code: 1,
    faults: {oversizeAnswer: {bytes: 65 * 1024 * 1024, command: 'listZones'}},
    name: 'an answer over the default 64 MiB',
  },
  {
    args: ['host', 'list', '--json'],
    code: 1,
    faults: {wrongShape: {command: 'listHosts', shape: 'list-not-list'}},
    name: 'a list field that is no list',
  },
  {
    args: ['zone', 'list'],
    code: 1,
    faults: {wrongShape: {command: 'listZones', shape: 'count-not-number'}},
    name: 'a count that is no number',
  },
  {
    args: ['cluster', 'list'],
    code: 1,
    faults: {wrongShape: {command: 'listClusters', shape: 'list-not-list'}},
    name: 'cluster list: a list field that is no list',
  },
  {
    args: ['setting', 'set', 'kvm.rolling.maintenance.ping.interval', '16'],
    code: 1,
    faults: {wrongShape: {command: 'updateConfiguration', shape: 'no-object'}},
    name: 'an update answer without its object',
    check: auditHas('bad-answer'),
    maxSends: 1,
  },
  {
    args: ['zone', 'disable', 'zone-1', '--yes'],
    code: 1,
    faults: {wrongShape: {command: 'updateZone', shape: 'no-object'}},
    name: 'zone disable: an answer without its object',
    maxSends: 1,
    prepare: enableZone,
  },
  {
    args: ['host', 'reconnect', 'kvm-host-02'],
    code: 1,
    faults: {wrongShape: {command: 'queryAsyncJobResult', shape: 'job-no-object'}},
    name: 'a finished job without its result',
    check: auditHas('bad-answer'),
  },
  {
    args: ['zone', 'disable', 'zone-1', '--yes'],
    code: 1,
    faults: {
      failCommand: {command: 'updateZone', errortext: '\u001B]0;owned\u0007\u001B[2Jboom\nError: all fine'},
    },
    name: 'a server error text with escapes is shown, not obeyed',
    prepare: enableZone,
    check: (r) => (r.stderr.includes('\u001B') ? 'a raw escape reached the terminal' : undefined),
  },
]

async function enableZone(ctx: ChaosContext, sim: TestSim): Promise<void> {
  await sim.clearFaults()
  await ctx.moldctl(sim, ['zone', 'enable', 'zone-1'])
}

register(
  ...CASES.map((c) => ({
    family: 'faults' as const,
    name: `fault: ${c.name}`,
    async run(ctx: ChaosContext): Promise<ScenarioOutcome> {
      const sim = await ctx.sim('small')
      await c.prepare?.(ctx, sim)
      await sim.clearRequests()
      await sim.setFaults(c.faults)
      const run = await ctx.moldctl(sim, c.args, {env: c.env})
      await sim.clearFaults()
      if (crashed(run)) return {problem: `crashed: ${run.stderr.slice(0, 300)}`}
      if (run.code !== c.code)
        return {problem: `exit ${run.code}, expected ${c.code}: ${run.stderr.slice(0, 300)}`}
      if (c.code !== 0 && run.stderr.trim() === '') return {problem: 'failed without a message'}
      for (const [command, sends] of await mutatingSends(sim)) {
        if (sends > (c.maxSends ?? 1)) return {problem: `${command} sent ${sends} times`}
      }

      const problem = c.check?.(run)
      return problem ? {problem} : {}
    },
    serial: true,
  })),
)
