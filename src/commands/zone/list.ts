import type {Zone} from '../../lib/api/models.js'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {ZONE_COLUMNS} from '../../lib/infra/columns.js'

/** The `zone list --json` result: the listZones zones. */
export type ZoneListResult = Zone[]

export default class ZoneList extends BaseCommand<typeof ZoneList> {
  static override description = 'List the zones of the cloud with their allocation state.'
  static override examples = [
    '<%= config.bin %> zone list',
    '<%= config.bin %> zone list -o csv --columns name,id,allocationstate',
  ]
  static override flags = {...outputFlags}

  async run(): Promise<ZoneListResult> {
    const zones = await (await this.client()).list<Zone>('listZones')
    await this.printRows(zones, ZONE_COLUMNS, {empty: 'No zones.'})
    return zones
  }
}
