import type {RegisteredApi} from '../registry.js'

import {loginApi, logoutApi} from './auth.js'
import {listCapabilitiesApi, listConfigurationsApi} from './configuration.js'
import {listApisApi} from './discovery.js'
import {listHostsApi} from './hosts.js'
import {listClustersApi, listPodsApi, listZonesApi} from './infrastructure.js'
import {listAsyncJobsApi, queryAsyncJobResultApi} from './jobs.js'
import {oobmApis} from './oobm.js'
import {listVirtualMachinesApi} from './vms.js'

/** Every command the simulator serves. Add a handler file's commands here, one line per file. */
export const ALL_APIS: RegisteredApi[] = [
  loginApi,
  logoutApi,
  listApisApi,
  listAsyncJobsApi,
  queryAsyncJobResultApi,
  listCapabilitiesApi,
  listConfigurationsApi,
  listClustersApi,
  listPodsApi,
  listZonesApi,
  listHostsApi,
  listVirtualMachinesApi,
  ...oobmApis,
]
