/**
 * A value that does not decrypt with the key given (wrong key, wrong encryptor version, or not
 * an encrypted value at all). The message never contains the value, the key or any plaintext.
 */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DecryptionError'
  }
}

/** A key that the chosen encryptor cannot use (V1 needs printable ASCII, nothing may be empty). */
export class InvalidKeyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidKeyError'
  }
}
