/**
 * CloudStack's encryptor V1: jasypt `StandardPBEStringEncryptor` with `PBEWithMD5AndDES` and its
 * defaults, as `LegacyBase64Encryptor` configures it.
 *
 *   stored = base64(salt(8) || DES-CBC(key, iv, PKCS#5(UTF-8(plaintext))))
 *   key || iv = MD5^1000(ASCII(password) || salt)
 *
 * DES comes from node-forge (pure JavaScript, so neither OpenSSL 3's legacy provider nor FIPS
 * mode matters); it is imported only when a V1 cipher is created.
 */
import type forgeModule from 'node-forge'

import {randomBytes} from 'node:crypto'

import {DecryptionError, InvalidKeyError} from './errors.js'
import {deriveManyParallel, deriveV1KeyAndIv} from './v1-derive.js'

type Forge = typeof forgeModule

export {deriveV1KeyAndIv, V1_ITERATIONS} from './v1-derive.js'
export const V1_SALT_BYTES = 8
const BLOCK = 8

const strictUtf8 = new TextDecoder('utf8', {fatal: true, ignoreBOM: true})

/** SunJCE's PBEKey takes only printable ASCII (0x20-0x7E) and refuses anything else. */
export function v1PasswordBytes(password: string): Uint8Array {
  if (password.length === 0) throw new InvalidKeyError('the key is empty')
  const bytes = new Uint8Array(password.length)
  for (let i = 0; i < password.length; i++) {
    const code = password.codePointAt(i)!
    if (code < 0x20 || code > 0x7e) {
      throw new InvalidKeyError('the key is not printable ASCII, which encryptor V1 (jasypt) cannot use')
    }

    bytes[i] = code
  }

  return bytes
}

/** The stored length of a V1 value whose plaintext is `plaintextBytes` UTF-8 bytes long. */
export function v1EncryptedLength(plaintextBytes: number): number {
  const raw = V1_SALT_BYTES + BLOCK * (Math.floor(plaintextBytes / BLOCK) + 1)
  return 4 * Math.ceil(raw / 3)
}

/**
 * jasypt decodes with commons-codec 1.3, which first drops every character outside the Base64
 * alphabet (whitespace, line breaks, parentheses...). Returns undefined when what is left is
 * not Base64.
 */
export function lenientBase64Decode(text: string): Buffer | undefined {
  const kept = text.replaceAll(/[^A-Za-z0-9+/=]/g, '')
  if (kept.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(kept)) return undefined
  return Buffer.from(kept, 'base64')
}

/**
 * forge's BlockCipher#finish(pad) as lib/cipher.js defines it: @types/node-forge declares it
 * without the padding function (as a property, so an augmentation cannot add the parameter).
 */
type PaddingFinish = Omit<forgeModule.cipher.BlockCipher, 'finish'> & {finish(pad: () => boolean): boolean}

/**
 * forge's `finish(pad)` takes a padding function; one that does nothing leaves PKCS#5 to this
 * module, which checks it strictly.
 */
function finishWithoutPadding(cipher: forgeModule.cipher.BlockCipher): void {
  ;(cipher as PaddingFinish).finish(() => true)
}

function toBinary(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('binary')
}

/** The salt of a stored V1 value, or undefined when it cannot be one. */
function saltOf(value: string): Buffer | undefined {
  const raw = lenientBase64Decode(value)
  if (!raw || raw.length <= V1_SALT_BYTES || (raw.length - V1_SALT_BYTES) % BLOCK !== 0) return undefined
  return raw.subarray(0, V1_SALT_BYTES)
}

/**
 * A V1 encryptor bound to one key. Derived key/IV pairs are remembered per salt, so decrypting a
 * value this instance just wrote (the read-back check) costs no second derivation. Every
 * encryption uses a fresh random salt, used once; `prepareEncrypt` draws them ahead of time so
 * their derivations can run in parallel.
 */
export class V1Cipher {
  readonly version = 'V1' as const
  private readonly derived = new Map<string, Uint8Array>()
  private readonly forge: Forge
  private readonly passwordBytes: Uint8Array
  private readonly preparedSalts: Buffer[] = []

  constructor(forge: Forge, password: string) {
    this.forge = forge
    this.passwordBytes = v1PasswordBytes(password)
  }

