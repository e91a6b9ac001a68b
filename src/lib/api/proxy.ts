/**
 * Which proxy a request goes through: the rules of curl (libcurl-env(3), curl(1) ENVIRONMENT,
 * lib/noproxy.c), which most command-line tools follow.
 *
 * - `https_proxy`/`HTTPS_PROXY` for https:// endpoints, `http_proxy`/`HTTP_PROXY` for http://,
 *   else `all_proxy`/`ALL_PROXY`. The lower-case form wins when both are set. curl reads
 *   `http_proxy` in lower case only, because a CGI program's environment carries the request's
 *   `Proxy:` header as `HTTP_PROXY`; moldctl reads `HTTP_PROXY` too (as Go and Python do) but not
 *   when `REQUEST_METHOD` says it runs under CGI.
 * - `no_proxy`/`NO_PROXY`: a comma-separated list; `*` matches every host; `example.com` and
 *   `.example.com` both match `example.com` and every name under it; an IP address or a CIDR
 *   block (`10.0.0.0/8`) matches addresses; `host:port` matches that port only (as Go does).
 *   As in curl, it applies to a proxy given with `--proxy` or in the profile too.
 * - A proxy URL without a scheme is http://; without a port, 1080 (curl's default) for http://
 *   and 443 for https://.
 *
 * `--proxy URL` beats the profile's `proxy:`, which beats the environment; `--proxy ''` and
 * `proxy: none` turn the proxy off.
 */
import {isIP} from 'node:net'

export type ProxySource = 'environment' | 'flag' | 'none' | 'profile'

export interface ProxySettings {
  /** The environment's proxies by target scheme, with the variable each came from. */
  env?: {http?: NamedValue; https?: NamedValue}
  /** The exclusion list and the variable it came from. */
  noProxy?: NamedValue
  /** Where the choice was made: the flag, the profile, the environment, or nowhere (no proxy). */
  source: ProxySource
  /** With source flag or profile: the proxy for every endpoint (undefined: turned off). */
  url?: string
}

export interface NamedValue {
  value: string
  variable: string
}

export interface ChosenProxy {
  /** Where it came from, for messages: `--proxy`, `profile "lab" proxy`, `HTTPS_PROXY`. */
  label: string
  url: URL
}

/** The values of `proxy:` (and `--proxy`) that mean no proxy. */
export const PROXY_OFF = new Set(['', 'none', 'off'])

/**
 * The proxy settings from the flag (undefined: not given; '' off), the profile's `proxy:`
 * (undefined: not set; `none` off) and the environment. URLs are checked when used
 * (parseProxyUrl), so that a bad variable only matters to the endpoints it applies to.
 */
export function resolveProxySettings(
  flag: string | undefined,
  profile: string | undefined,
  env: NodeJS.ProcessEnv,
): ProxySettings {
  const noProxy = pickVariable(env, ['no_proxy', 'NO_PROXY'])
  const withNoProxy = noProxy === undefined ? {} : {noProxy}
  if (flag !== undefined) {
    const text = flag.trim()
    return PROXY_OFF.has(text) ? {source: 'flag'} : {source: 'flag', url: text, ...withNoProxy}
  }

  if (profile !== undefined && profile.trim() !== '') {
    const text = profile.trim()
    return PROXY_OFF.has(text) ? {source: 'profile'} : {source: 'profile', url: text, ...withNoProxy}
  }

  const cgi = env.REQUEST_METHOD !== undefined && env.REQUEST_METHOD !== ''
  const all = pickVariable(env, ['all_proxy', 'ALL_PROXY'])
  const https = pickVariable(env, ['https_proxy', 'HTTPS_PROXY']) ?? all
  const http = pickVariable(env, cgi ? ['http_proxy'] : ['http_proxy', 'HTTP_PROXY']) ?? all
  if (https === undefined && http === undefined) return {source: 'none'}
  return {
    env: {...(http === undefined ? {} : {http}), ...(https === undefined ? {} : {https})},
    source: 'environment',
    ...withNoProxy,
  }
}

/** The proxy for one endpoint, or undefined when it is reached directly. */
export function proxyFor(
  target: string,
  settings: ProxySettings | undefined,
  profileLabel = 'profile',
): ChosenProxy | undefined {
  if (settings === undefined) return undefined
  const url = new URL(target)
  let chosen: undefined | {label: string; text: string}
  if (settings.source === 'flag' || settings.source === 'profile') {
    if (settings.url !== undefined)
      chosen = {label: settings.source === 'flag' ? '--proxy' : `${profileLabel} proxy`, text: settings.url}
  } else if (settings.env !== undefined) {
    const named = url.protocol === 'https:' ? settings.env.https : settings.env.http
    if (named !== undefined) chosen = {label: named.variable, text: named.value}
  }

  if (chosen === undefined) return undefined
  if (settings.noProxy !== undefined && matchesNoProxy(url, settings.noProxy.value)) return undefined
  return {label: chosen.label, url: parseProxyUrl(chosen.text, chosen.label)}
}

