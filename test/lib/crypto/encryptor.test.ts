import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {describe, it} from 'node:test'

import {
  AutoDecryptor,
  createCipher,
  DecryptionError,
  encryptedLength,
  InvalidKeyError,
  isEncWrapped,
  maxPlaintextBytes,
  parseEncryptorVersion,
  unwrapEnc,
  wrapEnc,
} from '../../../src/lib/crypto/encryptor.js'
import {md5, md5Repeated} from '../../../src/lib/crypto/md5.js'
import {createV1Cipher, lenientBase64Decode} from '../../../src/lib/crypto/v1-jasypt.js'
import {strictBase64Decode, V2Cipher} from '../../../src/lib/crypto/v2-aes-gcm.js'

const printableAscii = fc.integer({max: 0x7e, min: 0x20}).map((code) => String.fromCodePoint(code))
const v1Key = fc.string({maxLength: 60, minLength: 1, unit: printableAscii})
const anyKey = fc.string({maxLength: 60, minLength: 1, unit: 'binary'})
/** Any text without lone surrogates (which no encoder can round-trip), empty included. */
const anyText = fc.string({maxLength: 200, unit: 'binary'})

describe('md5', () => {
  it('equals node:crypto for any message', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 300}), (bytes) => {
        assert.equal(Buffer.from(md5(bytes)).toString('hex'), createHash('md5').update(bytes).digest('hex'))
      }),
    )
  })

  it('md5Repeated equals re-hashing with node:crypto', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({maxLength: 16, minLength: 16}),
        fc.integer({max: 40, min: 0}),
        (digest, times) => {
          let expected = Buffer.from(digest)
          for (let i = 0; i < times; i++) expected = createHash('md5').update(expected).digest()
          assert.deepEqual(Buffer.from(md5Repeated(digest, times)), expected)
        },
      ),
    )
  })

  it('refuses a digest that is not 16 bytes', () => {
    assert.throws(() => md5Repeated(new Uint8Array(15), 1), RangeError)
  })
})

describe('encryptor round trips', () => {
  it('V1: decrypt(encrypt(x)) = x for printable-ASCII keys and any text, empty included', async () => {
    await fc.assert(
      fc.asyncProperty(v1Key, anyText, async (key, text) => {
        const cipher = await createV1Cipher(key)
        const value = cipher.encrypt(text)
        assert.equal(value.length, encryptedLength('V1', text))
        // a second instance has no cached derivation: the value stands on its own
        assert.equal((await createV1Cipher(key)).decrypt(value), text)
      }),
      {numRuns: 60},
    )
  })

  it('V2: decrypt(encrypt(x)) = x for any key and any text, empty included', () => {
    fc.assert(
      fc.property(anyKey, anyText, (key, text) => {
        const value = new V2Cipher(key).encrypt(text)
        assert.equal(value.length, encryptedLength('V2', text))
        assert.equal(new V2Cipher(key).decrypt(value), text)
      }),
    )
  })

  it('auto mode reports the version a value was written with', async () => {
    await fc.assert(
      fc.asyncProperty(
        v1Key,
        anyText,
        fc.constantFrom('V1' as const, 'V2' as const),
        async (key, text, version) => {
          const value = (await createCipher(version, key)).encrypt(text)
          assert.deepEqual((await AutoDecryptor.create(key)).decrypt(value), {plaintext: text, version})
        },
      ),
      {numRuns: 40},
    )
  })

  it('uses a fresh salt / nonce every time', async () => {
    for (const version of ['V1', 'V2'] as const) {
      const cipher = await createCipher(version, 'databasekey')
      const values = new Set(Array.from({length: 50}, () => cipher.encrypt('same password')))
      assert.equal(values.size, 50, version)
    }
  })
})

