import type {Account, Domain, PhysicalNetwork, Pod, SimState, Zone} from '../model.js'
import type {PhysicalNetworkSpec, PodSpec, TopologySpec, ZoneSpec} from './spec.js'

import {randomApiKey} from '../ids.js'
import {Builder, emptyState} from './builder.js'
import {buildCluster} from './hosts.js'
import {buildZoneStorageAndSystemVms} from './storage.js'
/*
 * buildState(): a topology description turned into a fresh simulator state. One builder per kind
 * of object; they run in the topology's order, which fixes the internal ids (and so the VMs'
 * instance names) and the seeded UUIDs.
 */

export interface BuildOptions {
  adminPassword?: string
  adminUsername?: string
  apiKey?: string
  /** Simulated "now" for created dates. */
  now?: Date
  secretKey?: string
}

function parseVlanRanges(vlan: string | undefined): Array<[number, number]> {
  if (!vlan) return []
  const ranges = vlan.split(',').map((part): [number, number] => {
    const [start, end = start] = part.split('-').map((n) => Number(n.trim()))
    if (!Number.isInteger(start) || !Number.isInteger(end) || start > end) {
      throw new Error(`invalid VLAN range "${part}"`)
    }

    return [start, end]
  })
  ranges.sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const range of ranges) {
    const last = merged.at(-1)
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1])
    else merged.push([...range])
  }

  return merged
}

/** ROOT and every domain on the declared paths (parents first). */
function buildDomains(b: Builder, paths: string[]): void {
  const root: Domain = {id: b.id('domain:ROOT'), internalId: b.nextInternalId(), name: 'ROOT', path: '/'}
  b.state.domains.push(root)
  b.domainByPath.set('ROOT', root.id)
  for (const path of paths) {
    const parts = path.split('/').filter(Boolean)
    for (let depth = 1; depth <= parts.length; depth++) {
      const key = ['ROOT', ...parts.slice(0, depth)].join('/')
      if (b.domainByPath.has(key)) continue
      const domain: Domain = {
        id: b.id(`domain:${key}`),
        internalId: b.nextInternalId(),
        name: parts[depth - 1],
        parentId: b.domainByPath.get(['ROOT', ...parts.slice(0, depth - 1)].join('/')),
        path: `/${parts.slice(0, depth).join('/')}/`,
      }
      b.state.domains.push(domain)
      b.domainByPath.set(key, domain.id)
    }
  }
}

/** The root admin (account and user with its keys), then the declared accounts. */
function buildAccounts(b: Builder, spec: TopologySpec, options: BuildOptions): void {
  const admin: Account = {
    domainId: b.domainId(),
    id: b.id('account:admin'),
    internalId: b.nextInternalId(),
    name: 'admin',
    state: 'enabled',
    type: 1,
  }
  b.state.accounts.push(admin)
  b.state.users.push({
    accountId: admin.id,
    apiKey: options.apiKey ?? randomApiKey(),
    firstname: 'admin',
    id: b.id('user:admin'),
    lastname: 'cloud',
    password: options.adminPassword ?? 'password',
    secretKey: options.secretKey ?? randomApiKey(),
    state: 'enabled',
    username: options.adminUsername ?? 'admin',
  })
  b.accountByName.set('admin', admin)
  for (const account of spec.accounts ?? []) {
    const record: Account = {
      domainId: b.domainId(account.domain),
      id: b.id(`account:${account.name}`),
      internalId: b.nextInternalId(),
      name: account.name,
      state: 'enabled',
      type: account.type ?? 0,
    }
    b.state.accounts.push(record)
    b.accountByName.set(account.name, record)
  }
}

function buildProjects(b: Builder, projects: TopologySpec['projects']): void {
  for (const project of projects ?? []) {
    const owner = b.accountNamed(project.account)
    b.state.projects.push({
      accountId: owner.id,
      domainId: owner.domainId,
      id: b.id(`project:${project.name}`),
      name: project.name,
      state: 'Active',
    })
  }
}

