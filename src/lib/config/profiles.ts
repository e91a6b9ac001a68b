import {chmod, mkdir, open, readFile, rename, stat, unlink} from 'node:fs/promises'
import path from 'node:path'

import {ConfigError} from '../core/errors.js'

/** How requests are signed: `mold` HmacSHA256, `cloudstack` HmacSHA1, `auto` detect once. */
export type FlavorSetting = 'auto' | 'cloudstack' | 'mold'

export const FLAVOR_SETTINGS: readonly FlavorSetting[] = ['auto', 'cloudstack', 'mold']

/** One management server and the credentials to use there, as stored in config.yaml. */
export interface Profile {
  apikey?: string
  cafile?: string
  domain?: string
  flavor?: FlavorSetting
  /** The largest answer accepted, in bytes (default 64 MiB; MOLDCTL_MAX_ANSWER_BYTES overrides). */
  maxanswerbytes?: number
  password?: string
  /** The proxy for this server (`none`: no proxy, whatever the environment says). */
  proxy?: string
  secretkey?: string
  /** Seconds per HTTP request. */
  timeout?: number
  url: string
  username?: string
  verifytls?: boolean
}

export interface ConfigFile {
  current?: string
  profiles: Record<string, Profile>
}

const STRING_FIELDS = [
  'url',
  'apikey',
  'secretkey',
  'username',
  'password',
  'domain',
  'cafile',
  'proxy',
] as const

/** Group and other permission bits: any of them on a file holding credentials is refused. */
const SHARED_MODE_BITS = 0o077

export function isFlavorSetting(value: unknown): value is FlavorSetting {
  return typeof value === 'string' && (FLAVOR_SETTINGS as readonly string[]).includes(value)
}

/**
 * The profiles file, `<configDir>/config.yaml`. It holds secrets, so it is written 0600 in a
 * 0700 directory, atomically (a crash never leaves half a file), and refused when other users
 * could read or change it.
 */
export class ProfileStore {
  readonly path: string
  private readonly configDir: string

  constructor(configDir: string) {
    this.configDir = configDir
    this.path = path.join(configDir, 'config.yaml')
  }

  async load(): Promise<ConfigFile> {
    let text: string
    try {
      await this.refuseSharedFile()
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) return {profiles: {}}
      if (error instanceof ConfigError) throw error
      throw new ConfigError(`cannot read ${this.path}: ${(error as Error).message}`)
    }

    return parseConfigText(text, this.path)
  }

  async save(config: ConfigFile): Promise<void> {
    await mkdir(this.configDir, {mode: 0o700, recursive: true})
    // The directory may predate us (or the umask widened it); it only holds our files.
    if (process.platform !== 'win32') await chmod(this.configDir, 0o700)

    // node:crypto is loaded here, not with the module: reading profiles (every command) never needs it.
    const {randomBytes} = await import('node:crypto')
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    const handle = await open(temporary, 'wx', 0o600)
    try {
      // The umask could only have narrowed 0600, but make the mode exact anyway.
      await handle.chmod(0o600)
      await handle.writeFile(await serializeConfig(config), 'utf8')
      await handle.sync()
      await handle.close()
      await rename(temporary, this.path)
    } catch (error) {
      await handle.close().catch(() => {})
      await unlink(temporary).catch(() => {})
      throw error
    }
  }

  async update(mutator: (config: ConfigFile) => void): Promise<ConfigFile> {
    const config = await this.load()
    mutator(config)
    await this.save(config)
    return config
  }

  private async refuseSharedFile(): Promise<void> {
    if (process.platform === 'win32') return
    const info = await stat(this.path)

    const mode = info.mode & 0o777

    if ((mode & SHARED_MODE_BITS) !== 0) {
      throw new ConfigError(
        `${this.path} holds credentials but other users can access it (mode ${mode.toString(8).padStart(4, '0')}); refusing to use it`,
        [`chmod 600 ${this.path}`],
      )
    }
  }
}

/** The order fields are written in, so the file reads well: where, how, then who. */
const FIELD_ORDER = [
  'url',
  'flavor',
  'verifytls',
  'cafile',
  'timeout',
  'maxanswerbytes',
  'proxy',
  'apikey',
  'secretkey',
  'username',
  'password',
  'domain',
] as const

/**
 * The YAML text written to config.yaml: `current` first, then profiles, no empty fields. The
 * yaml package is imported here, not at the top: a command whose connection comes from the
 * environment never reads or writes config.yaml, and should not pay for loading it.
 */
