import {ConfigError, UsageError} from '../errors.js'
import {
  type ConfigFile,
  FLAVOR_SETTINGS,
  type FlavorSetting,
  isFlavorSetting,
  type Profile,
} from './profiles.js'

/** Everything the API client needs to reach one management server (or a failover list). */
export interface ConnectionSettings {
  apiKey?: string
  caFile?: string
  domain?: string
  flavor: FlavorSetting
  password?: string
  profileName?: string
  secretKey?: string
  /** Human description of where the settings came from: 'flags', 'environment', 'profile "x"'. */
  source: string
  timeoutMs: number
  /** One or more endpoints, each ending in /client/api; later ones are failovers. */
  urls: string[]
  username?: string
  verifyTls: boolean
}

export interface ConnectionFlags {
  caFile?: string
  insecure?: boolean
  profile?: string
  /** Seconds per HTTP request. */
  timeout?: number
  url?: string
}

export const DEFAULT_TIMEOUT_SECONDS = 30

const ADD_PROFILE_HINT = 'moldctl profile add NAME --url URL --api-key KEY --secret-key-stdin'
const ENV_HINT = 'or set MOLDCTL_URL, MOLDCTL_API_KEY and MOLDCTL_SECRET_KEY in the environment'

/**
 * The environment variables read, in precedence order within each setting: moldctl's own,
 * then the Terraform provider's, then those of the `cs` library and Ansible.
 */
const ENV_URL = ['MOLDCTL_URL', 'CLOUDSTACK_API_URL', 'CLOUDSTACK_ENDPOINT'] as const
const ENV_CREDENTIAL_FAMILIES: ReadonlyArray<{
  label: string
  variables: Record<keyof Credentials, string | undefined>
}> = [
  {
    label: 'MOLDCTL_*',
    variables: {
      apiKey: 'MOLDCTL_API_KEY',
      domain: 'MOLDCTL_DOMAIN',
      password: 'MOLDCTL_PASSWORD',
      secretKey: 'MOLDCTL_SECRET_KEY',
      username: 'MOLDCTL_USERNAME',
    },
  },
  {
    label: 'CLOUDSTACK_API_KEY/CLOUDSTACK_SECRET_KEY',
    variables: {
      apiKey: 'CLOUDSTACK_API_KEY',
      domain: undefined,
      password: undefined,
      secretKey: 'CLOUDSTACK_SECRET_KEY',
      username: undefined,
    },
  },
  {
    label: 'CLOUDSTACK_KEY/CLOUDSTACK_SECRET',
    variables: {
      apiKey: 'CLOUDSTACK_KEY',
      domain: undefined,
      password: undefined,
      secretKey: 'CLOUDSTACK_SECRET',
      username: undefined,
    },
  },
]

interface Credentials {
  apiKey?: string
  domain?: string
  password?: string
  secretKey?: string
  username?: string
}

interface CredentialSource {
  credentials: Credentials
  /** Where they came from, for messages: 'the environment (MOLDCTL_*)', 'profile "x"'. */
  label: string
  profileName?: string
  source: string
}

/**
 * Works out which server to talk to and how to authenticate: flags, then environment, then the
 * selected profile (--profile, else MOLDCTL_PROFILE, else `current`, else the only profile).
 *
 * The URL and the credentials are resolved separately, but the credentials always come whole
 * from one place: the first source that sets any of them. Mixing a key from one place with a
 * secret from another, or quietly falling back to a password when keys are incomplete, is how
 * CloudMonkey ended up acting as the wrong account; here an incomplete set is an error.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  config: ConfigFile,
): ConnectionSettings {
  const {name: profileName, note: selectionNote, profile} = selectProfile(flags, env, config)
  const profileSource = profileName === undefined ? undefined : `profile "${profileName}"`
  const sources: string[] = []
  const used = (source: string | undefined): void => {
    if (source !== undefined && !sources.includes(source)) sources.push(source)
  }

  const urlSetting = pickUrl(flags, env, profile, profileSource)
  const credentialSource = pickCredentials(env, profile, profileName)

  if (urlSetting === undefined || credentialSource === undefined) {
    throw missingConnection(config, selectionNote, urlSetting === undefined)
  }

  const credentials = completeCredentials(credentialSource)
  const urls = parseEndpointList(urlSetting.text, urlSetting.label, urlSetting.source === 'flags')
  used(urlSetting.source)
  used(credentialSource.source)

  const flavorText = nonEmpty(env.MOLDCTL_FLAVOR)
  if (flavorText !== undefined && !isFlavorSetting(flavorText)) {
    throw new ConfigError(`MOLDCTL_FLAVOR must be one of ${FLAVOR_SETTINGS.join(', ')} (got "${flavorText}")`)
  }

  const flavor = flavorText ?? profile?.flavor ?? 'auto'
  if (flavorText !== undefined) used('environment')
  else if (profile?.flavor !== undefined) used(profileSource)

  const timeoutSeconds = flags.timeout ?? profile?.timeout ?? DEFAULT_TIMEOUT_SECONDS
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new UsageError(`--timeout must be a positive number of seconds (got ${timeoutSeconds})`)
  }

  const settings: ConnectionSettings = {
    ...credentials,
    flavor,
    source: '',
    timeoutMs: Math.round(timeoutSeconds * 1000),
    urls,
    verifyTls: flags.insecure !== true && profile?.verifytls !== false,
  }
  const caFile = nonEmpty(flags.caFile) ?? nonEmpty(profile?.cafile)
  if (caFile !== undefined) settings.caFile = caFile
  if (profileName !== undefined && profile !== undefined) settings.profileName = profileName
  settings.source = sources.join(', ')
  return settings
}

interface ProfileSelection {
  name?: string
  /** Why no profile was selected, when that matters for the error message. */
  note?: string
  profile?: Profile
}

