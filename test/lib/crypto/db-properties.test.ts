import assert from 'node:assert/strict'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {ConfigError} from '../../../src/lib/core/errors.js'
import {
  decryptDbSecrets,
  firstLineOfKeyFile,
  parseDbProperties,
  readDbProperties,
  resolveManagementKey,
} from '../../../src/lib/crypto/db-properties.js'
import {parseJavaProperties} from '../../../src/lib/crypto/java-properties.js'
import {createV1Cipher} from '../../../src/lib/crypto/v1-jasypt.js'
import {V2Cipher} from '../../../src/lib/crypto/v2-aes-gcm.js'

/**
 * Expected maps were produced by java.util.Properties.load(InputStream) (JDK 17) on the same
 * bytes (ISO-8859-1), so these cases pin the parser to the JDK's behaviour.
 */
const javaCases: Array<[string, Record<string, string>]> = [
  ['a=1\n  b : 2\\\n    continued\n', {a: '1', b: '2continued'}],
  ['c\\u0041=\\u00e9x\\t\\n\n! comment\n# c\nd e f\n', {cA: 'éx\t\n', d: 'e f'}],
  [
    '\\#notcomment=1\nkey\\ with\\ space = v \nempty\n',
    {'#notcomment': '1', empty: '', 'key with space': 'v '},
  ],
  ['last=1\nlast=2\ncolon\\:key=z\n', {'colon:key': 'z', last: '2'}],
  ['trail=a\\\\\nx=\\q\n', {trail: 'a\\', x: 'q'}],
  ['w=line\\\r\n  next\r\nz=1', {w: 'linenext', z: '1'}],
  ['latin=caf\u00E9\n', {latin: 'café'}],
  ['cr=1\rcr2=2\r', {cr: '1', cr2: '2'}],
  ['cont=a\\\n\\\n  b\n', {cont: 'ab'}],
  ['   \t\fspaced   =    val\n', {spaced: 'val'}],
  ['k:=v\n', {k: '=v'}],
  ['k = = v\n', {k: '= v'}],
  ['k\\=x=y\n', {'k=x': 'y'}],
  ['x=a\\\n# not a comment\n', {x: 'a# not a comment'}],
  ['enc=ENC(abc\\=\\=)\n', {enc: 'ENC(abc==)'}],
  ['tail=back\\', {tail: 'back'}],
  ['multi=a\\\n   \\\n b\n', {multi: 'ab'}],
]

describe('Java .properties parsing', () => {
  for (const [i, [text, expected]] of javaCases.entries()) {
    it(`matches java.util.Properties on case ${i}`, () => {
      assert.deepEqual(parseJavaProperties(Buffer.from(text, 'latin1')), expected)
    })
  }

  it('reads bytes as ISO-8859-1, like Properties.load(InputStream)', () => {
    // UTF-8 "é" is two bytes, which Java reads as two Latin-1 characters
    assert.deepEqual(parseJavaProperties(Buffer.from('x=caf\u00E9', 'utf8')), {x: 'caf\u00C3\u00A9'})
  })

  it(String.raw`refuses a malformed \u escape, as Java does`, () => {
    assert.throws(() => parseJavaProperties(String.raw`u=\u0041\u00`), SyntaxError)
  })
})

const SAMPLE = `# db.properties as cloudstack-setup-databases writes it
cluster.node.IP=10.0.0.5
db.cloud.username=cloud
db.cloud.password=ENC(PASSWORD_ENC)
db.cloud.host=db.example.org
db.cloud.driver=jdbc:mysql
db.cloud.port=3307
db.cloud.name=cloud
db.cloud.encryption.type=file
db.cloud.encrypt.secret=ENC(SECRET_ENC)
db.cloud.encryptor.version=v2
db.cloud.useSSL=false
`

describe('db.properties', () => {
  it('reads the db.cloud settings', () => {
    const props = parseDbProperties(SAMPLE)
    assert.deepEqual(props, {
      database: 'cloud',
      encryptSecret: 'ENC(SECRET_ENC)',
      encryptionType: 'file',
      encryptorVersion: 'V2',
      host: 'db.example.org',
      password: 'ENC(PASSWORD_ENC)',
      port: 3307,
      useSsl: false,
      username: 'cloud',
    })
  })

  it('defaults: port 3306, database cloud, encryption none, version auto', () => {
    const props = parseDbProperties('db.cloud.username=cloud\ndb.cloud.password=secret\ndb.cloud.host=h\n')
    assert.equal(props.port, 3306)
    assert.equal(props.database, 'cloud')
    assert.equal(props.encryptionType, 'none')
    assert.equal(props.encryptorVersion, undefined)
  })

  it('db.cloud.uri overrides host, port and name', () => {
    const props = parseDbProperties(
      'db.cloud.username=cloud\ndb.cloud.host=ignored\ndb.cloud.uri=jdbc:mysql://db1,db2:3310/cloudx?autoReconnect=true\n',
    )
    assert.deepEqual([props.host, props.port, props.database], ['db1', 3306, 'cloudx'])
    const withPort = parseDbProperties('db.cloud.username=c\ndb.cloud.uri=jdbc:mysql://db9:3310/cloud\n')
    assert.deepEqual([withPort.host, withPort.port], ['db9', 3310])
  })

  it('refuses an invalid encryptor version, encryption type or port, and a missing username', () => {
    assert.throws(() => parseDbProperties('db.cloud.username=c\ndb.cloud.encryptor.version=V3'), ConfigError)
    assert.throws(() => parseDbProperties('db.cloud.username=c\ndb.cloud.encryption.type=vault'), ConfigError)
    assert.throws(() => parseDbProperties('db.cloud.username=c\ndb.cloud.port=eighty'), ConfigError)
    assert.throws(() => parseDbProperties('db.cloud.host=h'), /no db.cloud.username/)
  })

  it('the key file: first line only, line break removed, spaces kept, never empty', () => {
    assert.equal(firstLineOfKeyFile('managementkey', 'key'), 'managementkey')
    assert.equal(firstLineOfKeyFile('managementkey\nsecond', 'key'), 'managementkey')
    assert.equal(firstLineOfKeyFile(' spaced key \r\n', 'key'), ' spaced key ')
    assert.equal(firstLineOfKeyFile('mac\rline', 'key'), 'mac')
    assert.throws(() => firstLineOfKeyFile('\nsecond', 'key'), ConfigError)
    assert.throws(() => firstLineOfKeyFile('', 'key'), ConfigError)
  })
})

