import type {Host, HostCapacity, HostStatus, SimModel, SystemVmHost} from '../state/model.js'

import {SimApiError} from '../catalog/registry.js'
import {formatApiDate, formatPercent} from '../state/format.js'

/* The host response object of listHosts and the host APIs (HostJoinDaoImpl's field rules), and the `details` it holds. */

export type HostDetail = 'all' | 'capacity' | 'events' | 'min' | 'stats'
const HOST_DETAILS = new Set<HostDetail>(['all', 'capacity', 'events', 'min', 'stats'])

/** Events the Status state machine accepts from each status (shown in the `events` field). */
const STATUS_EVENTS: Partial<Record<HostStatus, string[]>> = {
  Alert: [
    'AgentConnected',
    'Ping',
    'Remove',
    'ManagementServerDown',
    'AgentDisconnected',
    'PingTimeout',
    'HostDown',
  ],
  Connecting: [
    'AgentConnected',
    'Ready',
    'Ping',
    'ManagementServerDown',
    'AgentDisconnected',
    'PingTimeout',
    'HostDown',
    'Remove',
  ],
  Disconnected: [
    'AgentConnected',
    'Ping',
    'WaitedTooLong',
    'ManagementServerDown',
    'AgentDisconnected',
    'PingTimeout',
    'HostDown',
    'Remove',
  ],
  Down: ['AgentConnected', 'Ping', 'Remove', 'ManagementServerDown', 'AgentDisconnected', 'PingTimeout'],
  Up: [
    'StartAgentRebalance',
    'AgentConnected',
    'ManagementServerDown',
    'PingTimeout',
    'ShutdownRequested',
    'HostDown',
    'AgentDisconnected',
    'Ping',
    'Remove',
  ],
}

/** The `outofbandmanagement` object of a host (password masked as first char + `****`). */
export function oobmSummary(host: Host): Record<string, unknown> {
  const {oobm} = host
  if (!oobm) return {enabled: false, powerstate: 'Disabled'}
  return {
    enabled: oobm.enabled,
    powerstate: oobm.enabled ? oobm.powerState : 'Disabled',
    driver: oobm.driver,
    address: oobm.address,
    port: oobm.port,
    username: oobm.username,
    password: oobm.password ? `${oobm.password.charAt(0)}****` : undefined,
  }
}

/** lastPingedDate's last date and its text: hosts pinged at once (a topology's) share it. */
let lastPing: undefined | {iso: string; text: string}

/** The server's `lastpinged` quirk: seconds-ish values shown as a date near 1970. */
function lastPingedDate(isoDate: string): string {
  if (lastPing?.iso !== isoDate)
    lastPing = {iso: isoDate, text: formatApiDate(Math.floor(Date.parse(isoDate) / 1024))}
  return lastPing.text
}

/** The capacity group of a HostResponse (details=capacity). */
function capacityGroup(host: Host, capacity: HostCapacity) {
  const cpuPercent = formatPercent(capacity.cpuAllocated, capacity.cpuWithOverprovisioning)
  return {
    cpuallocated: cpuPercent,
    cpuallocatedpercentage: cpuPercent,
    cpuallocatedvalue: capacity.cpuAllocated,
    cpuallocatedwithoverprovisioning: cpuPercent,
    cpunumber: host.cpuNumber,
    cpusockets: host.cpuSockets,
    cpuspeed: host.cpuSpeed,
    cpuwithoverprovisioning: String(Number(capacity.cpuWithOverprovisioning.toFixed(2))),
    gputotal: 0,
    gpuused: 0,
    memoryallocated: capacity.memoryAllocated,
    memoryallocatedbytes: capacity.memoryAllocated,
    memoryallocatedpercentage: formatPercent(capacity.memoryAllocated, capacity.memoryWithOverprovisioning),
    memorytotal: capacity.memoryTotal,
    memorywithoverprovisioning: String(Math.round(capacity.memoryWithOverprovisioning)),
  }
}

