/**
 * What `host maintenance enter` would do, before any change (also its --dry-run). The order in
 * which it drains several hosts: one after another, in the order the operator named them
 * (repeats dropped), so two hosts of one cluster are never draining at the same time: while one
 * drains, the others of its cluster must stay available to receive its VMs. Then the checks
 * (resource states, the cluster's spare capacity) that refuse a plan before it starts.
 */
import type {MoldClient} from '../api/client.js'
import type {Host} from '../api/models.js'
import type {EnterDecision} from '../infra/resource-state.js'
import type {EnterPreparation} from './types.js'

import {UsageError} from '../core/errors.js'
import {resolveEntities} from '../infra/resolve.js'
import {decideEnter} from '../infra/resource-state.js'
import {checkClusterCapacity} from './capacity-check.js'
import {explainDrainCapacity} from './capacity-rules.js'
import {unreachableHostReminder} from './reminders.js'

export interface PlannedHost {
  clusterId: string
  clusterName: string
  hypervisor: string
  id: string
  name: string
}

export interface MaintenancePlan {
  /** Names given more than once; drained once. */
  repeated: string[]
  steps: PlannedHost[]
}

export function planMaintenance(hosts: readonly PlannedHost[]): MaintenancePlan {
  const seen = new Set<string>()
  const steps: PlannedHost[] = []
  const repeated: string[] = []
  for (const host of hosts) {
    if (seen.has(host.id)) {
      repeated.push(host.name)
      continue
    }

    seen.add(host.id)
    steps.push(host)
  }

  return {repeated, steps}
}

/** For each cluster, its hosts in the order the plan drains them (input of the capacity check). */
export function drainOrderByCluster(plan: MaintenancePlan): Map<string, string[]> {
  const byCluster = new Map<string, string[]>()
  for (const step of plan.steps) {
    const order = byCluster.get(step.clusterId) ?? []
    order.push(step.id)
    byCluster.set(step.clusterId, order)
  }

  return byCluster
}

/** One line per step, e.g. "1/3 kvm-01 (cluster kvm-a)". */
export function describePlan(plan: MaintenancePlan): string[] {
  return plan.steps.map((s, i) => `${i + 1}/${plan.steps.length} ${s.name} (cluster ${s.clusterName})`)
}

/** The command that continues an interrupted run: the host being drained and those not started. */
export function resumeCommand(plan: MaintenancePlan, fromStep: number): string {
  const names = plan.steps.slice(fromStep).map((s) => quoteArg(s.name))
  return `moldctl host maintenance enter ${names.join(' ')}`
}

export function quoteArg(value: string): string {
  return /^[\w.:@%+,/-]+$/.test(value) ? value : `'${value.replaceAll("'", String.raw`'\''`)}'`
}

// ---------------------------------------------------------------------------------------------
// Checks before any change

const DRAINING_STATES = new Set(['ErrorInPrepareForMaintenance', 'PrepareForMaintenance'])

/**
 * Resolves the hosts and checks, before any change, that each can enter maintenance and that
 * the other hosts of its cluster can take its VMs. Throws UsageError (exit 2) on a refusal.
 */
