import {Args, Flags} from '@oclif/core'

import type {Host} from '../../lib/api/models.js'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../base-command.js'
import {type DryRunResult, formatCall} from '../../lib/infra/allocation.js'
import {HOST_COLUMNS} from '../../lib/infra/columns.js'
import {addHost, planAddHost} from '../../lib/infra/host-admin.js'

export default class HostAdd extends BaseCommand<typeof HostAdd> {
  static override args = {
    url: Args.string({
      description:
        'The host URL (http://10.10.0.15) or just its address. (--url is the API endpoint, as everywhere.)',
      required: true,
    }),
  }
  static override description = `Add a hypervisor host to a cluster (addHost).
The zone and pod are the cluster's, the hypervisor defaults to the cluster's. The host password comes only from standard input (--password-stdin) or a prompt at the terminal, never from the command line; VMware hosts need none (the cluster's vCenter credentials are used).`
  static override examples = [
    'printf %s "$ROOT_PASSWORD" | <%= config.bin %> host add http://10.10.0.15 --cluster kvm-cluster-1 --username root --password-stdin',
    '<%= config.bin %> host add 10.10.0.16 --cluster kvm-cluster-1 --username root --tags ssd,gpu',
    '<%= config.bin %> host add 10.10.0.15 --cluster kvm-cluster-1 --username root --dry-run',
  ]
  static override flags = {
    ...outputFlags,
    ...yesFlag,
    ...dryRunFlag,
    cluster: Flags.string({required: true, summary: 'Cluster to add the host to (name or id).'}),
    hypervisor: Flags.string({summary: "Hypervisor type (default: the cluster's)."}),
    'password-stdin': Flags.boolean({summary: 'Read the host password from standard input.'}),
    pod: Flags.string({summary: "Pod (name or id); checked against the cluster's."}),
    tags: Flags.string({delimiter: ',', multiple: true, summary: 'Host tags, comma-separated.'}),
    username: Flags.string({summary: 'Login on the host (root for KVM).'}),
    zone: Flags.string({summary: "Zone (name or id); checked against the cluster's."}),
  }

  async run(): Promise<DryRunResult | Host> {
    const {cluster, hypervisor, 'password-stdin': passwordStdin, pod, tags, username, zone} = this.flags
    const url = /^[a-z][\w+.-]*:\/\//i.test(this.args.url) ? this.args.url : `http://${this.args.url}`
    const client = await this.client()
    const plan = await planAddHost(client, {cluster, hypervisor, pod, tags, url, username, zone})
    if (this.flags['dry-run']) {
      this.log(`would call: ${formatCall(plan.call)}${plan.needsPassword ? ' password=***' : ''}`)
      return {calls: [plan.call]}
    }

    const {promptSecret, readStdin} = await import('../../lib/output/prompt.js')
    let password: string | undefined
    if (passwordStdin) password = await readStdin('the host password')
    else if (plan.needsPassword)
      password = await promptSecret(`Password of ${username ?? 'the user'} on ${url}`, {
        stdinFlag: '--password-stdin',
      })
    const host = await addHost(client, plan, password)
    this.logToStderr(`added ${host.name} (${host.resourcestate}, ${host.state})`)
    await this.printRows([host], HOST_COLUMNS)
    return host
  }
}
