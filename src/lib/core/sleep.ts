/** Resolves after `ms`, or at once when the signal fires (it never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve()
      return
    }

    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }

    signal?.addEventListener('abort', done, {once: true})
  })
}

/**
 * Turns of the event loop handed out one at a time: each call resolves on a turn of its own, in
 * the order of the calls, with the loop's I/O (sockets connecting, requests written, answers read)
 * run between two of them. Tasks started together that each await a turn first then go out one
 * after the other, each as soon as it is made, instead of all being made before the first goes.
 */
export function turns(): () => Promise<void> {
  let last: Promise<void> = Promise.resolve()
  return () => {
    last = last.then(
      () =>
        new Promise<void>((resolve) => {
          setImmediate(resolve)
        }),
    )
    return last
  }
}
