/** What the setting commands render. */
import type {Column} from '../output/columns.js'
import type {SettingRecord} from './fetch.js'

import {settingApplies} from './guide-notes.js'

export const SETTING_COLUMNS: Column<SettingRecord>[] = [
  {header: 'NAME', key: 'name', shrink: false},
  {header: 'VALUE', key: 'value'},
  {header: 'DEFAULT', key: 'defaultvalue'},
  {header: 'TYPE', key: 'type'},
  {get: (s) => settingApplies(s.name, s.isdynamic), header: 'APPLIES', key: 'isdynamic'},
  {header: 'DESCRIPTION', key: 'description'},
]

export const SETTING_FIELDS: Column[] = [
  {key: 'name'},
  {key: 'value'},
  {key: 'defaultvalue'},
  {key: 'scope'},
  {key: 'type'},
  {key: 'isdynamic'},
  {key: 'category'},
  {key: 'component'},
  {key: 'description'},
]
