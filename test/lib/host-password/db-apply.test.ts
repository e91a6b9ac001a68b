import assert from 'node:assert/strict'
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, beforeEach, describe, it} from 'node:test'

import type {CloudDb} from '../../../src/lib/db/connection.js'

import {ConfigError, MoldctlError, UsageError} from '../../../src/lib/core/errors.js'
import {AutoDecryptor, createCipher} from '../../../src/lib/crypto/encryptor.js'
import {connectCloudDb, parseDbUrl} from '../../../src/lib/db/connection.js'
import {findCluster, findClusterHosts, findHosts} from '../../../src/lib/db/hosts.js'
import {readBackupFile} from '../../../src/lib/host-password/backup.js'
import {restoreHostPasswords, rotateHostPasswords} from '../../../src/lib/host-password/db-apply.js'
import {
  createScratchCloudDb,
  dbSkipReason,
  type ScratchDb,
  seedCluster,
  snapshotHostDetails,
} from '../../helpers/cloud-db.js'

const DB_KEY = 'databasekey'
const NEW_PASSWORD = 'N3w-P@ss word'

// Skipped, with the reason, when no database server answers (test/helpers/cloud-db.ts).
const skip = await dbSkipReason()

describe('host password rotation in the database', {skip}, () => {
  let scratch: ScratchDb
  let db: CloudDb
  let dir: string
  let backupN = 0
  const nextBackup = () => path.join(dir, `backup-${++backupN}.json`)

  before(async () => {
    scratch = await createScratchCloudDb()
    db = await connectCloudDb(parseDbUrl(scratch.url, scratch.password))
    dir = await mkdtemp(path.join(tmpdir(), 'moldctl-rotate-'))
  })

  after(async () => {
    await db?.end()
    await scratch?.drop()
    await rm(dir, {force: true, recursive: true})
  })

  beforeEach(async () => {
    await scratch.conn.query('SET FOREIGN_KEY_CHECKS = 0')
    for (const table of ['host_details', 'host', 'cluster']) await scratch.conn.query(`DELETE FROM ${table}`)
    await scratch.conn.query('SET FOREIGN_KEY_CHECKS = 1')
    await scratch.conn.query('DROP TRIGGER IF EXISTS fail_mid_way')
  })

  async function seedV(version: 'V1' | 'V2', name: string, size: number, idOffset = 0) {
    const cipher = await createCipher(version, DB_KEY)
    return seedCluster(scratch.conn, {
      clusterName: name,
      idOffset,
      passwordValue: (i) => cipher.encrypt(`old-${i}`),
      size,
    })
  }

  async function clusterHosts(ref: string) {
    return findClusterHosts(db, await findCluster(db, ref))
  }

  /** The options of rotateHostPasswords for the hosts of a cluster: the new password as root, by cluster. */
  async function rotation(
    cluster: string,
    extra: Partial<Parameters<typeof rotateHostPasswords>[1]> = {},
  ): Promise<Parameters<typeof rotateHostPasswords>[1]> {
    return {
      backupFile: extra.backupFile ?? nextBackup(),
      byCluster: true,
      database: 'test',
      databaseKey: DB_KEY,
      hosts: await clusterHosts(cluster),
      password: NEW_PASSWORD,
      username: 'root',
      ...extra,
    }
  }

  it('rotates every host of a cluster in V2, verifies, and writes a 0600 backup of the previous values', async () => {
    await seedV('V2', 'kvm', 5)
    const other = await seedV('V2', 'other', 2, 100)
    const before = await snapshotHostDetails(scratch.conn)
    const backupFile = nextBackup()
    const outcome = await rotateHostPasswords(db, await rotation('kvm', {backupFile}))
    assert.equal(outcome.format, 'V2')
    assert.equal(outcome.changes.length, 5)
    const afterRows = await snapshotHostDetails(scratch.conn)
    const auto = await AutoDecryptor.create(DB_KEY)
    const otherIds = new Set(other.hosts.map((h) => h.id))
    const passwords = afterRows.filter((r) => r.name === 'password' && !otherIds.has(r.host_id))
    assert.equal(passwords.length, 5)
    for (const row of passwords)
      assert.deepEqual(auto.decrypt(row.value), {plaintext: NEW_PASSWORD, version: 'V2'})
    assert.equal(new Set(passwords.map((r) => r.value)).size, 5, 'each row has its own nonce')
    // the other cluster and the username rows are untouched
    assert.deepEqual(
      afterRows.filter((r) => otherIds.has(r.host_id) || r.name === 'username'),
      before.filter((r) => otherIds.has(r.host_id) || r.name === 'username'),
    )
    assert.equal((await stat(backupFile)).mode & 0o777, 0o600)
    const backup = await readBackupFile(backupFile)
    assert.equal(backup.rows.length, 5)
    for (const row of backup.rows) {
      assert.equal(row.previous, before.find((r) => r.id === row.detailId)!.value)
      assert.equal(row.written, afterRows.find((r) => r.id === row.detailId)!.value)
    }

    assert.ok(!(await readFile(backupFile, 'utf8')).includes(NEW_PASSWORD))
  })

  it('keeps a V1 database in V1, and follows db.cloud.encryptor.version when it is set', async () => {
    await seedV('V1', 'legacy', 3)
    const outcome = await rotateHostPasswords(db, await rotation('legacy'))
    assert.equal(outcome.format, 'V1')
    assert.match(outcome.reason, /existing values/)
    const auto = await AutoDecryptor.create(DB_KEY)
    for (const row of (await snapshotHostDetails(scratch.conn)).filter((r) => r.name === 'password')) {
      assert.deepEqual(auto.decrypt(row.value), {plaintext: NEW_PASSWORD, version: 'V1'})
    }

    const configured = await rotateHostPasswords(db, await rotation('legacy', {configuredVersion: 'V2'}))
    assert.equal(configured.format, 'V2')
  })

  it('refuses a wrong database key and changes nothing', async () => {
    await seedV('V2', 'kvm', 3)
    const before = await snapshotHostDetails(scratch.conn)
    const backupFile = nextBackup()
    await assert.rejects(
      rotateHostPasswords(db, await rotation('kvm', {backupFile, databaseKey: 'not-the-key'})),
      (error: Error) => error instanceof ConfigError && /does not decrypt any existing/.test(error.message),
    )
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
    await assert.rejects(stat(backupFile), {code: 'ENOENT'})
  })

  it('a failed check after the writes rolls every row back (batches of 2, so several statements ran)', async () => {
    await seedV('V2', 'kvm', 7)
    const before = await snapshotHostDetails(scratch.conn)
    const backupFile = nextBackup()
    const victim = before.find((r) => r.name === 'password' && r.host_id === 4)!
    await assert.rejects(
      rotateHostPasswords(
        db,
        await rotation('kvm', {
          async afterWrite(conn) {
            // the database now holds something other than what was written for one row
            await conn.query('UPDATE host_details SET value = ? WHERE id = ?', [victim.value, victim.id])
          },
          backupFile,
          batchSize: 2,
        }),
      ),
      (error: Error) =>
        error instanceof MoldctlError &&
        /rolled back/.test(error.message) &&
        !error.message.includes(NEW_PASSWORD),
    )
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
    await assert.rejects(stat(backupFile), {code: 'ENOENT'})
  })

  it('a database error in the middle of the writes leaves every row as it was', async () => {
    const {hosts} = await seedV('V2', 'kvm', 9)
    const before = await snapshotHostDetails(scratch.conn)
    await scratch.conn.query(
      `CREATE TRIGGER fail_mid_way BEFORE UPDATE ON host_details FOR EACH ROW
       IF NEW.host_id = ${hosts[6].id} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk full'; END IF`,
    )
    await assert.rejects(rotateHostPasswords(db, await rotation('kvm', {batchSize: 3})), /disk full/)
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
  })

  it('--dry-run plans every row and changes nothing', async () => {
    await seedV('V2', 'kvm', 3)
    const before = await snapshotHostDetails(scratch.conn)
    const backupFile = nextBackup()
    const outcome = await rotateHostPasswords(db, await rotation('kvm', {backupFile, dryRun: true}))
    assert.equal(outcome.changes.length, 3)
    assert.equal(outcome.backupFile, undefined)
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
    await assert.rejects(stat(backupFile), {code: 'ENOENT'})
  })

  it('refuses a different username, a password too long for the column, and partly undecryptable rows', async () => {
    const cipher = await createCipher('V2', DB_KEY)
    await seedCluster(scratch.conn, {
      clusterName: 'kvm',
      passwordValue: (i) => (i === 2 ? 'garbage-not-encrypted' : cipher.encrypt('old')),
      size: 3,
      username: (i) => (i === 1 ? 'admin' : 'root'),
    })
    const before = await snapshotHostDetails(scratch.conn)
    const hosts = await clusterHosts('kvm')
    const base = {
      backupFile: nextBackup(),
      byCluster: true,
      database: 'test',
      databaseKey: DB_KEY,
      hosts,
      username: 'root',
    }
    await assert.rejects(rotateHostPasswords(db, {...base, password: NEW_PASSWORD}), (error: Error) => {
      assert.ok(error instanceof UsageError)
      assert.match(error.message, /kvm-host2 .* has "admin"/)
      return true
    })
    const rootHosts = hosts.filter((h) => h.name !== 'kvm-host2')
    await assert.rejects(
      rotateHostPasswords(db, {...base, hosts: rootHosts, password: NEW_PASSWORD}),
      (error: Error) =>
        error instanceof MoldctlError && /kvm-host3/.test(error.message) && !(error instanceof ConfigError),
    )
    const okHosts = rootHosts.filter((h) => h.name !== 'kvm-host3')
    await assert.rejects(
      rotateHostPasswords(db, {...base, byCluster: false, hosts: okHosts, password: 'x'.repeat(162)}),
      (error: Error) => error instanceof UsageError && /at most 161 UTF-8 bytes/.test(error.message),
    )
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
  })

  it('adds missing username/password rows like the server does, and restore removes them again', async () => {
    const cipher = await createCipher('V2', DB_KEY)
    await seedCluster(scratch.conn, {
      clusterName: 'kvm',
      passwordValue: (i) => (i === 0 ? cipher.encrypt('old') : undefined),
      size: 3,
      username: (i) => (i === 2 ? undefined : 'root'),
    })
    const before = await snapshotHostDetails(scratch.conn)
    const backupFile = nextBackup()
    const outcome = await rotateHostPasswords(db, await rotation('kvm', {backupFile}))
    assert.deepEqual(
      outcome.changes.map((c) => `${c.host.name}:${c.kind}:${c.name}`),
      [
        'kvm-host1:update:password',
        'kvm-host2:insert:password',
        'kvm-host3:insert:username',
        'kvm-host3:insert:password',
      ],
    )
    const afterRows = await snapshotHostDetails(scratch.conn)
    assert.equal(afterRows.length, before.length + 3)
    await restoreHostPasswords(db, {backup: await readBackupFile(backupFile), databaseKey: DB_KEY})
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
  })

  it('restore puts the previous values back, and refuses when a row changed since', async () => {
    await seedV('V1', 'kvm', 4)
    const before = await snapshotHostDetails(scratch.conn)
    const backupFile = nextBackup()
    await rotateHostPasswords(db, await rotation('kvm', {backupFile}))
    const backup = await readBackupFile(backupFile)
    await assert.rejects(restoreHostPasswords(db, {backup, databaseKey: 'wrong'}), ConfigError)
    const dry = await restoreHostPasswords(db, {backup, databaseKey: DB_KEY, dryRun: true})
    assert.equal(dry.rows.length, 4)
    assert.notDeepEqual(await snapshotHostDetails(scratch.conn), before)
    await restoreHostPasswords(db, {backup, databaseKey: DB_KEY})
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
    // a second restore finds the rows no longer hold what the rotation wrote
    await assert.rejects(restoreHostPasswords(db, {backup, databaseKey: DB_KEY}), /no longer hold the value/)
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
  })

  it('the backup of a committed rotation says so; one that never committed makes restore say that', async () => {
    await seedV('V2', 'kvm', 3)
    const before = await snapshotHostDetails(scratch.conn)
    const request = {
      byCluster: true,
      database: 'test',
      databaseKey: DB_KEY,
      hosts: await clusterHosts('kvm'),
      password: NEW_PASSWORD,
      username: 'root',
    }
    const committed = nextBackup()
    await rotateHostPasswords(db, {...request, backupFile: committed})
    assert.equal((await readBackupFile(committed)).committed, true)
    assert.equal(((await stat(committed)).mode & 0o777).toString(8), '600')
    await restoreHostPasswords(db, {backup: await readBackupFile(committed), databaseKey: DB_KEY})
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)

    // The run stops after the backup was written, before the commit: rolled back.
    const uncommitted = nextBackup()
    await assert.rejects(
      rotateHostPasswords(db, {
        ...request,
        backupFile: uncommitted,
        async beforeCommit() {
          throw new Error('killed before the commit')
        },
      }),
      /killed before the commit/,
    )
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
    const backup = await readBackupFile(uncommitted)
    assert.equal(backup.committed, false)
    await assert.rejects(
      restoreHostPasswords(db, {backup, databaseKey: DB_KEY}),
      (error: Error) =>
        /this rotation was never committed/.test(error.message) &&
        !/changed or removed since/.test(error.message),
    )
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
  })

  it('a failed check during restore rolls back too', async () => {
    await seedV('V2', 'kvm', 3)
    const backupFile = nextBackup()
    await rotateHostPasswords(db, await rotation('kvm', {backupFile}))
    const rotated = await snapshotHostDetails(scratch.conn)
    const backup = await readBackupFile(backupFile)
    await assert.rejects(
      restoreHostPasswords(db, {
        async afterWrite(conn) {
          await conn.query('UPDATE host_details SET value = ? WHERE id = ?', [
            'tampered',
            backup.rows[1].detailId,
          ])
        },
        backup,
        batchSize: 1,
        databaseKey: DB_KEY,
      }),
      /rolled back/,
    )
    assert.deepEqual(await snapshotHostDetails(scratch.conn), rotated)
  })

  it('without encryption (type none) stores the password as is', async () => {
    await seedCluster(scratch.conn, {clusterName: 'plain', passwordValue: () => 'oldplain', size: 2})
    // Not through rotation(): no databaseKey, the database is not encrypted.
    const outcome = await rotateHostPasswords(db, {
      backupFile: nextBackup(),
      byCluster: true,
      database: 'test',
      hosts: await clusterHosts('plain'),
      password: NEW_PASSWORD,
      username: 'root',
    })
    assert.equal(outcome.format, 'plain')
    const values = (await snapshotHostDetails(scratch.conn))
      .filter((r) => r.name === 'password')
      .map((r) => r.value)
    assert.deepEqual(values, [NEW_PASSWORD, NEW_PASSWORD])
  })

  it('refuses hosts of unsupported hypervisors, and single XenServer hosts', async () => {
    const cipher = await createCipher('V2', DB_KEY)
    await seedCluster(scratch.conn, {
      clusterName: 'vmw',
      hypervisor: 'VMware',
      passwordValue: () => cipher.encrypt('o'),
      size: 1,
    })
    await seedCluster(scratch.conn, {
      clusterName: 'xen',
      hypervisor: 'XenServer',
      idOffset: 10,
      passwordValue: () => cipher.encrypt('o'),
      size: 2,
    })
    const base = {
      backupFile: nextBackup(),
      database: 'test',
      databaseKey: DB_KEY,
      password: NEW_PASSWORD,
      username: 'root',
    }
    await assert.rejects(
      rotateHostPasswords(db, {...base, byCluster: true, hosts: await clusterHosts('vmw')}),
      /only for KVM and XenServer/,
    )
    await assert.rejects(
      rotateHostPasswords(db, {...base, byCluster: false, hosts: await findHosts(db, ['xen-host1'])}),
      /use --cluster|per cluster/,
    )
    const outcome = await rotateHostPasswords(db, {
      ...base,
      byCluster: true,
      hosts: await clusterHosts('xen'),
    })
    assert.equal(outcome.changes.length, 2)
  })

  it('finds hosts by uuid, name or IP; unknown and ambiguous references are usage errors', async () => {
    const {clusterUuid, hosts} = await seedV('V2', 'kvm', 3)
    await seedV('V2', 'dup', 1, 50)
    await scratch.conn.query(`UPDATE host SET name = 'kvm-host1' WHERE id = 51`)
    const found = await findHosts(db, [hosts[1].uuid, hosts[2].ip])
    assert.deepEqual(found.map((h) => h.id).sort(), [hosts[1].id, hosts[2].id])
    await assert.rejects(
      findHosts(db, ['kvm-host1']),
      (error: Error) => error instanceof UsageError && /ambiguous/.test(error.message),
    )
    await assert.rejects(findHosts(db, ['nope', hosts[0].uuid]), /no such host: nope/)
    await scratch.conn.query('UPDATE host SET removed = NOW() WHERE id = ?', [hosts[0].id])
    await assert.rejects(findHosts(db, [hosts[0].uuid]), /no such host/)
    assert.equal((await findCluster(db, clusterUuid)).name, 'kvm')
    assert.equal((await clusterHosts(clusterUuid)).length, 2)
    await assert.rejects(
      findCluster(db, 'no-such-cluster'),
      (error: Error) => error instanceof UsageError && /no such cluster/.test(error.message),
    )
  })
})
