import type {Vm} from '../api/models.js'

import {UsageError} from '../core/errors.js'
/**
 * Cluster overprovisioning factors: parsing and checking a requested factor, reading a cluster's
 * effective factors, and working out which running VMs keep their old factor after a change.
 * Pure functions; the commands fetch the data and call these.
 */
import {capacityFigures, type CapacityFigures, type ResourceKind} from './capacity-rules.js'

/** The global settings that hold the defaults; also the names used with a cluster id. */
export const FACTOR_SETTING: Record<ResourceKind, string> = {
  cpu: 'cpu.overprovisioning.factor',
  memory: 'mem.overprovisioning.factor',
}

/** Where a cluster's own value is kept (cluster_details, listClusters' resourcedetails). */
export const CLUSTER_DETAIL_KEY: Record<ResourceKind, string> = {
  cpu: 'cpuOvercommitRatio',
  memory: 'memoryOvercommitRatio',
}

/** The same keys are written into a VM's details when it starts in an overprovisioned cluster. */
export const VM_DETAIL_KEY = CLUSTER_DETAIL_KEY

export const XENSERVER_MAX_FACTOR = 4

/** The admin guide's words ("Overprovisioning and Service Offering Limits"). */
export const XENSERVER_LIMIT_REASON =
  'In XenServer, due to a constraint of this hypervisor, you can not use an over-provisioning factor greater than 4.'

const DECIMAL = /^\+?(\d+(\.\d*)?|\.\d+)$/

/**
 * A factor as typed by the operator: a plain decimal number greater than 0. (The server accepts
 * anything Java's Float.parseFloat does, NaN and Infinity included; we do not.)
 */
export function parseFactor(raw: string, flag: string): number {
  const text = raw.trim()
  if (!DECIMAL.test(text)) {
    throw new UsageError(`${flag} must be a number greater than 0, got "${raw}"`, [
      'for example --cpu 2 or --memory 1.5; 1 means no overprovisioning',
    ])
  }

  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${flag} must be a number greater than 0, got "${raw}"`, [
      'for example --cpu 2 or --memory 1.5; 1 means no overprovisioning',
    ])
  }

  return value
}

/** The change asked for with --cpu and/or --memory; at least one is needed. */
export function parseFactorChange(flags: {
  cpu?: string
  memory?: string
}): Partial<Record<ResourceKind, number>> {
  if (flags.cpu === undefined && flags.memory === undefined) {
    throw new UsageError('nothing to change: give --cpu FACTOR and/or --memory FACTOR', [
      'see the current factors with: moldctl cluster overprovision show',
    ])
  }

  const change: Partial<Record<ResourceKind, number>> = {}
  if (flags.cpu !== undefined) change.cpu = parseFactor(flags.cpu, '--cpu')
  if (flags.memory !== undefined) change.memory = parseFactor(flags.memory, '--memory')
  return change
}

/**
 * The XenServer limit from the admin guide. Refused unless forced; when forced, the returned
 * warning says what was overridden.
 */
export function checkFactorForHypervisor(
  factor: number,
  hypervisor: string | undefined,
  opts: {clusterName: string; flag: string; force: boolean},
): string | undefined {
  if ((hypervisor ?? '').toLowerCase() !== 'xenserver' || factor <= XENSERVER_MAX_FACTOR) return undefined
  const what = `${opts.flag} ${factor} on XenServer cluster ${opts.clusterName}`
  if (!opts.force) {
    throw new UsageError(`${what} is refused: the admin guide says "${XENSERVER_LIMIT_REASON}"`, [
      `use a factor of ${XENSERVER_MAX_FACTOR} or less, or add --force if you know better`,
    ])
  }

  return `${what} exceeds the admin guide's limit of ${XENSERVER_MAX_FACTOR} (--force): "${XENSERVER_LIMIT_REASON}"`
}

export type FactorSource = 'cluster' | 'global'

export interface EffectiveFactor {
  /** `cluster` when the cluster has its own value, `global` when it inherits the default. */
  source: FactorSource
  /**
   * The stored text when it is no usable factor (`1e309`, `NaN`, `abc`, `-1`): the server keeps
   * such values; `value` is then NaN and capacity cannot be computed. Shown as stored, never
   * replaced by a default.
   */
  stored?: string
  value: number
}

/** A global default as read from listConfigurations; `stored` as in EffectiveFactor. */
export interface GlobalFactor {
  stored?: string
  value: number
}

/** A stored factor's text read: a usable factor, or the odd text kept as it is. */
export function readStoredFactor(text: string | undefined): GlobalFactor | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const value = parseApiFactor(text)
  return value === undefined ? {stored: text, value: Number.NaN} : {value}
}

export interface ClusterFactorFields {
  cpuovercommitratio?: string
  memoryovercommitratio?: string
  resourcedetails?: Record<string, string>
}

function parseApiFactor(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const value = Number(text)
  return Number.isFinite(value) && value > 0 ? value : undefined
}

/**
 * A cluster's factor for one resource from its listClusters record, falling back to the global
 * default when the cluster has no value of its own.
 */
export function effectiveFactor(
  cluster: ClusterFactorFields,
  kind: ResourceKind,
  globalDefault: GlobalFactor | number,
): EffectiveFactor {
  const own = readStoredFactor(cluster.resourcedetails?.[CLUSTER_DETAIL_KEY[kind]])
  if (own) return {source: 'cluster', ...own}
  const shown = readStoredFactor(kind === 'cpu' ? cluster.cpuovercommitratio : cluster.memoryovercommitratio)
  const fallback = typeof globalDefault === 'number' ? {value: globalDefault} : globalDefault
  return {source: 'global', ...(shown ?? fallback)}
}

