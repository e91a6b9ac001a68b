// Planning `vlan range add` and `vlan range remove`. Pure: given what the physical network holds
// now (its ranges, the allocated VLANs and the dedicated ranges), compute the ranges it should
// hold afterwards and the exact `vlan` string to send to updatePhysicalNetwork, or the reasons to
// refuse. updatePhysicalNetwork replaces the whole set, so the string sent is always the complete
// result, never just the change.

import {
  countVlans,
  describeVlans,
  differenceRanges,
  formatServerVlanString,
  intersectRanges,
  normalizeRanges,
  rangesFromVlans,
  unionRanges,
  type VlanRange,
} from './range-rules.js'

/** Who holds a VLAN or a dedicated range: an account in a domain, or a project. */
export interface VlanOwner {
  account?: string
  domain?: string
  project?: string
}

export interface AllocatedVlan {
  /** Names of the networks using the VLAN, when known. */
  networks?: string[]
  owner: VlanOwner
  vlan: number
}

export interface DedicatedVlanRange {
  id: string
  owner: VlanOwner
  range: VlanRange
}

export interface VlanRangeChange {
  action: 'add' | 'remove'
  after: VlanRange[]
  before: VlanRange[]
  /** VLANs that the change adds or removes. Empty when there is nothing to do. */
  changed: VlanRange[]
  /** The requested VLANs, normalized. */
  requested: VlanRange[]
  /** Requested VLANs needing no change: already present (add) or not configured (remove). */
  unchanged: VlanRange[]
  /** The `vlan` parameter to send; undefined when there is nothing to do. */
  vlanParameter?: string
}

export interface VlanConflict {
  /** For dedicated conflicts: the dedicated range (id and full range), to release first. */
  dedicated?: DedicatedVlanRange
  kind: 'allocated' | 'dedicated'
  networks: string[]
  owner: VlanOwner
  /** The VLANs of the removal that conflict. */
  vlans: VlanRange[]
}

export interface VlanRangeRemoval extends VlanRangeChange {
  /** Non-empty means: refuse, send nothing. */
  conflicts: VlanConflict[]
}

export function describeOwner(owner: VlanOwner): string {
  if (owner.project) return `project ${owner.project}`
  if (owner.account)
    return owner.domain ? `account ${owner.account} (domain ${owner.domain})` : `account ${owner.account}`
  return 'an unknown owner'
}

/** Adds the requested ranges to the current ones; a range already covered needs no call. */
export function planVlanRangeAdd(
  current: readonly VlanRange[],
  requested: readonly VlanRange[],
): VlanRangeChange {
  const before = normalizeRanges(current)
  const wanted = normalizeRanges(requested)
  const changed = differenceRanges(wanted, before)
  const after = unionRanges(before, wanted)
  return {
    action: 'add',
    after,
    before,
    changed,
    requested: wanted,
    unchanged: intersectRanges(wanted, before),
    vlanParameter: changed.length > 0 ? formatServerVlanString(after) : undefined,
  }
}

/**
 * Removes the requested ranges from the current ones, unless a VLAN that would go is allocated
 * or lies in a dedicated range. Removing every range sends the empty string, which the server
 * reads as "no ranges".
 */
export function planVlanRangeRemove(
  current: readonly VlanRange[],
  requested: readonly VlanRange[],
  allocated: readonly AllocatedVlan[],
  dedicated: readonly DedicatedVlanRange[],
): VlanRangeRemoval {
  const before = normalizeRanges(current)
  const wanted = normalizeRanges(requested)
  const changed = intersectRanges(wanted, before)
  const after = differenceRanges(before, wanted)
  const conflicts = [...allocatedConflicts(changed, allocated), ...dedicatedConflicts(changed, dedicated)]
  return {
    action: 'remove',
    after,
    before,
    changed,
    conflicts,
    requested: wanted,
    unchanged: differenceRanges(wanted, before),
    vlanParameter: changed.length > 0 && conflicts.length === 0 ? formatServerVlanString(after) : undefined,
  }
}

function allocatedConflicts(
  removed: readonly VlanRange[],
  allocated: readonly AllocatedVlan[],
): VlanConflict[] {
  const byOwner = new Map<string, {networks: Set<string>; owner: VlanOwner; vlans: number[]}>()
  for (const entry of allocated) {
    if (intersectRanges(removed, [{end: entry.vlan, start: entry.vlan}]).length === 0) continue
    const key = describeOwner(entry.owner)
    const group = byOwner.get(key) ?? {networks: new Set<string>(), owner: entry.owner, vlans: []}
    group.vlans.push(entry.vlan)
    for (const network of entry.networks ?? []) group.networks.add(network)
    byOwner.set(key, group)
  }

  return [...byOwner.values()]
    .map((group) => ({
      kind: 'allocated' as const,
      networks: [...group.networks].sort(),
      owner: group.owner,
      vlans: rangesFromVlans(group.vlans),
    }))
    .sort((a, b) => a.vlans[0].start - b.vlans[0].start)
}

function dedicatedConflicts(
  removed: readonly VlanRange[],
  dedicated: readonly DedicatedVlanRange[],
): VlanConflict[] {
  return dedicated
    .map((entry) => ({entry, overlap: intersectRanges(removed, [entry.range])}))
    .filter(({overlap}) => overlap.length > 0)
    .sort((a, b) => a.entry.range.start - b.entry.range.start)
    .map(({entry, overlap}) => ({
      dedicated: entry,
      kind: 'dedicated' as const,
      networks: [],
      owner: entry.owner,
      vlans: overlap,
    }))
}

/** One sentence per conflict, naming the VLANs and to whom they belong. */
export function describeConflict(conflict: VlanConflict): string {
  const vlans = describeVlans(conflict.vlans)
  const verb = countVlans(conflict.vlans) === 1 ? 'is' : 'are'
  if (conflict.kind === 'allocated') {
    const networks = conflict.networks.length > 0 ? ` (network ${conflict.networks.join(', ')})` : ''
    return `${vlans} ${verb} allocated to ${describeOwner(conflict.owner)}${networks}`
  }

  const {id, range} = conflict.dedicated!
  return `${vlans} ${verb} dedicated to ${describeOwner(conflict.owner)} (dedicated range ${range.start}-${range.end}, id ${id})`
}
