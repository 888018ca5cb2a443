import type { KafkaPipeError } from '../errors'
import type { ProduceBatch } from './produce-client'

/**
 * A batch on its way through the produce client: its bytes once encoded, the idempotent ids and sequence they
 * carry, its attempts, and its deadline. The deadline is one timer per batch (never per message) that fails it
 * wherever it is stuck: queued, backing off, waiting for a connection or for an answer. Once settled (stored,
 * failed or expired), whatever else comes back for it is ignored.
 */
export class PendingBatch {
  readonly batch: ProduceBatch
  /** Its topic-partition key. */
  readonly key: string
  attempts = 0
  encoded: Buffer | undefined = undefined
  producerId = -1n
  baseSequence = -1
  /** A request carrying it is on the wire: if it expires now, the broker may still store it. */
  inFlight = false
  /** The error of its last failed attempt. */
  lastError: KafkaPipeError | undefined = undefined
  #settled = false
  readonly #deadline: NodeJS.Timeout
  #retry: NodeJS.Timeout | undefined
  readonly #resolve: (offset: string | null) => void
  readonly #reject: (error: Error) => void

  /** `expire` runs once `timeout` ms have passed without an answer. */
  constructor(
    batch: ProduceBatch,
    key: string,
    timeout: number,
    expire: (p: PendingBatch) => void,
    resolve: (offset: string | null) => void,
    reject: (error: Error) => void,
  ) {
    this.batch = batch
    this.key = key
    this.#resolve = resolve
    this.#reject = reject
    this.#deadline = setTimeout(expire, timeout, this)
  }

  get settled(): boolean {
    return this.#settled
  }

  /** Runs `again` after `delay` ms (the backoff before the next attempt). */
  retryAfter(delay: number, again: () => void): void {
    this.#retry = setTimeout(() => {
      this.#retry = undefined
      again()
    }, delay)
  }

  resolve(offset: string | null): void {
    if (this.#settle()) this.#resolve(offset)
  }

  reject(error: Error): void {
    if (this.#settle()) this.#reject(error)
  }

  #settle(): boolean {
    if (this.#settled) return false
    this.#settled = true
    clearTimeout(this.#deadline)
    if (this.#retry !== undefined) clearTimeout(this.#retry)
    return true
  }
}
