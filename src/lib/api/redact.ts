const SECRET_NAMES = new Set(['apikey', 'password', 'secretkey', 'sessionkey', 'signature', 'token'])

/** True for parameter names whose values must never be shown: keys, signatures, passwords. */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase()
  return (
    SECRET_NAMES.has(lower) ||
    lower.includes('password') ||
    lower.includes('secret') ||
    lower.endsWith('privatekey')
  )
}

export const REDACTED = '***'

/** A copy of the parameters with secret values replaced. */
export function redactParams(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, isSecretName(k) ? REDACTED : v]))
}

/** A copy of any JSON value with secret-named fields replaced, at any depth. */
export function redactDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => redactDeep(v))
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        isSecretName(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : redactDeep(v),
      ]),
    )
  }

  return value
}
