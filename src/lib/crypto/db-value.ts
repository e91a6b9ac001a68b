import type {Ui} from '../core/ui.js'

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

export interface DbValueOptions {
  /** v1 or v2 (any case); without it encrypt uses V1 and decrypt tries V2, then V1. */
  encryptor?: string
  /** The key from the first line of this file. */
  keyFile?: string
  /** The key from the first line of standard input (the value on the next). */
  keyStdin?: boolean
}

export interface DbValueResult {
  encryptor: EncryptorVersion
  value: string
}

async function readKeyAndValue(
  flags: DbValueOptions,
  what: string,
  options: {stdin: StdinLines; twice: boolean; warn: (message: string) => void},
): Promise<{key: string; value: string}> {
  if (Boolean(flags.keyStdin) === Boolean(flags.keyFile)) {
    throw new UsageError('give the key with exactly one of --key-stdin or --key-file')
  }

  const key = flags.keyStdin
    ? await options.stdin.next('the key')
    : await readSecretFile(flags.keyFile!, 'the key', options.warn)
  const value =
    !flags.keyStdin && options.stdin.isTerminal
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
  flags: DbValueOptions,
  ui: Pick<Ui, 'warn'>,
  stdin = new StdinLines(),
): Promise<DbValueResult> {
  const version = parseEncryptorVersion(flags.encryptor) ?? 'V1'
  const {key, value} = await readKeyAndValue(flags, 'value to encrypt', {
    stdin,
    twice: true,
    warn: (line) => ui.warn(line),
  })
  const cipher = await createCipher(version, key).catch(keyProblem)
  return {encryptor: version, value: cipher.encrypt(value)}
}

export async function decryptDbValue(
  flags: DbValueOptions,
  ui: Pick<Ui, 'warn'>,
  stdin = new StdinLines(),
): Promise<DbValueResult> {
  const version = parseEncryptorVersion(flags.encryptor)
  const {key, value} = await readKeyAndValue(flags, 'value to decrypt', {
    stdin,
    twice: false,
    warn: (line) => ui.warn(line),
  })
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
