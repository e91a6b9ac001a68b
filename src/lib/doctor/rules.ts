import type {ApiObject} from '../api/types.js'
import type {ConnectionSettings} from '../config/connection.js'
import type {EndpointProbe, TlsInspection} from './probes.js'

import {describeProxyForEndpoints} from '../api/proxy.js'
import {REQUIRED_APIS} from '../api/required-apis.js'
import {MoldctlError} from '../core/errors.js'
import {alignColumns} from '../output/render.js'

/*
 * The judgements of `moldctl doctor`: pure functions from what was observed to ok/warn/fail
 * with a fix (tested directly), and the report's text. src/lib/doctor/run.ts does the observing.
 */

export type CheckStatus = 'fail' | 'ok' | 'skip' | 'warn'
export type CheckName =
  'apis' | 'auth' | 'ca' | 'clock' | 'endpoint' | 'libvirt-tls' | 'profile' | 'role' | 'tls'

export interface DoctorCheck {
  check: CheckName
  detail: string
  fix?: string
  status: CheckStatus
  /** The endpoint a per-endpoint check (endpoint, tls) is about. */
  target?: string
}

export interface DoctorReport {
  checks: DoctorCheck[]
  ok: boolean
}

/** Signed requests carry `expires` this far ahead (the client's signature lifetime). */
export const SIGNATURE_LIFETIME_SECONDS = 600
/** With enforce.post.requests.and.timestamps the server refuses `expires` further ahead than this. */
const MAX_EXPIRY_AHEAD_SECONDS = 900
const CERT_WARN_DAYS = 30
/** Checks whose failure means configuration, credentials or TLS (exit 3 rather than 1). */
const CONFIG_CHECKS = new Set<CheckName>(['auth', 'profile', 'tls'])

const worst = (statuses: CheckStatus[]): CheckStatus =>
  (['fail', 'warn', 'ok', 'skip'] as CheckStatus[]).find((s) => statuses.includes(s)) ?? 'skip'

/** The exit code for a report: 0, 3 when configuration/authentication/TLS failed, else 1. */
export function doctorExitCode(report: DoctorReport): number {
  const failed = report.checks.filter((c) => c.status === 'fail')
  if (failed.length === 0) return 0
  return failed.some((c) => CONFIG_CHECKS.has(c.check)) ? 3 : 1
}

