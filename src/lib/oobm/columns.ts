/** What the oobm commands render: power results and out-of-band status as table columns. */
import type {Column} from '../output/columns.js'
import type {OobmStatusRow, PowerActionRow} from './rules.js'

/** Table/CSV columns of the power summary (JSON carries every field). */
export const POWER_ROW_COLUMNS: Column<PowerActionRow>[] = [
  {header: 'HOST', key: 'name', shrink: false},
  {header: 'ACTION', key: 'action'},
  {header: 'OUTCOME', key: 'outcome'},
  {header: 'POWER', key: 'powerstate'},
  {header: 'SECONDS', get: (row) => row.seconds.toFixed(2), key: 'seconds'},
  {header: 'MESSAGE', key: 'message'},
]

const onOff = (enabled: boolean): string => (enabled ? 'on' : 'off')

/** Table/CSV columns of `oobm status`; OOBM Z/C/H = zone/cluster/host enablement, `-` = not configured. */
export const OOBM_STATUS_COLUMNS: Column<OobmStatusRow>[] = [
  {header: 'HOST', key: 'name', shrink: false},
  {header: 'CLUSTER', key: 'clustername'},
  {
    get: (r) => `${onOff(r.zoneenabled)}/${onOff(r.clusterenabled)}/${r.driver ? onOff(r.hostenabled) : '-'}`,
    header: 'OOBM Z/C/H',
    key: 'effective',
    shrink: false,
  },
  {header: 'DRIVER', key: 'driver'},
  {header: 'ADDRESS', key: 'address', shrink: false},
  {header: 'POWER', key: 'powerstate', shrink: false},
  {header: 'RESOURCE', key: 'resourcestate'},
]
