/* What a command waits with: the limit, the poll window and the signals that stop a wait. */

/** The signal and limit of a wait. */
export interface WaitOptions {
  signal: AbortSignal
  timeoutMs?: number
}

/** A wait that polls: its first and longest pause too. */
export interface PolledWaitOptions extends WaitOptions {
  maxPollMs: number
  minPollMs: number
}

export type StopSignal = 'SIGHUP' | 'SIGINT' | 'SIGTERM'
const STOP_SIGNALS: StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
/** 128 + the signal's number, as a shell reports a process that the signal ended. */
export const SIGNAL_EXIT_CODES: Record<StopSignal, number> = {SIGHUP: 129, SIGINT: 130, SIGTERM: 143}

/**
 * An AbortSignal fired by Ctrl-C (SIGINT), SIGTERM or SIGHUP while waiting: the waiting code
 * stops, prints the job ids and the resume command, and the exit is 128 + the signal number
 * (130, 143, 129). A second signal of the same kind ends the process at once. `onStop` learns
 * which signal it was.
 */
export function interruptSignal(onStop: (signal: StopSignal) => void): AbortSignal {
  const controller = new AbortController()
  const stop = (signal: StopSignal) => {
    onStop(signal)
    for (const other of STOP_SIGNALS) process.removeListener(other, stop)
    controller.abort()
  }

  for (const signal of STOP_SIGNALS) process.once(signal, stop)
  return controller.signal
}
