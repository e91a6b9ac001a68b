/**
 * The peer column: the python `cs` client (Debian's python3-cs, the library Ansible's
 * ngine_io.cloudstack modules use) doing what a moldctl command does, through
 * bench/peers/cs-list.py. It signs with HMAC-SHA1 as upstream CloudStack verifies, so it talks to a
 * simulator of the `cloudstack` flavor. Where the package is missing the peer is reported as not
 * available and nothing fails.
 */
import {spawnSync} from 'node:child_process'
import path from 'node:path'

import type {SimServer} from '../../src/sim/http/server.js'

import {type ChildOptions, type ChildRun, cliEnv, measureProcess, ROOT} from './process.js'

/** Debian's interpreter: python3-cs installs into its dist-packages. */
const PYTHON = '/usr/bin/python3'
const SCRIPT = path.join(ROOT, 'bench', 'peers', 'cs-list.py')

export const PEER_NAME = 'python cs'

let missing: false | string | undefined

/** Why the python cs peer cannot run here, or false when it can (asked once). */
export function csPeerMissing(): false | string {
  if (missing === undefined) {
    const probe = spawnSync(PYTHON, ['-c', 'import cs'], {encoding: 'utf8'})
    missing = probe.status === 0 ? false : 'python3-cs is not installed (apt-get install python3-cs)'
  }

  return missing
}

/** The note a benchmark gives when the peer cannot run. */
export function csPeerNote(): string {
  return `${PEER_NAME}: not available: ${csPeerMissing() || ''}`
}

/**
 * The environment of the peer: none of the caller's CloudStack/moldctl settings, the simulator's
 * endpoint and keys where the library's read_config looks for them (never on the command line).
 */
export function csPeerEnv(home: string, sim: SimServer): NodeJS.ProcessEnv {
  if (sim.flavor !== 'cloudstack')
    throw new Error(`the ${PEER_NAME} peer needs a cloudstack-flavor simulator`)
  return cliEnv(home, {
    CLOUDSTACK_ENDPOINT: sim.url,
    CLOUDSTACK_KEY: sim.apiKey,
    CLOUDSTACK_SECRET: sim.secretKey,
  })
}

/** Runs bench/peers/cs-list.py with `args` (`--json` or none) and measures it. */
export function measureCsPeer(args: string[], opts: ChildOptions = {}): Promise<ChildRun> {
  return measureProcess(PYTHON, [SCRIPT, ...args], opts)
}
