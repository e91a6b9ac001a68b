/** What `host cert provision` renders. */
import type {Column} from '../output/columns.js'
import type {ProvisionResult} from './provision.js'

export const PROVISION_COLUMNS: Column<ProvisionResult>[] = [
  {header: 'HOST', key: 'name', shrink: false},
  {header: 'IP', key: 'ipaddress', shrink: false},
  {header: 'RESULT', key: 'result'},
  {header: 'SECURED', key: 'secured'},
  {header: 'DETAIL', key: 'detail'},
]
