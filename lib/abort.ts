import { AbortedError } from './errors'

/**
 * Destroys `stream` with an AbortedError when `signal` aborts (at once, on the next microtask, if it already has).
 * Returns the function that stops listening, for `_destroy`.
 */
export function destroyOnAbort(stream: { destroy(error: Error): unknown }, signal: AbortSignal | undefined, name: string): () => void {
  if (!signal) return () => {}
  const abort = () => stream.destroy(new AbortedError(`the ${name} was aborted through its signal`, signal.reason))
  if (signal.aborted) {
    queueMicrotask(abort)
    return () => {}
  }
  signal.addEventListener('abort', abort, { once: true })
  return () => signal.removeEventListener('abort', abort)
}
