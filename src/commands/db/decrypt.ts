import {Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../base-command.js'
import {type DbValueResult, decryptDbValue} from '../../lib/crypto/db-value.js'

export default class DbDecrypt extends BaseCommand<typeof DbDecrypt> {
  static override baseFlags = {debug: connectionFlags.debug}
  static override description = `Decrypt one value CloudStack stored (a host_details password, or an ENC(...) value of db.properties).

The value comes from standard input (one line; ENC(...) is unwrapped) or, at a terminal, a hidden prompt. With --key-stdin, standard input holds the key on line 1 and the value on line 2. Without --encryptor, V2 is tried and then V1, as the management server does.
Values in db.properties use the management key (/etc/cloudstack/management/key); values in the database use the database key.`
  static override examples = [
    'grep ^db.cloud.encrypt.secret= /etc/cloudstack/management/db.properties | cut -d= -f2- | <%= config.bin %> db decrypt --key-file /etc/cloudstack/management/key',
    String.raw`printf "%s\n%s\n" "$DBKEY" "zvor40u+q7lvAUOnjKCxePzapHCZPTFE" | <%= config.bin %> db decrypt --key-stdin`,
  ]
  static override flags = {
    encryptor: Flags.string({
      options: ['v1', 'v2'],
      summary: 'Only this encryptor version (default: V2, then V1).',
    }),
    'key-file': Flags.string({exclusive: ['key-stdin'], summary: 'File whose first line is the key.'}),
    'key-stdin': Flags.boolean({summary: 'Read the key from the first line of standard input.'}),
  }

  async run(): Promise<DbValueResult> {
    const result = await decryptDbValue(
      {encryptor: this.flags.encryptor, keyFile: this.flags['key-file'], keyStdin: this.flags['key-stdin']},
      this.ui,
    )
    if (!this.jsonEnabled()) this.log(result.value)
    return result
  }
}