/** The parts of a listVirtualMachines record this module needs. */
export type ApiVm = Partial<
  Pick<Vm, 'cpunumber' | 'cpuspeed' | 'details' | 'hostname' | 'instancename' | 'memory' | 'name' | 'state'>
> &
  Pick<Vm, 'id'>

export interface VmFactorView {
  cpuMhz: number
  hostname?: string
  id: string
  memoryBytes: number
  name: string
  /** The factors the VM started with; 1 when the server recorded none. */
  startFactor: Record<ResourceKind, number>
  /** Whether the server recorded the start factor (it does once a factor above 1 was in force). */
  startFactorRecorded: Record<ResourceKind, boolean>
  state: string
}

/** States in which a VM holds capacity under the factor it was started with. */
const UP_STATES = new Set(['Migrating', 'Running'])

export function vmFactorView(vm: ApiVm): VmFactorView {
  const cpu = parseApiFactor(vm.details?.[VM_DETAIL_KEY.cpu])
  const memory = parseApiFactor(vm.details?.[VM_DETAIL_KEY.memory])
  return {
    cpuMhz: (vm.cpunumber ?? 0) * (vm.cpuspeed ?? 0),
    hostname: vm.hostname,
    id: vm.id,
    memoryBytes: (vm.memory ?? 0) * 1024 * 1024,
    name: vm.name ?? vm.instancename ?? vm.id,
    startFactor: {cpu: cpu ?? 1, memory: memory ?? 1},
    startFactorRecorded: {cpu: cpu !== undefined, memory: memory !== undefined},
    state: vm.state ?? 'Unknown',
  }
}

export type FactorChange = Partial<Record<ResourceKind, number>>

export interface VmKeepingOldFactor {
  /** Per changed resource: the factor the VM keeps until it is stopped and started. */
  keeps: Partial<Record<ResourceKind, number>>
  vm: VmFactorView
}

/**
 * Running VMs that started under a different factor than the new one: they keep their old
 * factor until they are stopped and started again (a reboot is not enough).
 */
export function vmsKeepingOldFactor(vms: VmFactorView[], change: FactorChange): VmKeepingOldFactor[] {
  const result: VmKeepingOldFactor[] = []
  for (const vm of vms) {
    if (!UP_STATES.has(vm.state)) continue
    const keeps: Partial<Record<ResourceKind, number>> = {}
    for (const kind of ['cpu', 'memory'] as const) {
      const next = change[kind]
      if (next !== undefined && vm.startFactor[kind] !== next) keeps[kind] = vm.startFactor[kind]
    }

    if (Object.keys(keeps).length > 0) result.push({keeps, vm})
  }

  return result.sort((a, b) => a.vm.name.localeCompare(b.vm.name))
}

function vmSize(vm: VmFactorView, kind: ResourceKind): number {
  return kind === 'cpu' ? vm.cpuMhz : vm.memoryBytes
}

/**
 * What the server counts as allocated for the running VMs of a cluster whose factor is
 * `clusterFactor`: a VM started under factor f holds size / f of the physical capacity, which is
 * size / f × clusterFactor in overprovisioned units. Where no start factor was recorded the
 * server uses the cluster's current factor, so such a VM counts its plain size.
 */
export function allocatedUnderFactor(vms: VmFactorView[], kind: ResourceKind, clusterFactor: number): number {
  let total = 0
  for (const vm of vms) {
    if (!UP_STATES.has(vm.state)) continue
    const size = vmSize(vm, kind)
    total += vm.startFactorRecorded[kind] ? (size / vm.startFactor[kind]) * clusterFactor : size
  }

  return Math.round(total)
}

/** Allocation once every running VM has been stopped and started under the cluster's factor. */
export function allocatedAfterRestart(vms: VmFactorView[], kind: ResourceKind): number {
  let total = 0
  for (const vm of vms) if (UP_STATES.has(vm.state)) total += vmSize(vm, kind)
  return total
}

export interface FactorProjection {
  /** Right after the change, while running VMs still hold their old factor. */
  afterChange: CapacityFigures
  /** Once the VMs that keep the old factor have been stopped and started. */
  afterRestart: CapacityFigures
  before: CapacityFigures
  kind: ResourceKind
}

/**
 * Capacity of one resource before a factor change, right after it, and after the running VMs
 * have been restarted. `allocatedNow` is what the server reports today (it also includes
 * capacity reserved for recently stopped VMs, which does not depend on the factor).
 */
export function projectFactorChange(input: {
  allocatedNow: number
  kind: ResourceKind
  newFactor: number
  oldFactor: number
  physical: number
  vms: VmFactorView[]
}): FactorProjection {
  const {allocatedNow, kind, newFactor, oldFactor, physical, vms} = input
  const reservedElsewhere = allocatedNow - allocatedUnderFactor(vms, kind, oldFactor)
  const afterChange = Math.max(0, reservedElsewhere) + allocatedUnderFactor(vms, kind, newFactor)
  const afterRestart = Math.max(0, reservedElsewhere) + allocatedAfterRestart(vms, kind)
  return {
    afterChange: capacityFigures({allocated: afterChange, factor: newFactor, physical}),
    afterRestart: capacityFigures({allocated: afterRestart, factor: newFactor, physical}),
    before: capacityFigures({allocated: allocatedNow, factor: oldFactor, physical}),
    kind,
  }
}
