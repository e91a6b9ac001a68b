/**
 * CloudStack-compatible value encryption: one interface over encryptor V1 (jasypt) and V2
 * (AES-GCM), the "auto" order CloudStack uses when no version is configured, and `ENC(...)`.
 */
import {DecryptionError} from './errors.js'
import {createV1Cipher, type V1Cipher, v1EncryptedLength} from './v1-jasypt.js'
import {V2Cipher, v2EncryptedLength} from './v2-aes-gcm.js'

export type EncryptorVersion = 'V1' | 'V2'

export type ValueCipher = {
  /** Throws DecryptionError when the value is not one this key and version produced. */
  decrypt(value: string): string
  /** A fresh random salt (V1) or nonce (V2) on every call. */
  encrypt(plaintext: string): string
  readonly version: EncryptorVersion
}

export {DecryptionError, InvalidKeyError} from './errors.js'

/** `v1`, `V2`... as written in db.properties or on the command line; undefined for "auto". */
export function parseEncryptorVersion(text?: string): EncryptorVersion | undefined {
  const trimmed = (text ?? '').trim()
  if (trimmed === '') return undefined
  const upper = trimmed.toUpperCase()
  if (upper === 'V1' || upper === 'V2') return upper
  throw new RangeError(`invalid encryptor version "${trimmed}" (expected V1 or V2)`)
}

export async function createCipher(version: EncryptorVersion, key: string): Promise<ValueCipher> {
  return version === 'V1' ? createV1Cipher(key) : new V2Cipher(key)
}

/** Both encryptors for one key, tried in CloudStack's "auto" order: V2 first, then V1. */
export class AutoDecryptor {
  private constructor(
    readonly v2: ValueCipher,
    private readonly v1: undefined | V1Cipher,
  ) {}

  /** V1 is left out when the key is not printable ASCII: jasypt could never have used it. */
  static async create(key: string): Promise<AutoDecryptor> {
    let v1: undefined | V1Cipher
    try {
      v1 = await createV1Cipher(key)
    } catch {
      v1 = undefined
    }

    return new AutoDecryptor(new V2Cipher(key), v1)
  }

  cipher(version: EncryptorVersion): undefined | ValueCipher {
    return version === 'V1' ? this.v1 : this.v2
  }

  /** V2 is tried first because V1's padding check wrongly accepts about 1 in 256 V2 values. */
  decrypt(value: string): {plaintext: string; version: EncryptorVersion} {
    try {
      return {plaintext: this.v2.decrypt(value), version: 'V2'}
    } catch (error) {
      if (!(error instanceof DecryptionError) || !this.v1) throw error
    }

    try {
      return {plaintext: this.v1.decrypt(value), version: 'V1'}
    } catch (error) {
      if (error instanceof DecryptionError)
        throw new DecryptionError('does not decrypt with this key (tried V2 and V1)')
      throw error
    }
  }

  /**
   * Gets ready to decrypt many values: the V1 key derivations of those that are not V2 run
   * ahead, in parallel (see v1-derive.ts).
   */
  async prepare(values: Iterable<string>): Promise<void> {
    if (!this.v1) return
    const notV2 = [...values].filter((value) => {
      try {
        this.v2.decrypt(value)
        return false
      } catch {
        return true
      }
    })
    await this.v1.prepareDecrypt(notV2)
  }

  /** Draws the salts of the next `count` V1 encryptions and derives their keys in parallel. */
  async prepareV1Encrypt(count: number): Promise<void> {
    await this.v1?.prepareEncrypt(count)
  }

  tryDecrypt(value: string): undefined | {plaintext: string; version: EncryptorVersion} {
    try {
      return this.decrypt(value)
    } catch (error) {
      if (error instanceof DecryptionError) return undefined
      throw error
    }
  }
}

/** The stored length of a value of `plaintext` once encrypted with `version`. */
export function encryptedLength(version: EncryptorVersion, plaintext: string): number {
  const bytes = Buffer.byteLength(plaintext, 'utf8')
  return version === 'V1' ? v1EncryptedLength(bytes) : v2EncryptedLength(bytes)
}

/** The longest plaintext (in UTF-8 bytes) whose encrypted form fits `columnLength` characters. */
export function maxPlaintextBytes(version: EncryptorVersion, columnLength: number): number {
  const lengthOf = version === 'V1' ? v1EncryptedLength : v2EncryptedLength
  let bytes = 0
  while (lengthOf(bytes + 1) <= columnLength) bytes++
  return lengthOf(bytes) <= columnLength ? bytes : -1
}

/** CloudStack's `decryptAnyProperties` rule: a value starting with `ENC(` and ending with `)`. */
export function isEncWrapped(value: string): boolean {
  return value.startsWith('ENC(') && value.endsWith(')') && value.length >= 5
}

export function unwrapEnc(value: string): string {
  if (!isEncWrapped(value)) throw new RangeError('not an ENC(...) value')
  return value.slice(4, -1)
}

export function wrapEnc(encrypted: string): string {
  return `ENC(${encrypted})`
}
