import type {Domain, SimModel} from '../state/model.js'

import {
  domainIdParam,
  idParam,
  LIST_ALL_TEXT,
  listAllParam,
  nameParam,
  PAGING_PARAMS,
  stateParam,
} from '../catalog/params.js'
import {defineApi, type RegisteredApi, responseFields} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'

/*
 * listDomains and listProjects, enough for commands that take a domain path or a project name
 * (e.g. `vlan dedicate --domain ROOT/customers`, `--project NAME`).
 */

/** The response's path: `ROOT` for the root domain, `ROOT/customers/acme` below it. */
function domainPathText(domain: Domain): string {
  return domain.path === '/' ? 'ROOT' : `ROOT${domain.path.replace(/\/$/, '')}`
}

function domainResponse(model: SimModel, domain: Domain): Record<string, unknown> {
  const parent = domain.parentId ? model.domains.get(domain.parentId) : undefined
  return {
    id: domain.id,
    name: domain.name,
    level: domain.path === '/' ? 0 : domain.path.split('/').filter(Boolean).length,
    parentdomainid: parent?.id,
    parentdomainname: parent?.name,
    haschild: model.state.domains.some((d) => d.parentId === domain.id),
    path: domainPathText(domain),
    state: 'Active',
  }
}

function contains(value: string, keyword: string | undefined): boolean {
  return keyword === undefined || value.toLowerCase().includes(keyword.toLowerCase())
}

export const listDomainsApi = defineApi({
  description: 'Lists domains and provides detailed information for listed domains',
  handler({caller, model, paging, params}) {
    const own = caller.domain
    const under = (d: Domain) => d.path.startsWith(own.path)
    const domains = model.state.domains
      .filter((d) => (params.id === undefined ? true : d.id === params.id))
      // Without listall (and without id or name) a caller sees only its own domain.
      .filter((d) => (params.listall || params.id || params.name ? under(d) : d.id === own.id))
      .filter((d) => params.name === undefined || d.name === params.name)
      .filter((d) => params.level === undefined || domainResponse(model, d).level === params.level)
      .filter((d) => contains(d.name, params.keyword))
      .sort((a, b) => a.internalId - b.internalId)
    return listBody('domain', domains, paging, (d) => domainResponse(model, d))
  },
  isasync: false,
  name: 'listDomains',
  params: [
    idParam('domain', 'List domain by domain ID.'),
    {description: 'List domains by domain level.', name: 'level', type: 'integer'},
    listAllParam(LIST_ALL_TEXT),
    nameParam('List domain by domain name.'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'domain',
    'haschild:boolean id:string level:integer name:string parentdomainid:string parentdomainname:string path:string state:string',
  ),
})

export const listProjectsApi = defineApi({
  description: 'Lists projects and provides detailed information for listed projects',
  handler({model, paging, params}) {
    const projects = model.state.projects
      .filter((p) => params.id === undefined || p.id === params.id)
      .filter((p) => params.name === undefined || p.name === params.name)
      .filter((p) => params.domainid === undefined || p.domainId === params.domainid)
      .filter((p) => params.state === undefined || p.state === params.state)
      .filter((p) => contains(p.name, params.keyword))
    return listBody('project', projects, paging, (p) => {
      const domain = model.domains.get(p.domainId)
      const owner = model.accounts.get(p.accountId)
      return {
        id: p.id,
        name: p.name,
        displaytext: p.name,
        domainid: p.domainId,
        domain: domain?.name,
        owner: owner ? [{account: owner.name, accountid: owner.id}] : [],
        state: p.state,
      }
    })
  },
  isasync: false,
  name: 'listProjects',
  params: [
    idParam('project', 'list projects by project ID'),
    nameParam('list projects by name'),
    domainIdParam('list only resources belonging to the domain specified'),
    stateParam('list projects by state'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'project',
    'displaytext:string domain:string domainid:string id:string name:string owner:list state:string',
  ),
  since: '3.0.0',
})

export const accountApis: RegisteredApi[] = [listDomainsApi, listProjectsApi]
