import type {MoldClient} from './client.js'
import type {Params} from './types.js'

import {ApiError, UsageError} from '../core/errors.js'
import {listItems} from './envelope.js'

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

/**
 * The server answers an unknown command with the same 401 as a bad signature. When listApis
 * works with the same credentials and does not know the command, say so instead (exit 2).
 */
export async function explainUnauthorized(
  client: MoldClient,
  command: string,
  error: unknown,
): Promise<never> {
  if (!(error instanceof ApiError) || error.errorcode !== 401 || command === 'listApis') throw error
  const known = await client
    .request('listApis', {name: command})
    .then((inner) => listItems<{name: string}>(inner).some((api) => api.name === command))
    // A real server answers 431 "unable to find an api by that name" for an unknown name.
    .catch((probeError: unknown) =>
      probeError instanceof ApiError && probeError.errorcode === 431 ? false : undefined,
    )

  if (known === false) {
    throw new UsageError(`the server has no API command named ${command}`, [
      'API names are case-sensitive (listHosts, prepareHostForMaintenance)',
    ])
  }

  throw error
}
