import type {Command} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {dryRunFlag, yesFlag} from '../flags/base.js'
import {
  type AllocationResult,
  type AllocationState,
  type GroupingKind,
  runAllocationChange,
} from '../lib/infra/allocation.js'

/**
 * The shared body of `zone|pod|cluster enable|disable`: the entity named (or picked and
 * confirmed at a terminal), then one allocation change. Each command keeps its own text.
 */
export abstract class AllocationCommand<T extends typeof Command> extends BaseCommand<T> {
  static override flags = {...yesFlag, ...dryRunFlag}

  protected async changeAllocation(
    kind: GroupingKind,
    given: string | undefined,
    target: AllocationState,
  ): Promise<AllocationResult> {
    const ref = await this.entityOrPick(kind, given, {confirm: target === 'Disabled' ? 'Disable' : 'Enable'})
    const {'dry-run': dryRun} = this.flags as {'dry-run'?: boolean}
    return runAllocationChange(await this.client(), {kind, ref, dryRun: Boolean(dryRun), target}, this.ui)
  }
}
