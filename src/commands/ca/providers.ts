import type {CaProvider} from '../../lib/api/models.js'

import {BaseCommand, outputFlags} from '../../base-command.js'

/** The `ca providers --json` result: the listCAProviders providers. */
export type CaProvidersResult = CaProvider[]

export default class CaProviders extends BaseCommand<typeof CaProviders> {
  static override description =
    'List the CA providers of the CA framework (listCAProviders); `root` is the built-in one.'
  static override examples = ['<%= config.bin %> ca providers', '<%= config.bin %> ca providers --json']
  static override flags = {...outputFlags}

  async run(): Promise<CaProvidersResult> {
    const client = await this.client()
    const providers = await client.list<CaProvider>('listCAProviders')
    await this.printRows(
      providers,
      [
        {header: 'NAME', key: 'name', shrink: false},
        {header: 'DESCRIPTION', key: 'description'},
      ],
      {empty: 'No CA provider is available.'},
    )
    return providers
  }
}
