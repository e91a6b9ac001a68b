import type {RegisteredApi} from '../catalog/registry.js'

import {listDomainsApi, listProjectsApi} from './accounts.js'
import {loginApi, logoutApi} from './auth.js'
import {issueCertificateApi, listCaCertificateApi, listCAProvidersApi, provisionCertificateApi} from './ca.js'
import {settingAndCapacityApis} from './config.js'
import {listCapabilitiesApi, listConfigurationsApi} from './configuration.js'
import {listApisApi} from './discovery.js'
import {updateHostPasswordApi} from './host-password.js'
import {HOSTS_ADMIN_APIS} from './hosts-admin.js'
import {listHostsApi} from './hosts.js'
import {listClustersApi, listPodsApi, listZonesApi} from './infrastructure.js'
import {listAsyncJobsApi, queryAsyncJobResultApi} from './jobs.js'
import {guestNetworkApis} from './networks-guest.js'
import {networkApis} from './networks.js'
import {oobmApis} from './oobm.js'
import {startRollingMaintenanceApi} from './rolling-maintenance.js'
import {getUserApi, listUsersApi} from './users.js'
import {migrateVirtualMachineApi} from './vm-migrate.js'
import {vmPowerApis} from './vm-power.js'
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
  ...settingAndCapacityApis,
  ...vmPowerApis,
  migrateVirtualMachineApi,
  listDomainsApi,
  listProjectsApi,
  ...networkApis,
  ...guestNetworkApis,
  ...HOSTS_ADMIN_APIS,
  startRollingMaintenanceApi,
  updateHostPasswordApi,
  listCAProvidersApi,
  listCaCertificateApi,
  issueCertificateApi,
  provisionCertificateApi,
  getUserApi,
  listUsersApi,
  ...oobmApis,
]