export async function prepareEnter(
  client: MoldClient,
  refs: string[],
  opts: {force: boolean; wait: boolean},
): Promise<EnterPreparation> {
  const hosts = await resolveEntities<Host>(client, 'host', refs)
  const plan = planMaintenance(
    hosts.map((h) => ({
      clusterId: h.clusterid,
      clusterName: h.clustername,
      hypervisor: h.hypervisor,
      id: h.id,
      name: h.name,
    })),
  )
  const decisions = new Map(hosts.map((h) => [h.id, decideEnter(h.name, h.resourcestate)]))
  const refusals = [...decisions.values()].filter((d) => d.action === 'refuse')
  if (refusals.length > 0) {
    throw new UsageError(
      refusals.length === 1 ? refusals[0].reason : 'some hosts cannot enter maintenance; nothing was changed',
      refusals.flatMap((r) => [
        ...(refusals.length > 1 ? [r.reason] : []),
        ...(r.suggestion ? [r.suggestion] : []),
      ]),
    )
  }

  // Hosts already preparing are waited for first: until they are done the server refuses to
  // start another host of their cluster.
  const waiting = (id: string) => decisions.get(id)?.action === 'wait'
  plan.steps = [...plan.steps.filter((s) => waiting(s.id)), ...plan.steps.filter((s) => !waiting(s.id))]
  const toSubmit = plan.steps.filter((s) => decisions.get(s.id)?.action === 'submit')
  if (!opts.wait) {
    const clusters = toSubmit.map((s) => s.clusterId)
    const repeated = toSubmit.find((s, i) => clusters.indexOf(s.clusterId) !== i)
    if (repeated)
      throw new UsageError(
        `--no-wait cannot start two hosts of cluster ${repeated.clusterName}: the server drains one host per cluster at a time`,
        ['leave out --no-wait to drain them one after another'],
      )
  }

  // The capacity check covers every cluster where something starts, counting the VMs still on
  // hosts already preparing (they move first).
  const starting = new Set(toSubmit.map((s) => s.clusterId))
  const moving = plan.steps.filter((s) => starting.has(s.clusterId) && decisions.get(s.id)?.action !== 'none')
  const byCluster = drainOrderByCluster({repeated: [], steps: moving})
  const warnings: string[] = []
  for (const [clusterId, order] of byCluster) {
    // eslint-disable-next-line no-await-in-loop
    const check = await checkClusterCapacity(client, clusterId, order)
    refuseOtherDrains(check.hosts, plan, decisions)
    if (check.result.ok) continue
    const lines = explainDrainCapacity(check.result, check.factors)
    if (!opts.force) {
      throw new UsageError('the other hosts of the cluster cannot take all the VMs; nothing was changed', [
        ...lines,
        'free capacity (enable a host, stop VMs) or add --force to let the server try anyway',
      ])
    }

    warnings.push(...lines)
  }

  const reminders = hosts
    .filter((h) => decisions.get(h.id)?.action === 'submit')
    .flatMap((h) => unreachableHostReminder(h.name, h.state as string | undefined))
  return {decisions, plan, reminders, warnings}
}

/** The server drains one host per cluster at a time; another drain under way would make it refuse. */
function refuseOtherDrains(
  hosts: Host[],
  plan: MaintenancePlan,
  decisions: Map<string, EnterDecision>,
): void {
  const ours = new Set(plan.steps.filter((s) => decisions.get(s.id)?.action === 'wait').map((s) => s.id))
  const busy = hosts.find((h) => DRAINING_STATES.has(h.resourcestate) && !ours.has(h.id))
  if (busy) {
    throw new UsageError(
      `${busy.name} of cluster ${busy.clustername} is in ${busy.resourcestate}; the server drains one host per cluster at a time`,
      [
        `wait for it: moldctl host maintenance enter ${quoteArg(busy.name)}`,
        `or stop it: moldctl host maintenance cancel ${quoteArg(busy.name)}`,
      ],
    )
  }
}

/** One line per host of a --dry-run: what would happen, in the order it would happen. */
export function describeEnterPlan(prep: EnterPreparation): {calls: string[]; lines: string[]} {
  const lines: string[] = []
  const calls: string[] = []
  for (const [i, step] of prep.plan.steps.entries()) {
    const decision = prep.decisions.get(step.id)
    const where = `${step.name} (${step.clusterName})`
    if (decision?.action === 'submit') {
      lines.push(
        `${i + 1}. ${where}: drain its VMs to the other hosts of the cluster, then wait for Maintenance`,
      )
      calls.push(`prepareHostForMaintenance id=${step.id}`)
    } else if (decision && 'reason' in decision) {
      lines.push(`${i + 1}. ${where}: ${decision.reason}`)
    }
  }

  return {calls, lines}
}
