import type {RegisteredApi} from '../catalog/registry.js'

import {accountApis} from './accounts.js'
import {authApis} from './auth.js'
import {caApis} from './ca.js'
import {configApis} from './config.js'
import {configurationApis} from './configuration.js'
import {discoveryApis} from './discovery.js'
import {hostPasswordApis} from './host-password.js'
import {hostAdminApis} from './hosts-admin.js'
import {hostApis} from './hosts.js'
import {infrastructureApis} from './infrastructure.js'
import {jobApis} from './jobs.js'
import {guestNetworkApis} from './networks-guest.js'
import {networkApis} from './networks.js'
import {oobmApis} from './oobm.js'
import {rollingMaintenanceApis} from './rolling-maintenance.js'
import {storageApis} from './storage.js'
import {userApis} from './users.js'
import {vmMigrateApis} from './vm-migrate.js'
import {vmPowerApis} from './vm-power.js'
import {vmApis} from './vms.js'

/**
 * Every command the simulator serves. Each handler file exports its commands as `<area>Apis`;
 * a new file adds one line here.
 */
export const ALL_APIS: RegisteredApi[] = [
  ...authApis,
  ...discoveryApis,
  ...jobApis,
  ...configurationApis,
  ...infrastructureApis,
  ...hostApis,
  ...vmApis,
  ...configApis,
  ...vmPowerApis,
  ...vmMigrateApis,
  ...accountApis,
  ...networkApis,
  ...guestNetworkApis,
  ...hostAdminApis,
  ...rollingMaintenanceApis,
  ...hostPasswordApis,
  ...caApis,
  ...userApis,
  ...oobmApis,
  ...storageApis,
]
