import type {Params} from './api/types.js'

import {UsageError} from './errors.js'

/**
 * Parses `key=value` words of `moldctl api` into parameters. A value may contain `=`; repeated
 * keys are refused (the server would silently keep only one of them).
 */
export function parseKeyValues(words: string[]): Params {
  const params: Params = {}
  for (const word of words) {
    const eq = word.indexOf('=')
    if (eq <= 0)
      throw new UsageError(`"${word}" is not key=value`, [
        'example: moldctl api listHosts type=Routing zoneid=<uuid>',
      ])
    const key = word.slice(0, eq)
    if (key in params) throw new UsageError(`the parameter ${key} is given twice`)
    if (/^(signature|apikey|sessionkey|command|response)$/i.test(key)) {
      throw new UsageError(`${key} is set by moldctl itself and cannot be given`)
    }

    params[key] = word.slice(eq + 1)
  }

  return params
}

/** API command names are camelCase identifiers (listHosts, prepareHostForMaintenance). */
export function checkCommandName(name: string): string {
  if (!/^[A-Za-z][\dA-Za-z]*$/.test(name)) throw new UsageError(`"${name}" is not an API command name`)
  return name
}
