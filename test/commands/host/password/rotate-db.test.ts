import assert from 'node:assert/strict'
import {mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, beforeEach, describe, it} from 'node:test'

import {AutoDecryptor, createCipher} from '../../../../src/lib/crypto/encryptor.js'
import {V2Cipher} from '../../../../src/lib/crypto/v2-aes-gcm.js'
import {type CliHome, type CliResult, json, makeHome, runCli} from '../../../helpers/cli.js'
import {
  createScratchCloudDb,
  dbSkipReason,
  type ScratchDb,
  seedCluster,
  snapshotHostDetails,
} from '../../../helpers/cloud-db.js'
import {runInTerminal} from '../../../helpers/tty.js'

const MANAGEMENT_KEY = 'Mgmt-Key-4e1f'
const DB_KEY = 'Db-Key-9b27c'
const NEW_PASSWORD = 'Fresh-Host-Pw-7731'
const OLD_PASSWORD = 'Old-Host-Pw-2209'
const SECRETS = [MANAGEMENT_KEY, DB_KEY, NEW_PASSWORD, OLD_PASSWORD]

function assertNoSecret(result: CliResult, ...more: string[]): void {
  for (const secret of [...SECRETS, ...more]) {
    assert.ok(!result.stdout.includes(secret), `stdout shows a secret:\n${result.stdout}`)
    assert.ok(!result.stderr.includes(secret), `stderr shows a secret:\n${result.stderr}`)
  }
}

// Skipped, with the reason, when no database server answers (test/helpers/cloud-db.ts).
const skip = await dbSkipReason()

