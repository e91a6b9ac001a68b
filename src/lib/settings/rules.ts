/**
 * Settings (the API's "configurations") at global, zone and cluster scope: the scope parameters,
 * and checking a value the way updateConfiguration does, with the server's own messages, so a
 * bad value is refused before anything is sent. Pure functions.
 */
import {FACTOR_SETTING} from '../overprovision/rules.js'

export type SettingScope =
  {id: string; kind: 'cluster'; name: string} | {id: string; kind: 'zone'; name: string} | {kind: 'global'}

export function scopeParams(scope: SettingScope): Record<string, string> {
  if (scope.kind === 'zone') return {zoneid: scope.id}
  if (scope.kind === 'cluster') return {clusterid: scope.id}
  return {}
}

export function describeScope(scope: SettingScope): string {
  return scope.kind === 'global' ? 'global' : `${scope.kind} ${scope.name}`
}

/** The server's texts (ConfigurationManagerImpl), so moldctl's refusals read the same. */
export const SERVER_TEXT = {
  booleanExpected: "Please enter either 'true' or 'false'.",
  factorNotPositive: (name: string) => `${name} should be greater than 0`,
  invalidScope: (name: string) => `Invalid scope id provided for the parameter ${name}`,
  multipleScopes: 'cannot handle multiple IDs, provide only one ID corresponding to the scope',
  nullFactor: (name: string) => `value cannot be null for the parameter ${name}`,
  parseError: (name: string, value: null | string, javaType: 'float' | 'integer' | 'long') =>
    `There was error in trying to parse value: ${value}. Please enter a valid ${javaType} value for parameter ${name}`,
  unknownSetting: (name: string) => `Config parameter with name ${name} doesn't exist`,
}

/** Settings kept as Java Long (the listing only says "Number"; the parse message differs). */
const LONG_SETTINGS = new Set([
  'ca.framework.background.task.delay',
  'default.page.size',
  'outofbandmanagement.action.timeout',
])

const OVERPROVISIONING_FACTORS = new Set([
  FACTOR_SETTING.cpu,
  FACTOR_SETTING.memory,
  'storage.overprovisioning.factor',
])

/** The value as updateConfiguration stores it: trimmed; "" or "null" clears it (null globally). */
export function normaliseSettingValue(value: string, scoped: boolean): null | string {
  const trimmed = value.trim()
  if (trimmed === '' || trimmed === 'null') return scoped ? '' : null
  return trimmed
}

const INT_MIN = -(2n ** 31n)
const INT_MAX = 2n ** 31n - 1n
const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n

/** Java's Integer.parseInt / Long.parseLong: optional sign, decimal digits, in range. */
export function parsesAsJavaInteger(value: null | string, bits: 32 | 64): boolean {
  if (value === null || !/^[+-]?\d+$/.test(value)) return false
  const n = BigInt(value)
  return bits === 32 ? n >= INT_MIN && n <= INT_MAX : n >= LONG_MIN && n <= LONG_MAX
}

const JAVA_FLOAT =
  /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)|(0[xX]([\da-fA-F]+\.?[\da-fA-F]*|\.[\da-fA-F]+)[pP][+-]?\d+[fFdD]?))$/

