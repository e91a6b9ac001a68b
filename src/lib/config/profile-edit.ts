import type {CmkConfig} from './cmk.js'
import type {ConfigFile, FlavorSetting, Profile} from './profiles.js'

import {parseProxyUrl, PROXY_OFF, ProxyUrlError, showProxyUrl} from '../api/proxy.js'
import {UsageError} from '../core/errors.js'
import {parseEndpointList} from './connection.js'

/** Shown instead of a secret. */
export const MASK = '****'

/** How a profile authenticates, for listings: never the secret itself. */
export type AuthKind = 'api keys' | 'none' | 'password'

/** One line of `profile list`: no secrets, not even the API key. */
export interface ProfileSummary {
  auth: AuthKind
  current: boolean
  flavor: FlavorSetting
  name: string
  url: string
}

/** Names usable as `--profile NAME` in a shell without quoting, and as YAML keys. */
const PROFILE_NAME = /^[A-Za-z0-9][\w.@-]{0,63}$/

export function checkProfileName(name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(
      `invalid profile name "${name}": use up to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit`,
    )
  }
}

export function authKind(profile: Profile): AuthKind {
  if (profile.apikey && profile.secretkey) return 'api keys'
  if (profile.username && profile.password) return 'password'
  return 'none'
}

export function summarizeProfiles(config: ConfigFile): ProfileSummary[] {
  return Object.entries(config.profiles)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, profile]) => ({
      auth: authKind(profile),
      current: name === config.current,
      flavor: profile.flavor ?? 'auto',
      name,
      url: profile.url,
    }))
}

/** A profile's fields in display order, secrets masked (the masked values are strings, as the secrets are). */
export type ShownProfile = Partial<Record<keyof Profile, unknown>>

/**
 * A profile for display: secret key and password become `****`, a proxy password too; the API key keeps only its
 * last four characters (enough to tell keys apart, as cloud consoles do).
 */
export function maskProfile(profile: Profile): ShownProfile {
  const shown: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(profile).sort(([a], [b]) => displayRank(a) - displayRank(b))) {
    if (value === undefined) continue
    shown[key] = shownValue(key, value)
  }

  return shown
}

function shownValue(key: string, value: unknown): unknown {
  switch (key) {
    case 'apikey': {
      return `${MASK}${String(value).slice(-4)}`
    }

    case 'password':
    case 'secretkey': {
      return MASK
    }

    case 'proxy': {
      return showProxyUrl(String(value))
    }

    default: {
      return value
    }
  }
}

const DISPLAY_ORDER = [
  'url',
  'flavor',
  'apikey',
  'secretkey',
  'username',
  'password',
  'domain',
  'verifytls',
  'cafile',
  'timeout',
  'proxy',
]

function displayRank(key: string): number {
  const rank = DISPLAY_ORDER.indexOf(key)
  return rank === -1 ? DISPLAY_ORDER.length : rank
}

/** The profile to show: the one named, else the current one, else the only one. */
export function pickProfileToShow(config: ConfigFile, name?: string): string {
  const names = Object.keys(config.profiles)
  const chosen = name ?? config.current ?? (names.length === 1 ? names[0] : undefined)
  if (chosen === undefined) {
    throw new UsageError(
      names.length === 0 ? 'no profiles exist yet' : `no current profile; name one of: ${names.join(', ')}`,
      names.length === 0 ? ['moldctl profile add NAME --url URL --api-key KEY --secret-key-stdin'] : [],
    )
  }

  requireProfile(config, chosen)
  return chosen
}

/** Unknown names are usage errors listing the existing ones (exit 2). */
export function requireProfile(config: ConfigFile, name: string): Profile {
  if (!Object.hasOwn(config.profiles, name)) {
    const names = Object.keys(config.profiles)
    throw new UsageError(
      `no profile named "${name}"; ${names.length === 0 ? 'no profiles exist yet' : `existing profiles: ${names.join(', ')}`}`,
    )
  }

  return config.profiles[name]
}

export interface CredentialFlags {
  apiKey?: string
  domain?: string
  passwordStdin?: boolean
  secretKeyStdin?: boolean
  username?: string
}

