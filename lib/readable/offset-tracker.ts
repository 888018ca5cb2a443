/**
 * Turns acks of consumed messages into offsets that are safe to commit.
 *
 * An offset is committable only when its message and every earlier message this reader delivered from the same
 * partition were acked; the committable position is then the offset after that contiguous acked prefix (Kafka's
 * convention: a committed offset is the next one to read). Offsets of a partition arrive in increasing order but
 * need not be contiguous (compaction, transaction markers), so the delivered offsets themselves are queued.
 *
 * "Commit on read" needs no mode here: the reader acks each message right after tracking it.
 */
import { OutstandingQueue } from './outstanding-queue'

/** A partition's offset as Kafka carries it: a decimal int64 string. */
export interface TopicPartitionOffset {
  topic: string
  partition: number
  offset: string
}

/**
 * Acknowledges one delivered message. Returns true when this call counted: the first ack of the message while its
 * partition is still owned under the assignment it was delivered in. Later calls, and acks of messages whose
 * assignment was revoked, sought away or replaced by a newer generation, return false and change nothing.
 */
export type Ack = () => boolean

export interface OffsetTrackerOptions {
  /**
   * Called synchronously whenever an ack moves a partition's committable position past what was last committed,
   * e.g. to wake a `CommitScheduler`. Called once per such ack, so keep it cheap. Default: none.
   */
  onAdvance?: () => void
}

const INT64_MAX = 2n ** 63n - 1n
const MAX_SAFE = Number.MAX_SAFE_INTEGER
const MAX_SAFE_BIG = BigInt(MAX_SAFE)
const OFFSET_PATTERN = /^\d{1,19}$/
/** The ticket of a delivery that is not tracked (stale generation or revoked assignment): its ack does nothing. */
export const UNTRACKED = -1
const dropped: Ack = () => false

/** What the epochs of one tracker share with it. */
interface Ledger {
  /** Messages delivered and not acked, over all live epochs. */
  unacked: number
  /** Partitions whose position is ahead of their committed offset. */
  readonly ahead: Set<PartitionRecord>
  readonly onAdvance: (() => void) | undefined
}

interface PartitionRecord {
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

export class OffsetTracker {
  readonly #topics = new Map<string, Map<number, PartitionRecord>>()
  readonly #ledger: Ledger

  constructor(options: OffsetTrackerOptions = {}) {
    this.#ledger = { unacked: 0, ahead: new Set(), onAdvance: options.onAdvance }
  }

  /**
   * Records that a message was delivered and returns its ack. `generation` is the consumer group generation the
   * message was fetched under, or any number the caller raises on each new assignment of the partition. A message
   * of an older generation than the partition's current one, or of the generation it was revoked in, is not tracked
   * and gets an ack that does nothing; a newer generation starts a new assignment and drops the old one's state.
   * Throws a RangeError for an offset that is not an int64 decimal string, or when offsets of one assignment do not
   * increase or fall below the `seek` position: both mean the reader broke its side of the contract.
   * A reader of whole batches takes the partition's `epoch` once per batch instead.
   */
  track(topic: string, partition: number, offset: string, generation: number): Ack {
    const value = parseOffset(offset)
    const epoch = this.epoch(topic, partition, generation)
    if (epoch === undefined) return dropped
    const ticket = value <= MAX_SAFE_BIG ? epoch.track(Number(value)) : epoch.trackBig(value)
    return () => epoch.ack(ticket)
  }

