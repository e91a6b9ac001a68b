import type {Command, Interfaces} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {dryRunFlag, outputFlags, yesFlag} from '../flags/base.js'
import {enablementScopeFlags} from '../flags/oobm.js'
import {formatCall} from '../lib/infra/allocation.js'
import {
  ENABLEMENT_COLUMNS,
  enablementError,
  type EnablementRow,
  planOobmEnablement,
  setOobmEnabled,
} from '../lib/oobm/enablement.js'

/** What `oobm enable|disable --json` prints: a row per host or scope, or under --dry-run the calls. */
export type OobmEnablementResult = EnablementRow[] | {calls: unknown[]; dryrun: true}

type ScopeFlags = Interfaces.InferredFlags<typeof enablementScopeFlags> & {'dry-run': boolean}

/**
 * The shared body of `oobm enable|disable`: the calls under --dry-run, else the change on the
 * hosts, cluster or zone named and a row for each. Each command keeps its own text.
 */
export abstract class OobmEnablementCommand<T extends typeof Command> extends BaseCommand<T> {
  static override flags = {...outputFlags, ...yesFlag, ...dryRunFlag, ...enablementScopeFlags}

  protected async changeEnablement(enabled: boolean): Promise<OobmEnablementResult> {
    const {cluster, 'dry-run': dryRun, host, zone} = this.flags as ScopeFlags
    const scope = {cluster, hosts: host, zone}
    if (dryRun) {
      const calls = await planOobmEnablement(await this.client(), scope, enabled)
      for (const call of calls) this.log(`would call: ${formatCall(call)}`)
      return {calls, dryrun: true}
    }

    const rows = await setOobmEnabled(await this.client(), scope, enabled)
    await this.printRows(rows, ENABLEMENT_COLUMNS)
    return this.rowsOrFail(rows, enablementError(rows))
  }
}