describe('management key and db.properties secrets', () => {
  let dir: string

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'moldctl-dbprops-'))
  })

  after(async () => {
    await rm(dir, {force: true, recursive: true})
  })

  it('file type reads the key file; CLOUD_SECRET_KEY stands in when it is missing', async () => {
    const keyFile = path.join(dir, 'key')
    await writeFile(keyFile, 'managementkey\n')
    assert.deepEqual(await resolveManagementKey({encryptionType: 'file', env: {}, keyFile}), {
      key: 'managementkey',
      source: keyFile,
    })
    const missing = path.join(dir, 'nope')
    await assert.rejects(
      resolveManagementKey({encryptionType: 'file', env: {}, keyFile: missing}),
      /does not exist/,
    )
    assert.equal(
      (await resolveManagementKey({encryptionType: 'file', env: {CLOUD_SECRET_KEY: 'k'}, keyFile: missing}))
        .source,
      'CLOUD_SECRET_KEY',
    )
  })

  it('env and web types need CLOUD_SECRET_KEY (or an explicit key file)', async () => {
    assert.equal((await resolveManagementKey({encryptionType: 'env', env: {CLOUD_SECRET_KEY: 'k'}})).key, 'k')
    await assert.rejects(resolveManagementKey({encryptionType: 'env', env: {}}), ConfigError)
    await assert.rejects(
      resolveManagementKey({encryptionType: 'web', env: {}}),
      /typed in at server start-up/,
    )
    const keyFile = path.join(dir, 'explicit')
    await writeFile(keyFile, 'fromfile')
    assert.equal(
      (await resolveManagementKey({encryptionType: 'web', env: {}, explicitKeyFile: keyFile})).key,
      'fromfile',
    )
  })

  it('decrypts db.cloud.password and db.cloud.encrypt.secret, each V1 or V2', async () => {
    const v1 = await createV1Cipher('managementkey')
    const v2 = new V2Cipher('managementkey')
    const text = SAMPLE.replace('PASSWORD_ENC', v1.encrypt('cloudpass')).replace(
      'SECRET_ENC',
      v2.encrypt('databasekey'),
    )
    const file = path.join(dir, 'db.properties')
    await writeFile(file, text)
    const props = await readDbProperties(file)
    assert.deepEqual(await decryptDbSecrets(props, {key: 'managementkey', source: 'test'}), {
      databaseKey: 'databasekey',
      dbPassword: 'cloudpass',
    })
  })

  it('reads the upstream ENC() example (EncryptionSecretKeyCheckerTest)', async () => {
    const props = parseDbProperties(
      'db.cloud.username=cloud\ndb.cloud.password=plain\ndb.cloud.encryption.type=file\n' +
        'db.cloud.encrypt.secret=ENC(iYVsCZXiGiC6SzZLMNBvBL93hoUpntxkuRjyaqC8L+JYKXw=)\n',
    )
    const secrets = await decryptDbSecrets(props, {key: 'managementkey', source: 'test'})
    assert.equal(secrets.databaseKey, 'encthis')
    assert.equal(secrets.dbPassword, 'plain')
  })

  it('a wrong management key is a ConfigError that names the property, not the secret', async () => {
    const v2 = new V2Cipher('managementkey')
    const props = parseDbProperties(
      SAMPLE.replace('PASSWORD_ENC', v2.encrypt('cloudpass')).replace(
        'SECRET_ENC',
        v2.encrypt('databasekey'),
      ),
    )
    await assert.rejects(
      decryptDbSecrets(props, {key: 'wrongkey', source: 'the key file'}),
      (error: Error) => {
        assert.ok(error instanceof ConfigError)
        assert.match(error.message, /does not decrypt db.cloud.encrypt.secret/)
        assert.ok(!error.message.includes('wrongkey'))
        return true
      },
    )
  })

  it('encryption type none: plain password, no database key', async () => {
    const props = parseDbProperties('db.cloud.username=cloud\ndb.cloud.password=plainpass\n')
    assert.deepEqual(await decryptDbSecrets(props), {dbPassword: 'plainpass'})
  })

  it('a missing db.properties is a ConfigError', async () => {
    await assert.rejects(readDbProperties(path.join(dir, 'missing.properties')), ConfigError)
  })
})
