import type {MoldClient} from '../api/client.js'
import type {ApiObject} from '../api/types.js'
import type {Column} from '../output/columns.js'

import {fetchHosts} from '../api/fetch.js'
import {resolveEntity} from './resolve.js'

/*
 * `host versions`: the admin guide ("Maintaining hypervisors") asks to keep every host patched
 * with the vendor's hotfixes and says Mold does not track them. What moldctl can show is what
 * the hosts report: the hypervisor version (hypervisorversion; for KVM the agent's host details)
 * and the OS and kernel details (HostInfo in apache/cloudstack: Hypervisor.Version, Host.OS,
 * Host.OS.Version, Host.OS.Kernel.Version). A cluster whose hosts report different values is
 * flagged: hosts of one cluster should be at the same patch level.
 */

export const VERSION_DETAILS = ['Hypervisor.Version', 'Host.OS', 'Host.OS.Version', 'Host.OS.Kernel.Version']

export interface HostVersionRow extends ApiObject {
  /** The facts in which the cluster's hosts differ (empty when they agree). */
  clusterdiffers: string[]
  clusterid: string
  clustername: string
  details: Record<string, string>
  hypervisor: string
  kernel?: string
  name: string
  os?: string
  version?: string
}

function facts(row: HostVersionRow): Record<string, string | undefined> {
  return {kernel: row.kernel, os: row.os, version: row.version}
}

/** The facts whose values differ between the hosts of each cluster. Pure. */
export function flagDifferences(rows: HostVersionRow[]): HostVersionRow[] {
  const byCluster = new Map<string, HostVersionRow[]>()
  for (const row of rows) byCluster.set(row.clusterid, [...(byCluster.get(row.clusterid) ?? []), row])
  return rows.map((row) => {
    const peers = byCluster.get(row.clusterid)!
    const differs = Object.keys(facts(row)).filter(
      (fact) => new Set(peers.map((p) => facts(p)[fact] ?? '')).size > 1,
    )
    return {...row, clusterdiffers: differs}
  })
}

export function versionRow(host: ApiObject): HostVersionRow {
  const details = (host.details as Record<string, string> | undefined) ?? {}
  const os = [details['Host.OS'], details['Host.OS.Version']].filter(Boolean).join(' ')
  return {
    clusterdiffers: [],
    clusterid: String(host.clusterid),
    clustername: String(host.clustername),
    details,
    hypervisor: String(host.hypervisor),
    id: host.id,
    ipaddress: host.ipaddress,
    kernel: details['Host.OS.Kernel.Version'],
    name: String(host.name),
    os: os || undefined,
    state: host.state,
    version: (host.hypervisorversion as string | undefined) ?? details['Hypervisor.Version'],
  }
}

export async function hostVersions(
  client: MoldClient,
  scope: {cluster?: string; zone?: string},
): Promise<HostVersionRow[]> {
  const clusterid = scope.cluster ? (await resolveEntity(client, 'cluster', scope.cluster)).id : undefined
  const zoneid = scope.zone ? (await resolveEntity(client, 'zone', scope.zone)).id : undefined
  const hosts = await fetchHosts(client, {clusterid, type: 'Routing', zoneid})
  const rows = hosts.map((h) => versionRow(h))
  rows.sort((a, b) => a.clustername.localeCompare(b.clustername) || a.name.localeCompare(b.name))
  return flagDifferences(rows)
}

/** One line per cluster whose hosts differ. */
export function differenceLines(rows: HostVersionRow[]): string[] {
  const seen = new Map<string, HostVersionRow>()
  for (const row of rows)
    if (row.clusterdiffers.length > 0 && !seen.has(row.clusterid)) seen.set(row.clusterid, row)
  return [...seen.values()].map((row) => {
    const hosts = rows.filter((r) => r.clusterid === row.clusterid)
    const what = row.clusterdiffers
      .map(
        (fact) => `${fact} (${[...new Set(hosts.map((h) => facts(h)[fact] ?? 'not reported'))].join(' / ')})`,
      )
      .join(', ')
    return `Cluster ${row.clustername}: its ${hosts.length} hosts differ in ${what}; the guide asks for the same patch level on every host`
  })
}

export const HOST_VERSION_COLUMNS: Column<HostVersionRow>[] = [
  {header: 'CLUSTER', key: 'clustername', shrink: false},
  {header: 'HOST', key: 'name', shrink: false},
  {header: 'HYPERVISOR', key: 'hypervisor'},
  {header: 'VERSION', key: 'version'},
  {header: 'OS', key: 'os'},
  {header: 'KERNEL', key: 'kernel'},
  {
    get: (r) => (r.clusterdiffers.length > 0 ? `differs: ${r.clusterdiffers.join(',')}` : 'same'),
    header: 'CLUSTER HOSTS',
    key: 'clusterdiffers',
  },
]
