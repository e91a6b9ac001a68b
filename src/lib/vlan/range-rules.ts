// Guest VLAN (VNET) range arithmetic. Pure functions only: no I/O, no API types.
//
// A range is inclusive at both ends. A "normalized" list is sorted, and no two of its ranges
// overlap or touch (500-599 and 600-650 are one range, 500-650), which is exactly the form the
// management server stores and returns for a physical network's `vlan` field
// (generateVnetString: sorted, merged, comma-separated, a single VLAN written `700-700`).

import {UsageError} from '../core/errors.js'

export interface VlanRange {
  readonly end: number
  readonly start: number
}

/** The VNET ids a physical network accepts, chosen from its isolation methods as the server does. */
export interface VnetBounds {
  readonly max: number
  /** Isolation method that decided the bounds (VLAN, GRE or VXLAN). */
  readonly method: 'GRE' | 'VLAN' | 'VXLAN'
  readonly min: number
}

export const VLAN_BOUNDS: VnetBounds = {max: 4095, method: 'VLAN', min: 0}
export const GRE_BOUNDS: VnetBounds = {max: 4_294_967_295, method: 'GRE', min: 0}
export const VXLAN_BOUNDS: VnetBounds = {max: 16_777_214, method: 'VXLAN', min: 0}

/**
 * The server reads every VNET id with Java's Integer.parseInt, so nothing above 2^31-1 is ever
 * accepted, whatever the isolation method (this also caps GRE keys below their nominal maximum).
 */
export const LARGEST_PARSEABLE_VNET = 2_147_483_647

/**
 * Bounds for a physical network's isolation methods (the API's `isolationmethods`, a
 * comma-separated string or a list). Same precedence as the server: GRE first, then VXLAN
 * (or Netris, which uses VXLAN ids), otherwise VLAN.
 */
export function vnetBoundsFor(isolationMethods?: readonly string[] | string): VnetBounds {
  const methods = new Set(
    (typeof isolationMethods === 'string' ? isolationMethods.split(',') : (isolationMethods ?? []))
      .map((m) => m.trim().toUpperCase())
      .filter(Boolean),
  )
  if (methods.has('GRE')) return GRE_BOUNDS
  if (methods.has('VXLAN') || methods.has('NETRIS')) return VXLAN_BOUNDS
  return VLAN_BOUNDS
}

export function vlanRange(start: number, end: number = start): VlanRange {
  return {end, start}
}

// ---------------------------------------------------------------------------------------------
// Set operations. Every function accepts any list of ranges (unsorted, overlapping) and returns a
// normalized list.

/** Sorts and merges overlapping and adjacent ranges. Idempotent; independent of input order. */
export function normalizeRanges(ranges: readonly VlanRange[]): VlanRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end)
  const merged: VlanRange[] = []
  for (const range of sorted) {
    const last = merged.at(-1)
    if (last && range.start <= last.end + 1) {
      if (range.end > last.end) merged[merged.length - 1] = {end: range.end, start: last.start}
    } else {
      merged.push({end: range.end, start: range.start})
    }
  }

  return merged
}

export function unionRanges(a: readonly VlanRange[], b: readonly VlanRange[]): VlanRange[] {
  return normalizeRanges([...a, ...b])
}

/** The VLANs of `a` that are not in `b`; removing the middle of a range splits it in two. */
export function differenceRanges(a: readonly VlanRange[], b: readonly VlanRange[]): VlanRange[] {
  const cuts = normalizeRanges(b)
  const result: VlanRange[] = []
  for (const range of normalizeRanges(a)) {
    let {start} = range
    for (const cut of cuts) {
      if (cut.end < start) continue
      if (cut.start > range.end) break
      if (cut.start > start) result.push({end: cut.start - 1, start})
      start = cut.end + 1
      if (start > range.end) break
    }

    if (start <= range.end) result.push({end: range.end, start})
  }

  return result
}

export function intersectRanges(a: readonly VlanRange[], b: readonly VlanRange[]): VlanRange[] {
  const left = normalizeRanges(a)
  const right = normalizeRanges(b)
  const result: VlanRange[] = []
  let i = 0
  let j = 0
  while (i < left.length && j < right.length) {
    const start = Math.max(left[i].start, right[j].start)
    const end = Math.min(left[i].end, right[j].end)
    if (start <= end) result.push({end, start})
    if (left[i].end < right[j].end) i++
    else j++
  }

  return result
}

export function rangesContain(ranges: readonly VlanRange[], vlan: number): boolean {
  return ranges.some((r) => r.start <= vlan && vlan <= r.end)
}

/** True when every VLAN of `inner` is in `outer`. */
export function rangesCover(outer: readonly VlanRange[], inner: readonly VlanRange[]): boolean {
  return differenceRanges(inner, outer).length === 0
}

export function rangesOverlap(a: readonly VlanRange[], b: readonly VlanRange[]): boolean {
  return intersectRanges(a, b).length > 0
}

export function rangesEqual(a: readonly VlanRange[], b: readonly VlanRange[]): boolean {
  const left = normalizeRanges(a)
  const right = normalizeRanges(b)
  return (
    left.length === right.length && left.every((r, i) => r.start === right[i].start && r.end === right[i].end)
  )
}

/** How many distinct VLANs the ranges hold. */
export function countVlans(ranges: readonly VlanRange[]): number {
  return normalizeRanges(ranges).reduce((sum, r) => sum + (r.end - r.start + 1), 0)
}