describe('encryptor refusals', () => {
  it('V1 refuses empty and non-ASCII keys the way SunJCE does', async () => {
    await assert.rejects(createV1Cipher(''), InvalidKeyError)
    await assert.rejects(createV1Cipher('비밀키'), InvalidKeyError)
    await assert.rejects(createV1Cipher('tab\tkey'), InvalidKeyError)
    assert.throws(() => new V2Cipher(''), InvalidKeyError)
  })

  it('auto mode still reads V2 values when the key is not ASCII', async () => {
    const auto = await AutoDecryptor.create('비밀키')
    assert.equal(auto.cipher('V1'), undefined)
    assert.equal(auto.decrypt(new V2Cipher('비밀키').encrypt('pw')).plaintext, 'pw')
  })

  it('a wrong key never yields a plaintext (V2) and almost never (V1: strict padding + UTF-8)', async () => {
    const v1 = await createV1Cipher('right-key')
    const v2 = new V2Cipher('right-key')
    const wrongV1 = await createV1Cipher('wrong-key')
    const wrongV2 = new V2Cipher('wrong-key')
    let v1Accepted = 0
    for (let i = 0; i < 200; i++) {
      assert.throws(() => wrongV2.decrypt(v2.encrypt(`password-${i}`)), DecryptionError)
      try {
        wrongV1.decrypt(v1.encrypt(`password-${i}`))
        v1Accepted++
      } catch (error) {
        assert.ok(error instanceof DecryptionError)
      }
    }

    assert.ok(v1Accepted <= 2, `wrong V1 key accepted ${v1Accepted} of 200`)
  })

  it('a tampered V2 tag or body is refused', () => {
    const cipher = new V2Cipher('k')
    const raw = Buffer.from(cipher.encrypt('secret'), 'base64')
    for (const index of [0, 12, raw.length - 1]) {
      const tampered = Buffer.from(raw)
      tampered[index] ^= 1
      assert.throws(() => cipher.decrypt(tampered.toString('base64')), DecryptionError)
    }
  })

  it('values that are not encrypted at all are refused with no plaintext in the message', async () => {
    const auto = await AutoDecryptor.create('databasekey')
    for (const value of ['', 'plain-password', 'AAAA', '!!!!', 'ENC(abc)']) {
      assert.throws(
        () => auto.decrypt(value),
        (error: Error) => error instanceof DecryptionError && !error.message.includes(value || '\u0000'),
      )
    }
  })

  it('V1 decoding is lenient like commons-codec; V2 decoding is strict like java.util.Base64', async () => {
    const v1 = await createV1Cipher('databasekey')
    assert.equal(v1.decrypt(' zvor40u+q7lv\nAUOnjKCxePzapHCZPTFE \r\n'), 'newrootpassword')
    const v2Value = '+MhNjuDRNg9jo6NgEEst6Be2y6/cbKH1YNcUjQQ='
    const v2 = new V2Cipher('databasekey')
    assert.equal(v2.decrypt(v2Value), 'x')
    assert.equal(v2.decrypt(v2Value.replace(/=+$/, '')), 'x') // padding is optional
    assert.throws(() => v2.decrypt(`${v2Value}\n`), DecryptionError)
    assert.throws(() => v2.decrypt(` ${v2Value}`), DecryptionError)
  })

  it('base64 helpers', () => {
    assert.equal(lenientBase64Decode('(QUJD)')?.toString(), 'ABC')
    assert.equal(lenientBase64Decode('QUJ'), undefined)
    assert.equal(strictBase64Decode('QUJD')?.toString(), 'ABC')
    assert.equal(strictBase64Decode('QUI')?.toString(), 'AB')
    assert.equal(strictBase64Decode('QUI=')?.toString(), 'AB')
    assert.equal(strictBase64Decode('QUI=='), undefined)
    assert.equal(strictBase64Decode('Q'), undefined)
    assert.equal(strictBase64Decode('QU JD'), undefined)
  })
})

describe('sizes, versions and ENC()', () => {
  it('encrypted lengths follow the formats (1-7 bytes -> 24 chars in V1, n+28 raw bytes in V2)', () => {
    assert.equal(encryptedLength('V1', 'abc'), 24)
    assert.equal(encryptedLength('V1', '12345678'), 32)
    assert.equal(encryptedLength('V2', 'x'), 40)
    assert.equal(encryptedLength('V1', 'é'), 24)
  })

  it('the longest password that fits varchar(255) is 175 bytes in V1 and 161 in V2', () => {
    assert.equal(maxPlaintextBytes('V1', 255), 175)
    assert.equal(maxPlaintextBytes('V2', 255), 161)
    assert.ok(encryptedLength('V1', 'a'.repeat(175)) <= 255)
    assert.ok(encryptedLength('V1', 'a'.repeat(176)) > 255)
    assert.ok(encryptedLength('V2', 'a'.repeat(161)) <= 255)
    assert.ok(encryptedLength('V2', 'a'.repeat(162)) > 255)
  })

  it('parses encryptor versions case-insensitively; empty means auto', () => {
    assert.equal(parseEncryptorVersion('v1'), 'V1')
    assert.equal(parseEncryptorVersion(' V2 '), 'V2')
    assert.equal(parseEncryptorVersion(''), undefined)
    assert.equal(parseEncryptorVersion(), undefined)
    assert.throws(() => parseEncryptorVersion('V3'), /invalid encryptor version/)
  })

  it('ENC(...) is recognised only when it starts with ENC( and ends with )', () => {
    assert.ok(isEncWrapped('ENC(abc)'))
    assert.ok(!isEncWrapped('ENC(abc'))
    assert.ok(!isEncWrapped('enc(abc)'))
    assert.ok(!isEncWrapped(' ENC(abc)'))
    assert.equal(unwrapEnc('ENC(a(b)c)'), 'a(b)c')
    assert.equal(wrapEnc('xyz'), 'ENC(xyz)')
    assert.throws(() => unwrapEnc('plain'), RangeError)
  })
})
