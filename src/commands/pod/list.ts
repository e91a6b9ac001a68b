import {Flags} from '@oclif/core'

import type {Pod} from '../../lib/api/models.js'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {POD_COLUMNS} from '../../lib/infra/columns.js'
import {resolveEntity} from '../../lib/infra/resolve.js'

/** The `pod list --json` result: the listPods pods. */
export type PodListResult = Pod[]

export default class PodList extends BaseCommand<typeof PodList> {
  static override description = 'List pods, optionally of one zone.'
  static override examples = ['<%= config.bin %> pod list', '<%= config.bin %> pod list --zone zone1 --json']
  static override flags = {
    ...outputFlags,
    zone: Flags.string({summary: 'Only pods of this zone (name or id).'}),
  }

  async run(): Promise<PodListResult> {
    const client = await this.client()
    const zoneid = this.flags.zone ? (await resolveEntity(client, 'zone', this.flags.zone)).id : undefined
    const pods = await client.list<Pod>('listPods', {zoneid})
    await this.printRows(pods, POD_COLUMNS, {empty: 'No pods.'})
    return pods
  }
}
