/**
 * Capacity arithmetic for CPU (MHz) and memory (bytes), as the management server does it:
 * the total a cluster offers is the physical capacity times the cluster's overprovisioning
 * factor, and what is allocated to VMs is taken from that total. Pure functions only.
 */

export const MiB = 1024 * 1024
export const GiB = 1024 * MiB

export type ResourceKind = 'cpu' | 'memory'

export interface CapacityFigures {
  /** What is allocated to VMs, in the same unit. */
  allocated: number
  /** Share of the overprovisioned capacity that is allocated, 0–100+. */
  allocatedPercent: number
  factor: number
  /** Overprovisioned capacity minus allocation; negative when more is allocated than offered. */
  free: number
  /** Capacity before overprovisioning (sum of the hosts' CPU MHz or memory bytes). */
  physical: number
  /** Capacity after overprovisioning: physical × factor. */
  withOverprovisioning: number
}

/**
 * physical × factor, truncated to a whole MHz/byte as the server does. A product within binary
 * noise of a whole number (100 × 1.15 = 114.999…) is taken as that number, so no unit is lost.
 */
export function applyFactor(physical: number, factor: number): number {
  const product = physical * factor
  const nearest = Math.round(product)
  return Math.abs(product - nearest) <= 1e-9 * Math.max(1, Math.abs(product)) ? nearest : Math.floor(product)
}

export function capacityFigures(input: {
  allocated: number
  factor: number
  physical: number
}): CapacityFigures {
  const withOverprovisioning = applyFactor(input.physical, input.factor)
  return {
    allocated: input.allocated,
    allocatedPercent: withOverprovisioning > 0 ? (input.allocated / withOverprovisioning) * 100 : 0,
    factor: input.factor,
    free: withOverprovisioning - input.allocated,
    physical: input.physical,
    withOverprovisioning,
  }
}

/** Figures summed over several hosts (or clusters) of one factor. */
export function sumFigures(
  parts: Array<{allocated: number; physical: number}>,
  factor: number,
): CapacityFigures {
  let physical = 0
  let allocated = 0
  for (const part of parts) {
    physical += part.physical
    allocated += part.allocated
  }

  return capacityFigures({allocated, factor, physical})
}

function trimNumber(value: number, decimals: number): string {
  return Number(value.toFixed(decimals)).toString()
}

/** Memory the way the Mold UI writes it: binary units labelled GB/MB, up to two decimals. */
export function formatMemory(bytes: number): string {
  const sign = bytes < 0 ? '-' : ''
  const abs = Math.abs(bytes)
  if (abs >= 1024 * GiB) return `${sign}${trimNumber(abs / (1024 * GiB), 2)} TB`
  if (abs >= GiB) return `${sign}${trimNumber(abs / GiB, 2)} GB`
  if (abs >= MiB) return `${sign}${trimNumber(abs / MiB, 2)} MB`
  return `${sign}${abs} B`
}

/** CPU in GHz from 1000 MHz up, else MHz. */
export function formatCpu(mhz: number): string {
  const sign = mhz < 0 ? '-' : ''
  const abs = Math.abs(mhz)
  if (abs >= 1000) return `${sign}${trimNumber(abs / 1000, 2)} GHz`
  return `${sign}${trimNumber(abs, 2)} MHz`
}

export function formatResource(kind: ResourceKind, value: number): string {
  if (!Number.isFinite(value)) return 'unknown'
  return kind === 'cpu' ? formatCpu(value) : formatMemory(value)
}

/** A factor as the API writes it: "2.0", "1.5" (Java's Float.toString for ordinary values). */
export function formatFactor(factor: number): string {
  return Number.isInteger(factor) ? factor.toFixed(1) : String(factor)
}

export function formatPercent(percent: number): string {
  return `${trimNumber(percent, 2)}%`
}

/** What a capacity type counts, for choosing how to print its numbers. */
export type CapacityUnit = 'bytes' | 'count' | 'mhz'

export interface CapacityType {
  code: number
  name: string
  unit: CapacityUnit
}

/** listCapacity type codes (Capacity.java; OBJECT/BACKUP storage in newer versions). */
export const CAPACITY_TYPES: readonly CapacityType[] = [
  {code: 0, name: 'MEMORY', unit: 'bytes'},
  {code: 1, name: 'CPU', unit: 'mhz'},
  {code: 2, name: 'STORAGE', unit: 'bytes'},
  {code: 3, name: 'STORAGE_ALLOCATED', unit: 'bytes'},
  {code: 4, name: 'VIRTUAL_NETWORK_PUBLIC_IP', unit: 'count'},
  {code: 5, name: 'PRIVATE_IP', unit: 'count'},
  {code: 6, name: 'SECONDARY_STORAGE', unit: 'bytes'},
  {code: 7, name: 'VLAN', unit: 'count'},
  {code: 8, name: 'DIRECT_ATTACHED_PUBLIC_IP', unit: 'count'},
  {code: 9, name: 'LOCAL_STORAGE', unit: 'bytes'},
  {code: 10, name: 'VIRTUAL_NETWORK_IPV6_SUBNET', unit: 'count'},
  {code: 19, name: 'GPU', unit: 'count'},
  {code: 20, name: 'OBJECT_STORAGE', unit: 'bytes'},
  {code: 21, name: 'BACKUP_STORAGE', unit: 'bytes'},
  {code: 90, name: 'CPU_CORE', unit: 'count'},
]

export function capacityTypeByCode(code: number): CapacityType | undefined {
  return CAPACITY_TYPES.find((t) => t.code === code)
}

/** A type given by name (any case, `-` or `_`) or by its number. */
export function capacityTypeFromInput(input: string): CapacityType | undefined {
  const trimmed = input.trim()
  if (/^\d+$/.test(trimmed)) return capacityTypeByCode(Number(trimmed))
  const name = trimmed.toUpperCase().replaceAll('-', '_')
  return CAPACITY_TYPES.find((t) => t.name === name)
}

export function formatCapacityValue(unit: CapacityUnit, value: number): string {
  if (unit === 'bytes') return formatMemory(value)
  if (unit === 'mhz') return formatCpu(value)
  return String(value)
}

/**
 * Usage levels follow the server's default capacity thresholds: notification at 75 %
 * (`cluster.*.allocated.capacity.notificationthreshold` = 0.75) and allocation disabled at 85 %
 * (`cluster.*.allocated.capacity.disablethreshold` = 0.85).
 */
export const USAGE_WARNING_PERCENT = 75
export const USAGE_CRITICAL_PERCENT = 85

export type UsageLevel = 'critical' | 'normal' | 'warning'

export const DEFAULT_USAGE_THRESHOLDS = {critical: USAGE_CRITICAL_PERCENT, warning: USAGE_WARNING_PERCENT}

export function usageLevel(
  percent: number,
  thresholds: {critical: number; warning: number} = DEFAULT_USAGE_THRESHOLDS,
): UsageLevel {
  if (percent >= thresholds.critical) return 'critical'
  if (percent >= thresholds.warning) return 'warning'
  return 'normal'
}
