import data from './settings-data.json'

/*
 * The global settings the simulator knows. The data — name, category, component, type, default,
 * scopes, isDynamic, description, and the apache/cloudstack file declaring each ConfigKey (or
 * Config enum entry) — is in settings-data.json; this module types it and checks it once, on load.
 */

export type SettingScope = 'account' | 'cluster' | 'domain' | 'storagepool' | 'zone'
export type SettingType = 'Boolean' | 'Double' | 'Float' | 'Integer' | 'Long' | 'Select' | 'String'

/** A global setting as the server defines it (ConfigKey): names, defaults and texts are the real ones. */
export interface SettingDefinition {
  category: string
  component: string
  /** Empty where upstream declares no default (null). */
  defaultValue: string
  description: string
  isDynamic: boolean
  name: string
  options?: string
  /** Scopes below global where the setting can be overridden. */
  scopes: SettingScope[]
  /**
   * The upstream file (apache/cloudstack) declaring the ConfigKey (or the Config enum entry) that
   * name, type, default, scope, category, description and dynamic flag were taken from.
   */
  source: string
  type: SettingType
}

/**
 * Upstream's category of settings that listConfigurations never shows ("hidden configurations are
 * not displayed using the search API": ManagementServerImpl.searchForConfigurations).
 */
export const HIDDEN_CATEGORY = 'Hidden'

const SCOPES: ReadonlySet<string> = new Set(['account', 'cluster', 'domain', 'storagepool', 'zone'])
const TYPES: ReadonlySet<string> = new Set([
  'Boolean',
  'Double',
  'Float',
  'Integer',
  'Long',
  'Select',
  'String',
])

interface RawSetting {
  category: string
  component: string
  defaultValue: null | string
  description: string
  isDynamic: boolean
  name: string
  options?: string
  scopes: string[]
  source: string
  type: string
}

function checked(raw: RawSetting): SettingDefinition {
  const bad = (what: string) => new Error(`settings-data.json: ${raw.name}: ${what}`)
  if (!TYPES.has(raw.type)) throw bad(`unknown type ${raw.type}`)
  for (const scope of raw.scopes) if (!SCOPES.has(scope)) throw bad(`unknown scope ${scope}`)
  if (!/^(api|engine|plugins|server)\/.+\.java$/.test(raw.source)) throw bad(`source ${raw.source}`)
  const definition: SettingDefinition = {
    category: raw.category,
    component: raw.component,
    defaultValue: raw.defaultValue ?? '',
    description: raw.description,
    isDynamic: raw.isDynamic,
    name: raw.name,
    scopes: raw.scopes as SettingScope[],
    source: raw.source,
    type: raw.type as SettingType,
  }
  if (raw.options !== undefined) definition.options = raw.options
  return definition
}

export const SETTING_DEFINITIONS: readonly SettingDefinition[] = (data.settings as RawSetting[]).map((raw) =>
  checked(raw),
)

/** Whether listConfigurations shows the setting (upstream hides the Hidden category). */
export function isListed(definition: SettingDefinition): boolean {
  return definition.category !== HIDDEN_CATEGORY
}
