/**
 * Says that a wait is still going: `onSlow` every `everyMs` until the promise settles, with the whole
 * seconds since it began (a start on a busy host, said while it lasts rather than only when its deadline
 * ends it).
 */
export async function whileSlow<T> (wait: Promise<T>, everyMs: number, onSlow: ((elapsedSec: number) => void) | undefined): Promise<T> {
  if (onSlow === undefined) return await wait
  const t0 = Date.now()
  const timer = setInterval(() => onSlow(Math.round((Date.now() - t0) / 1000)), everyMs)
  timer.unref()
  try {
    return await wait
  } finally {
    clearInterval(timer)
  }
}