/** Java's Float.parseFloat (which ignores surrounding whitespace). Undefined when it would throw. */
export function javaParseFloat(value: null | string): number | undefined {
  if (value === null) return undefined
  // eslint-disable-next-line no-control-regex
  const text = value.replaceAll(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
  if (!JAVA_FLOAT.test(text)) return undefined
  if (text.endsWith('NaN')) return Number.NaN
  if (text.endsWith('Infinity')) return text.startsWith('-') ? -Infinity : Infinity
  if (/^[+-]?0[xX]/.test(text)) return parseHexFloat(text)
  return Math.fround(Number(text.replace(/[fFdD]$/, '')))
}

function parseHexFloat(text: string): number {
  const match = /^([+-]?)0[xX]([\da-fA-F]*)\.?([\da-fA-F]*)[pP]([+-]?\d+)/.exec(text)
  if (!match) return Number.NaN
  const [, sign, whole, fraction, exponent] = match
  const mantissa = Number.parseInt(`${whole}${fraction}` || '0', 16) / 16 ** fraction.length
  return Math.fround((sign === '-' ? -1 : 1) * mantissa * 2 ** Number(exponent))
}

/** The parts of a listConfigurations record used for checking. */
export interface SettingRecord {
  name: string
  /** "Boolean", "Number", "Decimal", "String", "Select", … (newer servers only). */
  type?: string
}

/**
 * Checks a value like updateConfiguration's validation does and returns the server's message
 * when it would refuse it, undefined when it would accept it. `value` is the normalised value
 * (see normaliseSettingValue). Types the listing does not give are not checked.
 */
export function settingValueProblem(setting: SettingRecord, value: null | string): string | undefined {
  const {name} = setting
  const type = setting.type ?? ''
  const parseProblem = numberParseProblem(name, type, value) ?? plainNumberProblem(name, type, value)
  if (parseProblem) return parseProblem
  const isFactor = OVERPROVISIONING_FACTORS.has(name)
  if (value === null) {
    if (type === 'Boolean') return SERVER_TEXT.booleanExpected
    return isFactor ? SERVER_TEXT.nullFactor(name) : undefined
  }

  if (isFactor) {
    const factor = javaParseFloat(value)
    if (factor === undefined) return SERVER_TEXT.parseError(name, value, 'float')
    // Java compares NaN <= 0 as false, so the server lets NaN through; plainNumberProblem does not.
    if (factor <= 0) return SERVER_TEXT.factorNotPositive(name)
  }

  if (type === 'Boolean' && value !== 'true' && value !== 'false') return SERVER_TEXT.booleanExpected
  return undefined
}

/** A decimal number as an operator writes it: sign, digits, a point, an exponent; nothing else. */
const PLAIN_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
/** Float.MAX_VALUE: a decimal setting beyond it is stored as Infinity. */
const FLOAT_MAX = 3.402_823_466_385_288_6e38

/**
 * moldctl's own check beyond the server's: a decimal setting (and every overprovisioning factor)
 * must be a plain, finite decimal number. Java's Float.parseFloat accepts `NaN`, `Infinity`,
 * `0x1p4`, `2f` and turns `1e309` into Infinity, and the server stores them all; what is stored
 * then breaks capacity arithmetic. Refused here before any call (exit 2).
 */
function plainNumberProblem(name: string, type: string, value: null | string): string | undefined {
  const decimal =
    type === 'Decimal' || type === 'Float' || type === 'Double' || OVERPROVISIONING_FACTORS.has(name)
  // What the server cannot parse gets its own message (numberParseProblem, the factor check).
  if (!decimal || javaParseFloat(value) === undefined || value === null) return undefined
  const hint = 'write a plain decimal number, e.g. 1.5 or 2'
  if (!PLAIN_DECIMAL.test(value)) return `${name} must be a plain decimal number, got "${value}" (${hint})`
  const number = Number(value)
  const limit = type === 'Double' ? Number.MAX_VALUE : FLOAT_MAX
  if (!Number.isFinite(number) || Math.abs(number) > limit)
    return `${name} must be a finite number (at most ${limit.toPrecision(8)}), got "${value}"`
  return undefined
}

/** The server's first check: the value must parse as the setting's Java number type. */
function numberParseProblem(name: string, type: string, value: null | string): string | undefined {
  // Newer servers say Number/Decimal; older ones and some listings give the Java type.
  if (type === 'Number' || type === 'Integer' || type === 'Long') {
    const bits = type === 'Long' || LONG_SETTINGS.has(name) ? 64 : 32
    if (!parsesAsJavaInteger(value, bits))
      return SERVER_TEXT.parseError(name, value, bits === 64 ? 'long' : 'integer')
  } else if ((type === 'Decimal' || type === 'Float') && javaParseFloat(value) === undefined) {
    return SERVER_TEXT.parseError(name, value, 'float')
  }

  return undefined
}
