import type {KindName} from '../lib/infra/resolve.js'
import type {PickChoice} from '../lib/output/picker.js'

import {UsageError} from '../lib/core/errors.js'

/* The entity picker's edges for BaseCommand#entityOrPick|entitiesOrPick. */

/** No entity named and no terminal to pick one at: a usage error naming the argument. */
export function missingEntity(kind: KindName, commandId: string | undefined): UsageError {
  const noun = kind.toUpperCase()
  return new UsageError(
    `name the ${kind}: a ${noun} argument is needed (at a terminal moldctl offers a list to pick from)`,
    [`see: moldctl ${commandId?.replaceAll(':', ' ')} --help`],
  )
}

/**
 * Asks about what was picked, naming it (default No; --yes does not skip it): true when the
 * operator said yes.
 */
export async function confirmPicked(
  verb: string,
  kind: KindName,
  picked: readonly PickChoice[],
): Promise<boolean> {
  const [{pickConfirmation}, {confirm}] = await Promise.all([
    import('../lib/output/picker.js'),
    import('@inquirer/prompts'),
  ])
  return confirm({default: false, message: pickConfirmation(verb, kind, picked)})
}