export async function serializeConfig(config: ConfigFile): Promise<string> {
  const {stringify: stringifyYaml} = await import('yaml')
  const profiles: Record<string, Record<string, unknown>> = {}
  for (const [name, profile] of Object.entries(config.profiles)) {
    const fields: Record<string, unknown> = {...profile}
    const known = FIELD_ORDER.filter((key) => key in fields)
    const others = Object.keys(fields).filter((key) => !(FIELD_ORDER as readonly string[]).includes(key))
    const entries = [...known, ...others].map((key) => [key, fields[key]] as const)
    profiles[name] = Object.fromEntries(entries.filter(([, value]) => value !== undefined))
  }

  const document: Record<string, unknown> = {}
  if (config.current !== undefined) document.current = config.current
  document.profiles = profiles
  return stringifyYaml(document)
}

/** Parses and checks the text of config.yaml; errors name the file and what is wrong. */
export async function parseConfigText(text: string, file: string): Promise<ConfigFile> {
  const {parse: parseYaml} = await import('yaml')
  let document: unknown
  try {
    document = parseYaml(text)
  } catch (error) {
    throw new ConfigError(`${file} is not valid YAML: ${firstLine((error as Error).message)}`, [
      `fix or remove ${file}, then add profiles with: moldctl profile add NAME --url URL --api-key KEY --secret-key-stdin`,
    ])
  }

  if (document === null || document === undefined) return {profiles: {}}
  if (!isPlainObject(document))
    throw invalid(file, 'the top level must be a mapping with `current` and `profiles`')

  const {current, profiles} = document
  if (current !== undefined && current !== null && typeof current !== 'string') {
    throw invalid(file, '`current` must be a profile name')
  }

  if (profiles !== undefined && profiles !== null && !isPlainObject(profiles)) {
    throw invalid(file, '`profiles` must be a mapping of profile names to settings')
  }

  const checked: Record<string, Profile> = {}
  for (const [name, value] of Object.entries(profiles ?? {})) {
    checked[name] = checkProfile(value, name, file)
  }

  return typeof current === 'string' ? {current, profiles: checked} : {profiles: checked}
}

function checkProfile(value: unknown, name: string, file: string): Profile {
  if (!isPlainObject(value)) throw invalid(file, `profile "${name}" must be a mapping of settings`)
  for (const field of STRING_FIELDS) {
    if (value[field] !== undefined && typeof value[field] !== 'string') {
      throw invalid(file, `profile "${name}": \`${field}\` must be a string`)
    }
  }

  if (typeof value.url !== 'string' || value.url.trim() === '') {
    throw invalid(file, `profile "${name}" has no \`url\``)
  }

  if (value.flavor !== undefined && !isFlavorSetting(value.flavor)) {
    throw invalid(file, `profile "${name}": \`flavor\` must be one of ${FLAVOR_SETTINGS.join(', ')}`)
  }

  if (value.verifytls !== undefined && typeof value.verifytls !== 'boolean') {
    throw invalid(file, `profile "${name}": \`verifytls\` must be true or false`)
  }

  if (
    value.timeout !== undefined &&
    (typeof value.timeout !== 'number' || !Number.isFinite(value.timeout) || value.timeout <= 0)
  ) {
    throw invalid(file, `profile "${name}": \`timeout\` must be a positive number of seconds`)
  }

  if (
    value.maxanswerbytes !== undefined &&
    !(Number.isSafeInteger(value.maxanswerbytes) && (value.maxanswerbytes as number) > 0)
  ) {
    throw invalid(file, `profile "${name}": \`maxanswerbytes\` must be a positive whole number of bytes`)
  }

  return typedProfile(value, value.url)
}

/** A checked profile's fields, typed; any other key the file holds is kept (serializeConfig writes it back). */
function typedProfile(value: Record<string, unknown>, url: string): Profile {
  const known: Profile = {url}
  for (const field of STRING_FIELDS) {
    const text = value[field]
    if (typeof text === 'string') known[field] = text
  }

  if (isFlavorSetting(value.flavor)) known.flavor = value.flavor
  if (typeof value.verifytls === 'boolean') known.verifytls = value.verifytls
  if (typeof value.timeout === 'number') known.timeout = value.timeout
  if (typeof value.maxanswerbytes === 'number') known.maxanswerbytes = value.maxanswerbytes
  return {...value, ...known}
}

function invalid(file: string, what: string): ConfigError {
  return new ConfigError(`${file}: ${what}`)
}

function firstLine(text: string): string {
  return text.split('\n')[0]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isNodeError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code
}
