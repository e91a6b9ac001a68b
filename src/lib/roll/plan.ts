import {UsageError} from '../core/errors.js'
import {quoteArg} from '../maintenance/plan.js'

/*
 * The pure part of `cluster roll`: which hosts, in which order, and the exact command each one
 * gets. The guide's hypervisor-maintenance loop, host by host: maintenance, patch and reboot,
 * back Up, maintenance cancelled, checked — never two hosts of one cluster at once.
 */

export type RollOrder = 'given' | 'least-vms' | 'name'
export const ROLL_ORDERS: RollOrder[] = ['name', 'least-vms', 'given']

/** What the command of a host may refer to: `{name}` and `MOLDCTL_HOST_NAME`, and so on. */
export interface HostFacts {
  cluster: string
  clusterId: string
  hypervisor: string
  id: string
  ip: string
  name: string
}

export interface RollCandidate extends HostFacts {
  /** VMs running on the host now (for --order least-vms). */
  vmCount: number
}

const PLACEHOLDERS = ['name', 'ip', 'id', 'cluster', 'hypervisor'] as const

/**
 * The command for one host: `{name}`, `{ip}`, `{id}`, `{cluster}`, `{hypervisor}` replaced by the
 * host's values, each quoted for the shell (a name with a space or a quote stays one word and
 * runs nothing). `{{` and `}}` stand for literal braces; any other `{word}` is refused.
 */
export function substituteCommand(template: string, facts: HostFacts): string {
  let out = ''
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]
    const next = template[i + 1]
    if ((ch === '{' && next === '{') || (ch === '}' && next === '}')) {
      out += ch
      i++
      continue
    }

    if (ch !== '{') {
      out += ch
      continue
    }

    const end = template.indexOf('}', i)
    const word = end === -1 ? '' : template.slice(i + 1, end)
    if (!(PLACEHOLDERS as readonly string[]).includes(word)) {
      throw new UsageError(`--exec: unknown placeholder {${word}}`, [
        `the placeholders are ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}; write {{ and }} for literal braces`,
      ])
    }

    out += quoteArg(facts[word as (typeof PLACEHOLDERS)[number]])
    i = end
  }

  return out
}

/** The host's facts as environment variables of its command. */
export function hostEnvironment(facts: HostFacts, runId: string): Record<string, string> {
  return {
    MOLDCTL_HOST_CLUSTER: facts.cluster,
    MOLDCTL_HOST_CLUSTER_ID: facts.clusterId,
    MOLDCTL_HOST_HYPERVISOR: facts.hypervisor,
    MOLDCTL_HOST_ID: facts.id,
    MOLDCTL_HOST_IP: facts.ip,
    MOLDCTL_HOST_NAME: facts.name,
    MOLDCTL_ROLL_RUN: runId,
  }
}

/**
 * The hosts of one cluster in the order they will be rolled. `given`: the order --host named
 * them, else the server's; `name`: by name (natural order: host-2 before host-10);
 * `least-vms`: fewest running VMs first (the quickest drains first), ties by name.
 */
export function orderHosts(hosts: RollCandidate[], order: RollOrder, given: string[] = []): RollCandidate[] {
  const byName = (a: RollCandidate, b: RollCandidate) =>
    a.name.localeCompare(b.name, 'en', {numeric: true, sensitivity: 'base'})
  if (order === 'name') return [...hosts].sort(byName)
  if (order === 'least-vms') return [...hosts].sort((a, b) => a.vmCount - b.vmCount || byName(a, b))
  const rank = (h: RollCandidate) => {
    const i = given.findIndex((g) => g === h.id || g === h.name || g === h.ip)
    return i === -1 ? given.length : i
  }

  return [...hosts]
    .map((h, i) => ({h, i}))
    .sort((a, b) => rank(a.h) - rank(b.h) || a.i - b.i)
    .map((x) => x.h)
}

/** Whether a --skip value names the host (id, name or IP address). */
export function matchesHost(ref: string, host: HostFacts): boolean {
  return ref === host.id || ref === host.name || ref === host.ip
}

/** "60s", "5m", "1h30m", "500ms" or plain seconds, as milliseconds; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim()
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const units: Record<string, number> = {h: 3_600_000, m: 60_000, ms: 1, s: 1000}
  let total = 0
  let rest = trimmed
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest)
    if (!match) return undefined
    total += Number(match[1]) * units[match[2]]
    rest = rest.slice(match[0].length)
  }

  return trimmed.length > 0 ? Math.round(total) : undefined
}

/** A flag's duration, or a usage error naming the flag. */
export function durationFlag(flag: string, text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs
  const ms = parseDuration(text)
  if (ms === undefined) throw new UsageError(`${flag}: "${text}" is not a duration`, ['e.g. 90s, 5m, 1h30m'])
  return ms
}
