import type {Account, DedicatedVlanRange, PhysicalNetwork, SimModel, Zone} from '../state/model.js'

import {SimApiError} from '../catalog/registry.js'

/*
 * Guest VNET ranges of physical networks, as NetworkServiceImpl and
 * DedicatedGuestVlanRangeServiceImpl handle them. updatePhysicalNetwork's `vlan` REPLACES the whole
 * set of VNET ranges (addOrRemoveVnets): VNETs not listed are removed, refused if allocated or (by
 * the server's own endpoint test) overlapping a dedicated range; the stored string is sorted and
 * merged (generateVnetString). Dedication: inside a range, not already dedicated, allocated VNETs
 * only of the same owner, adjacent ranges of one owner merged.
 * The simulator keeps its own range helpers: it must not share the client's arithmetic.
 */

export type Pair = [number, number]

const MIN_VNET = 0
const MAX_VLAN = 4095
const MAX_GRE_KEY = 4_294_967_295
const MAX_VXLAN_VNI = 16_777_214
const INT_MAX = 2_147_483_647

// ----- Java semantics the server's parsing relies on ------------------------------------------

/** String.split(literal): trailing empty strings dropped; "" gives [""]. */
function javaSplit(text: string, separator: string): string[] {
  if (text === '') return ['']
  const parts = text.split(separator)
  while (parts.length > 0 && parts.at(-1) === '') parts.pop()
  return parts
}

/** Integer.parseInt: optional sign, decimal digits, 32-bit; undefined where Java throws. */
function javaParseInt(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined
  const n = Number(text)
  return n > INT_MAX || n < -INT_MAX - 1 ? undefined : n
}

// ----- ranges (merged, sorted [start, end] pairs) ---------------------------------------------

