/** Raised in code waiting on the clock when the simulator shuts down. */
export class ClockClosedError extends Error {
  constructor() {
    super('simulator clock closed')
    this.name = 'ClockClosedError'
  }
}

interface PendingTimer {
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

/**
 * The one simulated clock. Simulated time runs `speed` times faster than real time, starting at
 * the real time of construction: with speed 1000 a 1 s simulated delay takes 1 ms. Nothing
 * busy-waits; every wait is a timer that close() clears.
 */
export class SimClock {
  /** Called when a timer fires, before the code waiting on it resumes (the server marks the model changed). */
  onTimer: (() => void) | undefined
  readonly speed: number
  private closed = false
  private readonly pending = new Set<PendingTimer>()
  private readonly startReal: number
  private readonly startSim: number

  constructor(speed = 1, startSim: number = Date.now()) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`invalid simulator speed: ${speed}`)
    this.speed = speed
    this.startReal = performance.now()
    this.startSim = startSim
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Clears every pending timer; their sleeps reject with ClockClosedError. */
  close(): void {
    this.closed = true
    for (const entry of this.pending) {
      clearTimeout(entry.timer)
      entry.reject(new ClockClosedError())
    }

    this.pending.clear()
  }

  now(): Date {
    return new Date(this.nowMs())
  }

  nowMs(): number {
    return Math.floor(this.startSim + (performance.now() - this.startReal) * this.speed)
  }

  /** Real milliseconds that `simMs` simulated milliseconds take. */
  realMs(simMs: number): number {
    return Math.max(0, simMs / this.speed)
  }

  /** Waits `simMs` simulated milliseconds. */
  sleep(simMs: number): Promise<void> {
    return this.sleepReal(this.realMs(simMs))
  }

  /** Waits real milliseconds (fault latency), still cancelled by close(). */
  sleepReal(realMs: number): Promise<void> {
    if (this.closed) return Promise.reject(new ClockClosedError())
    return new Promise((resolve, reject) => {
      const entry: PendingTimer = {
        reject,
        timer: setTimeout(() => {
          this.pending.delete(entry)
          this.onTimer?.()
          resolve()
        }, realMs),
      }
      this.pending.add(entry)
    })
  }
}
