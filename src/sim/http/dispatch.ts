import type {IncomingMessage} from 'node:http'

import type {SimClock} from '../behaviour/clock.js'
import type {JobEngine} from '../behaviour/jobs.js'
import type {SimModel, User} from '../state/model.js'
import type {FaultState} from './faults.js'
import type {SimFlavor} from './flavor.js'

import {ClockClosedError} from '../behaviour/clock.js'
import {
  type ApiRegistry,
  type Caller,
  isReadCommand,
  type RegisteredApi,
  SimApiError,
} from '../catalog/registry.js'
import {performLogin, performLogout} from '../handlers/auth.js'
import {
  AUTH_FAILED_TEXT,
  parseCookies,
  parseExpires,
  SESSION_FAILED_TEXT,
  type SessionKeyLocations,
  type SessionStore,
  verifySignedRequest,
} from './auth.js'
import {errorBody, type Reply} from './envelope.js'
import {checkControlCharacters, processParams, resolvePaging} from './params.js'

/*
 * One API request from parameters to Reply: injected faults, login/logout, session or signature
 * authentication (ApiServer.verifyRequest), parameter processing, the handler, and the error
 * envelope for every failure.
 */

/** What the dispatcher works with; server.ts builds them once per simulator. */
export interface DispatchDeps {
  clock: SimClock
  faults: FaultState
  flavor: SimFlavor
  jobs: JobEngine
  model: SimModel
  registry: ApiRegistry
  /** Persists the state after a changing command (no-op without a state file). */
  save: () => void
  /** The server's clock in epoch milliseconds (with any configured skew). */
  serverNow: () => number
  sessions: SessionStore
}

export type Dispatch = (
  req: IncomingMessage,
  method: string,
  params: Record<string, string>,
) => Promise<Reply>

/** With enforce.post.requests.and.timestamps, `expires` may be at most this far ahead. */
const MAX_EXPIRY_AHEAD_MS = 15 * 60 * 1000

/** signatureversion=3 with an `expires` no more than 15 minutes ahead (past ones fail earlier). */
function hasFreshExpiry(params: Readonly<Record<string, string>>, nowMs: number): boolean {
  const lower = Object.fromEntries(Object.entries(params).map(([k, v]) => [k.toLowerCase(), v]))
  const expiry = lower.expires === undefined ? undefined : parseExpires(lower.expires)
  return (
    lower.signatureversion === '3' && expiry !== undefined && expiry.getTime() - nowMs <= MAX_EXPIRY_AHEAD_MS
  )
}

function errorReply(responseName: string, error: SimApiError): Reply {
  return {
    body: errorBody(error),
    headers: {'X-Description': error.errortext.replaceAll(/[^\u0020-\u007E]/g, '?')},
    responseName,
    status: error.errorcode,
  }
}

interface Authenticated {
  api: RegisteredApi
  user: User
}

/**
 * Who is calling, by session cookie + session key or by API-key signature. Sets
 * `answer.responseName` as soon as the server would know it (the envelope of later errors).
 */
function authenticate(
  deps: DispatchDeps,
  {method, params, req}: {method: string; params: Record<string, string>; req: IncomingMessage},
  answer: {responseName: string},
): Authenticated {
  const {flavor, model, registry, serverNow, sessions} = deps
  const {command} = params
  const cookies = parseCookies(req.headers.cookie)
  const session = sessions.lookup(cookies.JSESSIONID)
  const api: RegisteredApi | undefined = command ? registry.get(command) : undefined
  let user: undefined | User
  if (session) {
    answer.responseName = api?.responseName ?? 'errorresponse'
    const locations = model.setting('api.sessionkey.check.locations') as SessionKeyLocations
    if (!sessions.verify(session, {cookie: cookies.sessionkey, parameter: params.sessionkey}, locations)) {
      sessions.invalidate(session)
      throw new SimApiError(401, SESSION_FAILED_TEXT)
    }

    if (!command) throw new SimApiError(400, 'no command specified')
    if (!api) {
      throw new SimApiError(
        401,
        `The given command '${command}' either does not exist, is not available for user.`,
      )
    }

    user = model.users.get(session.userId)
  } else {
    if (!api) throw new SimApiError(401, AUTH_FAILED_TEXT)
    answer.responseName = api.responseName
    user = verifySignedRequest(params, model, flavor, serverNow())
    if (user && model.setting('enforce.post.requests.and.timestamps') === 'true') {
      if (!hasFreshExpiry(params, serverNow())) throw new SimApiError(401, AUTH_FAILED_TEXT)
      if (api.mutates && method !== 'POST') {
        throw new SimApiError(400, `State changing command ${api.name} needs to be sent using POST request`)
      }
    }
  }

  if (!user || !api) throw new SimApiError(401, AUTH_FAILED_TEXT)
  return {api, user}
}

/** Validates the parameters and runs the handler of an authenticated request. */
async function execute(
  deps: DispatchDeps,
  {api, user}: Authenticated,
  params: Record<string, string>,
): Promise<Reply> {
  const {clock, faults, flavor, jobs, model, registry, save} = deps
  checkControlCharacters(params)
  const values = processParams(api, params, model)
  const paging = resolvePaging(api, values, model.settingNumber('default.page.size'))
  const failure = faults.takeFailure(api.name, false)
  if (failure) throw failure
  const account = model.accounts.get(user.accountId)!
  if (api.mutates) model.changed()
  const caller: Caller = {account, domain: model.domains.get(account.domainId)!, user}
  const body = await api.handler({
    api,
    caller,
    clock,
    flavor,
    jobs: jobs.scope(api, caller),
    model,
    paging,
    params: values,
    raw: params,
    registry,
  })
  if (api.mutates) {
    model.changed()
    save()
  }

  return {body, responseName: api.responseName, status: 200}
}

/** Authenticates and runs one API request; every failure becomes an error Reply. */
export function createDispatcher(deps: DispatchDeps): Dispatch {
  const {faults, flavor, model, registry, sessions} = deps
  return async (req, method, params) => {
    const {command} = params
    const answer = {responseName: 'errorresponse'}
    try {
      const injected = command ? faults.readError(isReadCommand(command)) : undefined
      if (injected) return errorReply(registry.get(command!)?.responseName ?? 'errorresponse', injected)

      const lower = command?.toLowerCase()
      if (lower === 'login') return await performLogin({method, model, params, sessions}, flavor)
      if (lower === 'logout') return performLogout(sessions, parseCookies(req.headers.cookie))
      return await execute(deps, authenticate(deps, {method, params, req}, answer), params)
    } catch (error) {
      if (error instanceof SimApiError) return errorReply(answer.responseName, error)
      if (error instanceof ClockClosedError) throw error
      const text = error instanceof Error ? error.message : String(error)
      return errorReply(answer.responseName, new SimApiError(530, text, 4250))
    }
  }
}
