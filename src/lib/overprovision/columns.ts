import type {Column} from '../output/columns.js'

/**
 * The shapes `cluster overprovision show|set` print: JSON records with lower-case field names in
 * the API's style, and table rows with units (GHz, GB) for people.
 */
import {alignColumns} from '../output/render.js'
import {type BarStyle, capacityBar} from './capacity-bar.js'
import {
  type CapacityFigures,
  formatFactor,
  formatPercent,
  formatResource,
  type ResourceKind,
} from './capacity-rules.js'
import {type ClusterState, type FactorChangePlan, RESOURCES} from './plan.js'
import {FACTOR_SETTING, type FactorProjection, type FactorSource, type VmKeepingOldFactor} from './rules.js'

export interface FiguresRecord {
  allocated: number
  allocatedpercent: number
  factor: number
  free: number
  physical: number
  withoverprovisioning: number
}

function figuresRecord(f: CapacityFigures): FiguresRecord {
  return {
    allocated: f.allocated,
    allocatedpercent: Number(f.allocatedPercent.toFixed(2)),
    factor: f.factor,
    free: f.free,
    physical: f.physical,
    withoverprovisioning: f.withOverprovisioning,
  }
}

/** The figures when the stored factor is no usable number: what depends on the factor is null. */
export type UnknownFiguresRecord = {[K in keyof FiguresRecord]: null | number}

function unknownFigures(f: CapacityFigures): UnknownFiguresRecord {
  return {
    allocated: f.allocated,
    allocatedpercent: null,
    factor: null,
    free: null,
    physical: f.physical,
    withoverprovisioning: null,
  }
}

/** What `show` says under a cluster whose stored factor is no usable number (it never guesses one). */
export function oddFactorNotes(state: ClusterState): string[] {
  return RESOURCES.flatMap((kind) => {
    const {source, stored} = state.factors[kind]
    if (stored === undefined) return []
    const where = source === 'cluster' ? `cluster ${state.cluster.name}` : 'the global default'
    const fix =
      source === 'cluster'
        ? `moldctl cluster overprovision set ${state.cluster.name} --${kind} FACTOR`
        : `moldctl setting set ${FACTOR_SETTING[kind]} FACTOR`
    return [
      `${FACTOR_SETTING[kind]} of ${where} is stored as "${stored}", which is no usable factor: capacity with overprovisioning is unknown (fix it with: ${fix})`,
    ]
  })
}

function vmRecord(entry: VmKeepingOldFactor): OldFactorVmRecord {
  return {
    hostname: entry.vm.hostname,
    id: entry.vm.id,
    keeps: entry.keeps,
    name: entry.vm.name,
    state: entry.vm.state,
  }
}

/** One resource of a cluster in `show --json`: its figures and where its factor comes from. */
export type ResourceFactorRecord =
  | (FiguresRecord & {source: FactorSource})
  | (UnknownFiguresRecord & {source: FactorSource; storedfactor: string})

/** One cluster in the `cluster overprovision show --json` result (its contract). */
export type ClusterOverprovisionRecord = {
  cpu: ResourceFactorRecord
  hosts: number
  hypervisortype: string
  id: string
  memory: ResourceFactorRecord
  name: string
  podname?: string
  vmsonoldfactor: OldFactorVmRecord[]
  zonename?: string
}

function resourceRecord(state: ClusterState, kind: ResourceKind): ResourceFactorRecord {
  const {source, stored} = state.factors[kind]
  // JSON has no NaN: an odd stored factor gives null figures and the text as stored.
  return stored === undefined
    ? {...figuresRecord(state.figures[kind]), source}
    : {...unknownFigures(state.figures[kind]), source, storedfactor: stored}
}

/** One cluster for `show --json` (fields in this order: the cluster, cpu and memory, the VMs). */
export function clusterRecord(state: ClusterState): ClusterOverprovisionRecord {
  return {
    hosts: state.hostCount,
    hypervisortype: state.cluster.hypervisortype,
    id: state.cluster.id,
    name: state.cluster.name,
    podname: state.cluster.podname,
    zonename: state.cluster.zonename,
    // the printed order: the cluster, cpu, memory, then the VMs
    cpu: resourceRecord(state, 'cpu'),
    memory: resourceRecord(state, 'memory'),
    vmsonoldfactor: state.oldFactorVms.map((entry) => vmRecord(entry)),
  }
}

