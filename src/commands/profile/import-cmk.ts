import {Args, Flags} from '@oclif/core'
import {readFile} from 'node:fs/promises'

import {BaseCommand, connectionFlags} from '../../base-command.js'
import {defaultCmkConfigPath, parseCmkConfig} from '../../lib/config/cmk.js'
import {type CmkImportResult, importCmkProfiles} from '../../lib/config/profile-edit.js'
import {ProfileStore} from '../../lib/config/profiles.js'
import {UsageError} from '../../lib/core/errors.js'

export default class ProfileImportCmk extends BaseCommand<typeof ProfileImportCmk> {
  static override args = {
    names: Args.string({description: 'CloudMonkey profiles to import (default: its current one).'}),
  }
  static override baseFlags = {debug: connectionFlags.debug}
  static override description =
    "Reads CloudMonkey 6 (~/.cmk/config) or the older Python CloudMonkey layout. Without names or --all, CloudMonkey's current profile is imported. A profile with API keys is imported with its keys only (not CloudMonkey's default admin password); existing moldctl profiles are kept unless --force."
  static override examples = [
    '<%= config.bin %> profile import-cmk',
    '<%= config.bin %> profile import-cmk --all',
    '<%= config.bin %> profile import-cmk prod lab --force',
    '<%= config.bin %> profile import-cmk --file ~/.cloudmonkey/config --all',
  ]
  static override flags = {
    all: Flags.boolean({summary: 'Import every profile in the file.'}),
    file: Flags.string({summary: 'CloudMonkey config file (default: ~/.cmk/config).'}),
    force: Flags.boolean({summary: 'Replace moldctl profiles that have the same names.'}),
  }
  static override strict = false
  static override summary = 'Import profiles from CloudMonkey (~/.cmk/config).'

  async run(): Promise<CmkImportResult> {
    const file = this.flags.file ?? defaultCmkConfigPath(process.env)
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(
        `cannot read the CloudMonkey config ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
        ['name it with --file PATH'],
      )
    })
    const cmk = parseCmkConfig(text)
    const store = new ProfileStore(this.config.configDir)
    let result: CmkImportResult = {imported: [], replaced: [], skipped: []}
    const request = {all: this.flags.all, force: this.flags.force, names: this.positionals}
    await store.update((config) => {
      result = importCmkProfiles(config, cmk, request)
    })
    for (const name of result.imported) {
      const notes = [
        result.replaced.includes(name) ? 'replaced' : '',
        result.current === name ? 'current' : '',
      ].filter(Boolean)
      this.logToStderr(`Imported ${name}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`)
    }

    for (const {name, reason} of result.skipped) this.logToStderr(`Skipped ${name}: ${reason}`)
    if (result.imported.length === 0) this.logToStderr('Nothing imported.')
    return result
  }
}
