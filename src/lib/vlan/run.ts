// Guest VLAN ranges: applying add/remove/dedicate/release safely. The arithmetic and the
// decisions are in range-rules.ts and plan.ts, the reads in fetch.ts; this file only calls and
// shapes results.

import type {MoldClient, WaitOptions} from '../api/client.js'
import type {GuestVlanRange} from '../api/models.js'
import type {ApiObject, Params} from '../api/types.js'
import type {ApiCall, PhysicalNetwork, PhysicalNetworkTarget} from './fetch.js'

import {NotFoundError, UsageError} from '../core/errors.js'
import {UUID_PATTERN} from '../infra/resolve.js'
import {applyVerified} from './apply.js'
import {readGuestVlanUsage, resolvePhysicalNetwork, selectPhysicalNetwork} from './fetch.js'
import {describeConflict, planVlanRangeAdd, planVlanRangeRemove, type VlanRangeChange} from './plan.js'
import {
  assertWithinBounds,
  countVlans,
  formatRanges,
  parseCliVlanRanges,
  parseServerVlanString,
  type VlanRange,
  vnetBoundsFor,
} from './range-rules.js'

// ----- vlan range add / remove ----------------------------------------------------------------

export interface VlanRangeChangeReport {
  action: 'add' | 'remove'
  after: string
  /** updatePhysicalNetwork calls sent: more than 1 when another change landed at the same time. */
  attempts?: number
  before: string
  /** The call made (or, with --dry-run, the call that would be made). */
  call?: ApiCall
  changed: string
  jobid?: string
  physicalnetwork: string
  physicalnetworkid: string
  requested: string
  /** applied: the server took it; dry-run: nothing sent; unchanged: nothing to send. */
  status: 'applied' | 'dry-run' | 'unchanged'
  unchanged: string
  /** The exact `vlan` value sent (or to send). */
  vlan?: string
  /** The `vlan` the server reports after the change. */
  vlanafter?: string
  vlansafter: number
  vlansbefore: number
  vlanschanged: number
  /** Things the operator should know, e.g. checks that could not be made. */
  warnings?: string[]
  zonename?: string
}

export interface VlanRangeChangeOptions {
  /** Called with the plan before anything is sent (e.g. to ask for confirmation); false cancels. */
  beforeApply?: (report: VlanRangeChangeReport) => Promise<boolean>
  dryRun?: boolean
  /** Lines for stderr while applying: jobs waited for, changes merged again. */
  note?: (line: string) => void
  ranges: string[]
  target: PhysicalNetworkTarget
  wait?: WaitOptions
}

function reportOf(pn: PhysicalNetwork, plan: VlanRangeChange): VlanRangeChangeReport {
  const call =
    plan.vlanParameter === undefined
      ? undefined
      : {command: 'updatePhysicalNetwork', params: {id: pn.id, vlan: plan.vlanParameter}}
  return {
    action: plan.action,
    after: formatRanges(plan.after),
    before: formatRanges(plan.before),
    call,
    changed: formatRanges(plan.changed),
    physicalnetwork: pn.name,
    physicalnetworkid: pn.id,
    requested: formatRanges(plan.requested),
    status: call ? 'applied' : 'unchanged',
    unchanged: formatRanges(plan.unchanged),
    vlan: plan.vlanParameter,
    vlansafter: countVlans(plan.after),
    vlansbefore: countVlans(plan.before),
    vlanschanged: countVlans(plan.changed),
    zonename: pn.zonename,
  }
}

async function applyChange(
  client: MoldClient,
  report: VlanRangeChangeReport,
  {plan, pn}: {plan: VlanRangeChange; pn: PhysicalNetwork},
  opts: VlanRangeChangeOptions,
): Promise<VlanRangeChangeReport> {
  if (!report.call) return report
  if (opts.dryRun) return {...report, status: 'dry-run'}
  if (opts.beforeApply && !(await opts.beforeApply(report))) {
    throw new UsageError('cancelled; nothing was changed')
  }

  const applied = await applyVerified(client, {note: opts.note ?? (() => {}), plan, pn, wait: opts.wait})
  const warnings = [...(report.warnings ?? []), ...applied.warnings]
  return {
    ...report,
    attempts: applied.attempts,
    jobid: applied.jobid,
    status: 'applied',
    vlan: applied.vlan ?? report.vlan,
    vlanafter: applied.vlanafter,
    ...(warnings.length > 0 ? {warnings} : {}),
  }
}

/**
 * The ranges asked for and the physical network they go to: their syntax checked before any
 * call, their bounds once the network (and so its isolation method) is known.
 */
async function requestedRanges(
  client: MoldClient,
  opts: VlanRangeChangeOptions,
): Promise<{pn: PhysicalNetwork; requested: VlanRange[]}> {
  const requested = parseCliVlanRanges(opts.ranges)
  const pn = await selectPhysicalNetwork(client, opts.target)
  assertWithinBounds(requested, vnetBoundsFor(pn.isolationmethods), `physical network ${pn.name}`)
  return {pn, requested}
}

/**
 * `vlan range add`: syntax checked before any call; bounds once the physical network (and so its
 * isolation method) is known; the union with the existing ranges sent as the full replacement.
 */