export interface CapacityRow {
  allocated: string
  /** The figures a bar is drawn from (not a column of csv). */
  amounts?: {allocated: number; total: number; used: number}
  cluster: string
  factor: string
  free: string
  hypervisor: string
  physical: string
  resource: string
  source: string
  used: string
  when?: string
  withoverprovisioning: string
}

function row(kind: ResourceKind, f: CapacityFigures, extra: Partial<CapacityRow>): CapacityRow {
  return {
    allocated: formatResource(kind, f.allocated),
    cluster: '',
    factor: formatFactor(f.factor),
    free: formatResource(kind, f.free),
    hypervisor: '',
    physical: formatResource(kind, f.physical),
    resource: kind,
    source: '',
    used: formatPercent(f.allocatedPercent),
    withoverprovisioning: formatResource(kind, f.withOverprovisioning),
    ...extra,
    amounts: {allocated: f.allocated, total: f.withOverprovisioning, used: f.allocated},
  }
}

/** Rows of `show` for one cluster: one per resource (an odd stored factor as stored, its figures unknown). */
export function clusterRows(state: ClusterState): CapacityRow[] {
  return RESOURCES.map((kind) => {
    const {source, stored} = state.factors[kind]
    const unknown = 'unknown'
    return row(kind, state.figures[kind], {
      cluster: state.cluster.name,
      hypervisor: state.cluster.hypervisortype ?? '',
      source,
      ...(stored === undefined
        ? {}
        : {factor: `${stored} (unusable)`, free: unknown, used: unknown, withoverprovisioning: unknown}),
    })
  })
}

/** "kvm-cluster-1 (KVM, zone-1 / pod-1, 4 hosts)" */
export function clusterHeading(state: ClusterState): string {
  const where = [state.cluster.zonename, state.cluster.podname].filter(Boolean).join(' / ')
  const hosts = `${state.hostCount} host${state.hostCount === 1 ? '' : 's'}`
  return `${state.cluster.name} (${[state.cluster.hypervisortype, where, hosts].filter(Boolean).join(', ')})`
}

/** Per-cluster block of the `show` table. */
export const CLUSTER_BLOCK_COLUMNS: Column<CapacityRow>[] = [
  {header: 'RESOURCE', key: 'resource'},
  {
    get: (r) => (r.source === 'global' ? `${r.factor} (global)` : r.factor),
    header: 'FACTOR',
    key: 'factor',
    shrink: false,
  },
  {header: 'PHYSICAL', key: 'physical', shrink: false},
  {header: 'OVERPROV.', key: 'withoverprovisioning', shrink: false},
  {header: 'ALLOCATED', key: 'allocated', shrink: false},
  {header: 'FREE', key: 'free', shrink: false},
  {header: 'USED', key: 'used', shrink: false},
]

/** Flat columns of `show -o csv`. */
export const SHOW_COLUMNS: Column<CapacityRow>[] = [
  {key: 'cluster'},
  {key: 'hypervisor'},
  {key: 'resource'},
  {key: 'factor'},
  {key: 'source'},
  {key: 'physical'},
  {key: 'withoverprovisioning'},
  {key: 'allocated'},
  {key: 'free'},
  {key: 'used'},
]

/** Rows of `set` for one changed resource: now / right after / after the VMs restart. */
export function projectionRows(p: FactorProjection): CapacityRow[] {
  return [
    row(p.kind, p.before, {when: 'now'}),
    row(p.kind, p.afterChange, {when: 'after change'}),
    row(p.kind, p.afterRestart, {when: 'after restarts'}),
  ]
}

/** Flat rows of `set -o csv`. */
export function planRows(plan: FactorChangePlan): CapacityRow[] {
  return plan.projections.flatMap((p) => projectionRows(p))
}

