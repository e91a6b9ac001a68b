import {BaseCommand, outputFlags} from '../../base-command.js'
import {ZONE_COLUMNS} from '../../lib/infra/columns.js'

export default class ZoneList extends BaseCommand<typeof ZoneList> {
  static override description = 'List the zones of the cloud with their allocation state.'
  static override examples = [
    '<%= config.bin %> zone list',
    '<%= config.bin %> zone list -o csv --columns name,id,allocationstate',
  ]
  static override flags = {...outputFlags}

  async run(): Promise<unknown[]> {
    const zones = await (await this.client()).list('listZones')
    await this.printRows(zones, ZONE_COLUMNS, {empty: 'No zones.'})
    return zones
  }
}
