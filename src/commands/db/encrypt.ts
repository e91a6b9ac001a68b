import {Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../base-command.js'
import {type DbValueResult, encryptDbValue} from '../../lib/crypto/db-value.js'

export default class DbEncrypt extends BaseCommand<typeof DbEncrypt> {
  static override baseFlags = {debug: connectionFlags.debug}
  static override description = `Encrypt one value the way CloudStack stores it: the replacement for the admin guide's "java -classpath jasypt.jar org.jasypt.intf.cli.JasyptPBEStringEncryptionCLI" step.

The value comes from standard input (one line) or, at a terminal, a hidden prompt typed twice. With --key-stdin, standard input holds the key on line 1 and the value on line 2.
V1 (default) is jasypt PBEWithMD5AndDES, which jasypt and every CloudStack accept; V2 is AES-256-GCM (CloudStack 4.18+). Use the version the database uses (db.cloud.encryptor.version in db.properties): a server set to one cannot read the other.`
  static override examples = [
    String.raw`printf "%s\n%s\n" "$DBKEY" "newrootpassword" | <%= config.bin %> db encrypt --key-stdin`,
    String.raw`printf "%s\n%s\n" "$DBKEY" "newrootpassword" | <%= config.bin %> db encrypt --key-stdin --encryptor v2`,
    '<%= config.bin %> db encrypt --key-file /etc/cloudstack/management/key --encryptor v2',
  ]
  static override flags = {
    encryptor: Flags.string({options: ['v1', 'v2'], summary: 'Encryptor version (default v1, as jasypt).'}),
    'key-file': Flags.string({exclusive: ['key-stdin'], summary: 'File whose first line is the key.'}),
    'key-stdin': Flags.boolean({summary: 'Read the key from the first line of standard input.'}),
  }

  async run(): Promise<DbValueResult> {
    const result = await encryptDbValue(
      {encryptor: this.flags.encryptor, keyFile: this.flags['key-file'], keyStdin: this.flags['key-stdin']},
      this.ui,
    )
    if (!this.flags.encryptor) {
      this.logToStderr(
        'Encrypted with V1 (jasypt); add --encryptor v2 where db.cloud.encryptor.version is V2.',
      )
    }

    if (!this.jsonEnabled()) this.log(result.value)
    return result
  }
}
