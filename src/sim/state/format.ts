/*
 * Value formats of the server's answers, used by the model's builders, the behaviour and the
 * handlers alike (the simulator's JVM runs in UTC).
 */

/** `2021-10-03T10:59:51+0000`. Accepts a Date, epoch ms or an ISO string. */
export function formatApiDate(date: Date | number | string): string {
  const d = date instanceof Date ? date : new Date(date)
  return d.toISOString().replace(/\.\d{3}Z$/, '+0000')
}

/** Float.toString-style text of a factor: `1.0`, `2.5`. */
export function formatFloat(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n)
}

/** DecimalFormat("#.##") + "%", as the host response's allocated percentages. */
export function formatPercent(part: number, total: number): string {
  if (!(total > 0)) return '0%'
  return `${Number(((part / total) * 100).toFixed(2))}%`
}