function selectProfile(flags: ConnectionFlags, env: NodeJS.ProcessEnv, config: ConfigFile): ProfileSelection {
  const names = Object.keys(config.profiles)
  const explicit = nonEmpty(flags.profile) ?? nonEmpty(env.MOLDCTL_PROFILE)
  if (explicit !== undefined) {
    const profile = ownProfile(config, explicit)
    if (profile === undefined) {
      const via = nonEmpty(flags.profile) === undefined ? ' (from MOLDCTL_PROFILE)' : ''
      throw new ConfigError(
        `no profile named "${explicit}"${via}; ${names.length === 0 ? 'no profiles exist yet' : `existing profiles: ${names.join(', ')}`}`,
        names.length === 0 ? [ADD_PROFILE_HINT.replace('NAME', explicit)] : ['moldctl profile list'],
      )
    }

    return {name: explicit, profile}
  }

  if (config.current !== undefined) {
    const profile = ownProfile(config, config.current)
    if (profile !== undefined) return {name: config.current, profile}
    return {note: `the current profile "${config.current}" does not exist`}
  }

  if (names.length === 1) return {name: names[0], profile: config.profiles[names[0]]}
  if (names.length > 1) return {note: `several profiles exist (${names.join(', ')}) and none is current`}
  return {}
}

function ownProfile(config: ConfigFile, name: string): Profile | undefined {
  return Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined
}

interface UrlSetting {
  label: string
  source: string
  text: string
}

function pickUrl(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  profile: Profile | undefined,
  profileSource: string | undefined,
): undefined | UrlSetting {
  const flagUrl = nonEmpty(flags.url)
  if (flagUrl !== undefined) return {label: '--url', source: 'flags', text: flagUrl}
  for (const name of ENV_URL) {
    const text = nonEmpty(env[name])
    if (text !== undefined) return {label: name, source: 'environment', text}
  }

  const profileUrl = nonEmpty(profile?.url)
  if (profileUrl !== undefined && profileSource !== undefined) {
    return {label: `${profileSource} url`, source: profileSource, text: profileUrl}
  }

  return undefined
}

function pickCredentials(
  env: NodeJS.ProcessEnv,
  profile: Profile | undefined,
  profileName: string | undefined,
): CredentialSource | undefined {
  for (const family of ENV_CREDENTIAL_FAMILIES) {
    const credentials: Credentials = {}
    for (const [field, variable] of Object.entries(family.variables) as [
      keyof Credentials,
      string | undefined,
    ][]) {
      const value = variable === undefined ? undefined : present(env[variable])
      if (value !== undefined) credentials[field] = value
    }

    const isSet = ['apiKey', 'secretKey', 'username', 'password'].some(
      (field) => credentials[field as keyof Credentials] !== undefined,
    )
    if (isSet) {
      return {credentials, label: `the environment (${family.label})`, source: 'environment'}
    }
  }

  if (profile === undefined || profileName === undefined) return undefined
  const credentials: Credentials = {
    apiKey: present(profile.apikey),
    domain: present(profile.domain),
    password: present(profile.password),
    secretKey: present(profile.secretkey),
    username: present(profile.username),
  }
  // MOLDCTL_DOMAIN alone (no other credential variable) still picks the domain of a profile's login.
  const domain = present(env.MOLDCTL_DOMAIN)
  if (domain !== undefined) credentials.domain = domain
  return {credentials, label: `profile "${profileName}"`, profileName, source: `profile "${profileName}"`}
}