/** The one secret `profile add` must read, and whether it comes from stdin or a prompt. */
export interface SecretToRead {
  field: 'password' | 'secretKey'
  fromStdin: boolean
  label: string
  /** The flag that reads this secret from standard input instead of a prompt. */
  stdinFlag: '--password-stdin' | '--secret-key-stdin'
}

/**
 * Checks the credential flags of `profile add` before any secret is read (so a wrong
 * combination fails before a prompt or a read of stdin), and says which secret is needed.
 */
export function secretToRead(flags: CredentialFlags): SecretToRead {
  if (flags.secretKeyStdin && flags.passwordStdin) {
    throw new UsageError('only one secret can come from stdin: --secret-key-stdin or --password-stdin')
  }

  if (flags.apiKey !== undefined && flags.username !== undefined) {
    throw new UsageError('give either --api-key (API keys) or --username (a login), not both')
  }

  if (flags.secretKeyStdin && flags.apiKey === undefined)
    throw new UsageError('--secret-key-stdin needs --api-key')
  if (flags.passwordStdin && flags.username === undefined)
    throw new UsageError('--password-stdin needs --username')
  if (flags.domain !== undefined && flags.username === undefined) {
    throw new UsageError('--domain only applies to --username logins')
  }

  if (flags.apiKey !== undefined)
    return {
      field: 'secretKey',
      fromStdin: Boolean(flags.secretKeyStdin),
      label: 'Secret key',
      stdinFlag: '--secret-key-stdin',
    }
  if (flags.username !== undefined)
    return {
      field: 'password',
      fromStdin: Boolean(flags.passwordStdin),
      label: 'Password',
      stdinFlag: '--password-stdin',
    }
  throw new UsageError(
    'no credentials: give --api-key (with --secret-key-stdin) or --username (with --password-stdin)',
  )
}

export interface NewProfileInput {
  apiKey?: string
  caFile?: string
  domain?: string
  flavor?: FlavorSetting
  insecure?: boolean
  password?: string
  secretKey?: string
  timeout?: number
  url: string
  username?: string
}

/**
 * Checks what `profile add` was given and builds the stored profile. The URL (or failover list)
 * is stored normalised, so what `profile show` prints is what requests go to.
 */
export function buildProfile(input: NewProfileInput): Profile {
  const urls = parseEndpointList(input.url)
  const kind = credentialKind(input)
  if (input.timeout !== undefined && !(input.timeout > 0)) {
    throw new UsageError('--timeout must be a positive number of seconds')
  }

  const profile: Profile = {flavor: input.flavor ?? 'auto', url: urls.join(',')}
  if (kind === 'keys') {
    profile.apikey = input.apiKey
    profile.secretkey = input.secretKey
  } else {
    profile.username = input.username
    profile.password = input.password
    if (input.domain !== undefined) profile.domain = input.domain
  }

  if (input.insecure) profile.verifytls = false
  if (input.caFile !== undefined) profile.cafile = input.caFile
  if (input.timeout !== undefined) profile.timeout = input.timeout
  return profile
}

/** Exactly one complete kind of credential, or a usage error saying what is missing. */
function credentialKind(input: NewProfileInput): 'keys' | 'login' {
  const hasKeys = input.apiKey !== undefined || input.secretKey !== undefined
  const hasLogin = input.username !== undefined || input.password !== undefined
  if (hasKeys && hasLogin) {
    throw new UsageError(
      'give either --api-key with --secret-key-stdin, or --username with --password-stdin, not both',
    )
  }

  if (!hasKeys && !hasLogin) {
    throw new UsageError(
      'no credentials: give --api-key (with --secret-key-stdin) or --username (with --password-stdin)',
    )
  }

  if (hasKeys && (input.apiKey === undefined || input.secretKey === undefined)) {
    throw new UsageError(
      '--api-key needs the secret key too (--secret-key-stdin, or the prompt at a terminal)',
    )
  }

  if (hasLogin && (input.username === undefined || input.password === undefined)) {
    throw new UsageError('--username needs the password too (--password-stdin, or the prompt at a terminal)')
  }

  if (input.domain !== undefined && !hasLogin)
    throw new UsageError('--domain only applies to --username logins')
  if (input.secretKey === '' || input.password === '') throw new UsageError('the secret read was empty')
  return hasKeys ? 'keys' : 'login'
}

export interface CmkImportRequest {
  all?: boolean
  force?: boolean
  names: string[]
}