/** Individual VLAN ids (e.g. the allocated ones) as a normalized list of ranges. */
export function rangesFromVlans(vlans: Iterable<number>): VlanRange[] {
  return normalizeRanges([...vlans].map((v) => ({end: v, start: v})))
}

/** The given VLAN ids that lie in the ranges, ascending and without duplicates. */
export function vlansWithin(vlans: Iterable<number>, ranges: readonly VlanRange[]): number[] {
  const normalized = normalizeRanges(ranges)
  return [...new Set(vlans)].filter((v) => rangesContain(normalized, v)).sort((a, b) => a - b)
}

// ---------------------------------------------------------------------------------------------
// Text forms.

/** The server's form: normalized, comma-separated, every range as start-end (`700-700`). */
export function formatServerVlanString(ranges: readonly VlanRange[]): string {
  return normalizeRanges(ranges)
    .map((r) => `${r.start}-${r.end}`)
    .join(',')
}

/** A compact form for people: a single VLAN as `700`, ranges as `500-599`. */
export function formatRange(range: VlanRange): string {
  return range.start === range.end ? `${range.start}` : `${range.start}-${range.end}`
}

export function formatRanges(ranges: readonly VlanRange[], separator = ','): string {
  return normalizeRanges(ranges)
    .map((r) => formatRange(r))
    .join(separator)
}

/** `VLAN 612` or `VLANs 600-610,612`: for messages. */
export function describeVlans(ranges: readonly VlanRange[]): string {
  const normalized = normalizeRanges(ranges)
  return `${countVlans(normalized) === 1 ? 'VLAN' : 'VLANs'} ${formatRanges(normalized)}`
}

/**
 * Reads a physical network's `vlan` field as the server returns it (`500-599,700-700`). Absent or
 * empty means no ranges. Throws a plain Error on anything else: that would be a server bug, not a
 * user mistake.
 */
export function parseServerVlanString(value?: string): VlanRange[] {
  if (value === undefined || value.trim() === '') return []
  return normalizeRanges(
    value.split(',').map((part) => {
      const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part)
      if (!match) throw new Error(`unexpected vlan string from the server: "${value}"`)
      return {end: Number(match[2]), start: Number(match[1])}
    }),
  )
}

const CLI_RANGE = /^(\d+)(?:-(\d+))?$/

/** Why a range typed by the operator was refused; `token` is the text as typed. */
export interface VlanRangeProblem {
  message: string
  token: string
}

/**
 * Checks one range in the CLI syntax (`500-599` or `700`) against syntax, start ≤ end and
 * bounds. Returns the range or the problem; never throws.
 */
export function checkVlanRangeToken(
  token: string,
  bounds?: VnetBounds,
): {problem: VlanRangeProblem; range?: undefined} | {problem?: undefined; range: VlanRange} {
  const text = token.trim()
  const match = CLI_RANGE.exec(text)
  if (!match) {
    return {
      problem: {
        message: `"${token}" is not a VLAN range: write START-END (e.g. 500-599) or a single VLAN (e.g. 700)`,
        token,
      },
    }
  }

  const start = Number(match[1])
  const end = match[2] === undefined ? start : Number(match[2])
  if (start > end) {
    return {
      problem: {message: `VLAN range ${text} is reversed: the start must not be greater than the end`, token},
    }
  }

  if (end > LARGEST_PARSEABLE_VNET) {
    return {
      problem: {
        message: `VLAN range ${text} is out of bounds: the server accepts VNET ids up to ${LARGEST_PARSEABLE_VNET} at most (0-4095 with VLAN isolation)`,
        token,
      },
    }
  }

  if (bounds && (start < bounds.min || end > bounds.max)) {
    return {
      problem: {
        message: `VLAN range ${text} is out of bounds: ${bounds.method} isolation allows ${bounds.min}-${bounds.max}`,
        token,
      },
    }
  }

  return {range: {end, start}}
}

/**
 * Parses the ranges typed on the command line: each argument is `500-599`, `700`, or several of
 * those separated by commas (so a value copied from the API, `500-599,700-700`, works too).
 * Returns them as typed (not merged), in order; throws a UsageError naming every bad one.
 */
export function parseCliVlanRanges(args: readonly string[], bounds?: VnetBounds): VlanRange[] {
  if (args.length === 0) throw new UsageError('give at least one VLAN range, e.g. 500-599 or 700')
  const ranges: VlanRange[] = []
  const problems: VlanRangeProblem[] = []
  for (const token of args.flatMap((arg) => arg.split(','))) {
    const checked = checkVlanRangeToken(token, bounds)
    if (checked.problem) problems.push(checked.problem)
    else ranges.push(checked.range)
  }

  if (problems.length > 0) throw new UsageError(problems.map((p) => p.message).join('; '))
  return ranges
}

/** Checks ranges (already parsed) against a physical network's bounds; throws a UsageError. */
export function assertWithinBounds(ranges: readonly VlanRange[], bounds: VnetBounds, where: string): void {
  const outside = ranges.filter((r) => r.start < bounds.min || r.end > bounds.max)
  if (outside.length === 0) return
  const list = outside.map((r) => formatRange(r)).join(',')
  const [noun, verb] = outside.length === 1 ? ['range', 'is'] : ['ranges', 'are']
  throw new UsageError(
    `VLAN ${noun} ${list} ${verb} out of bounds for ${where}: ${bounds.method} isolation allows ${bounds.min}-${bounds.max}`,
  )
}
