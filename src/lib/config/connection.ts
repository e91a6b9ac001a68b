import {parseProxyUrl, type ProxySettings, ProxyUrlError, resolveProxySettings} from '../api/proxy.js'
import {ConfigError, UsageError} from '../core/errors.js'
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
  /** The largest answer accepted, in bytes; where the limit came from, for the message. */
  maxAnswer: {bytes: number; source: string}
  password?: string
  profileName?: string
  /** Which proxy requests go through, and why (flag, profile, environment, none). */
  proxy?: ProxySettings
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
  /** --proxy: a proxy URL, or '' for none. */
  proxy?: string
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

/** What one place (the environment, or a profile) says about the connection. */
interface Layer {
  credentials?: Credentials
  /** For messages about the credentials: 'the environment (MOLDCTL_*)', 'profile "x"'. */
  credentialsLabel: string
  flavor?: FlavorSetting
  profileName?: string
  /** For `source`: 'environment', 'profile "x"'. */
  source: string
  url?: {label: string; text: string}
}

/**
 * Works out which server to talk to and how to authenticate: flags, then environment, then the
 * selected profile (--profile, else MOLDCTL_PROFILE, else `current`, else the only profile).
 * A profile named with the --profile flag is itself a flag-level choice: its settings come
 * before the environment's, so `-p lab` never ends up on the server exported in MOLDCTL_URL.
 *
 * The URL and the credentials are resolved separately, but the credentials always come whole
 * from one place: the first that sets any of them. Mixing a key from one place with a secret
 * from another, or quietly falling back to a password when keys are incomplete, is how
 * CloudMonkey ended up acting as the wrong account; here an incomplete set is an error.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  config: ConfigFile,
): ConnectionSettings {
  const {name: profileName, note: selectionNote, profile} = selectProfile(flags, env, config)
  const envLayer = environmentLayer(env)
  const layers = orderLayers(envLayer, profileName, profile, nonEmpty(flags.profile) !== undefined)
  const {fromFlags, layer: urlLayer, url} = pickUrl(flags, layers)
  const credentialLayer = layers.find((layer) => layer.credentials !== undefined)
  if (url === undefined || credentialLayer === undefined) {
    const bare = layers.find((layer) => layer.profileName !== undefined)
    throw url !== undefined && bare !== undefined
      ? noCredentials(bare)
      : missingConnection(config, selectionNote, url === undefined)
  }

  refuseForeignUrl(urlLayer, credentialLayer)
  const credentials = completeCredentials(credentialLayer)
  // MOLDCTL_DOMAIN on its own (no other credential variable) sets the domain of a profile's login.
  const envDomain = present(env.MOLDCTL_DOMAIN)
  if (envDomain !== undefined && credentials.username !== undefined && layers[0] === envLayer) {
    credentials.domain = envDomain
  }

  const flavorLayer = layers.find((layer) => layer.flavor !== undefined)
  const sources = new Set(fromFlags ? ['flags'] : [])
  for (const used of [urlLayer, credentialLayer, flavorLayer])
    if (used !== undefined) sources.add(used.source)
  const caFile = nonEmpty(flags.caFile) ?? nonEmpty(profile?.cafile)
  return {
    ...credentials,
    ...(caFile === undefined ? {} : {caFile}),
    flavor: flavorLayer?.flavor ?? 'auto',
    ...(profileName === undefined ? {} : {profileName}),
    proxy: resolveProxy(flags, env, profileName, profile),
    source: [...sources].join(', '),
    maxAnswer: resolveMaxAnswer(env, profileName, profile),
    timeoutMs: resolveTimeoutMs(flags, profile),
    urls: parseEndpointList(url.text, url.label, fromFlags),
    verifyTls: flags.insecure !== true && profile?.verifytls !== false,
  }
}

/**
 * A URL from the environment (MOLDCTL_URL...) with the credentials of a profile that names its
 * own, different URL would send that profile's API key (or its password, for a login) to
 * another server — usually a variable left exported for another cloud. That is refused (exit 3);
 * `--url` says it on purpose. A profile without a URL of its own takes the environment's.
 */
