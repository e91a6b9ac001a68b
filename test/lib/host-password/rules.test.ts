import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {HostRow} from '../../../src/lib/db/hosts.js'

import {UsageError} from '../../../src/lib/core/errors.js'
import {createCipher} from '../../../src/lib/crypto/encryptor.js'
import {describeDbTarget, parseDbUrl} from '../../../src/lib/db/connection.js'
import {matchHostRefs} from '../../../src/lib/db/hosts.js'
import {buildBackup, defaultBackupPath, parseBackup} from '../../../src/lib/host-password/backup.js'
import {
  checkPasswordFits,
  checkUsernames,
  chooseEncryptor,
  groupCredentials,
  plainCodec,
  planRotation,
  type ValueCodec,
  verifyWrittenRows,
} from '../../../src/lib/host-password/rules.js'

const host = (id: number, extra: Partial<HostRow> = {}): HostRow => ({
  clusterId: 1,
  clusterName: 'c1',
  hypervisor: 'KVM',
  id,
  ip: `10.0.0.${id}`,
  name: `kvm${id}`,
  uuid: `uuid-${id}`,
  ...extra,
})

async function codec(version: 'V1' | 'V2'): Promise<ValueCodec> {
  const cipher = await createCipher(version, 'databasekey')
  return {decrypt: (v) => cipher.decrypt(v), encrypt: (p) => cipher.encrypt(p), format: version}
}

describe('choosing the encryptor', () => {
  it('--encryptor, then db.cloud.encryptor.version, then the existing values, then V2', () => {
    assert.equal(chooseEncryptor({existing: ['V1'], requested: 'V2'}).version, 'V2')
    assert.equal(chooseEncryptor({configured: 'V1', existing: ['V2']}).version, 'V1')
    assert.equal(chooseEncryptor({existing: ['V1', 'V1']}).version, 'V1')
    assert.deepEqual(chooseEncryptor({existing: []}), {
      reason: "no existing value to follow: CloudStack's default",
      version: 'V2',
      warnings: [],
    })
  })

  it('never writes a version the configured server cannot read, and never guesses between mixed versions', () => {
    assert.throws(() => chooseEncryptor({configured: 'V2', existing: [], requested: 'V1'}), UsageError)
    assert.throws(() => chooseEncryptor({existing: ['V1', 'V2']}), /both V1 and V2/)
    assert.equal(chooseEncryptor({existing: ['V1', 'V2'], requested: 'V1'}).version, 'V1')
  })

  it('warns when --encryptor departs from the existing values with no configured version', () => {
    const choice = chooseEncryptor({existing: ['V1'], requested: 'V2'})
    assert.equal(choice.warnings.length, 1)
    assert.match(choice.warnings[0], /existing password values use V1/)
    assert.deepEqual(chooseEncryptor({configured: 'V2', existing: ['V1'], requested: 'V2'}).warnings, [])
  })

  it('whatever the inputs, the choice is one version and respects an explicit request', () => {
    const version = fc.constantFrom('V1' as const, 'V2' as const)
    fc.assert(
      fc.property(
        fc.option(version, {nil: undefined}),
        fc.option(version, {nil: undefined}),
        fc.array(version),
        (requested, configured, existing) => {
          try {
            const choice = chooseEncryptor({configured, existing, requested})
            if (requested) assert.equal(choice.version, requested)
            else if (configured) assert.equal(choice.version, configured)
          } catch (error) {
            assert.ok(error instanceof UsageError)
          }
        },
      ),
    )
  })
})

describe('password checks', () => {
  it('refuses empty passwords and ones too long for the column once encrypted', () => {
    assert.throws(() => checkPasswordFits('V2', '', 255), /empty/)
    assert.doesNotThrow(() => checkPasswordFits('V1', 'a'.repeat(175), 255))
    assert.throws(() => checkPasswordFits('V1', 'a'.repeat(176), 255), /at most 175 UTF-8 bytes/)
    assert.throws(() => checkPasswordFits('V2', '한'.repeat(54), 255), /at most 161/) // 162 bytes
    assert.throws(() => checkPasswordFits('plain', 'a'.repeat(256), 255), /at most 255 characters/)
  })

  it('compares the username with its whitespace removed, as the server does', () => {
    const credentials = groupCredentials(
      [host(1), host(2)],
      [{hostId: 1, id: 10, name: 'username', value: 'root'}],
    )
    assert.equal(checkUsernames(credentials, ' ro ot '), 'root')
    assert.throws(() => checkUsernames(credentials, '  '), /must not be empty/)
    assert.throws(() => checkUsernames(credentials, 'admin'), /kvm1 \(uuid-1\) has "root"/)
  })
})

