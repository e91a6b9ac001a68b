/**
 * When to look again at a draining host. The management server live-migrates the VMs of a host
 * in PrepareForMaintenance and sets it to Maintenance when the last one has left; a look earlier
 * than the end only costs API calls, and a look after it makes the operator wait. So the looks
 * are scheduled by the expected end of the drain:
 *
 * - Until a VM has left, nothing is known about the pace: the pauses grow by half from the first
 *   one (2 s), up to the ceiling (15 s or --poll).
 * - Each time the count of VMs left drops from one look to the next, the drop happened between
 *   those looks. With the migrations taking about as long each (the server moves them in turn,
 *   and a drain's VMs are alike more often than not), `m` VMs gone by time t means the whole
 *   drain ends at t × (VMs at the start) / m; every drop bounds that end from below and above,
 *   and the expected end is the middle of the bounds all drops agree on (the latest drop's alone
 *   when they disagree: the pace changed).
 * - The next look goes where the next drop is expected (which narrows the bounds), or at the
 *   expected end when one VM is left. Past that time, the host is looked at every `stepMs`
 *   (1 s: the server's own state does not change faster than its migration jobs report) or 2% of
 *   the time spent, whichever is longer, so a look is rarely later than that after the end;
 *   once well past it (the drain slowed down), by a quarter of the time it is overdue.
 *
 * Times are milliseconds since the drain began (the prepareHostForMaintenance submission).
 */
export interface DrainScheduleOptions {
  /** First pause, and the growth base before anything is learnt. */
  firstMs: number
  /** Longest pause between two looks. */
  maxMs: number
  /** Shortest pause between two looks (the server's state changes no faster). */
  stepMs: number
}

/** Share of the time spent by which a look may follow the expected end, when longer than stepMs. */
const LATE_SHARE = 0.02
/** Past the expected time, the share of the overdue time to wait before the next look. */
const OVERDUE_SHARE = 0.25

export class DrainSchedule {
  private atStart?: number
  private lastLook?: {atMs: number; left: number}
  private lastPause = 0
  /** Bounds of the drain's end that every drop seen so far agrees with. */
  private lower = 0
  private readonly opts: DrainScheduleOptions
  private upper = Infinity

  constructor(opts: DrainScheduleOptions) {
    this.opts = opts
  }

  /** The drain's expected end (ms), once a VM has left; undefined before. */
  get expectedEndMs(): number | undefined {
    return Number.isFinite(this.upper) ? (this.lower + this.upper) / 2 : undefined
  }

  /** Milliseconds to wait, `nowMs` into the drain, before the next look. */
  nextPause(nowMs: number): number {
    const {firstMs, maxMs, stepMs} = this.opts
    const floor = Math.max(stepMs, nowMs * LATE_SHARE)
    const end = this.expectedEndMs
    const left = this.lastLook?.left
    if (end === undefined || left === undefined || this.atStart === undefined) {
      this.lastPause = this.lastPause === 0 ? firstMs : Math.round(this.lastPause * 1.5)
      return clamp(this.lastPause, Math.min(stepMs, firstMs), maxMs)
    }

    const gone = this.atStart - left
    // The next drop is expected at end × (gone + 1) / atStart; with one VM (or none) left, that is the end.
    const target = left <= 1 ? end : (end * (gone + 1)) / this.atStart
    // Past the target, the estimate was early: look again by the step, or by a quarter of the
    // time it has been wrong, so a drain that slowed down costs a few looks, not one per second.
    const pause = target > nowMs ? target - nowMs : Math.max(floor, (nowMs - target) * OVERDUE_SHARE)
    return clamp(pause, Math.min(floor, maxMs), maxMs)
  }

  /** Records a look `atMs` into the drain that saw `left` VMs still on the host. */
  observe(atMs: number, left: number): void {
    if (this.atStart === undefined) this.atStart = Math.max(left, 1)
    const previous = this.lastLook
    this.lastLook = {atMs, left}
    if (!previous || left >= previous.left || left > this.atStart) return
    const gone = this.atStart - left
    if (gone <= 0) return
    // `gone` VMs were gone by atMs but not by previous.atMs.
    const low = (previous.atMs * this.atStart) / gone
    const high = (atMs * this.atStart) / gone
    const lower = Math.max(this.lower, low)
    const upper = Math.min(this.upper, high)
    if (lower <= upper) {
      this.lower = lower
      this.upper = upper
    } else {
      this.lower = low
      this.upper = high
    }
  }
}

function clamp(ms: number, min: number, max: number): number {
  return Math.round(Math.max(min, Math.min(max, ms)))
}