/** The statistics group of a HostResponse (details=stats), for hosts that are Up. */
function statsGroup(host: Host, capacity: HostCapacity) {
  return {
    cpuloadaverage: Number(((capacity.cpuAllocated / Math.max(1, host.cpuSpeed)) * 0.4).toFixed(2)),
    cpuused: formatPercent(capacity.cpuAllocated * 0.4, capacity.cpuTotal),
    memoryused: Math.round(capacity.memoryAllocated * 0.8),
    networkkbsread: Math.round(capacity.memoryAllocated / 65_536),
    networkkbswrite: Math.round(capacity.memoryAllocated / 131_072),
  }
}

/** The names of the zone, pod and cluster a host is in. */
function scopeNames(model: SimModel, host: Host) {
  const cluster = model.clusters.get(host.clusterId)
  return {
    clustername: cluster?.name,
    clustertype: cluster?.clusterType,
    podname: model.pods.get(host.podId)?.name,
    zonename: model.zones.get(host.zoneId)?.name,
  }
}

type Absent<T> = {[K in keyof T]: undefined}
const NO_CAPACITY: Absent<ReturnType<typeof capacityGroup>> = {
  cpuallocated: undefined,
  cpuallocatedpercentage: undefined,
  cpuallocatedvalue: undefined,
  cpuallocatedwithoverprovisioning: undefined,
  cpunumber: undefined,
  cpusockets: undefined,
  cpuspeed: undefined,
  cpuwithoverprovisioning: undefined,
  gputotal: undefined,
  gpuused: undefined,
  memoryallocated: undefined,
  memoryallocatedbytes: undefined,
  memoryallocatedpercentage: undefined,
  memorytotal: undefined,
  memorywithoverprovisioning: undefined,
}
const NO_STATS: Absent<ReturnType<typeof statsGroup>> = {
  cpuloadaverage: undefined,
  cpuused: undefined,
  memoryused: undefined,
  networkkbsread: undefined,
  networkkbswrite: undefined,
}
const NO_NAMES: Absent<ReturnType<typeof scopeNames>> = {
  clustername: undefined,
  clustertype: undefined,
  podname: undefined,
  zonename: undefined,
}

/** The `events` text of each status, joined once (every host of a listing has one). */
const STATUS_EVENT_TEXT = new Map(
  Object.entries(STATUS_EVENTS).map(([status, events]) => [status, events.join('; ')]),
)

function statusEvents(status: HostStatus): string {
  return STATUS_EVENT_TEXT.get(status) ?? 'AgentConnected; Remove'
}

/**
 * A HostResponse. `details` selects field groups like the API's `details` parameter;
 * `capacity` must be given for `all`/`capacity` (see SimModel.hostCapacities). Built as one
 * object literal in the answer's field order (absent groups undefined, which JSON leaves out):
 * a listing builds and serialises hundreds of them per page.
 */
