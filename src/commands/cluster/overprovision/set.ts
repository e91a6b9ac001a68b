import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../../base-command.js'
import * as out from '../../../lib/overprovision/columns.js'
import {applyFactorChange, prepareFactorChange} from '../../../lib/overprovision/plan.js'
import {parseFactorChange} from '../../../lib/overprovision/rules.js'

export default class ClusterOverprovisionSet extends BaseCommand<typeof ClusterOverprovisionSet> {
  static override args = {
    cluster: Args.string({description: 'Cluster name or id.', required: false}),
  }
  static override description = `Set a cluster's CPU and/or memory overprovisioning factor, showing the capacity before and after.
The factor is checked first (a number greater than 0; on XenServer clusters not above 4, as the admin guide
requires, unless --force). Capacity is shown now, right after the change, and once the running VMs have been
stopped and started; then the factor is set with updateConfiguration for the cluster. Running VMs keep the factor
they were started with until they are stopped and started: they are listed.`
  static override examples = [
    '<%= config.bin %> cluster overprovision set kvm-cluster-1 --cpu 2 --dry-run',
    '<%= config.bin %> cluster overprovision set kvm-cluster-1 --cpu 2 --memory 1.5',
    '<%= config.bin %> cluster overprovision set xen-cluster-1 --memory 4',
    '<%= config.bin %> cluster overprovision set kvm-cluster-1 --memory 2 --json',
  ]
  static override flags = {
    ...outputFlags,
    ...dryRunFlag,
    ...yesFlag,
    cpu: Flags.string({summary: 'New CPU overprovisioning factor (cpu.overprovisioning.factor), > 0.'}),
    force: Flags.boolean({
      summary: "Allow a factor above 4 on a XenServer cluster, against the admin guide's advice.",
    }),
    memory: Flags.string({summary: 'New memory overprovisioning factor (mem.overprovisioning.factor), > 0.'}),
  }

  async run(): Promise<out.FactorChangeResult> {
    const change = parseFactorChange({cpu: this.flags.cpu, memory: this.flags.memory})
    const client = await this.client()
    const clusterRef = await this.entityOrPick('cluster', this.args.cluster, {
      confirm: 'Change the overprovisioning factors of',
    })
    const report = await prepareFactorChange(client, clusterRef, {change, force: this.flags.force})
    const {calls, plan, state, warnings} = report
    for (const warning of warnings) this.logToStderr(`Warning: ${warning}`)
    const table = !this.jsonEnabled() && this.outputFormat() === 'table'
    if (table) {
      this.log(`${out.clusterHeading(state)}\n`)
      for (const projection of plan.projections) {
        this.log(out.projectionHeading(projection))
        // eslint-disable-next-line no-await-in-loop -- blocks are printed in order
        await this.printRows(out.projectionRows(projection), out.PROJECTION_COLUMNS)
        this.log('')
      }
    }

    const dryRun = this.flags['dry-run']
    if (!dryRun) await applyFactorChange(client, report)
    const record = out.planRecord(state, plan, {applied: !dryRun, warnings})
    if (!table) {
      await (this.outputFormat() === 'csv'
        ? this.printRows(out.planRows(plan), out.PLAN_COLUMNS)
        : this.printObject(record))
      return record
    }

    this.log(`${dryRun ? 'Dry run, nothing changed; moldctl would call:' : 'Changed with:'}`)
    for (const call of calls) this.log(`  ${out.callLine(call)}`)
    const keeping = plan.vmsKeepingOldFactor
    if (keeping.length === 0) {
      this.log('\nNo running VM keeps an older factor.')
    } else {
      this.log(`\n${keeping.length} running VM(s) keep their old factor until they are stopped and started:`)
      await this.printRows(out.oldFactorRows(keeping), out.OLD_FACTOR_COLUMNS)
    }

    return record
  }
}
