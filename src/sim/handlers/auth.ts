import type {Domain, SimModel} from '../state/model.js'

import {defineApi, type RegisteredApi, responseFields} from '../catalog/registry.js'
import {type Session, SESSION_TIMEOUT_SECONDS, SessionStore} from '../http/auth.js'
import {errorBody, type Reply} from '../http/envelope.js'

/*
 * login / logout. They run before authentication (the servlet's authenticator path), so the
 * server calls performLogin/performLogout directly; the definitions below give listApis their
 * metadata and parameter validation.
 */

function notDispatched(): never {
  throw new Error('login and logout are handled by the servlet, not dispatched')
}

export const loginApi = defineApi({
  description:
    'Logs a user into the CloudStack. A successful login attempt will generate a JSESSIONID cookie value that can be passed in subsequent Query command calls until the "logout" command has been issued or the session has expired.',
  handler: notDispatched,
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.auth.DefaultLoginAPIAuthenticatorCmd',
  mutates: false,
  name: 'login',
  params: [
    {
      description:
        'Path of the domain that the user belongs to. Example: domain=/com/cloud/internal. If no domain is passed in, the ROOT (/) domain is assumed.',
      name: 'domain',
      type: 'string',
    },
    {
      description:
        'The id of the domain that the user belongs to. If both domain and domainId are passed in, "domainId" parameter takes precendence',
      name: 'domainId',
      type: 'long',
    },
    {
      description:
        'Hashed password (Default is MD5). If you wish to use any other hashing algorithm, you would need to write a custom authentication adapter See Docs section.',
      name: 'password',
      required: true,
      type: 'string',
    },
    {description: 'Username', name: 'username', required: true, type: 'string'},
  ],
  response: responseFields(
    'user',
    'account:string domainid:string firstname:string is2faenabled:string is2faverified:string issuerfor2fa:string lastname:string providerfor2fa:string registered:string sessionkey:string timeout:integer timezone:string timezoneoffset:string type:string userid:string username:string',
    {},
    {
      sessionkey: 'Session key that can be passed in subsequent Query command calls',
      timeout: 'the time period before the session has expired',
    },
  ),
})

export const logoutApi = defineApi({
  description: 'Logs out the user',
  handler: notDispatched,
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.auth.DefaultLogoutAPIAuthenticatorCmd',
  mutates: false,
  name: 'logout',
  params: [],
  response: responseFields(
    'logout',
    'description:string',
    {},
    {description: 'success if the logout action succeeded'},
  ),
})

/** The server's domain-path normalisation: leading and trailing `/`, ROOT = `/`. */
export function normaliseDomainPath(path: string | undefined): string {
  let parts = (path ?? '').split('/').filter(Boolean)
  if (parts[0]?.toUpperCase() === 'ROOT') parts = parts.slice(1)
  return parts.length === 0 ? '/' : `/${parts.join('/')}/`
}

function failure(status: number, text: string): Reply {
  return {body: errorBody({errorcode: status, errortext: text}), responseName: 'loginresponse', status}
}

function findDomain(model: SimModel, params: Record<string, string>): Domain | Reply {
  const domainId = params.domainId ?? params.domainid
  if (domainId) {
    const domain =
      model.domains.get(domainId.toLowerCase()) ??
      model.state.domains.find((d) => String(d.internalId) === domainId)
    return domain ?? failure(531, `Unable to find the domain from the domainId ${domainId}`)
  }

  const path = normaliseDomainPath(params.domain)
  const domain = model.state.domains.find((d) => d.path.toLowerCase() === path.toLowerCase())
  return domain ?? failure(531, `Unable to find the domain from the path ${path}`)
}

export interface LoginRequest {
  method: string
  model: SimModel
  params: Record<string, string>
  sessions: SessionStore
}

function loginBody(model: SimModel, session: Session, flavor: 'mold' | undefined): Record<string, unknown> {
  const user = model.users.get(session.userId)!
  const account = model.accounts.get(user.accountId)!
  const domain = model.domains.get(account.domainId)!
  const body: Record<string, unknown> = {
    username: user.username,
    userid: user.id,
    domainid: domain.id,
    timeout: SESSION_TIMEOUT_SECONDS,
    account: account.name,
    firstname: user.firstname,
    lastname: user.lastname,
    type: String(account.type),
    timezone: user.timezone,
    registered: 'false',
    sessionkey: session.sessionKey,
    is2faenabled: 'false',
    is2faverified: 'true',
    managementserverid: account.type === 1 ? model.state.managementServer.id : undefined,
  }
  if (flavor === 'mold') body.firstlogin = 'false'
  return body
}

/** `login`: POST only; sets the JSESSIONID and sessionkey cookies. */
export async function performLogin(request: LoginRequest, flavor?: 'cloudstack' | 'mold'): Promise<Reply> {
  const {method, model, params, sessions} = request
  if (method !== 'POST') return failure(405, 'Please use HTTP POST to authenticate using this API')
  // The authenticator reads username/password/domain/domainId itself (domainId may be a uuid).
  for (const name of ['username', 'password']) {
    if (!params[name])
      return failure(431, `Unable to execute API command login due to missing parameter ${name}`)
  }

  const domain = findDomain(model, params)
  if ('status' in domain) return domain
  const user = model.state.users.find((candidate) => {
    const account = model.accounts.get(candidate.accountId)
    return candidate.username === params.username && account?.domainId === domain.id
  })
  const account = user ? model.accounts.get(user.accountId) : undefined
  if (
    !user ||
    user.password !== params.password ||
    user.state !== 'enabled' ||
    account?.state !== 'enabled'
  ) {
    return failure(
      531,
      `Failed to authenticate user ${params.username} in domain ${domain.internalId}; please provide valid credentials`,
    )
  }

  const session = sessions.create(user.id)
  const sameSite = model.setting('api.sessionkey.cookie.samesite')
  const sameSiteAttribute =
    sameSite === 'Null'
      ? ''
      : sameSite === 'NoneAndSecure'
        ? ';SameSite=None;Secure'
        : `;SameSite=${sameSite}`
  return {
    body: loginBody(model, session, flavor === 'mold' ? 'mold' : undefined),
    headers: {
      'Set-Cookie': [
        `JSESSIONID=${session.id}.node0; Path=/client; HttpOnly`,
        `sessionkey=${session.sessionKey};HttpOnly${sameSiteAttribute}`,
      ],
    },
    responseName: 'loginresponse',
    status: 200,
  }
}

/** `logout`: ends the session named by the JSESSIONID cookie and clears the cookies. */
export function performLogout(sessions: SessionStore, cookies: Record<string, string>): Reply {
  const session = sessions.lookup(cookies.JSESSIONID)
  if (session) sessions.invalidate(session)
  return {
    body: {description: 'success'},
    headers: {
      'Set-Cookie': ['JSESSIONID=; Path=/client; Max-Age=0; HttpOnly', 'sessionkey=; Max-Age=0; HttpOnly'],
    },
    responseName: 'logoutresponse',
    status: 200,
  }
}

export const authApis: RegisteredApi[] = [loginApi, logoutApi]
