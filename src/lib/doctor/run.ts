import type {MoldClient} from '../api/client.js'
import type {Flavor} from '../api/sign.js'
import type {ApiObject} from '../api/types.js'
import type {ConnectionSettings} from '../config/connection.js'

import {fetchHosts} from '../api/fetch.js'
import {type ChosenProxy, proxyFor} from '../api/proxy.js'
import {ApiError, ConfigError, MoldctlError} from '../core/errors.js'
import {type EndpointProbe, inspectTls, probeEndpoint} from './probes.js'
import {
  CA_SETTING_NAMES,
  type CaSettings,
  type CheckName,
  type DoctorCheck,
  type DoctorReport,
  formatSeconds,
  judgeApis,
  judgeCa,
  judgeClock,
  judgeEndpoint,
  judgeProfile,
  judgeRole,
  judgeTls,
  SIGNATURE_LIFETIME_SECONDS,
} from './rules.js'

/*
 * `moldctl doctor`: the connection checked end to end, each step with ok/warn/fail and a fix.
 * This file observes (probes, API calls); src/lib/doctor/rules.ts judges what was observed.
 */

export {doctorExitCode, renderDoctorReport} from './rules.js'
export type {DoctorCheck, DoctorReport} from './rules.js'

const FLAVOR_MAC: Record<Flavor, string> = {cloudstack: 'HmacSHA1', mold: 'HmacSHA256'}

export interface DoctorContext {
  /** The client for the resolved settings; with `flavor`, a client that signs that way only. */
  client(flavor?: Flavor): Promise<MoldClient>
  /** Also probe libvirtd's TLS port on the secured KVM hosts (doctor --libvirt-tls). */
  libvirtTls?: {port: number; timeoutMs: number}
  now?: () => number
  /** Reads the CA file (injected for tests); defaults to the file system. */
  readCaFile?: (file: string) => Promise<Buffer>
  settings?: ConnectionSettings
  /** Why the settings could not be resolved. */
  settingsError?: unknown
}

function skipped(check: CheckName, why: string): DoctorCheck {
  return {check, detail: `skipped: ${why}`, status: 'skip'}
}

function offsetOf(probe: EndpointProbe | undefined): number | undefined {
  if (!probe?.date) return undefined
  const server = Date.parse(probe.date)
  return Number.isNaN(server) ? undefined : (server - probe.localMidMs) / 1000
}

/** The proxy the API client uses for `url` (a bad proxy URL shows in the profile check). */
function proxyOf(url: string, settings: ConnectionSettings): ChosenProxy | undefined {
  try {
    return proxyFor(url, settings.proxy)
  } catch {
    return undefined
  }
}

function report(checks: DoctorCheck[]): DoctorReport {
  return {checks, ok: checks.every((c) => c.status !== 'fail')}
}

/** Runs every check in order; a failed step marks the ones that depend on it as skipped. */
export async function runDoctor(ctx: DoctorContext): Promise<DoctorReport> {
  const now = ctx.now ?? Date.now
  const checks: DoctorCheck[] = [judgeProfile(ctx.settings, ctx.settingsError)]
  const {settings} = ctx
  const later: CheckName[] = ['endpoint', 'tls', 'auth', 'clock', 'role', 'apis', 'ca']
  if (!settings) return report([...checks, ...later.map((c) => skipped(c, 'no usable profile'))])

  const probes = await Promise.all(
    settings.urls.map(async (url) => probeEndpoint(url, settings.timeoutMs, proxyOf(url, settings))),
  )
  checks.push(
    ...probes.map((probe) => judgeEndpoint(probe)),
    ...(await checkTls(ctx, settings, probes, now())),
  )
  const reachable = probes.find((p) =>
    checks.some((c) => c.check === 'endpoint' && c.target === p.url && c.status === 'ok'),
  )
  const offset = offsetOf(reachable)
  if (!reachable)
    return report([...checks, ...later.slice(2).map((c) => skipped(c, 'no endpoint answers as the API'))])
  const tlsFailed = checks.some((c) => c.check === 'tls' && c.target === reachable.url && c.status === 'fail')
  if (tlsFailed) {
    checks.push(
      skipped('auth', 'TLS verification fails'),
      judgeClock(offset, {signed: Boolean(settings.apiKey)}),
    )
    return report([...checks, ...later.slice(4).map((c) => skipped(c, 'TLS verification fails'))])
  }

  const auth = await checkAuth(ctx, settings, offset)
  checks.push(auth.check)
  if (!auth.client) {
    checks.push(judgeClock(offset, {signed: Boolean(settings.apiKey)}))
    return report([...checks, ...later.slice(4).map((c) => skipped(c, 'authentication fails'))])
  }

  const {client} = auth
  const enforce = await settingValue(client, 'enforce.post.requests.and.timestamps')
  checks.push(
    judgeClock(offset, {enforceTimestamps: enforce === 'true', signed: Boolean(settings.apiKey)}),
    await checkRole(client, settings),
    await checkApis(client),
    await checkCa(client),
  )
  if (ctx.libvirtTls) {
    const {checkLibvirtTls} = await import('./libvirt-tls.js')
    checks.push(await checkLibvirtTls(client, ctx.libvirtTls))
  }

  return report(checks)
}

