import {chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import path from 'node:path'

export interface SimProfile {
  apikey: string
  flavor: 'cloudstack' | 'mold'
  secretkey: string
  url: string
}

interface ConfigFile {
  current?: string
  profiles?: Record<string, Record<string, unknown>>
}

/**
 * Writes (or replaces) profile `name` in `<configDir>/config.yaml`, keeping the other profiles.
 * The file holds secret keys: the folder is made 0700 and the file 0600. The profile becomes
 * current only when no profile is current yet.
 */
export async function writeSimProfile(configDir: string, name: string, profile: SimProfile): Promise<string> {
  const {parse, stringify} = await import('yaml')
  const file = path.join(configDir, 'config.yaml')
  mkdirSync(configDir, {mode: 0o700, recursive: true})
  const existing: ConfigFile = existsSync(file)
    ? ((parse(readFileSync(file, 'utf8')) as ConfigFile | null) ?? {})
    : {}
  const config: ConfigFile = {
    ...existing,
    current: existing.current ?? name,
    profiles: {...existing.profiles, [name]: {...profile, verifytls: true}},
  }
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, stringify(config), {mode: 0o600})
  renameSync(temporary, file)
  chmodSync(file, 0o600)
  return file
}
