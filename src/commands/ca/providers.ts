import {BaseCommand, outputFlags} from '../../base-command.js'

export default class CaProviders extends BaseCommand<typeof CaProviders> {
  static override description =
    'List the CA providers of the CA framework (listCAProviders); `root` is the built-in one.'
  static override examples = ['<%= config.bin %> ca providers', '<%= config.bin %> ca providers --json']
  static override flags = {...outputFlags}

  async run(): Promise<unknown[]> {
    const client = await this.client()
    const providers = await client.list('listCAProviders')
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