function buildZone(b: Builder, spec: ZoneSpec): void {
  const zone: Zone = {
    allocationState: spec.allocationstate ?? 'Enabled',
    created: b.created,
    details: {...spec.details},
    dns1: spec.dns1 ?? '8.8.8.8',
    dns2: spec.dns2,
    guestCidr: spec.guestcidraddress ?? '10.1.1.0/24',
    id: b.id(`zone:${spec.name}`),
    internalDns1: spec.internaldns1 ?? '10.0.0.2',
    internalId: b.nextInternalId(),
    localStorageEnabled: false,
    name: spec.name,
    networkType: spec.networktype ?? 'Advanced',
    securityGroupsEnabled: false,
    type: 'Core',
  }
  if (spec.outofbandmanagementenabled !== undefined) {
    zone.details.outOfBandManagementEnabled = String(spec.outofbandmanagementenabled)
  }

  b.state.zones.push(zone)
  for (const network of spec.physicalnetworks ?? []) buildPhysicalNetwork(b, zone, network)
  for (const pod of spec.pods ?? []) buildPod(b, zone, pod)
}

function buildPhysicalNetwork(b: Builder, zone: Zone, spec: PhysicalNetworkSpec): void {
  const path = `${zone.name}/${spec.name}`
  const network: PhysicalNetwork = {
    broadcastDomainRange: 'ZONE',
    id: b.id(`physicalnetwork:${path}`),
    internalId: b.nextInternalId(),
    isolationMethods: spec.isolationmethods ?? ['VLAN'],
    name: spec.name,
    networkSpeed: spec.networkspeed,
    state: spec.state ?? 'Enabled',
    tags: spec.tags ?? [],
    trafficTypes: spec.traffictypes ?? ['Guest'],
    vlanRanges: parseVlanRanges(spec.vlan),
    vnetsAllocated: (spec.allocated ?? []).map((a) => ({
      accountId: b.accountNamed(a.account).id,
      allocated: b.created,
      vnet: a.vnet,
    })),
    zoneId: zone.id,
  }
  b.state.physicalNetworks.push(network)
  for (const dedicated of spec.dedicated ?? []) {
    const [[start, end]] = parseVlanRanges(dedicated.range)
    const owner = b.accountNamed(dedicated.account)
    b.state.dedicatedVlanRanges.push({
      accountId: owner.id,
      domainId: owner.domainId,
      end,
      id: b.id(`dedicatedvlanrange:${path}/${dedicated.range}`),
      internalId: b.nextInternalId(),
      physicalNetworkId: network.id,
      start,
    })
  }
}

function buildPod(b: Builder, zone: Zone, spec: PodSpec): void {
  const path = `${zone.name}/${spec.name}`
  const pod: Pod = {
    allocationState: spec.allocationstate ?? 'Enabled',
    endIp: spec.endip ?? '10.0.0.250',
    gateway: spec.gateway ?? '10.0.0.1',
    id: b.id(`pod:${path}`),
    internalId: b.nextInternalId(),
    name: spec.name,
    netmask: spec.netmask ?? '255.255.0.0',
    startIp: spec.startip ?? '10.0.0.100',
    zoneId: zone.id,
  }
  b.state.pods.push(pod)
  for (const cluster of spec.clusters ?? []) buildCluster(b, {path, pod}, cluster)
}

/** Turns a topology description into a fresh simulator state. */
export function buildState(spec: TopologySpec, options: BuildOptions = {}): SimState {
  const b = new Builder(emptyState(spec, spec.seed ?? 'moldctl-sim'), options.now ?? new Date())
  buildDomains(b, spec.domains ?? [])
  buildAccounts(b, spec, options)
  buildProjects(b, spec.projects)
  for (const zone of spec.zones) buildZone(b, zone)
  for (const zone of spec.zones) buildZoneStorageAndSystemVms(b, zone)
  return b.finish()
}
