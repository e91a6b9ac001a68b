import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, yesFlag} from '../../base-command.js'
import {UsageError} from '../../lib/core/errors.js'
import {OUTPUT_FORMATS} from '../../lib/output/render.js'
import {checkFactorForHypervisor, FACTOR_SETTING} from '../../lib/overprovision/rules.js'
import {SETTING_FIELDS} from '../../lib/settings/columns.js'
import {findSetting, resolveSettingScope} from '../../lib/settings/fetch.js'
import {normaliseSettingValue, scopeParams, settingValueProblem} from '../../lib/settings/rules.js'

export default class SettingSet extends BaseCommand<typeof SettingSet> {
  static override args = {
    name: Args.string({description: 'Setting name.', required: true}),
    value: Args.string({description: 'New value ("" clears a zone or cluster value).', required: true}),
  }
  static override description = `Set a setting globally, or for one zone or cluster (updateConfiguration).
The value is checked first as the server checks it (numbers, true/false, overprovisioning factors > 0) and a bad
value, an unknown name or a scope the setting does not have is refused with the server's own message, before
anything is sent.`
  static override examples = [
    '<%= config.bin %> setting set kvm.rolling.maintenance.ping.interval 20',
    '<%= config.bin %> setting set outofbandmanagement.action.timeout 120 --cluster kvm-cluster-1',
    '<%= config.bin %> setting set mem.overprovisioning.factor 1.5 --dry-run',
    '<%= config.bin %> setting set ca.framework.cert.systemvm.allow.host.ip true --zone zone-1',
  ]
  static override flags = {
    ...dryRunFlag,
    ...yesFlag,
    cluster: Flags.string({exclusive: ['zone'], summary: 'Set it for this cluster only (name or id).'}),
    force: Flags.boolean({summary: 'Allow an overprovisioning factor above 4 on a XenServer cluster.'}),
    output: Flags.string({
      char: 'o',
      helpGroup: 'OUTPUT',
      options: OUTPUT_FORMATS,
      summary: 'Output format.',
    }),
    zone: Flags.string({exclusive: ['cluster'], summary: 'Set it for this zone only (name or id).'}),
  }

  async run(): Promise<Record<string, unknown>> {
    const {name, value} = this.args
    const client = await this.client()
    const scope = await resolveSettingScope(client, this.flags)
    const setting = await findSetting(client, name, scope)
    const normalised = normaliseSettingValue(value, scope.kind !== 'global')
    const problem = settingValueProblem(setting, normalised)
    if (problem) throw new UsageError(problem)
    if (scope.kind === 'cluster' && normalised && Object.values(FACTOR_SETTING).includes(name)) {
      const opts = {clusterName: scope.name, flag: name, force: this.flags.force}
      const warning = checkFactorForHypervisor(Number(normalised), scope.hypervisor, opts)
      if (warning) this.logToStderr(`Warning: ${warning}`)
    }

    const params = {...scopeParams(scope), name, value}
    if (this.flags['dry-run']) {
      this.log(
        `Dry run, nothing changed; moldctl would call: updateConfiguration ${Object.entries(params)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      )
      return {dryrun: true, params, setting}
    }

    const {configuration} = (await client.request('updateConfiguration', params)) as {
      configuration: Record<string, unknown>
    }
    await this.printObject(configuration, SETTING_FIELDS)
    if (setting.isdynamic === false)
      this.logToStderr(`Warning: ${name} is read at start-up: restart the management server(s) to apply it`)
    return configuration
  }
}