function refuseForeignUrl(urlLayer: Layer | undefined, credentialLayer: Layer): void {
  if (!urlLayer || urlLayer.profileName !== undefined || credentialLayer.profileName === undefined) return
  if (!urlLayer.url || !credentialLayer.url) return
  const asked = parseEndpointList(urlLayer.url.text, urlLayer.url.label, false)
  const own = parseEndpointList(credentialLayer.url.text, credentialLayer.url.label, false)
  if (asked.every((url) => own.includes(url))) return
  const name = credentialLayer.profileName
  throw new ConfigError(
    `${urlLayer.url.label} (${asked.join(',')}) is not the URL of profile "${name}" (${own.join(',')}); refusing to send that profile's credentials to it`,
    [
      `to use profile "${name}" itself: unset ${urlLayer.url.label}, or name it with -p ${name}`,
      `to send its credentials there on purpose: --url ${asked.join(',')}`,
      `for another cloud, export its credentials too (MOLDCTL_API_KEY and MOLDCTL_SECRET_KEY)`,
    ],
  )
}

/**
 * --proxy, else the profile's `proxy:`, else the environment (api/proxy.ts has the rules). A URL
 * given on the command line must not carry a password: other users see the process list.
 */
function resolveProxy(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  profileName: string | undefined,
  profile: Profile | undefined,
): ProxySettings {
  const settings = resolveProxySettings(flags.proxy, profile?.proxy, env)
  if (settings.url === undefined) return settings
  const fromFlag = settings.source === 'flag'
  const label = fromFlag ? '--proxy' : `profile "${profileName}" proxy`
  try {
    const url = parseProxyUrl(settings.url, label)
    if (fromFlag && url.password !== '') {
      throw new UsageError('--proxy: a password on the command line is visible to other users; refusing it', [
        "put the proxy URL in HTTPS_PROXY (and HTTP_PROXY), or in the profile's proxy: setting",
      ])
    }
  } catch (error) {
    if (!(error instanceof ProxyUrlError)) throw error
    throw fromFlag ? new UsageError(error.message) : new ConfigError(error.message)
  }

  return settings
}

/** --url, else the URL of the first layer that has one. */
function pickUrl(
  flags: ConnectionFlags,
  layers: Layer[],
): {fromFlags: boolean; layer?: Layer; url?: {label: string; text: string}} {
  const flagUrl = nonEmpty(flags.url)
  if (flagUrl !== undefined) return {fromFlags: true, url: {label: '--url', text: flagUrl}}
  const layer = layers.find((candidate) => candidate.url !== undefined)
  return {fromFlags: false, layer, url: layer?.url}
}

/** The environment and the selected profile, most important first. */
function orderLayers(
  envLayer: Layer,
  profileName: string | undefined,
  profile: Profile | undefined,
  profileFromFlag: boolean,
): Layer[] {
  if (profile === undefined || profileName === undefined) return [envLayer]
  const fromProfile = profileLayer(profileName, profile)
  return profileFromFlag ? [fromProfile, envLayer] : [envLayer, fromProfile]
}

function environmentLayer(env: NodeJS.ProcessEnv): Layer {
  const layer: Layer = {credentialsLabel: 'the environment', source: 'environment'}
  const urlVariable = ENV_URL.find((name) => nonEmpty(env[name]) !== undefined)
  if (urlVariable !== undefined) layer.url = {label: urlVariable, text: nonEmpty(env[urlVariable])!}
  for (const family of ENV_CREDENTIAL_FAMILIES) {
    const credentials: Credentials = {}
    for (const [field, variable] of Object.entries(family.variables) as [
      keyof Credentials,
      string | undefined,
    ][]) {
      const value = variable === undefined ? undefined : present(env[variable])
      if (value !== undefined) credentials[field] = value
    }

    if (hasCredential(credentials)) {
      layer.credentials = credentials
      layer.credentialsLabel = `the environment (${family.label})`
      break
    }
  }

  const flavor = nonEmpty(env.MOLDCTL_FLAVOR)
  if (flavor !== undefined) {
    if (!isFlavorSetting(flavor)) {
      throw new ConfigError(`MOLDCTL_FLAVOR must be one of ${FLAVOR_SETTINGS.join(', ')} (got "${flavor}")`)
    }

    layer.flavor = flavor
  }

  return layer
}

