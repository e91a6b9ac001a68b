/** The job result object of startRollingMaintenance (`jobresult.rollingmaintenance`). */
export interface RollingMaintenanceResult {
  details?: string
  hostsskipped?: {hostid: string; hostname: string; reason: string}[]
  hostsupdated?: {enddate?: string; hostid: string; hostname: string; output?: string; startdate?: string}[]
  success: boolean
}

// startdate/enddate come from ApiResponseHelper.getDateStringInternal: a literal quoted T and a
// +hh:mm offset, e.g. 2025-01-01'T'12:00:00+00:00.
const ROLLING_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:'T'|T| )(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):?(\d{2}))?$/

/** Parses a rolling-maintenance date (also plain ISO forms); null when it cannot. */
export function parseRollingDate(text?: string): Date | null {
  const match = text ? ROLLING_DATE.exec(text.trim()) : null
  if (!match) return null
  const [, year, month, day, hour, minute, second, zone, sign, offsetHours, offsetMinutes] = match
  const utc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  )
  const offset =
    zone && zone !== 'Z' ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) : 0
  return new Date(utc - offset * 60_000)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** 3725000 → "1h02m05s", 250000 → "4m10s", 12000 → "12s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  if (hours > 0) return `${hours}h${pad(minutes)}m${pad(seconds)}s`
  if (minutes > 0) return `${minutes}m${pad(seconds)}s`
  return `${seconds}s`
}

/** A date for a table: the server's text without the quoted T and the offset (2025-01-01 12:00:00). */
export function displayRollingDate(text?: string): string {
  if (!text) return ''
  return text.replace("'T'", ' ').replace(/(?:Z|[+-]\d{2}:?\d{2})$/, '')
}

/** The UTC offset at the end of a rolling-maintenance date ("+00:00"), or null. */
export function rollingDateOffset(text?: string): null | string {
  return text ? (/([+-]\d{2}:?\d{2}|Z)$/.exec(text)?.[1] ?? null) : null
}

export interface UpdatedHostRow {
  duration: string
  /** Seconds between start and end, or null when a date could not be read. */
  durationseconds: null | number
  end: string
  hostid: string
  hostname: string
  output: string
  start: string
}

export interface SkippedHostRow {
  hostid: string
  hostname: string
  reason: string
}

/** The first line of a stage output, shortened for a table cell. */
export function outputSummary(output?: string, max = 60): string {
  const text = (output ?? '').trim()
  const firstLine = text.split('\n')[0] ?? ''
  const more = text.includes('\n') ? ' …' : ''
  return firstLine.length > max ? `${firstLine.slice(0, max - 1)}…` : `${firstLine}${more}`
}

export function updatedHostRows(result: RollingMaintenanceResult): UpdatedHostRow[] {
  return (result.hostsupdated ?? []).map((host) => {
    const start = parseRollingDate(host.startdate)
    const end = parseRollingDate(host.enddate)
    const ms = start && end ? end.getTime() - start.getTime() : null
    return {
      duration: ms === null ? '?' : formatDuration(ms),
      durationseconds: ms === null ? null : Math.round(ms / 1000),
      end: displayRollingDate(host.enddate),
      hostid: host.hostid,
      hostname: host.hostname,
      output: outputSummary(host.output),
      start: displayRollingDate(host.startdate),
    }
  })
}

export function skippedHostRows(result: RollingMaintenanceResult): SkippedHostRow[] {
  return (result.hostsskipped ?? []).map((host) => ({
    hostid: host.hostid,
    hostname: host.hostname,
    reason: host.reason,
  }))
}

/** A file name that is safe on any file system: letters, digits, dot, dash, underscore. */
function safeName(name: string): string {
  const cleaned = name.replaceAll(/[^\w.-]/g, '_').replace(/^\.+/, '_')
  return cleaned === '' ? 'host' : cleaned
}

/**
 * One file per updated host for --output-dir: `<hostname>.maintenance.txt`; when two hosts
 * share a (cleaned) name, the host id is added to tell them apart (and a counter, should even
 * that collide).
 */
export function outputFileNames(hosts: {hostid: string; hostname: string}[]): Map<string, string> {
  const counts = new Map<string, number>()
  for (const host of hosts)
    counts.set(safeName(host.hostname), (counts.get(safeName(host.hostname)) ?? 0) + 1)
  const used = new Set<string>()
  const names = new Map<string, string>()
  for (const host of hosts) {
    const base = safeName(host.hostname)
    const wanted = counts.get(base) === 1 ? base : `${base}-${safeName(host.hostid)}`
    let unique = wanted
    for (let n = 2; used.has(unique.toLowerCase()); n++) unique = `${wanted}-${n}`
    used.add(unique.toLowerCase())
    names.set(host.hostid, `${unique}.maintenance.txt`)
  }

  return names
}
