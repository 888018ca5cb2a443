/**
 * One assignment of a partition to a reader, as the OffsetTracker keeps it: the offsets delivered under it, as
 * numbers, and how far their acks reach.
 */
import { OutstandingQueue } from './outstanding-queue'

const INT64_MAX = 2n ** 63n - 1n
const MAX_SAFE = Number.MAX_SAFE_INTEGER
const MAX_SAFE_BIG = BigInt(MAX_SAFE)
/** The ticket of a delivery that is not tracked (stale generation or revoked assignment): its ack does nothing. */
export const UNTRACKED = -1

/** What the epochs of one tracker share with it. */
export interface Ledger {
  /** Messages delivered and not acked, over all live epochs. */
  unacked: number
  /** Partitions whose position is ahead of their committed offset. */
  readonly ahead: Set<PartitionRecord>
  readonly onAdvance: (() => void) | undefined
}

export interface PartitionRecord {
  readonly topic: string
  readonly partition: number
  /** Generation of the current or most recent assignment; undefined until the first track. */
  generation: number | undefined
  /** True after `revoke`: deliveries of `generation` or older are stale until a newer generation arrives. */
  revoked: boolean
  epoch: Epoch | undefined
  /** Highest offset the broker accepted; never lowered, kept across assignments. */
  committed: bigint | undefined
}

/**
 * One assignment of a partition to this reader: what was delivered under it and how far its acks reach. A reader
 * takes it once per fetched batch (`OffsetTracker.epoch`) and records each message with `track`, which returns a
 * ticket, and `ack(ticket)`: plain numbers, no object or bigint per message. Offsets are kept relative to `base`,
 * the first offset of the epoch (or its `seek` floor), as doubles; the bigint and the string are made only when a
 * position is asked for, once per commit.
 */
export class Epoch {
  readonly generation: number
  readonly #record: PartitionRecord
  readonly #ledger: Ledger
  readonly #queue = new OutstandingQueue()
  /** Set by the first delivery, or by a seek (then offsets below it are refused). */
  #base: bigint | undefined
  /** `base` as a number while it is a safe integer, else NaN. */
  #baseNumber = Number.NaN
  /** Relative offset of the last delivery; -Infinity before the first. */
  #last = -Infinity
  /** Relative position (next offset to read) the acks reach; -Infinity before the first contiguous ack. */
  #position = -Infinity
  /** The record's committed offset relative to `base` (rounded beyond 2^53, where order is all that matters). */
  #committed = -Infinity
  #unacked = 0

  constructor(record: PartitionRecord, ledger: Ledger, generation: number, floor: bigint | undefined) {
    this.#record = record
    this.#ledger = ledger
    this.generation = generation
    if (floor !== undefined) this.#setBase(floor)
  }

  /** Messages delivered under this epoch and not acked yet. */
  get unacked(): number {
    return this.#unacked
  }

  /** Whether this is still its partition's current assignment (not revoked, sought away or replaced). */
  get live(): boolean {
    return this.#record.epoch === this
  }

  /**
   * Records a delivered offset, a non-negative safe integer (use `trackBig` beyond 2^53 - 1), and returns its
   * ticket, or UNTRACKED when this epoch is no longer live. Throws a RangeError when offsets do not increase or
   * fall below the seek position.
   */
  track(offset: number): number {
    if (!(offset >= 0 && offset <= MAX_SAFE && Number.isInteger(offset))) {
      throw new RangeError(`an offset number must be a non-negative safe integer, not ${String(offset)}; pass a bigint to trackBig`)
    }
    if (this.#base === undefined) this.#setBase(BigInt(offset))
    const relative = this.#baseNumber === this.#baseNumber ? offset - this.#baseNumber : Number(BigInt(offset) - this.#base!)
    return this.#push(relative, offset)
  }

  /** `track` for any int64 offset, as a bigint. */
  trackBig(offset: bigint): number {
    if (!(offset >= 0n && offset <= INT64_MAX)) throw new RangeError(`an offset must be a non-negative int64, not ${offset}`)
    if (this.#base === undefined) this.#setBase(offset)
    const relative = offset - this.#base!
    // Unreachable in practice: offsets are assigned one per record, so this needs 2^53 records in between.
    if (relative > MAX_SAFE_BIG) throw new RangeError(`offset ${offset} is too far ahead of the first one of its assignment`)
    return this.#push(Number(relative), offset)
  }

  /**
   * Acknowledges the message of a ticket. True when this call counted: the first ack of a tracked message while
   * this epoch is live. Otherwise (a second ack, UNTRACKED, a dropped epoch) it changes nothing and returns false.
   */
  ack(ticket: number): boolean {
    if (this.#record.epoch !== this || !this.#queue.pending(ticket)) return false
    this.#unacked--
    this.#ledger.unacked--
    const last = this.#queue.markDone(ticket)
    if (last < 0) return true
    this.#position = last + 1
    if (this.#position > this.#committed) {
      this.#ledger.ahead.add(this.#record)
      this.#ledger.onAdvance?.()
    }
    return true
  }

  /** The position the acks reach (next offset to read), or undefined before the first contiguous ack. */
  position(): bigint | undefined {
    return this.#position === -Infinity ? undefined : this.#base! + BigInt(this.#position)
  }

  /** Whether the position is ahead of the record's committed offset. */
  ahead(): boolean {
    return this.#position > this.#committed
  }

  /** The record's committed offset changed. */
  committedChanged(): void {
    const committed = this.#record.committed
    this.#committed = committed === undefined || this.#base === undefined ? -Infinity : Number(committed - this.#base)
  }

  #setBase(base: bigint): void {
    this.#base = base
    this.#baseNumber = base <= MAX_SAFE_BIG ? Number(base) : Number.NaN
    this.committedChanged()
  }

  #push(relative: number, offset: number | bigint): number {
    if (this.#record.epoch !== this) return UNTRACKED
    const { topic, partition } = this.#record
    if (relative <= this.#last) {
      const last = this.#base! + BigInt(this.#last)
      throw new RangeError(`${topic}[${partition}]: offset ${offset} delivered after offset ${last}; offsets must increase within an assignment`)
    }
    if (relative < 0) {
      // Only a seek floor can be above a first delivery: without one, the base is the first delivery itself.
      throw new RangeError(`${topic}[${partition}]: offset ${offset} delivered after a seek to ${this.#base}`)
    }
    this.#last = relative
    this.#unacked++
    this.#ledger.unacked++
    return this.#queue.push(relative)
  }
}
