/**
 * Waits for the acks of messages already read, e.g. on a clean end of the stream, when the last messages are
 * usually still in a sink (a KafkaWritable acks only once the broker stored what they became).
 */
export class AckWaiter {
  #check: (() => void) | undefined

  /** Call after every ack that counted. */
  acked(): void {
    this.#check?.()
  }

  /** Resolves once `pending()` is 0 (checked now and after each ack), or after `ms`. */
  wait(pending: () => number, ms: number): Promise<void> {
    if (pending() === 0 || ms === 0) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#check = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.#check = () => {
        if (pending() === 0) done()
      }
    })
  }
}
