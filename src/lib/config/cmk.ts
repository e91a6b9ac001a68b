import {decode} from 'ini'
import {homedir} from 'node:os'
import path from 'node:path'

import type {Profile} from './profiles.js'

/*
 * CloudMonkey's config file, as read from apache/cloudstack-cloudmonkey (config/config.go at
 * 6.4.0, and cloudmonkey/config.py of the legacy Python 5.3.3):
 *
 * - 6.x reads it with gopkg.in/ini.v1 and IgnoreInlineComment, so `;` and `#` inside a value
 *   are part of the value. The `Core` keys live in the unnamed default section (go-ini's
 *   "DEFAULT": keys before the first `[section]`, or under an explicit `[DEFAULT]`): prompt,
 *   asyncblock, timeout (seconds; both the HTTP client timeout and the async-job deadline,
 *   default 1800), output, verifycert (global in 6.x, default true), profile (the current
 *   profile, default "localcloud"), autocomplete.
 * - Every other section is a `ServerProfile`: url, username, password, domain, apikey, secretkey.
 *   CloudMonkey fills new profiles with username "admin" and password "password".
 * - Legacy 5.3.3 (~/.cloudmonkey/config) keeps `profile` under `[core]`, has a `[ui]` section,
 *   and per-profile url, timeout, expires, username, password, domain, apikey, secretkey,
 *   verifysslcert, signatureversion. Older 5.x files had `[server]` (protocol, host, port, path)
 *   and `[user]` (apikey, secretkey) instead of profiles.
 *
 * The mapping chosen here:
 * - verifycert / verifysslcert → verifytls (a profile's own value wins over the global one).
 * - A profile's own `timeout` → timeout. The 6.x global `timeout` is not imported: it is mostly
 *   the job deadline, and a per-request limit of 1800 s would hide hung connections.
 * - When a profile has an API key and secret key, only the keys are imported. The username and
 *   password next to them are usually CloudMonkey's defaults, and keeping them would bring back
 *   the silent fallback to another account (CloudMonkey issue #168).
 * - signatureversion, expires, output and the other display keys have no counterpart; flavor is
 *   'auto' (moldctl detects the signing algorithm).
 */

/** CloudMonkey's default endpoint, used by cmk for a profile section without `url`. */
const CMK_DEFAULT_URL = 'http://localhost:8080/client/api'

/** Sections that are not server profiles. */
const CORE_SECTIONS = new Set(['core', 'DEFAULT'])
const NON_PROFILE_SECTIONS = new Set(['server', 'ui', 'user'])

export interface CmkConfig {
  current?: string
  profiles: Record<string, Profile>
}

export function defaultCmkConfigPath(env: NodeJS.ProcessEnv): string {
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir()
  return path.join(home, '.cmk', 'config')
}

export function parseCmkConfig(text: string): CmkConfig {
  const sections = readIniSections(text)
  const core: Record<string, string> = {}
  for (const name of ['', ...CORE_SECTIONS]) Object.assign(core, sections.get(name))

  const profiles: Record<string, Profile> = {}
  for (const [name, keys] of sections) {
    if (name === '' || CORE_SECTIONS.has(name) || NON_PROFILE_SECTIONS.has(name)) continue
    profiles[name] = cmkProfile(keys, core)
  }

  const legacy = legacySingleProfile(sections, core)
  if (legacy !== undefined && Object.keys(profiles).length === 0) profiles.default = legacy

  const current = nonEmpty(core.profile)
  return current !== undefined && Object.hasOwn(profiles, current) ? {current, profiles} : {profiles}
}

