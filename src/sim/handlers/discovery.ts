import {nameParam} from '../catalog/params.js'
import {
  defineApi,
  type RegisteredApi,
  type ResponseField,
  responseFields,
  SimApiError,
} from '../catalog/registry.js'

/* listApis: the API-discovery records CloudMonkey's `sync` caches. */

function fieldRecord(field: ResponseField): Record<string, unknown> {
  return {
    name: field.name,
    description: field.description ?? '',
    type: field.type,
    response: field.response?.map((child) => fieldRecord(child)),
  }
}

/** One listApis record: every field CloudMonkey reads is always present. */
export function apiRecord(api: RegisteredApi): Record<string, unknown> {
  return {
    name: api.name,
    description: api.description,
    isasync: api.isasync,
    since: api.since,
    related: api.related,
    params: api.params.map((param) => ({
      name: param.name,
      description: param.description,
      type: param.type,
      length: param.length ?? 255,
      required: param.required ?? false,
      since: param.since,
      related: param.related,
    })),
    response: api.response.map((field) => fieldRecord(field)),
  }
}

export const listApisApi = defineApi({
  description: 'lists all available apis on the server, provided by the Api Discovery plugin',
  handler({params, registry}) {
    const apis = params.name ? [registry.get(params.name)].filter((api) => api !== undefined) : registry.all()
    if (apis.length === 0) {
      throw SimApiError.paramError(
        'Api Discovery plugin was unable to find an api by that name or process any apis',
      )
    }

    return {count: apis.length, api: apis.map((api) => apiRecord(api))}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.discovery.ListApisCmd',
  name: 'listApis',
  params: [nameParam('API name')],
  response: responseFields(
    'API',
    'description:string isasync:boolean name:string params:set related:string response:set since:string type:string',
    {
      params: responseFields(
        'API parameter',
        'description:string length:int name:string related:string required:boolean since:string type:string',
      ),
      response: responseFields(
        'API response field',
        'description:string name:string response:set type:string',
      ),
    },
    {
      description: 'description of the api',
      isasync: 'true if api is asynchronous',
      name: 'the name of the api command',
      params: 'the list params the api accepts',
      related: 'comma separated related apis',
      response: 'api response fields',
      since: 'version of CloudStack the api was introduced in',
      type: 'response field type',
    },
  ),
  since: '4.1.0',
})

export const discoveryApis: RegisteredApi[] = [listApisApi]