describe('planning and verifying', () => {
  it('updates existing rows, adds missing ones, with a fresh ciphertext per host', async () => {
    const v2 = await codec('V2')
    const credentials = groupCredentials(
      [host(1), host(2), host(3)],
      [
        {hostId: 1, id: 11, name: 'username', value: 'root'},
        {hostId: 1, id: 12, name: 'password', value: 'old1'},
        {hostId: 2, id: 21, name: 'username', value: 'root'},
      ],
    )
    const changes = planRotation(credentials, 'root', 'pw', v2)
    assert.deepEqual(
      changes.map((c) => [c.host.id, c.kind, c.name, c.detailId, c.previous]),
      [
        [1, 'update', 'password', 12, 'old1'],
        [2, 'insert', 'password', undefined, undefined],
        [3, 'insert', 'username', undefined, undefined],
        [3, 'insert', 'password', undefined, undefined],
      ],
    )
    const passwordValues = changes.filter((c) => c.name === 'password').map((c) => c.value)
    assert.equal(new Set(passwordValues).size, 3)
    for (const value of passwordValues) assert.equal(v2.decrypt(value), 'pw')
    assert.equal(changes[2].value, 'root')
  })

  it('the read-back check accepts exactly what was written and names every difference', async () => {
    const v1 = await codec('V1')
    const changes = planRotation(
      groupCredentials(
        [host(1), host(2), host(3)],
        [1, 2, 3].flatMap((h) => [
          {hostId: h, id: h * 10, name: 'username' as const, value: 'root'},
          {hostId: h, id: h * 10 + 1, name: 'password' as const, value: `old${h}`},
        ]),
      ),
      'root',
      'S3cret!',
      v1,
    )
    const rows = changes.map((c) => ({hostId: c.host.id, id: c.detailId!, name: c.name, value: c.value}))
    assert.deepEqual(verifyWrittenRows(changes, rows, v1, 'S3cret!'), [])
    const problems = verifyWrittenRows(
      changes,
      [
        {...rows[0], value: v1.encrypt('S3cret!')},
        {...rows[1], value: 'x'},
      ],
      v1,
      'S3cret!',
    )
    assert.equal(problems.length, 3)
    assert.match(problems[0], /different value than was written/)
    assert.match(problems[2], /row missing/)
    assert.ok(problems.every((p) => !p.includes('S3cret!') && !p.includes(rows[1].value)))
  })

  it('a value that is stored intact but decrypts to something else is caught', () => {
    const changes = planRotation(groupCredentials([host(1)], []), 'root', 'pw', plainCodec)
    const rows = changes.map((c, i) => ({hostId: 1, id: i + 1, name: c.name, value: c.value}))
    assert.deepEqual(verifyWrittenRows(changes, rows, plainCodec, 'pw'), [])
    assert.match(
      verifyWrittenRows(changes, rows, plainCodec, 'other')[0],
      /does not decrypt to the new password/,
    )
  })
})

describe('host references and database URLs', () => {
  it('prefers UUID, then name, then IP', () => {
    const hosts = [host(1), host(2, {name: '10.0.0.1'}), host(3, {uuid: 'kvm1'})]
    assert.deepEqual(
      matchHostRefs(['kvm1'], hosts).map((h) => h.id),
      [3],
    )
    assert.deepEqual(
      matchHostRefs(['10.0.0.1'], hosts).map((h) => h.id),
      [2],
    )
    assert.deepEqual(
      matchHostRefs(['10.0.0.2', 'uuid-2'], hosts).map((h) => h.id),
      [2],
    )
  })

  it('parses mysql:// URLs and refuses one carrying a password', () => {
    assert.deepEqual(parseDbUrl('mysql://cloud@db.example.org:3307/cloud', 'pw'), {
      database: 'cloud',
      host: 'db.example.org',
      password: 'pw',
      port: 3307,
      ssl: false,
      user: 'cloud',
    })
    assert.equal(parseDbUrl('mysql://root@127.0.0.1').database, 'cloud')
    assert.throws(
      () => parseDbUrl('mysql://root:secret@127.0.0.1/cloud'),
      (error: Error) => {
        assert.ok(error instanceof UsageError)
        assert.ok(!error.message.includes('secret'))
        return true
      },
    )
    assert.throws(() => parseDbUrl('postgres://x@y/z'), UsageError)
    assert.throws(() => parseDbUrl('not a url'), UsageError)
    assert.equal(
      describeDbTarget(parseDbUrl('mysql://cloud@[::1]:3306/cloud', 'pw')),
      'cloud@[::1]:3306/cloud',
    )
  })
})

describe('backup files', () => {
  it('round-trips through parseBackup and rejects anything else', () => {
    const changes = planRotation(
      groupCredentials([host(1)], [{hostId: 1, id: 5, name: 'password', value: 'old'}]),
      'root',
      'pw',
      plainCodec,
    )
    changes[0].detailId = 6 // the username row the plan adds
    const backup = buildBackup(changes, 'plain', 'db', new Date('2025-01-02T03:04:05.678Z'))
    assert.equal(JSON.stringify(parseBackup(JSON.stringify(backup), 'f')), JSON.stringify(backup))
    assert.throws(() => parseBackup('{}', 'f'), /not a moldctl host-password backup/)
    assert.throws(() => parseBackup('nope', 'f'), /not JSON/)
    const damaged = {...backup, rows: [{...backup.rows[0], detailId: 'x'}]}
    assert.throws(() => parseBackup(JSON.stringify(damaged), 'f'), /damaged/)
    assert.equal(
      defaultBackupPath('/b', new Date('2025-01-02T03:04:05.678Z'), 'abc123'),
      '/b/moldctl-host-passwords-20250102T030405.678Z-abc123.json',
    )
    assert.equal(backup.committed, false)
    assert.throws(() => parseBackup(JSON.stringify({...backup, committed: 'yes'}), 'f'), /damaged/)
  })

  it('default backup names of rotations in the same millisecond differ', () => {
    const now = new Date('2025-01-02T03:04:05.678Z')
    const names = new Set(Array.from({length: 50}, () => defaultBackupPath('/b', now)))
    assert.equal(names.size, 50)
    for (const name of names)
      assert.match(name, /^\/b\/moldctl-host-passwords-20250102T030405\.678Z-[\da-f]{6}\.json$/)
  })
})
