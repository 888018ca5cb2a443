/**
 * Keeps kafkajs' fetch loop inside the batch that ended the stream (`until`) until the stream closes.
 *
 * Once every partition is paused, kafkajs' fetcher sleeps `maxWaitTime` (500 ms) per turn, and `disconnect()`
 * waits for that sleep to end: half a second added after the last message of every batch job. A batch that does
 * not return keeps the fetcher from starting another turn, while the consumer keeps running for the final commit
 * (kafkajs silently drops the commits of a stopped consumer). The stream releases it just before disconnecting.
 * Meanwhile it heartbeats, so that a sink still draining the buffer keeps the group membership.
 */
export class EndHold {
  #released = false
  #wake: (() => void) | undefined

  /** Resolves once `release()` was called; calls `heartbeat` every `ms` until then, and rejects if it does. */
  async hold(heartbeat: () => Promise<void>, ms: number): Promise<void> {
    while (!this.#released) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms)
        this.#wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.#wake = undefined
      if (!this.#released) await heartbeat()
    }
  }

  /** Lets a `hold` (now or later) return. */
  release(): void {
    this.#released = true
    this.#wake?.()
  }
}