  /**
   * The partition's current assignment for deliveries fetched under `generation` (see `track`), to track a batch's
   * messages with; undefined when that generation is stale. A newer generation starts a new assignment.
   */
  epoch(topic: string, partition: number, generation: number): Epoch | undefined {
    if (!Number.isSafeInteger(generation)) {
      throw new RangeError(`a generation must be an integer, not ${String(generation)}`)
    }
    const record = this.#record(topic, partition)
    if (record.generation !== undefined) {
      if (generation < record.generation || (generation === record.generation && record.revoked)) return undefined
      if (generation > record.generation) this.#drop(record)
    }
    record.generation = generation
    record.revoked = false
    return (record.epoch ??= new Epoch(record, this.#ledger, generation, undefined))
  }

  /**
   * The partition was revoked from this reader: its outstanding messages and any position not yet committed are
   * dropped, and later acks of them never count, even if the partition comes back under a newer generation.
   * Flush commits before calling this.
   */
  revoke(topic: string, partition: number): void {
    const record = this.#topics.get(topic)?.get(partition)
    if (record === undefined) return
    this.#drop(record)
    record.revoked = true
  }

  /** Revokes every partition (an eager rebalance). */
  revokeAll(): void {
    for (const partitions of this.#topics.values()) {
      for (const record of partitions.values()) this.revoke(record.topic, record.partition)
    }
  }

  /**
   * The reader moved its fetch position to `offset`: outstanding messages and the uncommitted position are dropped
   * as by `revoke` (flush first to keep them), but the partition stays owned under the same generation, and offsets
   * delivered next must be at least `offset`. On a partition with nothing delivered under a live assignment it does
   * nothing: the first delivery sets the baseline.
   */
  seek(topic: string, partition: number, offset: string): void {
    const floor = parseOffset(offset)
    const record = this.#topics.get(topic)?.get(partition)
    if (record?.epoch === undefined) return
    const generation = record.epoch.generation
    this.#drop(record)
    record.epoch = new Epoch(record, this.#ledger, generation, floor)
  }

  /** Positions that moved past what was last committed, one per partition: what to commit now. */
  committable(): TopicPartitionOffset[] {
    const result: TopicPartitionOffset[] = []
    for (const record of this.#ledger.ahead) {
      result.push({ topic: record.topic, partition: record.partition, offset: record.epoch!.position()!.toString() })
    }
    return result
  }

  /** True when `committable()` would return something. */
  hasCommittable(): boolean {
    return this.#ledger.ahead.size > 0
  }

  /**
   * Records offsets the broker accepted. An offset lower than one already recorded is ignored, so the committed
   * position never moves backwards. After a failed commit, call nothing: the offsets stay committable.
   */
  markCommitted(offsets: readonly TopicPartitionOffset[]): void {
    for (const { topic, partition, offset } of offsets) {
      const value = parseOffset(offset)
      const record = this.#record(topic, partition)
      if (record.committed !== undefined && value <= record.committed) continue
      record.committed = value
      record.epoch?.committedChanged()
      if (record.epoch?.ahead() !== true) this.#ledger.ahead.delete(record)
    }
  }

  /** The offset the current assignment's acks reach (next to read), or undefined before its first contiguous ack. */
  position(topic: string, partition: number): string | undefined {
    return this.#topics.get(topic)?.get(partition)?.epoch?.position()?.toString()
  }

  /** The highest offset recorded by `markCommitted`, or undefined. */
  committed(topic: string, partition: number): string | undefined {
    return this.#topics.get(topic)?.get(partition)?.committed?.toString()
  }

  /** Messages delivered under the partition's current assignment and not acked yet. */
  outstanding(topic: string, partition: number): number {
    return this.#topics.get(topic)?.get(partition)?.epoch?.unacked ?? 0
  }

  /** Messages delivered and not acked yet, over all owned partitions. */
  pendingCount(): number {
    return this.#ledger.unacked
  }

  #drop(record: PartitionRecord): void {
    if (record.epoch !== undefined) this.#ledger.unacked -= record.epoch.unacked
    record.epoch = undefined
    this.#ledger.ahead.delete(record)
  }

  #record(topic: string, partition: number): PartitionRecord {
    let partitions = this.#topics.get(topic)
    if (partitions === undefined) {
      partitions = new Map()
      this.#topics.set(topic, partitions)
    }
    let record = partitions.get(partition)
    if (record === undefined) {
      if (!Number.isSafeInteger(partition) || partition < 0) {
        throw new RangeError(`a partition must be a non-negative integer, not ${String(partition)}`)
      }
      record = { topic, partition, generation: undefined, revoked: false, epoch: undefined, committed: undefined }
      partitions.set(partition, record)
    }
    return record
  }
}

function parseOffset(offset: string): bigint {
  if (typeof offset === 'string' && OFFSET_PATTERN.test(offset)) {
    const value = BigInt(offset)
    if (value <= INT64_MAX) return value
  }
  throw new RangeError(`an offset must be a decimal string of a non-negative int64, not ${JSON.stringify(offset)}`)
}