/** The TLS check of every endpoint (https ones are connected to and inspected). */
async function checkTls(
  ctx: DoctorContext,
  settings: ConnectionSettings,
  probes: EndpointProbe[],
  nowMs: number,
): Promise<DoctorCheck[]> {
  let ca: Buffer | undefined
  if (settings.caFile) {
    const read = ctx.readCaFile ?? (async (file: string) => (await import('node:fs/promises')).readFile(file))
    try {
      ca = await read(settings.caFile)
    } catch (error) {
      const {code, message} = error as NodeJS.ErrnoException
      return settings.urls.map((url) => ({
        check: 'tls' as const,
        detail: `cannot read the CA file ${settings.caFile}: ${code ?? message}`,
        fix: 'fix the --ca-file path (or cafile in the profile)',
        status: 'fail' as const,
        target: url,
      }))
    }
  }

  return Promise.all(
    settings.urls.map(async (url, i) => {
      if (!url.startsWith('https:')) return judgeTls(url, undefined, settings, nowMs)
      if (probes[i].error) return {...skipped('tls', 'the endpoint cannot be reached'), target: url}
      return judgeTls(
        url,
        await inspectTls(url, ca, settings.timeoutMs, proxyOf(url, settings)),
        settings,
        nowMs,
      )
    }),
  )
}

async function checkAuth(
  ctx: DoctorContext,
  settings: ConnectionSettings,
  offset: number | undefined,
): Promise<{check: DoctorCheck; client?: MoldClient}> {
  const client = await ctx.client()
  try {
    const answer = await client.request('listCapabilities')
    const version = (answer.capability as ApiObject | undefined)?.cloudstackversion
    const how = settings.apiKey
      ? `API key accepted; requests signed with ${FLAVOR_MAC[client.flavor!]} (${client.flavor})`
      : `login as ${settings.username} accepted; the session key signs nothing, it rides along`
    return {
      check: {check: 'auth', detail: `${how}; server version ${String(version ?? 'unknown')}`, status: 'ok'},
      client,
    }
  } catch (error) {
    return {check: await explainAuthFailure(ctx, settings, error, offset)}
  }
}

