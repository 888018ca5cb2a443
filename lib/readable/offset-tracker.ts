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
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const OFFSET_PATTERN = /^\d{1,19}$/
const dropped: Ack = () => false

/**
 * The delivered, not yet committable offsets of one partition, oldest first, in a ring that grows and shrinks by
 * halves. Offsets are stored as doubles relative to a base bigint, which moves up whenever the ring is empty, so
 * that they stay exact without a bigint per message.
 */
class OutstandingQueue {
  static readonly MIN_CAPACITY = 16
  #base = 0n
  #offsets = new Float64Array(OutstandingQueue.MIN_CAPACITY)
  #done = new Uint8Array(OutstandingQueue.MIN_CAPACITY)
  #head = 0
  #length = 0
  /** Sequence number of the entry at #head; entries are numbered 0, 1, 2, ... in delivery order. */
  #headSeq = 0

  /** Appends an offset and returns its sequence number. */
  push(offset: bigint): number {
    if (this.#length === 0) this.#base = offset
    const relative = offset - this.#base
    // Unreachable in practice: offsets are assigned one per record, so this needs 2^53 records in between.
    if (relative > MAX_SAFE) throw new RangeError(`offset ${offset} is too far ahead of the oldest outstanding one`)
    if (this.#length === this.#offsets.length) this.#resize(this.#offsets.length * 2)
    const index = (this.#head + this.#length) & (this.#offsets.length - 1)
    this.#offsets[index] = Number(relative)
    this.#done[index] = 0
    this.#length++
    return this.#headSeq + this.#length - 1
  }

  /** Marks an entry done and removes the done prefix; returns the last removed offset, if any. */
  markDone(seq: number): bigint | undefined {
    const mask = this.#offsets.length - 1
    this.#done[(this.#head + seq - this.#headSeq) & mask] = 1
    if (seq !== this.#headSeq) return undefined
    let last = 0
    while (this.#length > 0 && this.#done[this.#head] === 1) {
      last = this.#offsets[this.#head]!
      this.#head = (this.#head + 1) & mask
      this.#length--
      this.#headSeq++
    }
    // Halving at a quarter full keeps memory proportional to what is outstanding, at amortized O(1) per entry.
    const capacity = this.#offsets.length
    if (capacity > OutstandingQueue.MIN_CAPACITY && this.#length <= capacity / 4) this.#resize(capacity / 2)
    return this.#base + BigInt(last)
  }

  #resize(capacity: number): void {
    const offsets = new Float64Array(capacity)
    const done = new Uint8Array(capacity)
    const mask = this.#offsets.length - 1
    for (let i = 0; i < this.#length; i++) {
      offsets[i] = this.#offsets[(this.#head + i) & mask]!
      done[i] = this.#done[(this.#head + i) & mask]!
    }
    this.#offsets = offsets
    this.#done = done
    this.#head = 0
  }
}

/** One assignment of a partition to this reader: what was delivered under it and how far its acks reach. */
interface Epoch {
  readonly generation: number
  /** Lowest offset this epoch may deliver (set by `seek`). */
  readonly floor: bigint | undefined
  readonly queue: OutstandingQueue
  last: bigint | undefined
  position: bigint | undefined
  unacked: number
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

export class OffsetTracker {
  readonly #onAdvance: (() => void) | undefined
  readonly #topics = new Map<string, Map<number, PartitionRecord>>()
  /** Partitions whose position is ahead of their committed offset. */
  readonly #ahead = new Set<PartitionRecord>()
  #unacked = 0

  constructor(options: OffsetTrackerOptions = {}) {
    this.#onAdvance = options.onAdvance
  }

  /**
   * Records that a message was delivered and returns its ack. `generation` is the consumer group generation the
   * message was fetched under, or any number the caller raises on each new assignment of the partition. A message
   * of an older generation than the partition's current one, or of the generation it was revoked in, is not tracked
   * and gets an ack that does nothing; a newer generation starts a new assignment and drops the old one's state.
   * Throws a RangeError for an offset that is not an int64 decimal string, or when offsets of one assignment do not
   * increase or fall below the `seek` position: both mean the reader broke its side of the contract.
   */
  track(topic: string, partition: number, offset: string, generation: number): Ack {
    const value = parseOffset(offset)
    if (!Number.isSafeInteger(generation)) {
      throw new RangeError(`a generation must be an integer, not ${String(generation)}`)
    }
    const record = this.#record(topic, partition)
    if (record.generation !== undefined) {
      if (generation < record.generation || (generation === record.generation && record.revoked)) return dropped
      if (generation > record.generation) this.#drop(record)
    }
    record.generation = generation
    record.revoked = false
    const epoch = (record.epoch ??= newEpoch(generation, undefined))
    if (epoch.last !== undefined && value <= epoch.last) {
      throw new RangeError(
        `${topic}[${partition}]: offset ${offset} delivered after offset ${epoch.last}; offsets must increase within an assignment`,
      )
    }
    if (epoch.floor !== undefined && value < epoch.floor) {
      throw new RangeError(`${topic}[${partition}]: offset ${offset} delivered after a seek to ${epoch.floor}`)
    }
    epoch.last = value
    epoch.unacked++
    this.#unacked++
    const seq = epoch.queue.push(value)
    let acked = false
    return () => {
      if (acked) return false
      acked = true
      return this.#ack(record, epoch, seq)
    }
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
    record.epoch = newEpoch(generation, floor)
  }

  /** Positions that moved past what was last committed, one per partition: what to commit now. */
  committable(): TopicPartitionOffset[] {
    const result: TopicPartitionOffset[] = []
    for (const record of this.#ahead) {
      result.push({ topic: record.topic, partition: record.partition, offset: record.epoch!.position!.toString() })
    }
    return result
  }

  /** True when `committable()` would return something. */
  hasCommittable(): boolean {
    return this.#ahead.size > 0
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
      const position = record.epoch?.position
      if (position === undefined || position <= value) this.#ahead.delete(record)
    }
  }

  /** The offset the current assignment's acks reach (next to read), or undefined before its first contiguous ack. */
  position(topic: string, partition: number): string | undefined {
    return this.#topics.get(topic)?.get(partition)?.epoch?.position?.toString()
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
    return this.#unacked
  }

  #ack(record: PartitionRecord, epoch: Epoch, seq: number): boolean {
    if (record.epoch !== epoch) return false
    epoch.unacked--
    this.#unacked--
    const last = epoch.queue.markDone(seq)
    if (last === undefined) return true
    const position = last + 1n
    epoch.position = position
    if (record.committed === undefined || position > record.committed) {
      this.#ahead.add(record)
      this.#onAdvance?.()
    }
    return true
  }

  #drop(record: PartitionRecord): void {
    if (record.epoch !== undefined) this.#unacked -= record.epoch.unacked
    record.epoch = undefined
    this.#ahead.delete(record)
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

function newEpoch(generation: number, floor: bigint | undefined): Epoch {
  return { generation, floor, queue: new OutstandingQueue(), last: undefined, position: undefined, unacked: 0 }
}

function parseOffset(offset: string): bigint {
  if (typeof offset === 'string' && OFFSET_PATTERN.test(offset)) {
    const value = BigInt(offset)
    if (value <= INT64_MAX) return value
  }
  throw new RangeError(`an offset must be a decimal string of a non-negative int64, not ${JSON.stringify(offset)}`)
}
