/**
 * Decides when a KafkaReadable may push another message, and lets the fetch side wait until it may.
 *
 * The stream's buffer is counted in messages (Node's `readableLength` against `highWaterMark`) and in bytes. Node
 * keeps no byte count of an objectMode buffer, but the buffer is a FIFO of what was pushed: its bytes are those of
 * the last `readableLength` pushes, so a queue of pushed sizes trimmed to that length gives the exact figure.
 *
 * Node calls `_read` whenever the buffer holds fewer messages than `highWaterMark`, so its calls say nothing about
 * bytes: the stream wakes the waiting fetch side on every `read()` as well, which re-checks both limits. An empty
 * buffer always takes one message, however large, so the buffer holds at most one message beyond the byte budget.
 */
export class FlowControl {
  readonly #highWaterMark: number
  readonly #maxBytes: number
  #sizes: number[] = []
  #head = 0
  #bytes = 0
  #waiters: Array<() => void> = []

  constructor(highWaterMark: number, maxBytes: number) {
    this.#highWaterMark = highWaterMark
    this.#maxBytes = maxBytes
  }

  /** Bytes of the messages still in the stream's buffer, given its current `readableLength`. */
  bufferedBytes(readableLength: number): number {
    while (this.#sizes.length - this.#head > readableLength) this.#bytes -= this.#sizes[this.#head++]!
    if (this.#head > 1024 && this.#head * 2 > this.#sizes.length) {
      this.#sizes = this.#sizes.slice(this.#head)
      this.#head = 0
    }
    return this.#bytes
  }

  /** Whether another message may be pushed now. */
  canPush(readableLength: number): boolean {
    if (readableLength === 0) return true
    return readableLength < this.#highWaterMark && this.bufferedBytes(readableLength) < this.#maxBytes
  }

  /**
   * A message of `bytes` was pushed; `before` and `after` are `readableLength` around the push (equal when Node
   * handed the message straight to a 'data' listener, so that it never entered the buffer).
   */
  pushed(bytes: number, before: number, after: number): void {
    this.bufferedBytes(before)
    if (after <= before) return
    this.#sizes.push(bytes)
    this.#bytes += bytes
  }

  /** Wakes every waiter to check again (on `_read` and `read()`, and when the stream closes). */
  release(): void {
    if (this.#waiters.length === 0) return
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }

  /** Resolves true when woken, false after `ms` without being woken. */
  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        resolve(true)
      }
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== wake)
        resolve(false)
      }, ms)
      this.#waiters.push(wake)
    })
  }
}
