import type {MoldClient} from '../api/client.js'
import type {ApiObject, Params} from '../api/types.js'

import {fetchClusters, fetchHosts} from '../api/fetch.js'
import {UsageError} from '../core/errors.js'
import {resolveEntities, resolveEntity} from '../infra/resolve.js'
import {
  type OobmHost,
  oobmStatusRow,
  type OobmStatusRow,
  type ScopeEnablement,
  scopeOobmEnabled,
} from './rules.js'

/** How the operator named the hosts: some hosts, one cluster, one zone (or, where allowed, nothing = all). */
export interface HostSelection {
  cluster?: string
  hosts?: string[]
  zone?: string
}

export interface OobmTargets {
  /** The selected hosts, with cluster and zone names filled in. */
  hosts: OobmHost[]
  /** Where the hosts came from, for messages: "cluster kvm-a", "3 hosts". */
  scopeLabel: string
  /** OOBM enablement of every zone and cluster of the selected hosts. */
  scopes: ScopeEnablement
  /** listVirtualMachines parameters covering the hosts' scope (for counting running VMs). */
  vmScope?: Params
}

/**
 * Checks that exactly one of hosts, --cluster and --zone was given (or none, when `allowAll`),
 * before anything is sent to the server.
 */
export function checkSelection(selection: HostSelection, opts: {allowAll?: boolean} = {}): void {
  const given = [
    selection.hosts && selection.hosts.length > 0 ? 'HOST' : undefined,
    selection.cluster ? '--cluster' : undefined,
    selection.zone ? '--zone' : undefined,
  ].filter(Boolean)
  if (given.length > 1) throw new UsageError(`give only one of ${given.join(', ')}`)
  if (given.length === 0 && !opts.allowAll) {
    throw new UsageError('name the hosts: HOST..., --cluster CLUSTER or --zone ZONE')
  }
}

/** The hosts selected, with the zone and cluster enablement needed to judge them. */
export async function resolveOobmTargets(
  client: MoldClient,
  selection: HostSelection,
  opts: {allowAll?: boolean} = {},
): Promise<OobmTargets> {
  checkSelection(selection, opts)
  let hosts: OobmHost[]
  let scopeLabel: string
  let vmScope: Params | undefined
  // The zone of a cluster or zone selection is known before its hosts: its scopes are read meanwhile.
  let scopes: ScopeLists | undefined
  if (selection.hosts && selection.hosts.length > 0) {
    hosts = await resolveEntities<OobmHost>(client, 'host', selection.hosts)
    scopeLabel = hosts.length === 1 ? `host ${hosts[0].name}` : `${hosts.length} hosts`
  } else if (selection.cluster) {
    const cluster = await resolveEntity(client, 'cluster', selection.cluster)
    if (typeof cluster.zoneid === 'string') scopes = readScopes(client, new Set([cluster.zoneid]), true)
    hosts = await listRoutingHosts(client, {clusterid: cluster.id})
    scopeLabel = `cluster ${cluster.name}`
    vmScope = {clusterid: cluster.id}
  } else if (selection.zone) {
    const zone = await resolveEntity(client, 'zone', selection.zone)
    scopes = readScopes(client, new Set([zone.id]), true)
    hosts = await listRoutingHosts(client, {zoneid: zone.id})
    scopeLabel = `zone ${zone.name}`
    vmScope = {zoneid: zone.id}
  } else {
    hosts = await listRoutingHosts(client, {})
    scopeLabel = 'all hosts'
    vmScope = {}
  }

  return {hosts, scopeLabel, scopes: await scopeEnablement(client, hosts, scopes), vmScope}
}

/** Hypervisor hosts with the fields OOBM needs only (details=min keeps big clouds fast). */
async function listRoutingHosts(client: MoldClient, params: Params): Promise<OobmHost[]> {
  return fetchHosts(client, {...params, details: 'min', type: 'Routing'})
}

/** The zones and clusters read for a set of zone ids (zoneIds.size === 1: that zone's only). */
interface ScopeLists {
  lists: Promise<[ApiObject[], ApiObject[]]>
  zoneIds: Set<string>
}

function readScopes(client: MoldClient, zoneIds: Set<string>, anyHosts: boolean): ScopeLists {
  const [only] = zoneIds.size === 1 ? [...zoneIds] : []
  const lists = Promise.all([
    zoneIds.size === 0 ? [] : client.list('listZones', only === undefined ? {} : {id: only}),
    anyHosts ? fetchClusters(client, only === undefined ? {} : {zoneid: only}) : [],
  ])
  // Read ahead of the hosts: taken (and its failure thrown) only if the hosts are in that zone.
  lists.catch(() => {})
  return {lists, zoneIds}
}

/**
 * Reads the zones and clusters of the hosts (or takes those read ahead for the hosts' one zone);
 * fills in their names on the hosts.
 */
async function scopeEnablement(
  client: MoldClient,
  hosts: OobmHost[],
  ahead?: ScopeLists,
): Promise<ScopeEnablement> {
  const zoneIds = new Set(hosts.flatMap((h) => (h.zoneid ? [h.zoneid] : [])))
  const same = ahead && hosts.length > 0 && sameSet(ahead.zoneIds, zoneIds)
  const [zones, clusters] = await (same ? ahead : readScopes(client, zoneIds, hosts.length > 0)).lists
  const zoneNames = nameMap(zones)
  const clusterNames = nameMap(clusters)
  for (const host of hosts) {
    host.zonename ??= host.zoneid ? zoneNames.get(host.zoneid) : undefined
    host.clustername ??= host.clusterid ? clusterNames.get(host.clusterid) : undefined
  }

  return {
    clusters: new Map(clusters.map((c) => [String(c.id), scopeOobmEnabled(details(c))])),
    zones: new Map(zones.map((z) => [String(z.id), scopeOobmEnabled(details(z))])),
  }
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x))
}

function details(entity: ApiObject): Record<string, unknown> | undefined {
  return entity.resourcedetails as Record<string, unknown> | undefined
}

function nameMap(entities: ApiObject[]): Map<string, string> {
  return new Map(entities.map((e) => [String(e.id), String(e.name)]))
}

/** `oobm status`: one row per selected host, and where they came from (for the empty line). */
export async function oobmStatusRows(
  client: MoldClient,
  selection: HostSelection,
): Promise<{rows: OobmStatusRow[]; scopeLabel: string}> {
  const targets = await resolveOobmTargets(client, selection, {allowAll: true})
  return {
    rows: targets.hosts.map((host) => oobmStatusRow(host, targets.scopes)),
    scopeLabel: targets.scopeLabel,
  }
}