export const PROJECTION_COLUMNS: Column<CapacityRow>[] = [
  {header: 'WHEN', key: 'when', shrink: false},
  {header: 'FACTOR', key: 'factor', shrink: false},
  {header: 'PHYSICAL', key: 'physical', shrink: false},
  {header: 'OVERPROV.', key: 'withoverprovisioning', shrink: false},
  {header: 'ALLOCATED', key: 'allocated', shrink: false},
  {header: 'FREE', key: 'free', shrink: false},
  {header: 'USED', key: 'used', shrink: false},
]

export const PLAN_COLUMNS: Column<CapacityRow>[] = [
  {key: 'resource'},
  ...PROJECTION_COLUMNS.map((c) => ({key: c.key})),
]

/** "memory: mem.overprovisioning.factor 2.0 → 4.0" */
export function projectionHeading(p: FactorProjection): string {
  return `${p.kind}: ${FACTOR_SETTING[p.kind]} ${formatFactor(p.before.factor)} → ${formatFactor(p.afterChange.factor)}`
}

export interface OldFactorRow {
  cpu: string
  host: string
  memory: string
  name: string
}

export function oldFactorRows(entries: VmKeepingOldFactor[]): OldFactorRow[] {
  return entries.map((entry) => ({
    cpu: entry.keeps.cpu === undefined ? '' : formatFactor(entry.keeps.cpu),
    host: entry.vm.hostname ?? '',
    memory: entry.keeps.memory === undefined ? '' : formatFactor(entry.keeps.memory),
    name: entry.vm.name,
  }))
}

export const OLD_FACTOR_COLUMNS: Column<OldFactorRow>[] = [
  {header: 'VM', key: 'name', shrink: false},
  {header: 'HOST', key: 'host', shrink: false},
  {header: 'KEEPS CPU FACTOR', key: 'cpu'},
  {header: 'KEEPS MEMORY FACTOR', key: 'memory'},
]

/** An API call as one line: `updateConfiguration clusterid=… name=… value=…`. */
export function callLine(call: {command: string; params: Record<string, string>}): string {
  return [call.command, ...Object.entries(call.params).map(([k, v]) => `${k}=${v}`)].join(' ')
}

/** A running VM that keeps an older factor, in the `set --json` result. */
export type OldFactorVmRecord = {
  hostname?: string
  id: string
  /** Per changed resource: the factor the VM keeps until it is stopped and started. */
  keeps: Partial<Record<ResourceKind, number>>
  name: string
  state: string
}

/** One changed factor in the `set --json` result: the capacity before, right after the change and once the VMs restarted. */
export type FactorChangeRecord = {
  afterchange: FiguresRecord
  afterrestart: FiguresRecord
  before: FiguresRecord
  from: number
  resource: ResourceKind
  setting: string
  to: number
}

/** The `cluster overprovision set --json` result (its contract). */
export type FactorChangeResult = {
  applied: boolean
  changes: FactorChangeRecord[]
  cluster: {hypervisortype: string; id: string; name: string}
  vmskeepingoldfactor: OldFactorVmRecord[]
  warnings: string[]
}

/** The `set --json` result. */
export function planRecord(
  state: ClusterState,
  plan: FactorChangePlan,
  outcome: {applied: boolean; warnings: string[]},
): FactorChangeResult {
  return {
    applied: outcome.applied,
    changes: plan.projections.map((p) => ({
      afterchange: figuresRecord(p.afterChange),
      afterrestart: figuresRecord(p.afterRestart),
      before: figuresRecord(p.before),
      from: p.before.factor,
      resource: p.kind,
      setting: FACTOR_SETTING[p.kind],
      to: p.afterChange.factor,
    })),
    cluster: {hypervisortype: state.cluster.hypervisortype, id: state.cluster.id, name: state.cluster.name},
    vmskeepingoldfactor: plan.vmsKeepingOldFactor.map((entry) => vmRecord(entry)),
    warnings: outcome.warnings,
  }
}

/** `cpu     [##########.....|..|...]  52.08% allocated`: the bars under a cluster's block. */
export async function clusterBarLines(rows: readonly CapacityRow[], style: BarStyle): Promise<string[]> {
  return alignColumns(
    rows
      .filter((r) => r.amounts && r.used !== 'unknown')
      .map((r) => [r.resource, `${capacityBar(r.amounts!, style)}  ${r.used} allocated`]),
  )
}
