/**
 * `sim serve --write-profile` and `--ca-out`: a profile for the simulator just started, in the
 * same store as `moldctl profile` (a 0600 file in a 0700 folder, written atomically), and the
 * file with its CA certificate.
 */
import {writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {type FlavorSetting, ProfileStore} from './profiles.js'

/** How to reach a running simulator. */
export interface SimEndpoint {
  apiKey: string
  /** The CA certificate file that verifies its TLS certificate, if it serves TLS. */
  cafile?: string
  flavor: FlavorSetting
  secretKey: string
  url: string
}

/** Writes the simulator's CA certificate (PEM) to `out`, or to a file named for the port in the temporary folder; returns its path. */
export function writeSimCaFile(pem: string, port: number, out?: string): string {
  const file = path.resolve(out ?? path.join(tmpdir(), `moldctl-sim-${port}-ca.pem`))
  writeFileSync(file, pem)
  return file
}

/** Adds (or replaces) the profile `name` for the simulator; it becomes current when none is. Returns the file written. */
export async function writeSimProfile(configDir: string, name: string, sim: SimEndpoint): Promise<string> {
  const store = new ProfileStore(configDir)
  await store.update((config) => {
    const profile = {
      apikey: sim.apiKey,
      cafile: sim.cafile,
      flavor: sim.flavor,
      secretkey: sim.secretKey,
      url: sim.url,
    }
    config.profiles[name] = {...profile, verifytls: true}
    config.current ??= name
  })
  return store.path
}
