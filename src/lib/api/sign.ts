import {createHmac} from 'node:crypto'

/** MAC used to sign API requests: upstream CloudStack verifies HmacSHA1, ABLESTACK Mold HmacSHA256. */
export type SignatureAlgorithm = 'HmacSHA1' | 'HmacSHA256' | 'HmacSHA512'

/** Server flavors and the MAC each one verifies. */
export type Flavor = 'cloudstack' | 'mold'

export const FLAVOR_ALGORITHM: Record<Flavor, SignatureAlgorithm> = {
  cloudstack: 'HmacSHA1',
  mold: 'HmacSHA256',
}

const NODE_ALGORITHM: Record<SignatureAlgorithm, string> = {
  HmacSHA1: 'sha1',
  HmacSHA256: 'sha256',
  HmacSHA512: 'sha512',
}

/**
 * Encodes a value the way java.net.URLEncoder does (UTF-8), then turns its `+` into `%20` as
 * the server does. encodeURIComponent already matches Java for `*` and space; Java additionally
 * escapes `! ' ( ) ~`.
 */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value).replaceAll(
    /[!'()~]/g,
    (c) => '%' + c.codePointAt(0)!.toString(16).toUpperCase(),
  )
}

/**
 * The string the server signs: every parameter except `signature`, sorted by raw name
 * (UTF-16 code-unit order, as Java's String.compareTo), `name=encoded(value)` joined with `&`,
 * the whole string lower-cased.
 */
export function canonicalString(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name.toLowerCase() !== 'signature')
    .sort()
    .map((name) => `${name}=${javaUrlEncode(params[name])}`)
    .join('&')
    .toLowerCase()
}

/** base64(HMAC(secret, canonical string)). */
export function signParams(
  params: Record<string, string>,
  secret: string,
  algorithm: SignatureAlgorithm,
): string {
  return createHmac(NODE_ALGORITHM[algorithm], secret)
    .update(canonicalString(params), 'utf8')
    .digest('base64')
}

/** The `expires` value for signatureversion=3, in the format every server version accepts. */
export function formatExpires(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+0000')
}
