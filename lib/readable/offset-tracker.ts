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
import { Epoch, type Ledger, type PartitionRecord } from './epoch'

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
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER)
const OFFSET_PATTERN = /^\d{1,19}$/
const dropped: Ack = () => false

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
