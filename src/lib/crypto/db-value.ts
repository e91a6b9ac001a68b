import {ConfigError, UsageError} from '../core/errors.js'
import {readSecretFile, StdinLines} from '../core/secret-input.js'
import {promptSecret} from '../output/prompt.js'
/**
 * `db encrypt` / `db decrypt`: one value with CloudStack's encryptors, the key from standard
 * input or a file, the value from standard input (or a hidden prompt at a terminal). The
 * replacement for the admin guide's `java -classpath jasypt.jar ...JasyptPBEStringEncryptionCLI`
 * step, without the key and the password on the command line.
 */
import {
  AutoDecryptor,
  createCipher,
  DecryptionError,
  type EncryptorVersion,
  InvalidKeyError,
  isEncWrapped,
  parseEncryptorVersion,
  unwrapEnc,
} from './encryptor.js'

export interface DbValueFlags {
  encryptor?: string
  'key-file'?: string
  'key-stdin'?: boolean
}

export interface DbValueResult {
  encryptor: EncryptorVersion
  value: string
}

async function readKeyAndValue(
  flags: DbValueFlags,
  what: string,
  options: {stdin: StdinLines; twice: boolean; warn: (message: string) => void},
): Promise<{key: string; value: string}> {
  if (Boolean(flags['key-stdin']) === Boolean(flags['key-file'])) {
    throw new UsageError('give the key with exactly one of --key-stdin or --key-file')
  }

  const key = flags['key-stdin']
    ? await options.stdin.next('the key')
    : await readSecretFile(flags['key-file']!, 'the key', options.warn)
  const value =
    !flags['key-stdin'] && process.stdin.isTTY
      ? await promptSecret(`The ${what}`, {stdinFlag: undefined, twice: options.twice})
      : await options.stdin.next(`the ${what}`)
  if (value === '') throw new UsageError(`the ${what} is empty`)
  return {key, value}
}

function keyProblem(error: unknown): never {
  if (error instanceof InvalidKeyError) throw new UsageError(error.message, ['encryptor V2 takes any key'])
  throw error
}

export async function encryptDbValue(
  flags: DbValueFlags,
  warn: (message: string) => void,
  stdin = new StdinLines(),
): Promise<DbValueResult> {
  const version = parseEncryptorVersion(flags.encryptor) ?? 'V1'
  const {key, value} = await readKeyAndValue(flags, 'value to encrypt', {stdin, twice: true, warn})
  const cipher = await createCipher(version, key).catch(keyProblem)
  return {encryptor: version, value: cipher.encrypt(value)}
}

export async function decryptDbValue(
  flags: DbValueFlags,
  warn: (message: string) => void,
  stdin = new StdinLines(),
): Promise<DbValueResult> {
  const version = parseEncryptorVersion(flags.encryptor)
  const {key, value} = await readKeyAndValue(flags, 'value to decrypt', {stdin, twice: false, warn})
  const stored = isEncWrapped(value.trim()) ? unwrapEnc(value.trim()) : value
  try {
    if (version) {
      const cipher = await createCipher(version, key).catch(keyProblem)
      return {encryptor: version, value: cipher.decrypt(stored)}
    }

    const {plaintext, version: found} = (await AutoDecryptor.create(key)).decrypt(stored)
    return {encryptor: found, value: plaintext}
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error
    throw new ConfigError(`the value does not decrypt with this key (${version ?? 'tried V2 and V1'})`, [
      'check the key: db.cloud.* ENC() values use the management key, database values the database key',
    ])
  }
}