describe('host password rotate --via db / restore (CLI, MariaDB)', {skip}, () => {
  let scratch: ScratchDb
  let dir: string
  let propsFile: string
  let keyFile: string
  let home: CliHome
  const dbFlags = () => ['--via', 'db', '--db-properties', propsFile, '--key-file', keyFile]
  const rotate = (args: string[], stdin = `${NEW_PASSWORD}\n`) =>
    runCli(['host', 'password', 'rotate', '--username', 'root', '--password-stdin', '--yes', ...args], {
      home,
      stdin,
    })
  const backups = async () => readdir(path.join(home.dataDir, 'backups')).catch(() => [] as string[])

  before(async () => {
    scratch = await createScratchCloudDb()
    dir = await mkdtemp(path.join(tmpdir(), 'moldctl-rotate-cli-'))
    propsFile = path.join(dir, 'db.properties')
    keyFile = path.join(dir, 'key')
    await writeFile(keyFile, `${MANAGEMENT_KEY}\n`, {mode: 0o600})
    const management = new V2Cipher(MANAGEMENT_KEY)
    await writeFile(
      propsFile,
      [
        '# written like cloudstack-setup-databases does',
        `db.cloud.username=${scratch.user}`,
        `db.cloud.password=ENC(${management.encrypt(scratch.password)})`,
        `db.cloud.host=${scratch.host}`,
        `db.cloud.port=${scratch.port}`,
        `db.cloud.name=${scratch.name}`,
        'db.cloud.encryption.type=file',
        `db.cloud.encrypt.secret=ENC(${management.encrypt(DB_KEY)})`,
        '',
      ].join('\n'),
      {mode: 0o600},
    )
  })

  after(async () => {
    await scratch?.drop()
    await rm(dir, {force: true, recursive: true})
  })

  beforeEach(async () => {
    home?.remove()
    home = makeHome()
    await scratch.conn.query('DROP TRIGGER IF EXISTS test_trigger')
    await scratch.conn.query('SET FOREIGN_KEY_CHECKS = 0')
    for (const table of ['host_details', 'host', 'cluster']) await scratch.conn.query(`DELETE FROM ${table}`)
    await scratch.conn.query('SET FOREIGN_KEY_CHECKS = 1')
    const v1 = await createCipher('V1', DB_KEY)
    await seedCluster(scratch.conn, {
      clusterName: 'kvm',
      passwordValue: () => v1.encrypt(OLD_PASSWORD),
      size: 4,
    })
    await seedCluster(scratch.conn, {
      clusterName: 'other',
      idOffset: 100,
      passwordValue: () => v1.encrypt(OLD_PASSWORD),
      size: 2,
    })
  })

  it('rotates a cluster: table, 0600 backup, values V1 like the rest, audit line, no secret anywhere', async () => {
    const before = await snapshotHostDetails(scratch.conn)
    const result = await rotate(['--cluster', 'kvm', ...dbFlags(), '--debug'])
    assert.equal(result.code, 0, result.stderr)
    for (let i = 1; i <= 4; i++) assert.match(result.stdout, new RegExp(`kvm-host${i}\\b.*updated.*V1`))
    assert.doesNotMatch(result.stdout, /other-host/)
    assert.match(result.stderr, /Encryptor V1: the version the existing values use/)
    assert.match(result.stderr, /\[debug\] checking 4 stored password value/)
    assert.match(result.stderr, /must already be the new one/)
    assertNoSecret(result)

    const auto = await AutoDecryptor.create(DB_KEY)
    const afterRows = await snapshotHostDetails(scratch.conn)
    const kvmPasswords = afterRows.filter((r) => r.name === 'password' && r.host_id <= 4)
    for (const row of kvmPasswords)
      assert.deepEqual(auto.decrypt(row.value), {plaintext: NEW_PASSWORD, version: 'V1'})
    assert.deepEqual(
      afterRows.filter((r) => r.host_id > 100),
      before.filter((r) => r.host_id > 100),
    )

    const [backupName] = await backups()
    const backupFile = path.join(home.dataDir, 'backups', backupName)
    assert.equal((await stat(backupFile)).mode & 0o777, 0o600)
    assert.match(
      result.stderr,
      new RegExp(`Previous values saved to ${backupFile.replaceAll('.', String.raw`\.`)}`),
    )
    const audit = await readFile(path.join(home.dataDir, 'audit.log'), 'utf8')
    const [line] = audit
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    assert.equal(line.command, 'host password rotate --via db')
    assert.equal(line.outcome, 'ok')
    assert.equal(line.params.cluster, 'kvm')
    for (const secret of SECRETS) assert.ok(!audit.includes(secret))
    for (const secret of SECRETS) assert.ok(!(await readFile(backupFile, 'utf8')).includes(secret))

    // and back again
    const restored = await runCli(
      [
        'host',
        'password',
        'restore',
        '--backup',
        backupFile,
        '--db-properties',
        propsFile,
        '--key-file',
        keyFile,
        '--yes',
      ],
      {home},
    )
    assert.equal(restored.code, 0, restored.stderr)
    assert.match(restored.stdout, /kvm-host1.*password.*restored/)
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
    assertNoSecret(restored)
    const again = await runCli(
      [
        'host',
        'password',
        'restore',
        '--backup',
        backupFile,
        '--db-properties',
        propsFile,
        '--key-file',
        keyFile,
        '--yes',
      ],
      {home},
    )
    assert.equal(again.code, 1)
    assert.match(again.stderr, /no longer hold the value the rotation wrote/)
  })

  it('--json returns the hosts, the encryptor and the backup; --encryptor v2 is honoured (with a warning)', async () => {
    const result = await rotate(['kvm-host2', '10.0.0.3', ...dbFlags(), '--encryptor', 'v2', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const out = json<{
      backup: string
      encryptor: string
      hosts: Array<{action: string; name: string}>
      via: string
      warnings: string[]
    }>(result)
    assert.equal(out.via, 'db')
    assert.equal(out.encryptor, 'V2')
    assert.deepEqual(
      out.hosts.map((h) => h.name),
      ['kvm-host2', 'kvm-host3'],
    )
    assert.match(out.warnings.join('\n'), /existing password values use V1/)
    assert.equal((await stat(out.backup)).mode & 0o777, 0o600)
    const auto = await AutoDecryptor.create(DB_KEY)
    const rows = (await snapshotHostDetails(scratch.conn)).filter(
      (r) => r.name === 'password' && [2, 3].includes(r.host_id),
    )
    for (const row of rows) assert.equal(auto.decrypt(row.value).version, 'V2')
    assertNoSecret(result)
  })

  it('a wrong management key: exit 3, nothing changed, no backup', async () => {
    const before = await snapshotHostDetails(scratch.conn)
    const wrongKey = path.join(dir, 'wrong-key')
    await writeFile(wrongKey, 'Not-The-Management-Key\n')
    const result = await rotate([
      '--cluster',
      'kvm',
      '--via',
      'db',
      '--db-properties',
      propsFile,
      '--key-file',
      wrongKey,
    ])
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /does not decrypt db\.cloud\.(encrypt\.secret|password)/)
    assertNoSecret(result, 'Not-The-Management-Key')
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
    assert.deepEqual(await backups(), [])
  })

  it('a wrong database key (--db-url, key on stdin): exit 3, nothing changed', async () => {
    const before = await snapshotHostDetails(scratch.conn)
    const result = await runCli(
      [
        'host',
        'password',
        'rotate',
        '--cluster',
        'kvm',
        '--username',
        'root',
        '--via',
        'db',
        '--db-url',
        scratch.url,
        '--password-stdin',
        '--yes',
      ],
      {env: {MOLDCTL_DB_PASSWORD: scratch.password}, home, stdin: `Wrong-Db-Key-1\n${NEW_PASSWORD}\n`},
    )
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /database key does not decrypt any existing host password/)
    assertNoSecret(result, 'Wrong-Db-Key-1')
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
  })

  it('--db-url with the right key on stdin works', async () => {
    const result = await runCli(
      [
        'host',
        'password',
        'rotate',
        'kvm-host1',
        '--username',
        'root',
        '--via',
        'db',
        '--db-url',
        scratch.url,
        '--password-stdin',
        '--yes',
      ],
      {env: {MOLDCTL_DB_PASSWORD: scratch.password}, home, stdin: `${DB_KEY}\n${NEW_PASSWORD}\n`},
    )
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /kvm-host1.*updated/)
    assertNoSecret(result)
  })

  it('an unknown cluster or host: exit 2, nothing changed', async () => {
    const before = await snapshotHostDetails(scratch.conn)
    const cluster = await rotate(['--cluster', 'no-such-cluster', ...dbFlags()])
    assert.equal(cluster.code, 2)
    assert.match(cluster.stderr, /no such cluster: no-such-cluster/)
    const host = await rotate(['kvm-host1', 'ghost-host', ...dbFlags()])
    assert.equal(host.code, 2)
    assert.match(host.stderr, /no such host: ghost-host/)
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
  })

  it('a database failure in the middle of the writes leaves every row as it was', async () => {
    const v1 = await createCipher('V1', DB_KEY)
    const {hosts} = await seedCluster(scratch.conn, {
      clusterName: 'big',
      idOffset: 1000,
      passwordValue: () => v1.encrypt(OLD_PASSWORD),
      size: 700,
    })
    const before = await snapshotHostDetails(scratch.conn)
    // rows are written 500 to a statement: this fails in the second statement, after 500 rows changed
    await scratch.conn.query(
      `CREATE TRIGGER test_trigger BEFORE UPDATE ON host_details FOR EACH ROW
       IF NEW.host_id = ${hosts[650].id} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'simulated disk failure'; END IF`,
    )
    const result = await rotate(['--cluster', 'big', ...dbFlags()])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /simulated disk failure/)
    assertNoSecret(result)
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
    assert.deepEqual(await backups(), [])
  })

  it('a value the database does not keep as written fails the check before commit: rolled back', async () => {
    const before = await snapshotHostDetails(scratch.conn)
    await scratch.conn.query(
      `CREATE TRIGGER test_trigger BEFORE UPDATE ON host_details FOR EACH ROW
       IF NEW.host_id = 3 THEN SET NEW.value = LEFT(NEW.value, 20); END IF`,
    )
    const result = await rotate(['--cluster', 'kvm', ...dbFlags()])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /check after writing failed.*kvm-host3/)
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
    assert.deepEqual(await backups(), [])
  })

  it('--dry-run shows the rows that would change and changes nothing', async () => {
    const before = await snapshotHostDetails(scratch.conn)
    const result = await runCli(
      [
        'host',
        'password',
        'rotate',
        '--cluster',
        'kvm',
        '--username',
        'root',
        '--password-stdin',
        '--dry-run',
        ...dbFlags(),
      ],
      {home, stdin: `${NEW_PASSWORD}\n`},
    )
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout.match(/would be updated/g)?.length, 4)
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
    assert.deepEqual(await backups(), [])
  })

  it('refuses bad input before touching anything', async () => {
    const before = await snapshotHostDetails(scratch.conn)
    const cases: Array<[string[], string, RegExp]> = [
      [
        ['--cluster', 'kvm', ...dbFlags()],
        `${'x'.repeat(176)}\n`,
        /too long for host_details\.value.*at most 175/,
      ],
      [
        ['--cluster', 'kvm', ...dbFlags(), '--update-on-host'],
        `${NEW_PASSWORD}\n`,
        /--update-on-host goes with --via api/,
      ],
      [['--cluster', 'kvm', 'kvm-host1', ...dbFlags()], `${NEW_PASSWORD}\n`, /not both/],
      [['--cluster', 'kvm', ...dbFlags()], '', /standard input, which is empty/],
      [
        ['--cluster', 'kvm', '--via', 'db', '--db-url', 'mysql://root:pw@127.0.0.1/cloud'],
        'key\n',
        /must not contain the database password/,
      ],
    ]
    for (const [args, stdin, message] of cases) {
      const result = await rotate(args, stdin)
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, message)
    }

    const otherUser = await runCli(
      [
        'host',
        'password',
        'rotate',
        '--cluster',
        'kvm',
        '--username',
        'admin',
        '--password-stdin',
        '--yes',
        ...dbFlags(),
      ],
      {home, stdin: `${NEW_PASSWORD}\n`},
    )
    assert.equal(otherUser.code, 2)
    assert.match(otherUser.stderr, /username is not "admin" on every host/)
    const noYes = await runCli(
      [
        'host',
        'password',
        'rotate',
        '--cluster',
        'kvm',
        '--username',
        'root',
        '--password-stdin',
        ...dbFlags(),
      ],
      {home, stdin: `${NEW_PASSWORD}\n`},
    )
    assert.equal(noYes.code, 2)
    assert.match(noYes.stderr, /add --yes/)
    assert.deepEqual(await snapshotHostDetails(scratch.conn), before)
  })

  it('the database transaction shows an ora spinner at a terminal, time-stamped lines in a pipe', async () => {
    const passwordFile = path.join(dir, 'new-password')
    await writeFile(passwordFile, `${NEW_PASSWORD}\n`, {mode: 0o600})
    const args = ['host', 'password', 'rotate', '--cluster', 'kvm', '--username', 'root']
    const terminal = await runInTerminal([...args, '--password-file', passwordFile, '--yes', ...dbFlags()], {
      home,
      steps: [],
    })
    assert.equal(terminal.code, 0, terminal.screen)
    // eslint-disable-next-line no-control-regex -- escape sequences are what is removed
    const screen = terminal.screen.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '')
    assert.match(screen, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✔] host password rotate: /, 'a spinner frame or its success mark')
    assert.doesNotMatch(screen, /^\d\d:\d\d:\d\d host password rotate: /m, 'no plain lines at a terminal')
    assert.ok(!terminal.screen.includes(NEW_PASSWORD) && !terminal.screen.includes(DB_KEY))

    const piped = await rotate(['--cluster', 'kvm', ...dbFlags()])
    assert.equal(piped.code, 0, piped.stderr)
    assert.match(piped.stderr, /^\d\d:\d\d:\d\d host password rotate: /m)
    // eslint-disable-next-line no-control-regex -- an escape sequence is what is looked for
    assert.doesNotMatch(piped.stderr, /\u001B\[/)
    assertNoSecret(piped)
  })
})
