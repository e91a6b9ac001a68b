/**
 * CloudStack's encryptor V2 (4.18+): Tink's raw `AesGcmJce` keyed with SHA-256 of the UTF-8
 * password, no associated data, no Tink prefix.
 *
 *   stored = base64(nonce(12) || AES-256-GCM ciphertext || tag(16))
 *
 * node:crypto does this directly, and AES-GCM and SHA-256 are available in FIPS mode too.
 */
import {createCipheriv, createDecipheriv, createHash, randomBytes} from 'node:crypto'

import {DecryptionError, InvalidKeyError} from './errors.js'

export const V2_NONCE_BYTES = 12
export const V2_TAG_BYTES = 16

const strictUtf8 = new TextDecoder('utf8', {fatal: true, ignoreBOM: true})

/** The stored length of a V2 value whose plaintext is `plaintextBytes` UTF-8 bytes long. */
export function v2EncryptedLength(plaintextBytes: number): number {
  return 4 * Math.ceil((plaintextBytes + V2_NONCE_BYTES + V2_TAG_BYTES) / 3)
}

/**
 * java.util.Base64's basic decoder: standard alphabet, no whitespace or other characters,
 * padding optional but correct when present. Returns undefined for anything else.
 */
export function strictBase64Decode(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined
  if (text.includes('=') ? text.length % 4 !== 0 : text.length % 4 === 1) return undefined
  return Buffer.from(text, 'base64')
}

/** A V2 encryptor bound to one key (the key hash is computed once). */
export class V2Cipher {
  readonly version = 'V2' as const
  private readonly key: Buffer

  constructor(password: string) {
    if (password.length === 0) throw new InvalidKeyError('the key is empty')
    this.key = createHash('sha256').update(password, 'utf8').digest()
  }

  decrypt(value: string): string {
    const raw = strictBase64Decode(value)
    if (!raw || raw.length < V2_NONCE_BYTES + V2_TAG_BYTES)
      throw new DecryptionError('not a V2 (AES-GCM) value')
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, V2_NONCE_BYTES))
    decipher.setAuthTag(raw.subarray(raw.length - V2_TAG_BYTES))
    let plain: Buffer
    try {
      plain = Buffer.concat([
        decipher.update(raw.subarray(V2_NONCE_BYTES, raw.length - V2_TAG_BYTES)),
        decipher.final(),
      ])
    } catch {
      throw new DecryptionError('does not decrypt with this key (V2)')
    }

    try {
      return strictUtf8.decode(plain)
    } catch {
      throw new DecryptionError('decrypts (V2) but is not UTF-8 text')
    }
  }

  encrypt(plaintext: string, nonce: Uint8Array = randomBytes(V2_NONCE_BYTES)): string {
    if (nonce.length !== V2_NONCE_BYTES) throw new RangeError('a V2 nonce is 12 bytes')
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce)
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64')
  }
}
