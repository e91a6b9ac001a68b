import {timingSafeEqual} from 'node:crypto'

import type {SimModel, User} from '../state/model.js'

import {type Flavor, FLAVOR_ALGORITHM, signParams} from '../../lib/api/sign.js'
import {randomSessionKey} from '../state/ids.js'

/*
 * Authentication as ApiServer.verifyRequest and ApiServlet do it: signed API-key requests
 * (HmacSHA256 on Mold, HmacSHA1 on CloudStack) or a login session (JSESSIONID cookie plus the
 * session key, by default both as cookie and parameter).
 */

export const AUTH_FAILED_TEXT = 'unable to verify user credentials and/or request signature'
export const SESSION_FAILED_TEXT = 'unable to verify user credentials'

/** Seconds of inactivity after which a session expires (the servlet's default). */
export const SESSION_TIMEOUT_SECONDS = 1800

/**
 * Parses `expires` like the server's DateUtil: `2030-01-01T00:00:00+0000`, `…Z`, `…+01:00`,
 * optional fraction of seconds, and the old `…Z+0000` form. Returns undefined if unparseable.
 */
export function parseExpires(value: string): Date | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|Z?[+-]\d{2}:?\d{2})$/.exec(value)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s, fraction = '0', zone] = match
  let offsetMinutes = 0
  if (zone !== 'Z') {
    const tz = /([+-])(\d{2}):?(\d{2})$/.exec(zone)!
    offsetMinutes = (tz[1] === '-' ? -1 : 1) * (Number(tz[2]) * 60 + Number(tz[3]))
  }

  const ms =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) +
    Math.floor(Number(`0.${fraction}`) * 1000) -
    offsetMinutes * 60_000
  return Number.isNaN(ms) ? undefined : new Date(ms)
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** The user a signed request authenticates as, or undefined (⇒ 401). */
export function verifySignedRequest(
  params: Readonly<Record<string, string>>,
  model: SimModel,
  flavor: Flavor,
  nowMs: number = Date.now(),
): undefined | User {
  let apiKey: string | undefined
  let signature: string | undefined
  let signatureVersion: string | undefined
  let expires: string | undefined
  for (const [name, value] of Object.entries(params)) {
    const lower = name.toLowerCase()
    switch (lower) {
      case 'apikey': {
        apiKey = value
        break
      }

      case 'expires': {
        expires = value
        break
      }

      case 'signature': {
        signature = value
        break
      }

      case 'signatureversion': {
        signatureVersion = value
        break
      }

      default:
    }
  }

  if (!apiKey || !signature) return undefined
  if (signatureVersion === '3') {
    const expiry = expires === undefined ? undefined : parseExpires(expires)
    if (!expiry || expiry.getTime() < nowMs) return undefined
  }

  const user = model.userByApiKey(apiKey)
  if (!user?.secretKey || user.state !== 'enabled') return undefined
  if (model.accounts.get(user.accountId)?.state !== 'enabled') return undefined
  const expected = signParams({...params}, user.secretKey, FLAVOR_ALGORITHM[flavor])
  return sameText(signature, expected) ? user : undefined
}

export interface Session {
  id: string
  lastAccess: number
  sessionKey: string
  userId: string
}

/** Parses a Cookie header into name → value (first occurrence wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    const name = part.slice(0, eq).trim()
    if (name && !(name in cookies)) cookies[name] = part.slice(eq + 1).trim()
  }

  return cookies
}

export type SessionKeyLocations = 'CookieAndParameter' | 'CookieOrParameter' | 'ParameterOnly'

/** Login sessions, keyed by the JSESSIONID value before its `.node0` suffix. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>()

  create(userId: string, nowMs: number = Date.now()): Session {
    const session = {
      id: `node0${randomSessionKey()
        .replaceAll(/[^a-z\d]/gi, '')
        .toLowerCase()
        .slice(0, 24)}`,
      lastAccess: nowMs,
      sessionKey: randomSessionKey(),
      userId,
    }
    this.sessions.set(session.id, session)
    return session
  }

  invalidate(session: Session): void {
    this.sessions.delete(session.id)
  }

  /** The session a JSESSIONID cookie names (expired ones are dropped). */
  lookup(jsessionid: string | undefined, nowMs: number = Date.now()): Session | undefined {
    if (!jsessionid) return undefined
    const dot = jsessionid.indexOf('.')
    const session = this.sessions.get(dot === -1 ? jsessionid : jsessionid.slice(0, dot))
    if (!session || dot === -1) return undefined
    if (nowMs - session.lastAccess > SESSION_TIMEOUT_SECONDS * 1000) {
      this.sessions.delete(session.id)
      return undefined
    }

    return session
  }

  /** Checks the session key where the setting says it must be; touches the session on success. */
  verify(
    session: Session,
    keys: {cookie: string | undefined; parameter: string | undefined},
    locations: SessionKeyLocations,
    nowMs: number = Date.now(),
  ): boolean {
    const {cookie: cookieKey, parameter: parameterKey} = keys
    const paramOk = parameterKey !== undefined && sameText(parameterKey, session.sessionKey)
    const cookieOk = cookieKey !== undefined && sameText(cookieKey, session.sessionKey)
    const ok =
      locations === 'ParameterOnly'
        ? paramOk
        : locations === 'CookieOrParameter'
          ? paramOk || cookieOk
          : paramOk && cookieOk
    if (ok) session.lastAccess = nowMs
    return ok
  }
}
