import {Args, Flags} from '@oclif/core'

import {BaseCommand, dryRunFlag, outputFlags, yesFlag} from '../../../base-command.js'
import {databaseFlags, databaseSource} from '../../../flags/database.js'
import {UsageError} from '../../../lib/core/errors.js'
import {
  hostPasswordColumns,
  type HostPasswordResult,
  rotateHostPasswordCommand,
} from '../../../lib/host-password/run.js'

export default class HostPasswordRotate extends BaseCommand<typeof HostPasswordRotate> {
  static override args = {
    hosts: Args.string({
      description: 'Hosts to update: UUID, name or IP address (several allowed).',
      ignoreStdin: true,
    }),
  }
  static override description = `Change the password the management server stores for hosts (all hosts of a cluster share one).

--via api (default) calls updateHostPassword; with --update-on-host the server also changes it on the hosts, otherwise change it on the hosts first.
--via db writes cloud.host_details directly (run on the management server): it reads db.properties and the management key, proves the database key on the stored values, encrypts with the encryptor the database uses, updates every row in one transaction, reads them back before commit, and saves the previous values to a 0600 backup for "host password restore".
The new password comes from a hidden prompt (typed twice), --password-stdin or --password-file, never the command line. With --db-url, standard input holds the database key on line 1 (and the password on line 2).`
  static override examples = [
    '<%= config.bin %> host password rotate --cluster kvm-cluster-1 --username root',
    '<%= config.bin %> host password rotate --cluster kvm-cluster-1 --username root --update-on-host --yes',
    String.raw`printf "%s\n" "$NEWPASS" | <%= config.bin %> host password rotate kvm-host-07 10.0.0.12 --username root --password-stdin --yes`,
    '<%= config.bin %> host password rotate --cluster kvm-cluster-1 --username root --via db --dry-run',
    'sudo <%= config.bin %> host password rotate --cluster kvm-cluster-1 --username root --via db --password-file /root/newpass',
    String.raw`printf "%s\n%s\n" "$DBKEY" "$NEWPASS" | MOLDCTL_DB_PASSWORD=... <%= config.bin %> host password rotate --cluster c1 --username root --via db --db-url mysql://cloud@db1:3306/cloud --password-stdin --yes`,
  ]
  static override flags = {
    backup: Flags.string({
      summary: 'Backup file to write (--via db; default: a new file in the data directory).',
    }),
    cluster: Flags.string({summary: 'Every host of this cluster (UUID or name).'}),
    encryptor: Flags.string({
      helpGroup: 'DATABASE',
      options: ['v1', 'v2'],
      summary: 'Encryptor for the new values (default: the one the database uses).',
    }),
    'password-file': Flags.string({
      exclusive: ['password-stdin'],
      summary: 'Read the new password from this file.',
    }),
    'password-stdin': Flags.boolean({summary: 'Read the new password from standard input.'}),
    'update-on-host': Flags.boolean({summary: 'Also change the password on the hosts (--via api).'}),
    username: Flags.string({required: true, summary: "The hosts' login (must match the one stored)."}),
    via: Flags.string({
      default: 'api',
      options: ['api', 'db'],
      summary: 'Through the API or straight in the database.',
    }),
    ...databaseFlags,
    ...dryRunFlag,
    ...outputFlags,
    ...yesFlag,
  }
  static override strict = false

  async run(): Promise<HostPasswordResult> {
    const {flags} = this
    if (flags.via === 'api' && flags.encryptor) throw new UsageError('--encryptor goes with --via db')
    const result = await rotateHostPasswordCommand({
      client: () => this.client(),
      dataDir: this.config.dataDir,
      flags: {
        ...databaseSource(flags),
        backup: flags.backup,
        cluster: flags.cluster,
        dryRun: flags['dry-run'],
        encryptor: flags.encryptor,
        passwordFile: flags['password-file'],
        passwordStdin: flags['password-stdin'],
        updateOnHost: flags['update-on-host'],
        username: flags.username,
        via: flags.via,
      },
      hosts: this.positionals,
      ui: this.ui,
    })
    await this.printRows(result.hosts, hostPasswordColumns(result.via))
    return result
  }
}
