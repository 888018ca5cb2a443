import type { Readable } from 'node:stream'

/**
 * The items of `stream` as they can be read, until it ends or closes or `signal` aborts. Unlike `for await` over the
 * stream, an abort ends a wait for the next item without destroying the stream, so that its owner can finish work
 * on what was read (flush a writer) before closing it.
 */
export async function* pull<T>(stream: Readable, signal: AbortSignal): AsyncGenerator<T> {
  while (!signal.aborted) {
    const item = stream.read() as T | null
    if (item !== null) {
      yield item
      continue
    }
    if (stream.readableEnded || stream.destroyed) return
    await nextEvent(stream, signal)
  }
}

/** Resolves on the stream's next 'readable', 'end' or 'close', or the abort, leaving no listener behind. */
function nextEvent(stream: Readable, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('readable', done).off('end', done).off('close', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    stream.on('readable', done).on('end', done).on('close', done)
    signal.addEventListener('abort', done)
  })
}
