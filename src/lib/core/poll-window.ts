/** How often a wait looks again: the first pause, growing up to the longest one. */
export interface PollWindow {
  maxMs: number
  minMs: number
}

/**
 * The one reader of the poll settings in the environment: MOLDCTL_POLL_MIN_MS (the first pause)
 * and MOLDCTL_POLL_MAX_MS (the longest), each falling back to the caller's default. `ceilingMs`
 * (a --poll flag) replaces the longest pause. With `firstWithinMax` the first pause is cut to the
 * longest, otherwise the longest grows to the first. The longest is never below the first.
 */
export function pollWindow(
  env: NodeJS.ProcessEnv,
  defaults: PollWindow & {firstWithinMax?: boolean},
  ceilingMs?: number,
): PollWindow {
  const first = Number(env.MOLDCTL_POLL_MIN_MS) || defaults.minMs
  const ceiling = ceilingMs ?? (Number(env.MOLDCTL_POLL_MAX_MS) || defaults.maxMs)
  const minMs = defaults.firstWithinMax ? Math.min(first, ceiling) : first
  return {maxMs: Math.max(minMs, ceiling), minMs}
}

/** The API client's job polling (1 s growing to 10 s). */
export const JOB_POLL: PollWindow = {maxMs: 10_000, minMs: 1000}
/** Rolling maintenance's job (2 s growing to 30 s: a run takes hours). */
export const ROLLING_POLL: PollWindow = {maxMs: 30_000, minMs: 2000}
/** A draining host (2 s growing to 15 s, or --poll; the first pause never above it). */
export const HOST_POLL = {firstWithinMax: true, maxMs: 15_000, minMs: 2000}
