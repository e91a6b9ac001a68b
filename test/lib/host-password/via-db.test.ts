import assert from 'node:assert/strict'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {ConfigError, UsageError} from '../../../src/lib/core/errors.js'
import {AutoDecryptor} from '../../../src/lib/crypto/encryptor.js'
import {createV1Cipher} from '../../../src/lib/crypto/v1-jasypt.js'
import {V2Cipher} from '../../../src/lib/crypto/v2-aes-gcm.js'
import {resolveDbAccess, restoreViaDb, rotateViaDb} from '../../../src/lib/host-password/via-db.js'
import {
  createScratchCloudDb,
  dbSkipReason,
  type ScratchDb,
  seedCluster,
  snapshotHostDetails,
} from '../../helpers/cloud-db.js'

const MANAGEMENT_KEY = 'managementkey'
const DB_KEY = 'databasekey'

// Skipped, with the reason, when no database server answers (test/helpers/cloud-db.ts).
const skip = await dbSkipReason()

describe('host passwords through db.properties', {skip}, () => {
  let scratch: ScratchDb
  let dir: string
  let propsFile: string
  let keyFile: string

  before(async () => {
    scratch = await createScratchCloudDb()
    dir = await mkdtemp(path.join(tmpdir(), 'moldctl-hpdb-'))
    const mk = await createV1Cipher(MANAGEMENT_KEY)
    propsFile = path.join(dir, 'db.properties')
    keyFile = path.join(dir, 'key')
    await writeFile(keyFile, MANAGEMENT_KEY)
    await writeFile(
      propsFile,
      [
        `db.cloud.username=${scratch.user}`,
        `db.cloud.password=ENC(${new V2Cipher(MANAGEMENT_KEY).encrypt(scratch.password)})`,
        `db.cloud.host=${scratch.host}`,
        `db.cloud.port=${scratch.port}`,
        `db.cloud.name=${scratch.name}`,
        'db.cloud.encryption.type=file',
        `db.cloud.encrypt.secret=ENC(${mk.encrypt(DB_KEY)})`,
        '',
      ].join('\n'),
    )
    const v1 = await createV1Cipher(DB_KEY)
    await seedCluster(scratch.conn, {clusterName: 'kvm', passwordValue: () => v1.encrypt('old'), size: 3})
  })

  after(async () => {
    await scratch?.drop()
    await rm(dir, {force: true, recursive: true})
  })

  const noKeyOnStdin = async (): Promise<string> => {
    throw new Error('the database key must not be asked for when db.properties is used')
  }

  it('reads the connection and the database key; rotates and restores a cluster', async () => {
    const access = await resolveDbAccess({
      dbPropertiesPath: propsFile,
      env: {},
      keyFile,
      readDatabaseKey: noKeyOnStdin,
    })
    assert.equal(access.databaseKey, DB_KEY)
    assert.equal(access.description, `${scratch.user}@${scratch.host}:${scratch.port}/${scratch.name}`)
    const before = await snapshotHostDetails(scratch.conn)
    const backupFile = path.join(dir, 'backup.json')
    const result = await rotateViaDb({
      access,
      backupFile,
      cluster: 'kvm',
      dryRun: false,
      hosts: [],
      password: 'fresh',
      username: 'root',
    })
    assert.equal(result.format, 'V1')
    assert.deepEqual(
      result.rows.map((r) => [r.name, r.action, r.encryptor]),
      [
        ['kvm-host1', 'updated', 'V1'],
        ['kvm-host2', 'updated', 'V1'],
        ['kvm-host3', 'updated', 'V1'],
      ],
    )
    const auto = await AutoDecryptor.create(DB_KEY)
    for (const row of (await snapshotHostDetails(scratch.conn)).filter((r) => r.name === 'password')) {
      assert.equal(auto.decrypt(row.value).plaintext, 'fresh')
    }

    const restored = await restoreViaDb({access, backupFile, dryRun: false})
    assert.equal(restored.rows.length, 3)
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
  })

  it('CLOUD_SECRET_KEY stands in for a missing key file; a wrong one is refused', async () => {
    const missing = path.join(dir, 'no-key')
    const access = await resolveDbAccess({
      dbPropertiesPath: propsFile,
      defaultKeyFile: missing,
      env: {CLOUD_SECRET_KEY: MANAGEMENT_KEY},
      readDatabaseKey: noKeyOnStdin,
    })
    assert.equal(access.databaseKey, DB_KEY)
    await assert.rejects(
      resolveDbAccess({
        dbPropertiesPath: propsFile,
        env: {CLOUD_SECRET_KEY: 'wrong'},
        keyFile: missing,
        readDatabaseKey: noKeyOnStdin,
      }),
      /does not exist/,
    )
    await writeFile(path.join(dir, 'wrong-key'), 'wrong-management-key\n')
    await assert.rejects(
      resolveDbAccess({
        dbPropertiesPath: propsFile,
        env: {},
        keyFile: path.join(dir, 'wrong-key'),
        readDatabaseKey: noKeyOnStdin,
      }),
      (error: Error) => error instanceof ConfigError && /does not decrypt db.cloud/.test(error.message),
    )
  })

  it('--db-url takes the database key from the caller and refuses a password in the URL', async () => {
    const access = await resolveDbAccess({
      dbPassword: scratch.password,
      dbPropertiesPath: '/nonexistent/db.properties',
      dbUrl: scratch.url,
      env: {},
      readDatabaseKey: async () => DB_KEY,
    })
    assert.equal(access.databaseKey, DB_KEY)
    assert.equal(access.configuredVersion, undefined)
    const dry = await rotateViaDb({
      access,
      backupFile: path.join(dir, 'never.json'),
      dryRun: true,
      hosts: ['kvm-host2'],
      password: 'x',
      username: 'root',
    })
    assert.deepEqual(
      dry.rows.map((r) => r.action),
      ['would be updated'],
    )
    await assert.rejects(
      resolveDbAccess({
        dbPropertiesPath: '',
        dbUrl: 'mysql://root:pw@127.0.0.1/cloud',
        env: {},
        readDatabaseKey: async () => DB_KEY,
      }),
      UsageError,
    )
  })

  it('an unknown cluster, or hosts and --cluster together, are usage errors', async () => {
    const access = await resolveDbAccess({
      dbPropertiesPath: propsFile,
      env: {},
      keyFile,
      readDatabaseKey: noKeyOnStdin,
    })
    const base = {
      access,
      backupFile: path.join(dir, 'never.json'),
      dryRun: false,
      password: 'x',
      username: 'root',
    }
    await assert.rejects(rotateViaDb({...base, cluster: 'nope', hosts: []}), /no such cluster: nope/)
    await assert.rejects(rotateViaDb({...base, cluster: 'kvm', hosts: ['kvm-host1']}), /not both/)
    await assert.rejects(rotateViaDb({...base, hosts: []}), /name the hosts/)
  })
})