export function mergePairs(pairs: readonly Pair[]): Pair[] {
  const sorted = pairs.map((p): Pair => [p[0], p[1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const out: Pair[] = []
  for (const [start, end] of sorted) {
    const last = out.at(-1)
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end)
    else out.push([start, end])
  }

  return out
}

function subtractPairs(from: readonly Pair[], cut: readonly Pair[]): Pair[] {
  let rest = mergePairs(from)
  for (const [cs, ce] of mergePairs(cut)) {
    rest = rest.flatMap(([s, e]): Pair[] => {
      if (ce < s || cs > e) return [[s, e]]
      const pieces: Pair[] = []
      if (cs > s) pieces.push([s, cs - 1])
      if (ce < e) pieces.push([ce + 1, e])
      return pieces
    })
  }

  return rest
}

/** generateVnetString: "500-1000,1200-1300", a single VNET as "700-700"; undefined when empty. */
export function vnetString(pairs: readonly Pair[]): string | undefined {
  const merged = mergePairs(pairs)
  return merged.length > 0 ? merged.map(([s, e]) => `${s}-${e}`).join(',') : undefined
}

export function inPairs(pairs: readonly Pair[], vnet: number): boolean {
  return pairs.some(([s, e]) => s <= vnet && vnet <= e)
}

// ----- entity text as the server's toString() writes it in messages ----------------------------

export function physicalNetworkText(pn: PhysicalNetwork): string {
  return `PhysicalNetwork ${JSON.stringify({id: pn.internalId, uuid: pn.id, name: pn.name})}.`
}

function zoneText(zone: Zone): string {
  return `Zone ${JSON.stringify({id: zone.internalId, uuid: zone.id, name: zone.name})}`
}

/** The owner a dedicated range is compared with: the project, or the account. */
export function dedicationOwner(range: DedicatedVlanRange): string {
  return range.projectId ? `project:${range.projectId}` : `account:${range.accountId}`
}

// ----- updatePhysicalNetwork's vnet rules -----------------------------------------------------

function boundsFor(pn: PhysicalNetwork): {max: number; vxlan: boolean} {
  if (pn.isolationMethods.includes('GRE')) return {max: MAX_GRE_KEY, vxlan: false}
  if (pn.isolationMethods.includes('VXLAN') || pn.isolationMethods.includes('Netris')) {
    return {max: MAX_VXLAN_VNI, vxlan: true}
  }

  return {max: MAX_VLAN, vxlan: false}
}

/** validateVlanRange: the ranges given, in order (an empty element ends the list, as on the server). */
function validateVlanRanges(model: SimModel, pn: PhysicalNetwork, elements: string[]): Pair[] {
  const {max, vxlan} = boundsFor(pn)
  const rangeMessage = ` between ${MIN_VNET} and ${max}`
  const tokens: Pair[] = []
  for (const element of elements) {
    const parts = javaSplit(element, '-')
    if (vxlan) checkVniUnique(model, pn, parts)
    if (parts.length === 1 && parts[0] === '') return tokens
    if (parts.length < 2) {
      throw SimApiError.invalidParameter(
        `Please provide valid vnet range. vnet range should be a comma separated list of vlan ranges. example 500-500,600-601${rangeMessage}`,
      )
    }

    const start = javaParseInt(parts[0])
    const end = javaParseInt(parts[1])
    if (start === undefined || end === undefined) {
      throw SimApiError.invalidParameter(
        `Please provide valid vnet range. The vnet range should be a comma separated list example 2001-2012,3000-3005.${rangeMessage}`,
      )
    }

    if (start < MIN_VNET || end > max)
      throw SimApiError.invalidParameter(`Vnet range has to be${rangeMessage}`)
    if (start > end) {
      throw SimApiError.invalidParameter(
        `Vnet range has to be${rangeMessage} and start range should be lesser than or equal to stop range`,
      )
    }

    tokens.push([start, end])
  }

  return tokens
}

/** VXLAN: each VNI written in the range (its ends) must not exist on another physical network of the zone. */
function checkVniUnique(model: SimModel, pn: PhysicalNetwork, parts: string[]): void {
  for (const text of parts) {
    const vni = javaParseInt(text)
    if (vni === undefined) continue
    const other = model.state.physicalNetworks.find(
      (p) => p.id !== pn.id && p.zoneId === pn.zoneId && inPairs(p.vlanRanges, vni),
    )
    if (other) {
      const zone = model.zones.get(pn.zoneId)!
      throw SimApiError.invalidParameter(
        `VNI ${text} already exists on another network in zone (${zoneText(zone)}), please specify a unique range`,
      )
    }
  }
}

/** getVnetsToremove: refuses removals of allocated VNETs or of ranges touching a dedicated one. */
function checkRemovals(model: SimModel, pn: PhysicalNetwork, wanted: Pair[]): void {
  const allocated = pn.vnetsAllocated.map((a) => a.vnet)
  if (wanted.length === 0) {
    if (allocated.length > 0 && pn.vlanRanges.length > 0) {
      throw SimApiError.invalidParameter(
        `physicalnetwork ${physicalNetworkText(pn)} has ${allocated.length} vnets in use`,
      )
    }

    return
  }

  const dedicated = model.state.dedicatedVlanRanges.filter((d) => d.physicalNetworkId === pn.id)
  for (const [start, end] of subtractPairs(pn.vlanRanges, wanted)) {
    if (allocated.some((v) => v >= start && v <= end)) {
      throw SimApiError.invalidParameter(
        `physicalnetwork ${physicalNetworkText(pn)} has allocated vnets in the range ${start}-${end}`,
      )
    }

    for (const d of dedicated) {
      // The server tests only the ends of the removed range against each dedicated range.
      if ((start >= d.start && start <= d.end) || (end >= d.start && end <= d.end)) {
        throw SimApiError.invalidParameter(
          `Vnet range ${d.start}-${d.end} is dedicated to an account. The specified range ${start}-${end} overlaps with the dedicated range  Please release the overlapping dedicated range before deleting the range`,
        )
      }
    }
  }
}

export function updateVnets(model: SimModel, pn: PhysicalNetwork, vlan: string): Pair[] | undefined {
  const elements = javaSplit(vlan, ',')
  if (elements.length === 0) return undefined
  const wanted = validateVlanRanges(model, pn, elements)
  checkRemovals(model, pn, wanted)
  return mergePairs(wanted)
}

// ----- dedicateGuestVlanRange's rules ---------------------------------------------------------

export interface Owner {
  account?: Account
  key: string
  projectId?: string
}

export function dedicationOwnerFor(
  model: SimModel,
  params: {account?: string; domainid?: string; projectid?: string},
): Owner {
  let owner: Owner | undefined
  if (params.projectid !== undefined) {
    if (params.account !== undefined)
      throw SimApiError.invalidParameter('accountName and projectId are mutually exclusive')
    owner = {key: `project:${params.projectid}`, projectId: params.projectid}
  }

  if (params.account !== undefined && params.domainid !== undefined) {
    const account = model.state.accounts.find(
      (a) => a.name === params.account && a.domainId === params.domainid,
    )
    owner = account ? {account, key: `account:${account.id}`} : undefined
  }

  if (!owner) throw SimApiError.invalidParameter(`Unable to find account by name ${params.account ?? 'null'}`)
  return owner
}

/** The range asked for, checked as the server checks it before looking at VNETs and dedications. */
function parseDedicationRange(pn: PhysicalNetwork, vlanrange: string): Pair {
  const isolation = pn.isolationMethods
  if (isolation.length > 0 && !isolation.includes('VLAN') && !isolation.includes('VXLAN')) {
    throw SimApiError.invalidParameter(
      `Cannot dedicate guest VLAN range. Physical isolation type of Network ${physicalNetworkText(pn)} is not VLAN nor VXLAN`,
    )
  }

  const parts = javaSplit(vlanrange, '-')
  if (parts.length !== 2) {
    throw SimApiError.invalidParameter(
      `Invalid format for parameter value vlan ${vlanrange} .VLAN should be specified as 'startvlan-endvlan'`,
    )
  }

  const start = javaParseInt(parts[0])
  const end = javaParseInt(parts[1])
  if (start === undefined || end === undefined) {
    throw SimApiError.invalidParameter('Please provide valid guest vlan range')
  }

  if (pn.vlanRanges.length > 0 && !pn.vlanRanges.some(([s, e]) => start <= end && start >= s && end <= e)) {
    throw SimApiError.invalidParameter(`Unable to find guest vlan by range ${vlanrange}`)
  }

  return [start, end]
}

/** Every VNET must exist and be free or the owner's; the range must not touch a dedicated one. */
function checkDedicationVnets(
  model: SimModel,
  pn: PhysicalNetwork,
  owner: Owner,
  request: {range: Pair; text: string},
): void {
  const [start, end] = request.range
  for (let vnet = start; vnet <= end; vnet++) {
    if (!inPairs(pn.vlanRanges, vnet)) {
      throw SimApiError.invalidParameter(
        `Guest VLAN ${vnet} from this range ${start}-${end} is not present in the system for physical network ID: ${pn.id}`,
      )
    }

    const taken = pn.vnetsAllocated.find((a) => a.vnet === vnet)
    if (taken && `account:${taken.accountId}` !== owner.key) {
      throw SimApiError.invalidParameter(
        `Guest VLAN from this range ${vnet} is allocated to a different Account. Can only dedicate a range which has no allocated VLANs or has VLANs allocated to the same Account `,
      )
    }
  }

  for (const d of model.state.dedicatedVlanRanges) {
    if (d.physicalNetworkId !== pn.id) continue
    if ((start < d.start && end >= d.start) || (start >= d.start && start <= d.end)) {
      throw SimApiError.invalidParameter(
        `Vlan range is already dedicated. Cannot dedicate guest vlan range ${request.text}`,
      )
    }
  }
}

export function dedicate(
  model: SimModel,
  pn: PhysicalNetwork,
  owner: Owner,
  vlanrange: string,
): DedicatedVlanRange {
  const [start, end] = parseDedicationRange(pn, vlanrange)
  checkDedicationVnets(model, pn, owner, {range: [start, end], text: vlanrange})
  const maps = model.state.dedicatedVlanRanges.filter((d) => d.physicalNetworkId === pn.id)
  // Extend an adjacent range of the same owner (to the left, the right, or both), as the server does.
  const sorted = [...maps].sort((a, b) => a.start - b.start)
  for (const [i, d] of sorted.entries()) {
    if (end === d.start - 1) {
      if (dedicationOwner(d) === owner.key) {
        d.start = start
        return d
      }

      break
    }

    if (start === d.end + 1 && dedicationOwner(d) === owner.key) {
      const next = sorted[i + 1]
      if (next && end === next.start - 1 && dedicationOwner(next) === owner.key) {
        model.state.dedicatedVlanRanges = model.state.dedicatedVlanRanges.filter((x) => x.id !== next.id)
        model.dedicatedVlanRanges.delete(next.id)
        d.end = next.end
        return d
      }

      d.end = end
      return d
    }
  }

  const record: DedicatedVlanRange = {
    accountId: owner.account?.id,
    domainId: owner.account?.domainId ?? model.projects.get(owner.projectId!)!.domainId,
    end,
    id: model.newId('dedicatedvlanrange'),
    internalId: model.newInternalId(),
    physicalNetworkId: pn.id,
    projectId: owner.projectId,
    start,
  }
  model.state.dedicatedVlanRanges.push(record)
  model.dedicatedVlanRanges.set(record.id, record)
  return record
}
