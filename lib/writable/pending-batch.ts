import type { KafkaPipeError } from '../errors'
import type { DeadlineQueue, Due } from './deadline-queue'
import type { ProduceBatch } from './produce-client'

/**
 * A batch on its way through the produce client: its bytes once encoded, the idempotent ids and sequence they
 * carry, its attempts, and its deadline. The deadline (a place in the client's DeadlineQueue, never a timer of
 * its own) fails it wherever it is stuck: queued, backing off, waiting for a connection or for an answer. Once
 * settled (stored, failed or expired), whatever else comes back for it is ignored.
 */
export class PendingBatch implements Due {
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
  deadlineAt = 0
  prevDue: Due | undefined = undefined
  nextDue: Due | undefined = undefined
  queued = false
  #settled = false
  readonly #deadlines: DeadlineQueue<PendingBatch>
  #retry: NodeJS.Timeout | undefined
  readonly #resolve: (offset: string | null) => void
  readonly #reject: (error: Error) => void

  /** Joins `deadlines`, which expires it unless it is settled first. */
  constructor(
    batch: ProduceBatch,
    key: string,
    deadlines: DeadlineQueue<PendingBatch>,
    resolve: (offset: string | null) => void,
    reject: (error: Error) => void,
  ) {
    this.batch = batch
    this.key = key
    this.#deadlines = deadlines
    this.#resolve = resolve
    this.#reject = reject
    deadlines.add(this)
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
    this.#deadlines.remove(this)
    if (this.#retry !== undefined) clearTimeout(this.#retry)
    return true
  }
}