/** "12 min 5 s", "3 s". */
export function formatSeconds(seconds: number): string {
  const s = Math.round(Math.abs(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}

export function judgeProfile(settings: ConnectionSettings | undefined, error: unknown): DoctorCheck {
  if (!settings) {
    const suggestions = error instanceof MoldctlError ? error.suggestions : []
    return {
      check: 'profile',
      detail: error instanceof Error ? error.message : String(error),
      fix: suggestions.join('; ') || 'moldctl profile add NAME --url URL --api-key KEY --secret-key-stdin',
      status: 'fail',
    }
  }

  const who = settings.apiKey
    ? 'API key and secret key'
    : `login as ${settings.username} (domain ${settings.domain ?? '/'})`
  const name = settings.profileName ? `profile "${settings.profileName}"` : 'no profile'
  return {
    check: 'profile',
    detail: `${name}: ${settings.urls.join(', ')}; ${who}; flavor ${settings.flavor}; from ${settings.source}; proxy ${describeProxyForEndpoints(settings.urls, settings.proxy)}`,
    status: 'ok',
  }
}

/** Whether the probe's answer is the management API's own JSON envelope. */
export function judgeEndpoint(probe: EndpointProbe): DoctorCheck {
  const base = {check: 'endpoint' as const, target: probe.url}
  if (probe.error !== undefined) {
    return {
      ...base,
      detail: `cannot connect: ${probe.code ?? probe.error}`,
      fix: 'check the URL (host, port: usually 8080 for http, 443 or 8443 for https) and that the management server runs (systemctl status cloudstack-management)',
      status: 'fail',
    }
  }

  let envelope = false
  try {
    const body = JSON.parse(probe.body ?? '') as Record<string, unknown>
    const keys = Object.keys(body)
    envelope = keys.length === 1 && keys[0].endsWith('response')
  } catch {
    envelope = false
  }

  if (!envelope) {
    return {
      ...base,
      detail: `answers HTTP ${probe.status} (${probe.contentType ?? 'no content type'}), not the management API`,
      fix: 'the API lives at /client/api, e.g. https://cloud.example.com/client/api or http://10.0.0.5:8080/client/api',
      status: 'fail',
    }
  }

  return {
    ...base,
    detail: `the management API answers (HTTP ${probe.status} without credentials, as expected) in ${probe.elapsedMs} ms`,
    status: 'ok',
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]'
}

function daysUntil(date: string, nowMs: number): number {
  return Math.floor((Date.parse(date) - nowMs) / 86_400_000)
}

const GET_CA =
  'get the CA certificate (if the server certificate comes from the CloudStack CA: moldctl ca certificate --insecure --out ca.pem, and compare its fingerprint on the server) and pass --ca-file ca.pem or set cafile in the profile'

function judgePlainHttp(url: URL): DoctorCheck {
  const base = {check: 'tls' as const, target: url.toString()}
  return isLoopback(url.hostname)
    ? {...base, detail: 'plain HTTP on the loopback interface', status: 'ok'}
    : {
        ...base,
        detail: 'plain HTTP: signed requests, session keys and passwords cross the network unencrypted',
        fix: 'use an https:// URL (the management server or a TLS proxy in front of it)',
        status: 'warn',
      }
}

/** A chain that did not verify: expired, or not from a trusted CA. */
function judgeUnverified(
  url: string,
  inspection: TlsInspection,
  caFile: string | undefined,
  nowMs: number,
): DoctorCheck {
  const [leaf] = inspection.chain
  const root = inspection.chain.at(-1)!
  const about = `certificate ${leaf.subject} issued by ${leaf.issuer}, valid until ${leaf.validTo}`
  const reason = inspection.authorizationError ?? 'unknown reason'
  if (reason === 'CERT_HAS_EXPIRED') {
    return {
      check: 'tls',
      detail: `the server certificate expired ${-daysUntil(leaf.validTo, nowMs)} days ago (${leaf.validTo}); ${about}`,
      fix: "renew the management server's certificate; until then every command fails unless --insecure is given (not recommended)",
      status: 'fail',
      target: url,
    }
  }

  const untrusted = /SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF/.test(reason)
  const chainEnd = untrusted
    ? ` (chain ends at ${root.subject}${root.selfSigned ? ', self-signed' : ''})`
    : ''
  const fix = caFile
    ? `${caFile} is not the CA that signed this certificate: ${GET_CA}`
    : untrusted
      ? GET_CA
      : "check the management server's certificate chain"
  return {
    check: 'tls',
    detail: `not verified against ${trustedBy(caFile)}: ${reason}${chainEnd}; ${about}`,
    fix,
    status: 'fail',
    target: url,
  }
}

function trustedBy(caFile: string | undefined): string {
  return caFile ? `the CA file ${caFile}` : "the system's trusted CAs"
}

/** The server certificate, its chain and expiry, against how moldctl is set to verify it. */
export function judgeTls(
  url: string,
  inspection: TlsInspection | undefined,
  settings: Pick<ConnectionSettings, 'caFile' | 'verifyTls'>,
  nowMs: number,
): DoctorCheck {
  const target = new URL(url)
  if (target.protocol === 'http:') return judgePlainHttp(target)
  const base = {check: 'tls' as const, target: url}
  if (!inspection || inspection.error !== undefined) {
    return {...base, detail: `no TLS session: ${inspection?.error ?? 'not tried'}`, status: 'fail'}
  }

  const [leaf] = inspection.chain
  const trust = trustedBy(settings.caFile)
  const about = `certificate ${leaf.subject} issued by ${leaf.issuer}, valid until ${leaf.validTo}`
  if (!settings.verifyTls) {
    const would = inspection.authorized
      ? `it would verify against ${trust}`
      : `it would not verify against ${trust} (${inspection.authorizationError})`
    return {
      ...base,
      detail: `verification is off (--insecure or verifytls: false); ${about}; ${would}`,
      fix: inspection.authorized
        ? 'drop --insecure (or set verifytls: true)'
        : `${GET_CA}, then drop --insecure`,
      status: 'warn',
    }
  }

  if (!inspection.authorized) return judgeUnverified(url, inspection, settings.caFile, nowMs)
  if (inspection.hostnameError) {
    return {
      ...base,
      detail: `${inspection.hostnameError}; ${about}`,
      fix: `use a host name the certificate names (${leaf.subjectAltName ?? leaf.subject}) in the URL`,
      status: 'fail',
    }
  }

  const days = daysUntil(leaf.validTo, nowMs)
  const detail = `verified against ${trust} (${inspection.protocol ?? 'TLS'}); ${about}; ${days} days left`
  return days <= CERT_WARN_DAYS
    ? {...base, detail, fix: "renew the management server's certificate soon", status: 'warn'}
    : {...base, detail, status: 'ok'}
}

/**
 * The server's clock against ours. Signed requests expire SIGNATURE_LIFETIME_SECONDS after this
 * machine's time: a server more than that ahead sees every signed request as expired (401); a
 * server behind by more than 5 minutes refuses them when enforce.post.requests.and.timestamps is
 * on (expires more than 15 minutes ahead).
 */
export function judgeClock(
  offsetSeconds: number | undefined,
  opts: {enforceTimestamps?: boolean; signed: boolean},
): DoctorCheck {
  if (offsetSeconds === undefined) {
    return {check: 'clock', detail: 'the server sent no Date header; clocks not compared', status: 'warn'}
  }

  const way = offsetSeconds >= 0 ? 'ahead of' : 'behind'
  const detail = `the server clock is ${formatSeconds(offsetSeconds)} ${way} this machine's`
  const fix =
    'synchronise both clocks with NTP (chronyc tracking / timedatectl show-timesync on each machine)'
  if (Math.abs(offsetSeconds) <= 60) return {check: 'clock', detail, status: 'ok'}
  if (!opts.signed) {
    return {
      check: 'clock',
      detail: `${detail} (login sessions carry no expiry; API keys would)`,
      fix,
      status: 'warn',
    }
  }

  if (offsetSeconds > SIGNATURE_LIFETIME_SECONDS) {
    return {
      check: 'clock',
      detail: `${detail}: signed requests expire ${formatSeconds(SIGNATURE_LIFETIME_SECONDS)} after this machine's time, so the server sees them as already expired (HTTP 401)`,
      fix,
      status: 'fail',
    }
  }

  const behindLimit = MAX_EXPIRY_AHEAD_SECONDS - SIGNATURE_LIFETIME_SECONDS
  if (offsetSeconds < -behindLimit) {
    const refused = `with enforce.post.requests.and.timestamps on, the server refuses signed requests whose expiry is more than ${formatSeconds(MAX_EXPIRY_AHEAD_SECONDS)} ahead`
    return {
      check: 'clock',
      detail: `${detail}: ${refused}${opts.enforceTimestamps ? ' (it is on)' : ''}`,
      fix,
      status: opts.enforceTimestamps ? 'fail' : 'warn',
    }
  }

  const margin =
    offsetSeconds > 0
      ? `; signed requests reach it with ${formatSeconds(SIGNATURE_LIFETIME_SECONDS - offsetSeconds)} of their ${formatSeconds(SIGNATURE_LIFETIME_SECONDS)} left`
      : ''
  return {check: 'clock', detail: `${detail}${margin}`, fix, status: 'warn'}
}

/** Root admin or not, from a UserResponse. */
export function judgeRole(user: ApiObject | undefined, how: string): DoctorCheck {
  const fix =
    "use the keys (or login) of a root admin, e.g. the admin user of the ROOT domain's admin account"
  if (!user) {
    return {check: 'role', detail: `${how}: the user was not found`, fix, status: 'fail'}
  }

  const who = `user ${user.username} of account ${user.account} (domain ${user.domain})`
  const role = `${user.rolename ?? user.roletype ?? 'unknown role'}, account type ${user.accounttype}`
  if (Number(user.accounttype) === 1 || user.roletype === 'Admin') {
    return {check: 'role', detail: `${who} is a root admin (${role})`, status: 'ok'}
  }

  return {
    check: 'role',
    detail: `${who} is not a root admin (${role}): host, cluster, setting and certificate commands need one`,
    fix,
    status: 'fail',
  }
}

/** Which of the APIs moldctl uses the server does not offer to this account. */
export function judgeApis(available: Iterable<string>): DoctorCheck {
  const offered = new Set(available)
  const missing = Object.keys(REQUIRED_APIS).filter((name) => !offered.has(name))
  const total = Object.keys(REQUIRED_APIS).length
  if (missing.length === 0) {
    return {check: 'apis', detail: `all ${total} APIs moldctl uses are available`, status: 'ok'}
  }

  return {
    check: 'apis',
    detail: `${missing.length} of ${total} APIs moldctl uses are not available: ${missing.map((m) => `${m} (${REQUIRED_APIS[m]})`).join('; ')}`,
    fix: "those commands will fail: the server is older than they need, or the account's role does not allow the APIs (use a root admin, or allow them in the role)",
    status: 'fail',
  }
}

export interface CaSettings {
  'ca.framework.cert.automatic.renewal'?: string
  'ca.framework.cert.expiry.alert.period'?: string
  'ca.framework.cert.validity.period'?: string
  'ca.framework.provider.plugin'?: string
  'ca.plugin.root.auth.strictness'?: string
}

export const CA_SETTING_NAMES: Array<keyof CaSettings> = [
  'ca.framework.provider.plugin',
  'ca.plugin.root.auth.strictness',
  'ca.framework.cert.validity.period',
  'ca.framework.cert.expiry.alert.period',
  'ca.framework.cert.automatic.renewal',
]

/** The CA framework settings, with the KVM hosts that are (not) secured. */
export function judgeCa(
  settings: CaSettings,
  kvmHosts: Array<{name: string; secured?: string}>,
): DoctorCheck {
  const strict = settings['ca.plugin.root.auth.strictness'] === 'true'
  const validity = Number(settings['ca.framework.cert.validity.period'])
  const alert = Number(settings['ca.framework.cert.expiry.alert.period'])
  const renewal = settings['ca.framework.cert.automatic.renewal'] !== 'false'
  const unsecured = kvmHosts.filter((h) => h.secured !== 'true').map((h) => h.name)
  const securedCount = kvmHosts.length - unsecured.length
  const facts = [
    `provider ${settings['ca.framework.provider.plugin'] ?? '?'}`,
    `auth strictness ${strict}`,
    `validity ${Number.isFinite(validity) ? validity : '?'} days`,
    `auto-renewal ${renewal ? 'on' : 'off'}`,
    `${securedCount} of ${kvmHosts.length} KVM hosts secured`,
  ]
  const findings: Array<{fix: string; status: CheckStatus; text: string}> = []
  const listed = unsecured.slice(0, 10).join(' ') + (unsecured.length > 10 ? ' …' : '')
  if (strict && unsecured.length > 0) {
    findings.push({
      fix: `moldctl host cert provision ${listed} --reconnect (or set ca.plugin.root.auth.strictness false until they are, then restart the management server(s): the guide asks for a restart after changing it)`,
      status: 'fail',
      text: `auth strictness is on but ${unsecured.length} KVM hosts have no certificate, so their agents cannot connect: ${listed}`,
    })
  } else if (unsecured.length > 0) {
    findings.push({
      fix: `moldctl host cert provision ${listed}`,
      status: 'warn',
      text: `${unsecured.length} KVM hosts are not secured (no TLS live migration to or from them): ${listed}`,
    })
  } else if (!strict && kvmHosts.length > 0) {
    findings.push({
      fix: 'moldctl setting set ca.plugin.root.auth.strictness true, then restart the management server(s) (systemctl restart cloudstack-management): the guide says the change needs a restart',
      status: 'warn',
      text: 'every KVM host is secured, yet agents without a certificate may still connect (auth strictness off)',
    })
  }

  if (!renewal) {
    findings.push({
      fix: 'set ca.framework.cert.automatic.renewal true, or renew with moldctl host cert provision before they expire',
      status: 'warn',
      text: `certificates are not renewed automatically; they expire ${validity} days after provisioning`,
    })
  }

  if (Number.isFinite(validity) && Number.isFinite(alert) && validity <= alert) {
    findings.push({
      fix: 'set ca.framework.cert.validity.period above ca.framework.cert.expiry.alert.period',
      status: 'warn',
      text: `the validity (${validity} days) is not more than the expiry alert period (${alert} days)`,
    })
  }

  return {
    check: 'ca',
    detail: [facts.join(', '), ...findings.map((f) => f.text)].join('; '),
    fix: findings.map((f) => f.fix).join('; ') || undefined,
    status: worst(['ok', ...findings.map((f) => f.status)]),
  }
}

const STATUS_LABEL: Record<CheckStatus, string> = {fail: 'FAIL', ok: 'ok', skip: 'skip', warn: 'WARN'}

/** The report as text: one line per check, its fix under its detail, a count at the end. */
export async function renderDoctorReport(doctor: DoctorReport): Promise<string> {
  const rows: string[][] = []
  for (const c of doctor.checks) {
    rows.push([STATUS_LABEL[c.status], c.check, `${c.target ? `${c.target}: ` : ''}${c.detail}`])
    if (c.fix && c.status !== 'ok') rows.push(['', '', `fix: ${c.fix}`])
  }

  const count = (s: CheckStatus) => doctor.checks.filter((c) => c.status === s).length
  return [
    ...(await alignColumns(rows)),
    '',
    `${count('ok')} ok, ${count('warn')} warning(s), ${count('fail')} failed, ${count('skip')} skipped`,
  ].join('\n')
}
