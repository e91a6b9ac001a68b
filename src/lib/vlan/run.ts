// Guest VLAN ranges: reading what a physical network holds, and applying add/remove/dedicate/
// release safely. The arithmetic and the decisions are in range-rules.ts and plan.ts;
// this file only reads, calls, and shapes results.

import type {MoldClient, WaitOptions} from '../api/client.js'
import type {ApiObject, Params} from '../api/types.js'

import {ApiError, UsageError} from '../core/errors.js'
import {resolveEntity, UUID_PATTERN} from '../infra/resolve.js'
import {
  type AllocatedVlan,
  type DedicatedVlanRange,
  describeConflict,
  describeOwner,
  planVlanRangeAdd,
  planVlanRangeRemove,
  type VlanOwner,
  type VlanRangeChange,
} from './plan.js'
import {
  assertWithinBounds,
  countVlans,
  formatRanges,
  intersectRanges,
  parseCliVlanRanges,
  parseServerVlanString,
  rangesFromVlans,
  type VlanRange,
  vnetBoundsFor,
} from './range-rules.js'

export interface PhysicalNetwork extends ApiObject {
  id: string
  isolationmethods?: string
  name: string
  vlan?: string
  zoneid?: string
  zonename?: string
}

/** Which physical network: named directly, or the guest one of a zone. */
export interface PhysicalNetworkTarget {
  physicalNetwork?: string
  zone?: string
}

/** One API call, as --dry-run prints it and the result records it. */
export interface ApiCall {
  command: string
  params: Record<string, string>
}

export function formatApiCall(call: ApiCall): string {
  const params = Object.entries(call.params).map(
    ([k, v]) => `${k}=${v === '' || /\s/.test(v) ? `'${v}'` : v}`,
  )
  return [call.command, ...params].join(' ')
}

// ----- finding physical networks --------------------------------------------------------------

function describeNetwork(pn: PhysicalNetwork): string {
  return `${pn.name}  ${pn.id}  (zone ${pn.zonename ?? pn.zoneid ?? '?'})`
}

/** A physical network by UUID or exact name; unknown or ambiguous names are usage errors. */
export async function resolvePhysicalNetwork(client: MoldClient, ref: string): Promise<PhysicalNetwork> {
  const reference = ref.trim()
  if (!reference) throw new UsageError('an empty physical network name was given')
  if (UUID_PATTERN.test(reference)) {
    const [found] = await client.list<PhysicalNetwork>('listPhysicalNetworks', {id: reference.toLowerCase()})
    if (found) return found
    throw new UsageError(`no physical network has the id ${reference}`, [
      'list them with: moldctl vlan range list',
    ])
  }

  const candidates = await client.list<PhysicalNetwork>('listPhysicalNetworks', {name: reference})
  const exact = candidates.filter((pn) => pn.name === reference)
  if (exact.length === 1) return exact[0]
  if (exact.length > 1) {
    throw new UsageError(
      `"${reference}" matches ${exact.length} physical networks; use the id of one:`,
      exact.map((pn) => describeNetwork(pn)),
    )
  }

  throw new UsageError(
    `no physical network is named "${reference}"`,
    candidates.length > 0
      ? ['did you mean:', ...candidates.slice(0, 10).map((pn) => describeNetwork(pn))]
      : ['list them with: moldctl vlan range list'],
  )
}

/** The zone's physical network that carries guest traffic (listTrafficTypes says which). */
export async function guestPhysicalNetworkOfZone(
  client: MoldClient,
  zoneRef: string,
): Promise<PhysicalNetwork> {
  const zone = await resolveEntity(client, 'zone', zoneRef)
  const networks = await client.list<PhysicalNetwork>('listPhysicalNetworks', {zoneid: zone.id})
  const traffic = await Promise.all(
    networks.map((pn) => client.list<ApiObject>('listTrafficTypes', {physicalnetworkid: pn.id})),
  )
  const guest = networks.filter((_, i) => traffic[i].some((t) => t.traffictype === 'Guest'))
  if (guest.length === 1) return guest[0]
  if (guest.length === 0) {
    throw new UsageError(`zone ${zone.name} has no physical network carrying guest traffic`, [
      networks.length > 0
        ? `its physical networks: ${networks.map((pn) => pn.name).join(', ')}`
        : 'it has no physical network',
    ])
  }

  throw new UsageError(
    `zone ${zone.name} has ${guest.length} physical networks carrying guest traffic; pick one with --physical-network:`,
    guest.map((pn) => describeNetwork(pn)),
  )
}