function cmkProfile(keys: Record<string, string>, core: Record<string, string>): Profile {
  const profile: Profile = {flavor: 'auto', url: nonEmpty(keys.url) ?? CMK_DEFAULT_URL}
  const apikey = nonEmpty(keys.apikey)
  const secretkey = nonEmpty(keys.secretkey)
  if (apikey !== undefined && secretkey !== undefined) {
    profile.apikey = apikey
    profile.secretkey = secretkey
  } else {
    const username = nonEmpty(keys.username)
    const password = nonEmpty(keys.password)
    const domain = nonEmpty(keys.domain)
    if (apikey !== undefined) profile.apikey = apikey
    if (secretkey !== undefined) profile.secretkey = secretkey
    if (username !== undefined) profile.username = username
    if (password !== undefined) profile.password = password
    if (domain !== undefined) profile.domain = domain
  }

  const verify = parseBoolean(keys.verifycert ?? keys.verifysslcert ?? core.verifycert ?? core.verifysslcert)
  if (verify !== undefined) profile.verifytls = verify
  const timeout = Number(nonEmpty(keys.timeout))
  if (Number.isFinite(timeout) && timeout > 0) profile.timeout = timeout
  return profile
}

/** Pre-profile CloudMonkey 5.x: one server in `[server]` + `[user]`. */
function legacySingleProfile(
  sections: Map<string, Record<string, string>>,
  core: Record<string, string>,
): Profile | undefined {
  const server = sections.get('server')
  const user = sections.get('user') ?? {}
  const host = nonEmpty(server?.host)
  if (server === undefined || host === undefined) return undefined
  const protocol = nonEmpty(server.protocol) ?? 'http'
  const port = nonEmpty(server.port)
  const apiPath = nonEmpty(server.path) ?? '/client/api'
  const url = `${protocol}://${host}${port === undefined ? '' : `:${port}`}${apiPath.startsWith('/') ? '' : '/'}${apiPath}`
  return cmkProfile({...user, timeout: server.timeout ?? '', url}, core)
}

/**
 * Reads sections with the `ini` package, after escaping what would make it disagree with
 * go-ini: `;` and `#` inside values (go-ini keeps them; `ini` would cut the value there), dots
 * in section names (`ini` would nest `[cloud.example]`), `key: value` lines, and values that
 * `ini` would turn into booleans. Keys are compared case-insensitively.
 */
function readIniSections(text: string): Map<string, Record<string, string>> {
  const prepared: string[] = []
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim()
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue
    if (line.startsWith('[') && line.endsWith(']')) {
      prepared.push(`[${escapeIni(line.slice(1, -1).trim()).replaceAll('.', String.raw`\.`)}]`)
      continue
    }

    const delimiter = line.search(/[:=]/)
    if (delimiter <= 0) continue
    const key = line.slice(0, delimiter).trim().toLowerCase()
    const value = unquote(line.slice(delimiter + 1).trim())
    // JSON-quoting keeps every character as is, including ;, #, =, [ and `true`.
    prepared.push(`${escapeIni(key)} = ${JSON.stringify(value)}`)
  }

  const decoded = decode(prepared.join('\n'), {bracketedArray: false}) as Record<string, unknown>
  const sections = new Map<string, Record<string, string>>()
  const topLevel: Record<string, string> = {}
  for (const [name, value] of Object.entries(decoded)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      sections.set(name, stringValues(value as Record<string, unknown>))
    } else {
      topLevel[name] = lastString(value)
    }
  }

  sections.set('', topLevel)
  return sections
}

function stringValues(section: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [key, value] of Object.entries(section)) result[key] = lastString(value)
  return result
}

/** A repeated key yields an array from `ini`; go-ini keeps the last value. */
function lastString(value: unknown): string {
  const last = Array.isArray(value) ? value.at(-1) : value
  return typeof last === 'string' ? last : String(last)
}

function escapeIni(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll(';', String.raw`\;`)
    .replaceAll('#', String.raw`\#`)
}

/** go-ini strips one pair of surrounding double quotes, backquotes or triple quotes. */
function unquote(value: string): string {
  if (value.length >= 6 && value.startsWith('"""') && value.endsWith('"""')) return value.slice(3, -3)
  if (
    value.length >= 2 &&
    ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith('`') && value.endsWith('`')))
  ) {
    return value.slice(1, -1)
  }

  return value
}

function parseBoolean(value: string | undefined): boolean | undefined {
  switch (nonEmpty(value)?.toLowerCase()) {
    case '0':
    case 'f':
    case 'false':
    case 'n':
    case 'no':
    case 'off': {
      return false
    }

    case '1':
    case 'on':
    case 't':
    case 'true':
    case 'y':
    case 'yes': {
      return true
    }

    default: {
      return undefined
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}
