import assert from 'node:assert/strict'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {AutoDecryptor} from '../../../src/lib/crypto/encryptor.js'
import {json, runCli} from '../../helpers/cli.js'
import {readFixture} from '../../helpers/fixtures.js'

interface Vector {
  ciphertext: string
  password: string
  plaintext: string
}

const jasypt = readFixture<Vector[]>('jasypt-vectors.json')
const v2 = readFixture<Vector[]>('cs-v2-vectors.json')
/** Vectors whose key and plaintext fit on one line each (stdin carries one value per line). */
const oneLine = (v: Vector) => !/[\n\r]/.test(v.password + v.plaintext) && v.plaintext !== ''

describe('db encrypt / db decrypt (CLI)', () => {
  let dir: string

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'moldctl-dbvalue-'))
  })

  after(async () => {
    await rm(dir, {force: true, recursive: true})
  })

  it('encrypts like jasypt (V1 by default) and like CloudStack V2; both decrypt back', async () => {
    for (const encryptor of [undefined, 'v2']) {
      const args = ['db', 'encrypt', '--key-stdin', ...(encryptor ? ['--encryptor', encryptor] : [])]
      const result = await runCli(args, {stdin: 'databasekey\nnewrootpassword\n'})
      assert.equal(result.code, 0, result.stderr)
      const value = result.stdout.trim()
      const decrypted = (await AutoDecryptor.create('databasekey')).decrypt(value)
      assert.deepEqual(decrypted, {plaintext: 'newrootpassword', version: encryptor ? 'V2' : 'V1'})
      if (!encryptor) assert.match(result.stderr, /Encrypted with V1 \(jasypt\)/)
      const back = await runCli(['db', 'decrypt', '--key-stdin'], {stdin: `databasekey\n${value}\n`})
      assert.equal(back.stdout, 'newrootpassword\n')
    }
  })

  it('decrypts every one-line fixture vector (real jasypt and CloudStack/Mold values)', async () => {
    const vectors = [...jasypt, ...v2].filter((v) => oneLine(v))
    assert.ok(vectors.length >= 55)
    // a handful through the real CLI (each run is a process start); all of them through the library elsewhere
    for (const v of [vectors[0], vectors[12], vectors[30], vectors.at(-1)!, vectors.at(-5)!]) {
      const result = await runCli(['db', 'decrypt', '--key-stdin', '--json'], {
        stdin: `${v.password}\n${v.ciphertext}\n`,
      })
      assert.equal(result.code, 0, result.stderr)
      assert.equal(json<{value: string}>(result).value, v.plaintext)
    }
  })

  it('decrypts a db.properties ENC(...) value with the key file', async () => {
    const keyFile = path.join(dir, 'key')
    await writeFile(keyFile, 'managementkey\n', {mode: 0o600})
    const result = await runCli(['db', 'decrypt', '--key-file', keyFile], {
      stdin: 'ENC(iYVsCZXiGiC6SzZLMNBvBL93hoUpntxkuRjyaqC8L+JYKXw=)\n',
    })
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout, 'encthis\n')
  })

  it('refuses: a wrong key (exit 3), no or two key sources, an empty value, a non-ASCII key for V1 (exit 2)', async () => {
    const wrong = await runCli(['db', 'decrypt', '--key-stdin'], {
      stdin: 'wrongkey\nzvor40u+q7lvAUOnjKCxePzapHCZPTFE\n',
    })
    assert.equal(wrong.code, 3)
    assert.match(wrong.stderr, /does not decrypt with this key/)
    assert.ok(!wrong.stderr.includes('wrongkey'))
    const cases: Array<[string[], string, RegExp]> = [
      [['db', 'encrypt'], 'k\nv\n', /exactly one of --key-stdin or --key-file/],
      [['db', 'encrypt', '--key-stdin', '--key-file', 'x'], 'k\nv\n', /cannot also be provided/],
      [['db', 'encrypt', '--key-stdin'], 'k\n', /line 2 of standard input/],
      [['db', 'encrypt', '--key-stdin'], '비밀키\nvalue\n', /not printable ASCII/],
      [
        ['db', 'encrypt', '--key-stdin', '--encryptor', 'v3'],
        'k\nv\n',
        /Expected --encryptor=v3 to be one of/,
      ],
    ]
    for (const [args, stdin, message] of cases) {
      const result = await runCli(args, {stdin})
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, message)
    }

    const v2Unicode = await runCli(['db', 'encrypt', '--key-stdin', '--encryptor', 'v2'], {
      stdin: '비밀키\nvalue\n',
    })
    assert.equal(v2Unicode.code, 0, v2Unicode.stderr)
  })
})
