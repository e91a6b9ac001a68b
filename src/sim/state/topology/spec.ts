import {readFileSync} from 'node:fs'

import type {
  AllocationState,
  BmcMode,
  HostStatus,
  OobmDriver,
  OobmPowerState,
  ResourceState,
  RollingStage,
  VmState,
} from '../model.js'

/*
 * Topologies: the shape of the simulated cloud. A topology is plain data (TopologySpec, also the
 * schema of `--topology FILE`, documented in docs/simulator.md); build.ts turns it into a SimState
 * and presets.ts holds the built-in ones.
 */

export interface VmSpec {
  account?: string
  cpunumber?: number
  cpuspeed?: number
  haenable?: boolean
  /** MiB. */
  memory?: number
  name: string
  serviceofferingname?: string
  state?: VmState
  templatename?: string
}

export interface StageSpec {
  duration?: number
  exitcode?: number
  output?: string
}

export interface HostSpec {
  bmc?: {latencyms?: number; mode?: BmcMode; power?: 'Off' | 'On'}
  /** `fail`: the agent's keystore scripts fail, so provisionCertificate answers success=false. */
  certificatesetup?: 'fail' | 'ok'
  cpunumber?: number
  cpusockets?: number
  cpuspeed?: number
  details?: Record<string, string>
  hahost?: boolean
  hosttags?: string[]
  hypervisorversion?: string
  ipaddress?: string
  /** Bytes, or a string with a unit: "256GiB", "512MiB". */
  memorytotal?: number | string
  name: string
  oobm?: {
    address?: string
    driver?: OobmDriver
    enabled?: boolean
    password?: string
    port?: string
    powerstate?: OobmPowerState
    username?: string
  }
  resourcestate?: ResourceState
  rollingmaintenance?: Partial<Record<RollingStage, StageSpec>>
  state?: HostStatus
  vms?: VmSpec[]
}

/** A primary storage pool. Sizes are bytes or strings with a unit ("2TiB"). */
export interface StoragePoolSpec {
  /** Bytes of the volumes on it [used]. */
  allocated?: number | string
  /** [2TiB] */
  capacity?: number | string
  /** Zone-wide pools only: the hypervisor they serve [KVM]. */
  hypervisor?: string
  ipaddress?: string
  name: string
  path?: string
  state?: 'Disabled' | 'Maintenance' | 'Up'
  tags?: string[]
  /** StoragePoolType [NetworkFilesystem]. */
  type?: string
  /** [0] */
  used?: number | string
}

/** A secondary storage (image store). */
export interface ImageStoreSpec {
  /** [4TiB] */
  capacity?: number | string
  name: string
  /** [nfs://<zone's first pod gateway>/export/secondary] */
  url?: string
  /** [0] */
  used?: number | string
}

export interface ClusterSpec {
  allocationstate?: AllocationState
  details?: Record<string, string>
  /** Extra generated hosts named `<cluster>-hNNN`, like `hosttemplate`. */
  hostcount?: number
  hosts?: HostSpec[]
  hosttemplate?: Omit<HostSpec, 'name'>
  hypervisor?: string
  managedstate?: 'Managed' | 'Unmanaged'
  name: string
  outofbandmanagementenabled?: boolean
  /** Cluster-wide primary storage pools. */
  storagepools?: StoragePoolSpec[]
  /** VMs generated on each host made from `hostcount`. */
  vmsperhost?: number
}

export interface PodSpec {
  allocationstate?: AllocationState
  clusters?: ClusterSpec[]
  endip?: string
  gateway?: string
  name: string
  netmask?: string
  startip?: string
}

export interface PhysicalNetworkSpec {
  allocated?: Array<{account?: string; vnet: number}>
  dedicated?: Array<{account: string; range: string}>
  isolationmethods?: string[]
  name: string
  networkspeed?: string
  state?: AllocationState
  tags?: string[]
  traffictypes?: string[]
  /** "500-1000,1200-1300". */
  vlan?: string
}

export interface ZoneSpec {
  allocationstate?: AllocationState
  details?: Record<string, string>
  dns1?: string
  dns2?: string
  guestcidraddress?: string
  /** Secondary storages. */
  imagestores?: ImageStoreSpec[]
  internaldns1?: string
  name: string
  networktype?: 'Advanced' | 'Basic'
  outofbandmanagementenabled?: boolean
  physicalnetworks?: PhysicalNetworkSpec[]
  pods?: PodSpec[]
  /** Zone-wide primary storage pools. */
  storagepools?: StoragePoolSpec[]
  /**
   * The zone's secondary storage VM and console proxy, whose agents are listHosts rows of type
   * SecondaryStorageVM and ConsoleProxy in the zone's first pod [false].
   */
  systemvms?: boolean
}

export interface TopologySpec {
  accounts?: Array<{domain?: string; name: string; type?: number}>
  /** Domain paths below ROOT, e.g. "customers" or "customers/acme". */
  domains?: string[]
  managementserver?: {name?: string}
  projects?: Array<{account: string; name: string}>
  /** Seed of every generated UUID (same seed and topology ⇒ same ids). */
  seed?: string
  /** Global setting values. */
  settings?: Record<string, string>
  zones: ZoneSpec[]
}

export const GIB = 1024 ** 3
const UNITS: Record<string, number> = {
  B: 1,
  GB: 1e9,
  GiB: GIB,
  KiB: 1024,
  MB: 1e6,
  MiB: 1024 ** 2,
  TiB: 1024 ** 4,
}

export function parseBytes(value: number | string): number {
  if (typeof value === 'number') return value
  const match = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value)
  const unit = match ? UNITS[match[2] || 'B'] : undefined
  if (!match || unit === undefined)
    throw new Error(`invalid size "${value}" (examples: 137438953472, "128GiB")`)
  return Math.round(Number(match[1]) * unit)
}

/** Reads a topology file (YAML or JSON). */
export async function readTopologyFile(file: string): Promise<TopologySpec> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    throw new Error(`cannot read topology file ${file}${code === 'ENOENT' ? ': no such file' : `: ${code}`}`)
  }

  const {parse} = await import('yaml')
  const spec = parse(text) as TopologySpec
  if (!spec || typeof spec !== 'object' || !Array.isArray(spec.zones)) {
    throw new Error(`topology file ${file} must have a "zones" list (see docs/simulator.md)`)
  }

  return spec
}