  decrypt(value: string): string {
    const raw = lenientBase64Decode(value)
    const salt = saltOf(value)
    if (!raw || !salt) throw new DecryptionError('not a V1 (jasypt) value')
    const keyAndIv = this.keyAndIvFor(salt)
    const decipher = this.forge.cipher.createDecipher('DES-CBC', toBinary(keyAndIv.subarray(0, 8)))
    decipher.start({iv: toBinary(keyAndIv.subarray(8, 16))})
    decipher.update(this.forge.util.createBuffer(toBinary(raw.subarray(V1_SALT_BYTES))))
    finishWithoutPadding(decipher) // padding is checked below, strictly
    const padded = Buffer.from(decipher.output.getBytes(), 'binary')
    const padLength = padded.at(-1) ?? 0
    if (padLength < 1 || padLength > BLOCK || padLength > padded.length) {
      throw new DecryptionError('does not decrypt with this key (V1)')
    }

    for (let i = padded.length - padLength; i < padded.length; i++) {
      if (padded[i] !== padLength) throw new DecryptionError('does not decrypt with this key (V1)')
    }

    try {
      return strictUtf8.decode(padded.subarray(0, padded.length - padLength))
    } catch {
      // jasypt would hand back U+FFFD garbage here; a wrong key is far more likely than a real
      // password that is not UTF-8, so refuse.
      throw new DecryptionError('does not decrypt with this key (V1)')
    }
  }

  encrypt(
    plaintext: string,
    salt: Uint8Array = this.preparedSalts.pop() ?? randomBytes(V1_SALT_BYTES),
  ): string {
    if (salt.length !== V1_SALT_BYTES) throw new RangeError('a V1 salt is 8 bytes')
    const message = Buffer.from(plaintext, 'utf8')
    const padLength = BLOCK - (message.length % BLOCK)
    const padded = Buffer.concat([message, Buffer.alloc(padLength, padLength)])
    const keyAndIv = this.keyAndIvFor(salt)
    const cipher = this.forge.cipher.createCipher('DES-CBC', toBinary(keyAndIv.subarray(0, 8)))
    cipher.start({iv: toBinary(keyAndIv.subarray(8, 16))})
    cipher.update(this.forge.util.createBuffer(toBinary(padded)))
    finishWithoutPadding(cipher) // already padded
    const encrypted = Buffer.from(cipher.output.getBytes(), 'binary')
    return Buffer.concat([salt, encrypted]).toString('base64')
  }

  /** Derives, in parallel, the keys of these stored values (those not yet known). */
  async prepareDecrypt(values: Iterable<string>): Promise<void> {
    const salts = new Map<string, Buffer>()
    for (const value of values) {
      const salt = saltOf(value)
      if (salt && !this.derived.has(toBinary(salt))) salts.set(toBinary(salt), salt)
    }

    await this.derive([...salts.values()])
  }

  /** Draws `count` fresh salts for the next encryptions and derives their keys in parallel. */
  async prepareEncrypt(count: number): Promise<void> {
    const fresh = Array.from({length: count}, () => randomBytes(V1_SALT_BYTES))
    await this.derive(fresh)
    this.preparedSalts.push(...fresh)
  }

  private async derive(salts: Buffer[]): Promise<void> {
    if (salts.length === 0) return
    const keys = await deriveManyParallel(this.passwordBytes, Buffer.concat(salts))
    if (this.derived.size + salts.length > 100_000) this.derived.clear()
    for (const [i, salt] of salts.entries())
      this.derived.set(toBinary(salt), keys.subarray(i * 16, (i + 1) * 16))
  }

  private keyAndIvFor(salt: Uint8Array): Uint8Array {
    const cacheKey = toBinary(salt)
    let keyAndIv = this.derived.get(cacheKey)
    if (!keyAndIv) {
      keyAndIv = deriveV1KeyAndIv(this.passwordBytes, salt)
      if (this.derived.size >= 100_000) this.derived.clear()
      this.derived.set(cacheKey, keyAndIv)
    }

    return keyAndIv
  }
}

let forgePromise: Promise<Forge> | undefined

async function loadForge(): Promise<Forge> {
  forgePromise ??= import('node-forge').then((m) => m.default)
  return forgePromise
}

export async function createV1Cipher(password: string): Promise<V1Cipher> {
  return new V1Cipher(await loadForge(), password)
}