function profileLayer(name: string, profile: Profile): Layer {
  const source = `profile "${name}"`
  const layer: Layer = {credentialsLabel: source, profileName: name, source}
  const url = nonEmpty(profile.url)
  if (url !== undefined) layer.url = {label: `${source} url`, text: url}
  if (profile.flavor !== undefined) layer.flavor = profile.flavor
  const credentials: Credentials = {
    apiKey: present(profile.apikey),
    domain: present(profile.domain),
    password: present(profile.password),
    secretKey: present(profile.secretkey),
    username: present(profile.username),
  }
  if (hasCredential(credentials)) layer.credentials = credentials
  return layer
}

function hasCredential(credentials: Credentials): boolean {
  return [credentials.apiKey, credentials.secretKey, credentials.username, credentials.password].some(
    (value) => value !== undefined,
  )
}

/** 64 MiB: far above any real answer (a 500-host page is about 1 MB), far below what exhausts memory. */
export const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024

/** MOLDCTL_MAX_ANSWER_BYTES, else the profile's `maxanswerbytes`, else 64 MiB. */
export function resolveMaxAnswer(
  env: NodeJS.ProcessEnv,
  profileName?: string,
  profile?: Profile,
): {bytes: number; source: string} {
  const text = env.MOLDCTL_MAX_ANSWER_BYTES?.trim()
  if (text) {
    const bytes = /^\d+$/.test(text) ? Number(text) : Number.NaN
    if (!Number.isSafeInteger(bytes) || bytes <= 0)
      throw new ConfigError(
        `MOLDCTL_MAX_ANSWER_BYTES must be a positive whole number of bytes, got "${text}"`,
      )
    return {bytes, source: 'MOLDCTL_MAX_ANSWER_BYTES'}
  }

  if (profile?.maxanswerbytes !== undefined)
    return {bytes: profile.maxanswerbytes, source: `profile "${profileName}" maxanswerbytes`}
  return {bytes: DEFAULT_MAX_ANSWER_BYTES, source: 'the default'}
}

function resolveTimeoutMs(flags: ConnectionFlags, profile: Profile | undefined): number {
  const seconds = flags.timeout ?? profile?.timeout ?? DEFAULT_TIMEOUT_SECONDS
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`the request timeout must be a positive number of seconds (got ${seconds})`)
  }

  return Math.round(seconds * 1000)
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

/** Keeps exactly one complete kind of credential: the key pair if present, else the login. */
function completeCredentials({credentials = {}, credentialsLabel: label}: Layer): Credentials {
  const {apiKey, domain, password, secretKey, username} = credentials
  if (apiKey !== undefined || secretKey !== undefined) {
    if (apiKey === undefined || secretKey === undefined) {
      throw new ConfigError(
        `${label} has ${apiKey === undefined ? 'a secret key but no API key' : 'an API key but no secret key'}`,
        [`give both keys in ${label}, or neither`],
      )
    }

    return {apiKey, secretKey}
  }

  if (username === undefined || password === undefined) {
    throw new ConfigError(
      `${label} has ${username === undefined ? 'a password but no username' : 'a username but no password'}`,
      [`give both the username and the password in ${label}`],
    )
  }

  return domain === undefined ? {password, username} : {domain, password, username}
}

function noCredentials(layer: Layer): ConfigError {
  return new ConfigError(
    `${layer.source} has no credentials (neither an API key and secret key nor a username and password)`,
    [ADD_PROFILE_HINT.replace('NAME', layer.profileName ?? 'NAME'), ENV_HINT],
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