async function explainAuthFailure(
  ctx: DoctorContext,
  settings: ConnectionSettings,
  error: unknown,
  offset: number | undefined,
): Promise<DoctorCheck> {
  const fail = (detail: string, fix: string): DoctorCheck => ({check: 'auth', detail, fix, status: 'fail'})
  if (!(error instanceof ApiError)) {
    const suggestions = error instanceof MoldctlError ? error.suggestions.join('; ') : ''
    return fail((error as Error).message, suggestions || 'see the endpoint and tls checks')
  }

  if (!settings.apiKey) {
    return fail(
      `the login was refused (${error.errorcode}): ${error.errortext}`,
      'check the username, the password and the domain path (MOLDCTL_DOMAIN or the profile; ROOT is /)',
    )
  }

  if (error.errorcode !== 401)
    return fail(error.message, 'see the server log (management-server.log) for this request')
  if (offset !== undefined && offset > SIGNATURE_LIFETIME_SECONDS) {
    return fail(
      `the signature was refused (401); the server clock is ${formatSeconds(offset)} ahead, so every signed request arrives expired`,
      'synchronise the clocks with NTP (see the clock check)',
    )
  }

  if (settings.flavor !== 'auto') {
    const other: Flavor = settings.flavor === 'mold' ? 'cloudstack' : 'mold'
    const works = await (
      await ctx.client(other)
    )
      .request('listCapabilities')
      .then(() => true)
      .catch(() => false)
    if (works) {
      return fail(
        `the server refuses ${FLAVOR_MAC[settings.flavor]} (${settings.flavor}) signatures but accepts ${FLAVOR_MAC[other]}: it is ${other === 'mold' ? 'ABLESTACK Mold' : 'Apache CloudStack'}`,
        `set the profile's flavor to ${other} or auto (moldctl profile add NAME ... --flavor ${other}, or MOLDCTL_FLAVOR=${other})`,
      )
    }
  }

  return fail(
    `the server refused the signature (401) with ${settings.flavor === 'auto' ? 'both HmacSHA256 and HmacSHA1' : FLAVOR_MAC[settings.flavor]}: the API key or secret key is wrong, or the user, its account or API-key access is disabled`,
    "compare the keys with the user's keys in the UI (Accounts → user → Keys), or generate new ones and update the profile",
  )
}

async function settingValue(client: MoldClient, name: string): Promise<string | undefined> {
  try {
    const found = await client.list<ApiObject>('listConfigurations', {name})
    return found.find((c) => c.name === name)?.value as string | undefined
  } catch {
    return undefined
  }
}

async function checkRole(client: MoldClient, settings: ConnectionSettings): Promise<DoctorCheck> {
  try {
    if (settings.apiKey) {
      const answer = await client.request('getUser', {userapikey: settings.apiKey})
      return judgeRole(answer.user as ApiObject | undefined, 'getUser')
    }

    const users = await client.list<ApiObject>('listUsers', {listall: true, username: settings.username})
    const domain =
      (settings.domain ?? '/')
        .replaceAll(/^\/+|\/+$/g, '')
        .split('/')
        .pop() || 'ROOT'
    const user = users.find((u) => String(u.domain).toLowerCase() === domain.toLowerCase()) ?? users[0]
    return judgeRole(user, 'listUsers')
  } catch (error) {
    if (error instanceof ApiError && /not available for user/.test(error.errortext)) {
      return {
        check: 'role',
        detail: `the account may not call ${error.command}, which root admins may: it is not a root admin`,
        fix: "use the keys (or login) of a root admin, e.g. the admin user of the ROOT domain's admin account",
        status: 'fail',
      }
    }

    if (error instanceof ConfigError) throw error
    return {check: 'role', detail: `could not tell: ${(error as Error).message}`, status: 'warn'}
  }
}

async function checkApis(client: MoldClient): Promise<DoctorCheck> {
  try {
    const answer = await client.request('listApis')
    const apis = (answer.api as ApiObject[] | undefined) ?? []
    return judgeApis(apis.map((api) => String(api.name)))
  } catch (error) {
    return {
      check: 'apis',
      detail: `listApis (API discovery) is not available (${(error as Error).message}); cannot check`,
      status: 'warn',
    }
  }
}

async function checkCa(client: MoldClient): Promise<DoctorCheck> {
  try {
    const values = await Promise.all(
      CA_SETTING_NAMES.map(async (name) => [name, await settingValue(client, name)]),
    )
    const settings = Object.fromEntries(values.filter(([, v]) => v !== undefined)) as CaSettings
    if (Object.keys(settings).length === 0) {
      return {check: 'ca', detail: 'the CA settings cannot be read (listConfigurations)', status: 'warn'}
    }

    const hosts = await fetchHosts(client, {hypervisor: 'KVM', type: 'Routing'})
    const kvm = hosts.map((h) => ({
      name: String(h.name),
      secured: (h.details as Record<string, string> | undefined)?.secured,
    }))
    return judgeCa(settings, kvm)
  } catch (error) {
    return {check: 'ca', detail: `could not read the CA state: ${(error as Error).message}`, status: 'warn'}
  }
}
