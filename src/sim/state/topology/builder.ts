import type {Account, SimState} from '../model.js'
import type {TopologySpec} from './spec.js'

import {formatApiDate} from '../format.js'
import {deterministicUuid} from '../ids.js'

/* The state a topology is built into, and the seeded ids and counters every builder shares. */

/** What every builder shares: the state being filled, seeded ids and the running counters. */
export class Builder {
  readonly accountByName = new Map<string, Account>()
  readonly created: string
  readonly domainByPath = new Map<string, string>()
  private internalId = 1
  private ipCounter = 0
  private readonly seed: string

  constructor(
    readonly state: SimState,
    now: Date,
  ) {
    this.seed = state.seed
    this.created = formatApiDate(now)
  }

  /** The owner account of a topology object (admin when none is named). */
  accountNamed(name: string | undefined): Account {
    const account = this.accountByName.get(name ?? 'admin')
    if (!account) throw new Error(`unknown account "${name}" (declare it under accounts:)`)
    return account
  }

  /** The domain of a path below ROOT ("customers/acme"), ROOT when none is given. */
  domainId(path?: string): string {
    const key = path ? ['ROOT', ...path.split('/').filter((p) => p && p !== 'ROOT')].join('/') : 'ROOT'
    const found = this.domainByPath.get(key)
    if (!found) throw new Error(`unknown domain "${path}" (declare it under domains:)`)
    return found
  }

  finish(): SimState {
    this.state.nextInternalId = this.internalId
    return this.state
  }

  /** The seeded UUID of a topology path. */
  id(name: string): string {
    return deterministicUuid(this.seed, name)
  }

  /** The next host address `10.100.x.y` (for hosts without one). */
  nextHostAddress(): string {
    this.ipCounter++
    const n = this.ipCounter
    return `10.${100 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`
  }

  nextInternalId(): number {
    return this.internalId++
  }
}

export function emptyState(spec: TopologySpec, seed: string): SimState {
  return {
    accounts: [],
    ca: {caCertificate: '', provider: 'root'},
    clusters: [],
    dedicatedVlanRanges: [],
    domains: [],
    hosts: [],
    imageStores: [],
    jobs: [],
    managementServer: {
      id: deterministicUuid(seed, 'managementserver'),
      name: spec.managementserver?.name ?? 'mold-ms-1',
    },
    nextInternalId: 0,
    nextSeq: 1,
    physicalNetworks: [],
    pods: [],
    projects: [],
    seed,
    settings: {...spec.settings},
    storagePools: [],
    systemVmHosts: [],
    users: [],
    version: 1,
    vms: [],
    zones: [],
  }
}
