import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {AutoDecryptor, createCipher} from '../../../src/lib/crypto/encryptor.js'
import {createV1Cipher} from '../../../src/lib/crypto/v1-jasypt.js'
import {V2Cipher} from '../../../src/lib/crypto/v2-aes-gcm.js'
import {readFixture} from '../../helpers/fixtures.js'

interface Vector {
  ciphertext: string
  note: string
  password: string
  plaintext: string
  source: string
}

const jasyptVectors = readFixture<Vector[]>('jasypt-vectors.json')
const v2Vectors = readFixture<Vector[]>('cs-v2-vectors.json')

describe('encryptor V1 against values made by the real jasypt', () => {
  it('has the 42 vectors', () => assert.equal(jasyptVectors.length, 42))

  for (const [i, v] of jasyptVectors.entries()) {
    it(`decrypts vector ${i} (${v.note || v.source})`, async () => {
      const cipher = await createV1Cipher(v.password)
      assert.equal(cipher.decrypt(v.ciphertext), v.plaintext)
    })

    it(`re-encrypts vector ${i} byte for byte with its own salt`, async () => {
      const cipher = await createV1Cipher(v.password)
      const salt = Buffer.from(v.ciphertext, 'base64').subarray(0, 8)
      assert.equal(cipher.encrypt(v.plaintext, salt), v.ciphertext)
    })
  }

  it('auto mode finds every jasypt vector as V1', async () => {
    for (const v of jasyptVectors) {
      const auto = await AutoDecryptor.create(v.password)
      assert.deepEqual(auto.decrypt(v.ciphertext), {plaintext: v.plaintext, version: 'V1'})
    }
  })
})

describe('encryptor V2 against values made by CloudStack/Mold (Tink) and a javax.crypto harness', () => {
  it('has the 23 vectors', () => assert.equal(v2Vectors.length, 23))

  for (const [i, v] of v2Vectors.entries()) {
    it(`decrypts vector ${i} (${v.source})`, () => {
      assert.equal(new V2Cipher(v.password).decrypt(v.ciphertext), v.plaintext)
    })

    it(`re-encrypts vector ${i} byte for byte with its own nonce`, () => {
      const nonce = Buffer.from(v.ciphertext, 'base64').subarray(0, 12)
      assert.equal(new V2Cipher(v.password).encrypt(v.plaintext, nonce), v.ciphertext)
    })
  }

  it('auto mode finds every V2 vector as V2', async () => {
    for (const v of v2Vectors) {
      const auto = await AutoDecryptor.create(v.password)
      assert.deepEqual(auto.decrypt(v.ciphertext), {plaintext: v.plaintext, version: 'V2'})
    }
  })

  it('createCipher gives a V2 cipher that reads the upstream known-answer vector', async () => {
    const cipher = await createCipher('V2', 'managementkey')
    assert.equal(cipher.decrypt('iYVsCZXiGiC6SzZLMNBvBL93hoUpntxkuRjyaqC8L+JYKXw='), 'encthis')
  })
})