/** Why a proxy is or is not used for `target`, for `profile show` and `doctor`. */
export function describeProxy(target: string | undefined, settings: ProxySettings | undefined): string {
  if (settings === undefined || settings.source === 'none') return 'none (no proxy variable is set)'
  if (settings.source === 'flag' && settings.url === undefined) return "none (turned off by --proxy '')"
  if (settings.source === 'profile' && settings.url === undefined)
    return 'none (turned off by the profile: proxy: none)'
  if (target === undefined)
    return `${settings.source === 'flag' ? 'from --proxy' : `from the ${settings.source}`}`
  const chosen = proxyFor(target, settings)
  const {host} = new URL(target)
  if (chosen === undefined) {
    if (settings.noProxy !== undefined && matchesNoProxy(new URL(target), settings.noProxy.value))
      return `none (${settings.noProxy.variable} matches ${host})`
    return `none (no proxy variable for ${new URL(target).protocol.replace(':', '')}:// is set)`
  }

  const from =
    settings.source === 'flag' ? '--proxy' : settings.source === 'profile' ? 'the profile' : chosen.label
  return `${showProxyUrl(chosen.url)} (from ${from})`
}

/**
 * What `profile show` prints as `proxyinuse`: the proxy its endpoints go through and why; one
 * line per endpoint when they differ (NO_PROXY may name one of them).
 */
export function describeProxyForEndpoints(urls: string[], settings: ProxySettings | undefined): string {
  const lines = urls.map((url) => {
    try {
      return describeProxy(url, settings)
    } catch (error) {
      return `invalid: ${(error as Error).message}`
    }
  })
  if (new Set(lines).size <= 1) return lines[0] ?? describeProxy(undefined, settings)
  return urls.map((url, i) => `${url}: ${lines[i]}`).join('; ')
}

/** A proxy URL for messages: the password replaced by ****. */
export function showProxyUrl(url: string | URL): string {
  if (typeof url === 'string' && !url.includes('@')) return url
  let parsed: URL
  try {
    parsed =
      typeof url === 'string' ? new URL(url.includes('://') ? url : `http://${url}`) : new URL(url.href)
  } catch {
    return String(url).replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:****@')
  }

  if (parsed.password !== '') parsed.password = '****'
  // new URL keeps a trailing slash on an origin; a proxy is named without one.
  return parsed.href.replace(/\/$/, '')
}

/** Parses a proxy URL the way curl reads one; throws ProxyUrlError naming the label. */
export function parseProxyUrl(text: string, label: string): URL {
  const withScheme = /^[a-z][\w+.-]*:\/\//i.test(text) ? text : `http://${text}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new ProxyUrlError(`${label}: "${showProxyUrl(text)}" is not a proxy URL (e.g. http://proxy:3128)`)
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ProxyUrlError(
      `${label}: ${url.protocol.replace(':', '')}:// proxies are not supported (use an http:// or https:// proxy)`,
    )
  if (url.hostname === '') throw new ProxyUrlError(`${label}: "${showProxyUrl(text)}" names no proxy host`)
  if (url.port === '' && url.protocol === 'http:' && !/:80(?:[/]|$)/.test(withScheme.split('@').pop()!))
    url.port = '1080'
  return url
}

export class ProxyUrlError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProxyUrlError'
  }
}

/** True when the NO_PROXY list excludes `target` from the proxy. */
export function matchesNoProxy(target: URL, list: string): boolean {
  const host = unbracket(target.hostname).toLowerCase().replace(/\.$/, '')
  const port = target.port === '' ? (target.protocol === 'https:' ? '443' : '80') : target.port
  for (const raw of list.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase()
    if (entry === '') continue
    if (entry === '*') return true
    const {name, port: entryPort} = splitHostPort(entry)
    if (entryPort !== undefined && entryPort !== port) continue
    if (isIP(host) !== 0) {
      if (ipMatches(host, name)) return true
      continue
    }

    const domain = name.replace(/^\*?\./, '').replace(/\.$/, '')
    if (domain !== '' && (host === domain || host.endsWith(`.${domain}`))) return true
  }

  return false
}

function pickVariable(env: NodeJS.ProcessEnv, names: string[]): NamedValue | undefined {
  for (const variable of names) {
    const value = env[variable]?.trim()
    if (value !== undefined && value !== '') return {value, variable}
  }

  return undefined
}

function unbracket(host: string): string {
  return host.replaceAll(/^\[|\]$/g, '')
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`, `v6` (bare IPv6 has no port), `10.0.0.0/8`. */
function splitHostPort(entry: string): {name: string; port?: string} {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
  if (bracketed) return {name: bracketed[1], port: bracketed[2]}
  if ((entry.match(/:/g) ?? []).length > 1) return {name: entry}
  const withPort = /^(.*):(\d+)$/.exec(entry)
  return withPort ? {name: withPort[1], port: withPort[2]} : {name: entry}
}

function ipMatches(address: string, entry: string): boolean {
  const [base, bits] = entry.split('/')
  const family = isIP(address)
  if (isIP(base) !== family) return false
  const a = ipBytes(address)
  const b = ipBytes(base)
  const prefix = bits === undefined ? a.length * 8 : Number(bits)
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > a.length * 8) return false
  for (let bit = 0; bit < prefix; bit++) {
    const mask = 0x80 >> (bit % 8)
    if ((a[Math.floor(bit / 8)] & mask) !== (b[Math.floor(bit / 8)] & mask)) return false
  }

  return true
}

function ipBytes(address: string): number[] {
  if (isIP(address) === 4) return address.split('.').map(Number)
  const [head, tail = ''] = address.split('::')
  const h = ipv6Groups(head)
  const t = ipv6Groups(tail)
  const groups = address.includes('::')
    ? [...h, ...Array.from({length: 8 - h.length - t.length}, () => '0'), ...t]
    : h
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16)
    return [value >> 8, value & 0xff]
  })
}

function ipv6Groups(text: string): string[] {
  return text === '' ? [] : text.split(':')
}