export async function addVlanRanges(
  client: MoldClient,
  opts: VlanRangeChangeOptions,
): Promise<VlanRangeChangeReport> {
  const {pn, requested} = await requestedRanges(client, opts)
  const plan = planVlanRangeAdd(parseServerVlanString(pn.vlan), requested)
  return applyChange(client, reportOf(pn, plan), {plan, pn}, opts)
}

/**
 * `vlan range remove`: refused before any change when a VLAN that would go is allocated or
 * dedicated (naming which and to whom); otherwise the difference is sent.
 */
export async function removeVlanRanges(
  client: MoldClient,
  opts: VlanRangeChangeOptions,
): Promise<VlanRangeChangeReport> {
  const {pn, requested} = await requestedRanges(client, opts)
  const usage = await readGuestVlanUsage(client, pn)
  const plan = planVlanRangeRemove(usage.ranges, requested, usage.allocated ?? [], usage.dedicated)
  if (plan.conflicts.length > 0) {
    const releases = plan.conflicts.flatMap((c) =>
      c.dedicated ? [`moldctl vlan release ${c.dedicated.id}`] : [],
    )
    throw new UsageError(
      `refusing to remove ${formatRanges(plan.changed)} from physical network ${pn.name}: ${plan.conflicts
        .map((c) => describeConflict(c))
        .join('; ')}`,
      [
        'nothing was changed',
        ...(releases.length > 0
          ? [`to remove dedicated VLANs, release them first: ${releases.join(', ')}`]
          : []),
      ],
    )
  }

  const report = reportOf(pn, plan)
  if (!usage.allocated && report.call) {
    report.warnings = [
      'this server cannot list allocated VLANs (listGuestVlans needs CloudStack 4.17 or later); it will still refuse to remove allocated ones itself',
    ]
  }

  return applyChange(client, report, {plan, pn}, opts)
}

// ----- dedicate / list dedicated / release ----------------------------------------------------

export interface DedicateOptions {
  account?: string
  domain?: string
  physicalNetwork: string
  project?: string
  range: string
}

export async function resolveDomainId(client: MoldClient, ref: string): Promise<string> {
  if (UUID_PATTERN.test(ref)) return ref.toLowerCase()
  const domains = await client.list<ApiObject>('listDomains', {listall: true})
  const wanted = ref.replaceAll(/^\/+|\/+$/g, '')
  const matches = domains.filter((d) => {
    const path = String(d.path ?? '').replaceAll(/^\/+|\/+$/g, '')
    return d.name === ref || path === wanted || path === `ROOT/${wanted}`
  })
  if (matches.length === 1) return String(matches[0].id)
  if (matches.length > 1) {
    throw new UsageError(
      `"${ref}" matches ${matches.length} domains; give its path or id:`,
      matches.map((d) => `${d.path}  ${d.id}`),
    )
  }

  throw new NotFoundError(`no domain is named "${ref}"`, [
    'give the domain path (e.g. ROOT/customers) or its id',
  ])
}

export async function resolveProjectId(client: MoldClient, ref: string): Promise<string> {
  if (UUID_PATTERN.test(ref)) return ref.toLowerCase()
  const projects = await client.list<ApiObject>('listProjects', {listall: true, name: ref})
  const matches = projects.filter((p) => p.name === ref)
  if (matches.length === 1) return String(matches[0].id)
  if (matches.length > 1) {
    throw new UsageError(
      `"${ref}" matches ${matches.length} projects; use the id of one:`,
      matches.map((p) => `${p.name}  ${p.id}  (domain ${p.domain})`),
    )
  }

  throw new NotFoundError(`no project is named "${ref}"`)
}

/** The dedicateGuestVlanRange call for the options, validated before any call. */
export async function planDedicateVlanRange(
  client: MoldClient,
  opts: DedicateOptions,
): Promise<{call: {command: string; params: Params}; physicalNetwork: PhysicalNetwork}> {
  const byAccount = opts.account !== undefined || opts.domain !== undefined
  if (byAccount === (opts.project !== undefined) || (byAccount && (!opts.account || !opts.domain))) {
    throw new UsageError('say who gets the range: --account A --domain D, or --project P')
  }

  const ranges = parseCliVlanRanges([opts.range])
  if (ranges.length !== 1) throw new UsageError('dedicate one range at a time (START-END or a single VLAN)')
  const [range] = ranges
  const pn = await resolvePhysicalNetwork(client, opts.physicalNetwork)
  assertWithinBounds(ranges, vnetBoundsFor(pn.isolationmethods), `physical network ${pn.name}`)
  const params: Params = {physicalnetworkid: pn.id, vlanrange: `${range.start}-${range.end}`}
  if (opts.project) params.projectid = await resolveProjectId(client, opts.project)
  else {
    params.account = opts.account
    params.domainid = await resolveDomainId(client, opts.domain!)
  }

  return {call: {command: 'dedicateGuestVlanRange', params}, physicalNetwork: pn}
}

/** dedicateGuestVlanRange's answer, with the physical network's name. */
export type DedicatedRange = GuestVlanRange & {physicalnetwork: string}

/** Validates (planDedicateVlanRange), then dedicates the range. */
export async function dedicateVlanRange(client: MoldClient, opts: DedicateOptions): Promise<DedicatedRange> {
  const {call, physicalNetwork} = await planDedicateVlanRange(client, opts)
  const answer = await client.request(call.command, call.params)
  const dedicated = (answer.dedicatedguestvlanrange ?? answer) as GuestVlanRange
  return {...dedicated, physicalnetwork: physicalNetwork.name}
}