export async function selectPhysicalNetwork(
  client: MoldClient,
  target: PhysicalNetworkTarget,
): Promise<PhysicalNetwork> {
  if (target.physicalNetwork) return resolvePhysicalNetwork(client, target.physicalNetwork)
  if (target.zone) return guestPhysicalNetworkOfZone(client, target.zone)
  throw new UsageError('say which physical network: --physical-network PN or --zone Z')
}

// ----- what a physical network holds ----------------------------------------------------------

export interface DedicatedRangeRecord extends DedicatedVlanRange {
  /** The API object as listDedicatedGuestVlanRanges returned it. */
  raw: ApiObject
}

export interface GuestVlanUsage {
  /** Undefined when the server cannot list them (listGuestVlans came with CloudStack 4.17). */
  allocated?: AllocatedVlan[]
  dedicated: DedicatedRangeRecord[]
  ranges: VlanRange[]
}

function ownerOf(item: ApiObject): VlanOwner {
  return {
    account: item.project ? undefined : (item.account as string | undefined),
    domain: item.domain as string | undefined,
    project: item.project as string | undefined,
  }
}

/** The allocated VLANs with their owners, or undefined when the server has no listGuestVlans. */
async function listAllocatedVlans(
  client: MoldClient,
  pn: PhysicalNetwork,
): Promise<AllocatedVlan[] | undefined> {
  let items: ApiObject[]
  try {
    items = await client.list<ApiObject>('listGuestVlans', {allocatedonly: true, physicalnetworkid: pn.id})
  } catch (error) {
    // Servers before 4.17 (or roles without the command) answer an unknown command with 401 or 432.
    if (error instanceof ApiError && (error.errorcode === 401 || error.errorcode === 432)) return undefined
    throw error
  }

  return items.map((item) => ({
    networks: Array.isArray(item.network) ? item.network.map((n: ApiObject) => String(n.name ?? n.id)) : [],
    owner: ownerOf(item),
    vlan: Number(item.vlan),
  }))
}

/** The physical network's ranges, its allocated VLANs (with owners) and its dedicated ranges. */
export async function readGuestVlanUsage(client: MoldClient, pn: PhysicalNetwork): Promise<GuestVlanUsage> {
  const [allocated, dedicated] = await Promise.all([
    listAllocatedVlans(client, pn),
    client.list<ApiObject>('listDedicatedGuestVlanRanges', {physicalnetworkid: pn.id}),
  ])
  return {
    allocated,
    dedicated: dedicated.map((item) => ({
      id: String(item.id),
      owner: ownerOf(item),
      range: parseServerVlanString(String(item.guestvlanrange))[0],
      raw: item,
    })),
    ranges: parseServerVlanString(pn.vlan),
  }
}

// ----- vlan range list ------------------------------------------------------------------------

export interface VlanRangeRow {
  /** Null when the server cannot list allocated VLANs. */
  allocated: null | number
  dedicated: Array<{account?: string; domain?: string; guestvlanrange: string; id: string; project?: string}>
  isolationmethods?: string
  physicalnetwork: string
  physicalnetworkid: string
  vlanrange: string
  vlans: number
  zonename?: string
}

/** The physical networks a --physical-network / --zone filter names (all of them without one). */
async function physicalNetworksInScope(
  client: MoldClient,
  filter: PhysicalNetworkTarget,
): Promise<PhysicalNetwork[]> {
  if (filter.physicalNetwork) return [await resolvePhysicalNetwork(client, filter.physicalNetwork)]
  if (filter.zone) {
    const zone = await resolveEntity(client, 'zone', filter.zone)
    return client.list<PhysicalNetwork>('listPhysicalNetworks', {zoneid: zone.id})
  }

  return client.list<PhysicalNetwork>('listPhysicalNetworks')
}

