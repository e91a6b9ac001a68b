import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import path from 'node:path'
import {describe, it} from 'node:test'
import {pathToFileURL} from 'node:url'

import {deriveMany, deriveManyParallel, deriveV1KeyAndIv} from '../../../src/lib/crypto/v1-derive.js'
import {createV1Cipher} from '../../../src/lib/crypto/v1-jasypt.js'
import {ROOT} from '../../helpers/cli.js'

const password = new TextEncoder().encode('databasekey')

describe('V1 key derivation for many salts', () => {
  it('deriveMany gives, salt by salt, what deriveV1KeyAndIv gives', () => {
    const salts = randomBytes(8 * 5)
    const all = deriveMany(password, salts)
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(
        all.subarray(i * 16, (i + 1) * 16),
        deriveV1KeyAndIv(password, salts.subarray(i * 8, (i + 1) * 8)),
      )
    }
  })

  it('the compiled module shares large batches with worker threads and gets the same keys', async () => {
    // worker threads load the compiled module (npm test builds it first)
    const compiled = (await import(pathToFileURL(path.join(ROOT, 'dist/v1-derive.js')).href)) as {
      deriveManyParallel: typeof deriveManyParallel
    }
    const salts = randomBytes(8 * 600)
    assert.deepEqual(await compiled.deriveManyParallel(password, salts), deriveMany(password, salts))
    assert.deepEqual(
      await deriveManyParallel(password, salts.subarray(0, 80)),
      deriveMany(password, salts.subarray(0, 80)),
    )
  })

  it('prepared encryptions use fresh salts, each once, and decrypt with a cold cipher', async () => {
    const cipher = await createV1Cipher('databasekey')
    await cipher.prepareEncrypt(300)
    const values = Array.from({length: 320}, (_, i) => cipher.encrypt(`pw-${i}`))
    const salts = new Set(values.map((v) => Buffer.from(v, 'base64').subarray(0, 8).toString('hex')))
    assert.equal(salts.size, 320)
    const cold = await createV1Cipher('databasekey')
    await cold.prepareDecrypt(values)
    for (const [i, value] of values.entries()) assert.equal(cold.decrypt(value), `pw-${i}`)
  })
})