export function hostResponse(
  model: SimModel,
  host: Host,
  capacity: HostCapacity | undefined,
  details: ReadonlySet<HostDetail> = new Set(['all']),
): Record<string, unknown> {
  const all = details.has('all')
  const withCapacity = all || details.has('capacity')
  const withStats = all || details.has('stats')
  const withNames = all || withCapacity || withStats || details.has('events')
  const cap = withCapacity && capacity ? capacityGroup(host, capacity) : NO_CAPACITY
  const stats = withStats && capacity && host.status === 'Up' ? statsGroup(host, capacity) : NO_STATS
  const names = withNames ? scopeNames(model, host) : NO_NAMES
  const tags = host.hostTags.length > 0 ? host.hostTags.join(',') : undefined
  const kvm = host.hypervisor === 'KVM'
  return {
    id: host.id,
    name: host.name,
    state: host.status,
    disconnected: host.disconnected,
    type: host.type,
    ipaddress: host.ipAddress,
    zoneid: host.zoneId,
    zonename: names.zonename,
    podid: host.podId,
    podname: names.podname,
    version: host.version,
    hypervisor: host.hypervisor,
    // The capacity group (details=capacity).
    cpusockets: cap.cpusockets,
    cpunumber: cap.cpunumber,
    cpuspeed: cap.cpuspeed,
    cpuallocated: cap.cpuallocated,
    cpuallocatedvalue: cap.cpuallocatedvalue,
    cpuallocatedpercentage: cap.cpuallocatedpercentage,
    cpuallocatedwithoverprovisioning: cap.cpuallocatedwithoverprovisioning,
    cpuwithoverprovisioning: cap.cpuwithoverprovisioning,
    memorytotal: cap.memorytotal,
    memorywithoverprovisioning: cap.memorywithoverprovisioning,
    memoryallocated: cap.memoryallocated,
    memoryallocatedpercentage: cap.memoryallocatedpercentage,
    memoryallocatedbytes: cap.memoryallocatedbytes,
    gputotal: cap.gputotal,
    gpuused: cap.gpuused,
    // The statistics group (details=stats).
    cpuused: stats.cpuused,
    cpuloadaverage: stats.cpuloadaverage,
    networkkbsread: stats.networkkbsread,
    networkkbswrite: stats.networkkbswrite,
    memoryused: stats.memoryused,
    capabilities: host.capabilities,
    lastpinged: lastPingedDate(host.lastPinged),
    managementserverid: host.managementServerId,
    managementservername: model.state.managementServer.name,
    clusterid: host.clusterId,
    clustername: names.clustername,
    clustertype: names.clustertype,
    islocalstorageactive: false,
    created: host.created,
    events: all || details.has('events') ? statusEvents(host.status) : undefined,
    hosttags: tags,
    explicithosttags: tags,
    hahost: host.haHost,
    hostha: {haenable: host.ha.enabled, hastate: host.ha.state, haprovider: host.ha.provider},
    outofbandmanagement: oobmSummary(host),
    resourcestate: host.resourceState,
    hypervisorversion: host.hypervisorVersion,
    details: all && kvm ? {...host.details} : undefined,
    annotation: host.annotation,
    hasannotations: host.annotation !== undefined,
    ueficapability: kvm,
    encryptionsupported: kvm,
    instanceconversionsupported: false,
    arch: 'x86_64',
  }
}

/**
 * The HostResponse of a system VM's host row: no cluster, hypervisor, capacity or statistics
 * (HostJoinDaoImpl fills those for Routing hosts only).
 */
export function systemVmHostResponse(
  model: SimModel,
  host: SystemVmHost,
  details: ReadonlySet<HostDetail> = new Set(['all']),
): Record<string, unknown> {
  const all = details.has('all')
  const withNames = all || details.has('capacity') || details.has('stats') || details.has('events')
  return {
    id: host.id,
    name: host.name,
    state: host.status,
    type: host.type,
    ipaddress: host.ipAddress,
    zoneid: host.zoneId,
    zonename: withNames ? model.zones.get(host.zoneId)?.name : undefined,
    podid: host.podId,
    podname: withNames ? model.pods.get(host.podId)?.name : undefined,
    version: host.version,
    lastpinged: lastPingedDate(host.lastPinged),
    managementserverid: host.managementServerId,
    managementservername: model.state.managementServer.name,
    islocalstorageactive: false,
    created: host.created,
    events: all || details.has('events') ? statusEvents(host.status) : undefined,
    hahost: false,
    hostha: {haenable: false, hastate: 'Disabled'},
    outofbandmanagement: {enabled: false, powerstate: 'Disabled'},
    resourcestate: host.resourceState,
    hasannotations: false,
    ueficapability: false,
    encryptionsupported: false,
    instanceconversionsupported: false,
    arch: 'x86_64',
  }
}

/** listHosts' `details`: which groups of fields a host response holds (all when none are given). */
export function parseDetails(values: string[] | undefined): Set<HostDetail> {
  if (!values || values.length === 0) return new Set(['all'])
  const result = new Set<HostDetail>()
  for (const value of values) {
    const detail = value.trim().toLowerCase() as HostDetail
    if (!HOST_DETAILS.has(detail)) {
      throw SimApiError.invalidParameter(
        'The details parameter contains a non permitted value. The allowed values are [min, all, capacity, events, stats]',
      )
    }

    result.add(detail)
  }

  return result
}