/** Keeps exactly one complete kind of credential: the key pair if present, else the login. */
function completeCredentials({credentials, label, profileName}: CredentialSource): Credentials {
  const {apiKey, domain, password, secretKey, username} = credentials
  if (apiKey !== undefined || secretKey !== undefined) {
    if (apiKey === undefined || secretKey === undefined) {
      const missing = apiKey === undefined ? 'API key' : 'secret key'
      throw new ConfigError(
        `${label} has ${missing === 'API key' ? 'a secret key but no API key' : 'an API key but no secret key'}`,
        [`give both keys in ${label}, or neither`],
      )
    }

    return {apiKey, secretKey}
  }

  if (username !== undefined && password !== undefined) {
    return domain === undefined ? {password, username} : {domain, password, username}
  }

  if (username !== undefined || password !== undefined) {
    throw new ConfigError(
      `${label} has ${username === undefined ? 'a password but no username' : 'a username but no password'}`,
      [`give both the username and the password in ${label}`],
    )
  }

  throw new ConfigError(
    `${label} has no credentials (neither an API key and secret key nor a username and password)`,
    [profileName === undefined ? ADD_PROFILE_HINT : ADD_PROFILE_HINT.replace('NAME', profileName), ENV_HINT],
  )
}

function missingConnection(config: ConfigFile, note: string | undefined, noUrl: boolean): ConfigError {
  const what = noUrl
    ? 'no management server URL'
    : 'no credentials (neither an API key and secret key nor a username and password)'
  const names = Object.keys(config.profiles)
  const suggestions: string[] = []
  if (names.length > 0 && note !== undefined) {
    suggestions.push(`pick one: moldctl profile use NAME (or --profile NAME); profiles: ${names.join(', ')}`)
  }

  suggestions.push(ADD_PROFILE_HINT, ENV_HINT)
  const message = note === undefined ? `${what} configured` : `${what} configured: ${note}`
  return new ConfigError(message, suggestions)
}

/**
 * Splits a comma-separated endpoint list, checks each is an http(s) URL, and normalises the
 * short forms people type (`http://host:8080`, `.../client`) to the API path `/client/api`.
 * Errors from --url are usage errors (exit 2); from the environment or a profile, config errors.
 */
export function parseEndpointList(text: string, label = '--url', fromFlags = true): string[] {
  const fail = (message: string): Error =>
    fromFlags ? new UsageError(`${label}: ${message}`) : new ConfigError(`${label}: ${message}`)
  const items = text.split(',').map((item) => item.trim())
  if (items.every((item) => item === '')) throw fail('no URL given')
  const urls: string[] = []
  for (const item of items) {
    if (item === '')
      throw fail(
        `empty entry in the list "${text
          .split(',')
          .map((part) => hideUserInfo(part.trim()))
          .join(',')}"`,
      )
    const url = normaliseEndpoint(item, fail)
    if (!urls.includes(url)) urls.push(url)
  }

  return urls
}

/** One endpoint: `https://cloud.example` → `https://cloud.example/client/api`. */
export function normaliseEndpoint(
  text: string,
  fail: (message: string) => Error = (message) => new UsageError(message),
): string {
  const shown = hideUserInfo(text)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw fail(
      `"${shown}" is not a URL (expected e.g. https://cloud.example.com or http://10.0.0.5:8080/client/api)`,
    )
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fail(`"${shown}" must start with http:// or https://`)
  }

  if (url.username !== '' || url.password !== '') {
    throw fail('credentials do not belong in the URL; use a profile or the environment')
  }

  if (url.search !== '' || url.hash !== '') {
    throw fail(`"${shown}" must not have a query string or fragment`)
  }

  const pathname = url.pathname.replace(/\/+$/, '')
  if (pathname === '') url.pathname = '/client/api'
  else if (pathname.endsWith('/client')) url.pathname = `${pathname}/api`
  else url.pathname = pathname
  return url.toString()
}

/** The text of a URL for messages, with anything that could be `user:password@` hidden. */
function hideUserInfo(text: string): string {
  return text.replace(/^([^/@]*\/\/)?[^/@]*@/, '$1****@')
}

/** A secret or name as given, or undefined when unset or blank (secrets are not trimmed). */
function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}

/** A trimmed setting, or undefined when unset or blank. */
function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}
