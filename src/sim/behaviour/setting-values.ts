import type {SettingDefinition} from '../catalog/settings.js'

import {SimApiError} from '../catalog/registry.js'

/*
 * The checks updateConfiguration and resetConfiguration make on a setting's scope and value
 * (ConfigurationManagerImpl.validateConfigurationValue), with the server's texts and Java's
 * number parsing. The overprovisioning factors are stored as the cluster details
 * `cpuOvercommitRatio` / `memoryOvercommitRatio`.
 */

export type Scope = 'account' | 'cluster' | 'domain' | 'imagestore' | 'storagepool' | 'zone'

export const FACTOR_DETAIL: Record<string, string> = {
  'cpu.overprovisioning.factor': 'cpuOvercommitRatio',
  'mem.overprovisioning.factor': 'memoryOvercommitRatio',
}
const OVERPROVISIONING_FACTORS = new Set(['storage.overprovisioning.factor', ...Object.keys(FACTOR_DETAIL)])

/** The one scope id given (in the server's order), or none; more than one is refused. */
export function singleScope(ids: Array<[Scope, string | undefined]>): undefined | {id: string; scope: Scope} {
  const given = ids.filter((entry): entry is [Scope, string] => entry[1] !== undefined)
  if (given.length > 1) {
    throw SimApiError.invalidParameter(
      'cannot handle multiple IDs, provide only one ID corresponding to the scope',
    )
  }

  return given.length === 1 ? {id: given[0][1], scope: given[0][0]} : undefined
}

export function hasScope(def: SettingDefinition, scope: Scope): boolean {
  return (def.scopes as string[]).includes(scope)
}

// Java's Integer.parseInt / Long.parseLong / Float.parseFloat, as the server's validation uses them.
const JAVA_FLOAT =
  /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)|(0[xX]([\da-fA-F]+\.?[\da-fA-F]*|\.[\da-fA-F]+)[pP][+-]?\d+[fFdD]?))$/
// eslint-disable-next-line no-control-regex
const JAVA_TRIM = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g

function javaIntegerParses(value: null | string, bits: 32 | 64): boolean {
  if (value === null || !/^[+-]?\d+$/.test(value)) return false
  const n = BigInt(value)
  const limit = 2n ** BigInt(bits - 1)
  return n >= -limit && n < limit
}

function javaFloatParses(value: null | string): value is string {
  return value !== null && JAVA_FLOAT.test(value.replaceAll(JAVA_TRIM, ''))
}

/** Whether Java would find the (parsable) float ≤ 0; NaN compares false, as in Java. */
function javaFloatNotPositive(value: string): boolean {
  const text = value.replaceAll(JAVA_TRIM, '')
  if (text.endsWith('NaN')) return false
  if (text.endsWith('Infinity')) return text.startsWith('-')
  if (/^[+-]?0[xX]/.test(text))
    return text.startsWith('-') || !/[1-9a-fA-F]/.test(text.replace(/[pP].*$/, ''))
  return Number(text.replace(/[fFdD]$/, '')) <= 0
}

/** validateConfigurationValue: the server's checks and texts, in its order. */
export function validationProblem(
  def: SettingDefinition,
  value: null | string,
  scope?: Scope,
): string | undefined {
  const {name} = def
  if (scope && !hasScope(def, scope)) return `Invalid scope id provided for the parameter ${name}`
  const parse = (javaType: string) =>
    `There was error in trying to parse value: ${value}. Please enter a valid ${javaType} value for parameter ${name}`
  if (def.type === 'Integer' && !javaIntegerParses(value, 32)) return parse('integer')
  if (def.type === 'Long' && !javaIntegerParses(value, 64)) return parse('long')
  if (def.type === 'Float' && !javaFloatParses(value)) return parse('float')
  if (value === null) {
    if (def.type === 'Boolean') return "Please enter either 'true' or 'false'."
    if (OVERPROVISIONING_FACTORS.has(name)) return `value cannot be null for the parameter ${name}`
    return undefined
  }

  const trimmed = value.trim()
  if (OVERPROVISIONING_FACTORS.has(name)) {
    if (!javaFloatParses(trimmed)) return `There was an error trying to parse the float value for: ${name}`
    if (javaFloatNotPositive(trimmed)) return `${name} should be greater than 0`
  }

  if (def.type === 'Boolean' && trimmed !== 'true' && trimmed !== 'false') {
    return "Please enter either 'true' or 'false'."
  }

  return undefined
}

/** The cluster detail a cluster-scoped setting is stored as. */
export function clusterDetailKey(name: string): string {
  return FACTOR_DETAIL[name] ?? name
}
