import {accountParam, domainIdParam, idParam, PAGING_PARAMS, stateParam} from '../catalog/params.js'
import {type Caller, defineApi, type RegisteredApi, responseFields, SimApiError} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'
import {type SimModel, type User} from '../state/model.js'

/* getUser and listUsers: who a key or login belongs to, and with which role. */

/** Account type → the default role of that type (roletype, rolename). */
const ROLES: Record<number, {rolename: string; roletype: string}> = {
  0: {rolename: 'User', roletype: 'User'},
  1: {rolename: 'Root Admin', roletype: 'Admin'},
  2: {rolename: 'Domain Admin', roletype: 'DomainAdmin'},
}

/** A UserResponse (the secret key is never returned). */
export function userResponse(model: SimModel, user: User): Record<string, unknown> {
  const account = model.accounts.get(user.accountId)!
  const domain = model.domains.get(account.domainId)!
  const role = ROLES[account.type] ?? ROLES[0]
  return {
    id: user.id,
    username: user.username,
    firstname: user.firstname,
    lastname: user.lastname,
    created: undefined,
    state: user.state,
    account: account.name,
    accounttype: account.type,
    roleid: undefined,
    roletype: role.roletype,
    rolename: role.rolename,
    domainid: domain.id,
    domain: domain.name,
    apikey: user.apiKey,
    accountid: account.id,
    iscallerchilddomain: false,
    isdefault: account.type === 1,
    timezone: user.timezone,
  }
}

/** The role checker's answer to a command the caller's role does not allow. */
function notAvailable(command: string): SimApiError {
  return new SimApiError(
    401,
    `The given command '${command}' either does not exist, is not available for user.`,
  )
}

function isRootAdmin(caller: Caller): boolean {
  return caller.account.type === 1
}

export const getUserApi = defineApi({
  description: 'Find user account by API key',
  handler({caller, model, params}) {
    // The default roles allow getUser to root admins only.
    if (!isRootAdmin(caller)) throw notAvailable('getUser')
    const user = model.userByApiKey(params.userapikey)
    if (!user) throw SimApiError.invalidParameter('User with specified API key does not exist')
    return {user: userResponse(model, user)}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.user.GetUserCmd',
  name: 'getUser',
  params: [{description: 'API key of the user', name: 'userapikey', required: true, type: 'string'}],
  response: responseFields(
    'user',
    'account:string accountid:string accounttype:integer apikey:string domain:string domainid:string firstname:string id:string iscallerchilddomain:boolean isdefault:boolean lastname:string rolename:string roletype:string state:string timezone:string username:string',
  ),
})

export const listUsersApi = defineApi({
  description: 'Lists user accounts',
  handler({caller, model, paging, params}) {
    const users = model.state.users.filter((user) => {
      const account = model.accounts.get(user.accountId)
      if (!account) return false
      // Root admins see everyone; others only the users of their own account.
      if (!isRootAdmin(caller) && account.id !== caller.account.id) return false
      return (
        (params.id === undefined || user.id === params.id) &&
        (params.username === undefined || user.username === params.username) &&
        (params.domainid === undefined || account.domainId === params.domainid) &&
        (params.account === undefined || account.name === params.account) &&
        (params.accounttype === undefined || account.type === params.accounttype) &&
        (params.state === undefined || user.state === params.state.toLowerCase()) &&
        (params.keyword === undefined || user.username.toLowerCase().includes(params.keyword.toLowerCase()))
      )
    })
    return listBody('user', users, paging, (user) => userResponse(model, user))
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.user.ListUsersCmd',
  name: 'listUsers',
  params: [
    accountParam('list resources by account. Must be used with the domainId parameter.'),
    {
      description:
        'List users by account type. Valid types include admin, domain-admin, read-only-admin, or user.',
      name: 'accounttype',
      type: 'integer',
    },
    domainIdParam('list only resources belonging to the domain specified'),
    idParam('user', 'List user by ID.'),
    stateParam('List users by state of the user account.'),
    {description: 'List user by the username', name: 'username', type: 'string'},
    ...PAGING_PARAMS,
  ],
  response: getUserApi.response,
})

export const userApis: RegisteredApi[] = [getUserApi, listUsersApi]