export interface CmkImportResult {
  /** The moldctl current profile after the import, when the import set it. */
  current?: string
  imported: string[]
  /** Replaced existing moldctl profiles (only with --force). */
  replaced: string[]
  skipped: Array<{name: string; reason: string}>
}

/**
 * Copies CloudMonkey profiles into the moldctl configuration (mutating `config`). Without names
 * or --all, CloudMonkey's current profile is imported. Existing moldctl profiles are kept unless
 * `force`. If moldctl has no current profile yet, CloudMonkey's current one becomes current
 * when imported.
 */
export function importCmkProfiles(
  config: ConfigFile,
  cmk: CmkConfig,
  request: CmkImportRequest,
): CmkImportResult {
  const available = Object.keys(cmk.profiles)
  if (request.all && request.names.length > 0) throw new UsageError('give profile names or --all, not both')
  let wanted: string[]
  if (request.all) wanted = available
  else if (request.names.length > 0) wanted = [...new Set(request.names)]
  else if (cmk.current === undefined) {
    throw new UsageError(
      'the CloudMonkey config names no current profile; name the profiles to import or use --all',
      [`profiles in the file: ${available.join(', ') || 'none'}`],
    )
  } else wanted = [cmk.current]

  const unknown = wanted.filter((name) => !Object.hasOwn(cmk.profiles, name))
  if (unknown.length > 0) {
    throw new UsageError(
      `not in the CloudMonkey config: ${unknown.join(', ')}; its profiles: ${available.join(', ') || 'none'}`,
    )
  }

  const result: CmkImportResult = {imported: [], replaced: [], skipped: []}
  for (const name of wanted) {
    if (!PROFILE_NAME.test(name)) {
      result.skipped.push({name, reason: 'the name cannot be used as a moldctl profile name'})
      continue
    }

    const badUrl = unusableUrl(cmk.profiles[name].url)
    if (badUrl !== undefined) {
      result.skipped.push({name, reason: badUrl})
      continue
    }

    const exists = Object.hasOwn(config.profiles, name)
    if (exists && !request.force) {
      result.skipped.push({name, reason: 'a moldctl profile with this name exists (--force replaces it)'})
      continue
    }

    if (exists) result.replaced.push(name)
    config.profiles[name] = {...cmk.profiles[name]}
    result.imported.push(name)
  }

  const cmkCurrent = cmk.current
  if (config.current === undefined && cmkCurrent !== undefined && result.imported.includes(cmkCurrent)) {
    config.current = cmkCurrent
    result.current = cmkCurrent
  }

  return result
}

function unusableUrl(url: string): string | undefined {
  try {
    parseEndpointList(url, 'url', false)
    return undefined
  } catch (error) {
    return `its URL is not usable (${(error as Error).message})`
  }
}

/** The proxy `profile add --proxy` stores, and the user whose password is still to be read. */
export interface ProxyToStore {
  /** `none`, or the proxy URL without a password. */
  url: string
  /** The proxy user named in the URL: its password is asked for (or read from stdin). */
  user?: string
}

/**
 * Checks `profile add --proxy`: `none` (or '' / `off`) turns the environment's proxy off for this
 * profile; otherwise a proxy URL as curl reads it. A password on the command line is refused
 * (other users see the process list): the URL names the user, and the password is read apart.
 */
export function proxyToStore(text: string): ProxyToStore {
  if (PROXY_OFF.has(text.trim().toLowerCase())) return {url: 'none'}
  let url: URL
  try {
    url = parseProxyUrl(text.trim(), '--proxy')
  } catch (error) {
    if (error instanceof ProxyUrlError) throw new UsageError(error.message)
    throw error
  }

  if (url.password !== '') {
    throw new UsageError('--proxy: a password on the command line is visible to other users; refusing it', [
      'name only the user (http://USER@proxy:3128): the password is asked for, or read with --proxy-password-stdin',
    ])
  }

  const href = url.href.replace(/\/$/, '')
  return url.username === '' ? {url: href} : {url: href, user: decodeURIComponent(url.username)}
}

/** The stored proxy URL with the user's password in it (percent-encoded as URLs need). */
export function withProxyPassword(proxyUrl: string, password: string): string {
  const url = new URL(proxyUrl)
  url.password = encodeURIComponent(password)
  return url.href.replace(/\/$/, '')
}
