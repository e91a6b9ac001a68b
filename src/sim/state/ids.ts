import {createHash, randomBytes} from 'node:crypto'

/** Formats 16 bytes as a lower-case version-4 style UUID. */
function bytesToUuid(bytes: Uint8Array): string {
  const b = [...bytes.subarray(0, 16)]
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A UUID derived only from `seed` and `name`: the same inputs always give the same id. */
export function deterministicUuid(seed: string, name: string): string {
  return bytesToUuid(createHash('sha256').update(`${seed}\u0000${name}`).digest())
}

export function randomUuid(): string {
  return bytesToUuid(randomBytes(16))
}

/** base64url of 20 random bytes without padding, like the server's session keys. */
export function randomSessionKey(): string {
  return randomBytes(20).toString('base64url')
}

/** A random API key or secret key in the server's style (86 url-safe characters). */
export function randomApiKey(): string {
  return randomBytes(64).toString('base64url')
}

export const UUID_PATTERN = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/
