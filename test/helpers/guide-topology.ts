import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'

import type {TopologySpec} from '../../src/sim/state/topology/spec.js'

/** The example topology shipped in docs/ (the README's overprovisioning example runs on it). */
export const GUIDE_TOPOLOGY_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../docs/examples/overprovisioning-guide.yaml',
)

/**
 * The admin guide's overprovisioning example as a cloud: a KVM cluster whose one host has 2 GB
 * of memory and a memory factor of 2, running three VMs of 1 GB each (started under factor 2),
 * plus a XenServer cluster for the factor limit of 4.
 */
export function guideTopology(): TopologySpec {
  return parse(readFileSync(GUIDE_TOPOLOGY_FILE, 'utf8')) as TopologySpec
}