/** One row per range of each physical network in scope (a network without ranges gets one empty row). */
export async function listVlanRanges(
  client: MoldClient,
  filter: PhysicalNetworkTarget,
): Promise<VlanRangeRow[]> {
  const networks = await physicalNetworksInScope(client, filter)

  const usages = await Promise.all(networks.map((pn) => readGuestVlanUsage(client, pn)))
  return networks.flatMap((pn, i) => {
    const usage = usages[i]
    const base = {
      isolationmethods: pn.isolationmethods,
      physicalnetwork: pn.name,
      physicalnetworkid: pn.id,
      zonename: pn.zonename,
    }
    if (usage.ranges.length === 0) return [{...base, allocated: 0, dedicated: [], vlanrange: '', vlans: 0}]
    const taken = usage.allocated && rangesFromVlans(usage.allocated.map((a) => a.vlan))
    return usage.ranges.map((range) => ({
      ...base,
      allocated: taken ? countVlans(intersectRanges(taken, [range])) : null,
      dedicated: usage.dedicated
        .filter((d) => intersectRanges([d.range], [range]).length > 0)
        .map((d) => ({...d.owner, guestvlanrange: formatRanges([d.range]), id: d.id})),
      vlanrange: formatRanges([range]),
      vlans: countVlans([range]),
    }))
  })
}

/** Compact, for a table cell: `900-949 tenant-a; 950-999 project lab` (JSON has the domains). */
export function describeDedications(row: VlanRangeRow): string {
  return row.dedicated
    .map((d) => `${d.guestvlanrange} ${d.project ? `project ${d.project}` : d.account}`)
    .join('; ')
}

// ----- vlan range add / remove ----------------------------------------------------------------

export interface VlanRangeChangeReport {
  action: 'add' | 'remove'
  after: string
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

function withCount(ranges: string, count: number): string {
  return ranges ? `${ranges}  (${count} ${count === 1 ? 'VLAN' : 'VLANs'})` : '(none)'
}

/** The plan as aligned `label  value` lines: where, before, change, after, and the exact call. */
export function changePlanLines(report: VlanRangeChangeReport): string[] {
  const adding = report.action === 'add'
  const change = report.changed ? withCount(report.changed, report.vlanschanged) : '(nothing)'
  const aside = report.unchanged
    ? `  [${adding ? 'already present' : 'not configured'}: ${report.unchanged}]`
    : ''
  const pairs: Array<[string, string]> = [
    ['Physical network', `${report.physicalnetwork}${report.zonename ? ` (zone ${report.zonename})` : ''}`],
    ['Before', withCount(report.before, report.vlansbefore)],
    [adding ? 'Add' : 'Remove', `${change}${aside}`],
    ['After', withCount(report.after, report.vlansafter)],
    ['API call', report.call ? formatApiCall(report.call) : '(none needed)'],
  ]
  return pairs.map(([label, value]) => `${label.padEnd(16)}  ${value}`)
}

/** One line saying what happened. */
export function changeResultLine(report: VlanRangeChangeReport): string {
  const label = 'Result'.padEnd(16)
  switch (report.status) {
    case 'dry-run': {
      return `${label}  dry run: nothing was sent`
    }

    case 'unchanged': {
      return report.action === 'add'
        ? `${label}  nothing to do: every requested VLAN is already in the physical network`
        : `${label}  nothing to do: none of the requested VLANs is in the physical network`
    }

    default: {
      const expected = report.vlan ?? ''
      const agrees = report.vlanafter === expected
      return agrees
        ? `${label}  done (job ${report.jobid}); the server now holds ${report.vlanafter || '(no ranges)'}`
        : `${label}  done (job ${report.jobid}), but the server now holds ${report.vlanafter || '(no ranges)'}, not ${expected || '(no ranges)'}: was it changed at the same time?`
    }
  }
}

async function applyChange(
  client: MoldClient,
  report: VlanRangeChangeReport,
  opts: VlanRangeChangeOptions,
): Promise<VlanRangeChangeReport> {
  if (!report.call) return report
  if (opts.dryRun) return {...report, status: 'dry-run'}
  if (opts.beforeApply && !(await opts.beforeApply(report))) {
    throw new UsageError('cancelled; nothing was changed')
  }

  const {jobid} = await client.submitJob(report.call.command, report.call.params)
  const result = await client.waitForJob(jobid, {command: report.call.command, ...opts.wait})
  const updated = (result.physicalnetwork ?? {}) as PhysicalNetwork
  return {...report, jobid, status: 'applied', vlanafter: updated.vlan ?? ''}
}

/**
 * `vlan range add`: syntax checked before any call; bounds once the physical network (and so its
 * isolation method) is known; the union with the existing ranges sent as the full replacement.
 */
export async function addVlanRanges(
  client: MoldClient,
  opts: VlanRangeChangeOptions,
): Promise<VlanRangeChangeReport> {
  const requested = parseCliVlanRanges(opts.ranges)
  const pn = await selectPhysicalNetwork(client, opts.target)
  assertWithinBounds(requested, vnetBoundsFor(pn.isolationmethods), `physical network ${pn.name}`)
  const plan = planVlanRangeAdd(parseServerVlanString(pn.vlan), requested)
  return applyChange(client, reportOf(pn, plan), opts)
}

/**
 * `vlan range remove`: refused before any change when a VLAN that would go is allocated or
 * dedicated (naming which and to whom); otherwise the difference is sent.
 */
export async function removeVlanRanges(
  client: MoldClient,
  opts: VlanRangeChangeOptions,
): Promise<VlanRangeChangeReport> {
  const requested = parseCliVlanRanges(opts.ranges)
  const pn = await selectPhysicalNetwork(client, opts.target)
  assertWithinBounds(requested, vnetBoundsFor(pn.isolationmethods), `physical network ${pn.name}`)
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

  return applyChange(client, report, opts)
}

// ----- dedicate / list dedicated / release ----------------------------------------------------

export interface DedicateOptions {
  account?: string
  domain?: string
  physicalNetwork: string
  project?: string
  range: string
}

async function resolveDomainId(client: MoldClient, ref: string): Promise<string> {
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

  throw new UsageError(`no domain is named "${ref}"`, [
    'give the domain path (e.g. ROOT/customers) or its id',
  ])
}

async function resolveProjectId(client: MoldClient, ref: string): Promise<string> {
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

  throw new UsageError(`no project is named "${ref}"`)
}

/** The dedicateGuestVlanRange call for the options, validated before any call. */
export async function dedicateVlanRange(client: MoldClient, opts: DedicateOptions): Promise<ApiObject> {
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

  const answer = await client.request('dedicateGuestVlanRange', params)
  const dedicated = (answer.dedicatedguestvlanrange ?? answer) as ApiObject
  return {...dedicated, physicalnetwork: pn.name}
}

/** Dedicated ranges of every physical network in scope, each with its physical network's name. */
export async function listDedicatedRanges(
  client: MoldClient,
  filter: PhysicalNetworkTarget,
): Promise<ApiObject[]> {
  const networks = await physicalNetworksInScope(client, filter)

  const lists = await Promise.all(
    networks.map((pn) => client.list<ApiObject>('listDedicatedGuestVlanRanges', {physicalnetworkid: pn.id})),
  )
  return networks.flatMap((pn, i) =>
    lists[i].map((item) => ({...item, physicalnetwork: pn.name, zonename: pn.zonename})),
  )
}

/** The dedicated range with this id, or a usage error. */
export async function findDedicatedRange(client: MoldClient, id: string): Promise<ApiObject> {
  if (!UUID_PATTERN.test(id)) {
    throw new UsageError(`"${id}" is not a dedicated range id (a UUID)`, [
      'list them with: moldctl vlan dedicated list',
    ])
  }

  // Listing them all (there are few) rather than by id: an unknown id is a 431 error, not an empty list.
  const wanted = id.toLowerCase()
  const found = (await client.list<ApiObject>('listDedicatedGuestVlanRanges')).find((d) => d.id === wanted)
  if (!found)
    throw new UsageError(`no dedicated VLAN range has the id ${id}`, [
      'list them with: moldctl vlan dedicated list',
    ])
  return found
}

export function describeDedicated(item: ApiObject): string {
  return `${item.guestvlanrange} dedicated to ${describeOwner(ownerOf(item))}`
}
