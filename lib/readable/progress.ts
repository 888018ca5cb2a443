/**
 * How far a reader got in each partition, against the partition's high watermark (for `lag()`) and, with `until`,
 * against the end offset it must reach. All offsets follow Kafka's convention: the next offset to read.
 */
import { partitionKey } from '../kafka/partition-key'

/** Partitions by topic, as kafkajs assigns them. */
export interface Assignment {
  topic: string
  partitions: number[]
}

interface PartitionProgress {
  /** Next offset to read: after the last message pushed, or where reading starts. */
  next: bigint | undefined
  /** Latest high watermark seen (the offset after the last stored message). */
  high: bigint | undefined
  /** With `until`: the offset at which this partition is done. */
  end: bigint | undefined
}

export class Progress {
  readonly #partitions = new Map<string, PartitionProgress>()

  /** Sets where reading (re)starts, e.g. after an assignment: may move back, to the committed offset. */
  start(topic: string, partition: number, next: bigint): void {
    this.#get(topic, partition).next = next
  }

  /** Records that everything before `next` was read; never moves back. */
  advance(topic: string, partition: number, next: bigint): void {
    const p = this.#get(topic, partition)
    if (p.next === undefined || next > p.next) p.next = next
  }

  /** Records a high watermark seen in a fetch. */
  high(topic: string, partition: number, high: bigint): void {
    this.#get(topic, partition).high = high
  }

  /** Sets the offset at which the partition is done (with `until`). */
  setEnd(topic: string, partition: number, end: bigint): void {
    this.#get(topic, partition).end = end
  }

  /** The offset at which the partition is done (messages from there on are not emitted), or undefined. */
  end(topic: string, partition: number): bigint | undefined {
    return this.#partitions.get(partitionKey(topic, partition))?.end
  }

  hasEnd(topic: string, partition: number): boolean {
    return this.end(topic, partition) !== undefined
  }

  /** Whether the partition's reading position reached its end. */
  reachedEnd(topic: string, partition: number): boolean {
    const p = this.#partitions.get(partitionKey(topic, partition))
    return p?.end !== undefined && p.next !== undefined && p.next >= p.end
  }

  /** Whether every assigned partition reached its end (false while any end or start is unknown). */
  allReachedEnd(assignment: readonly Assignment[]): boolean {
    return assignment.every(({ topic, partitions }) => partitions.every((partition) => this.reachedEnd(topic, partition)))
  }

  /** The next offset to read, or undefined while unknown. */
  next(topic: string, partition: number): bigint | undefined {
    return this.#partitions.get(partitionKey(topic, partition))?.next
  }

  /** Messages stored but not read yet over the assigned partitions, by the latest high watermarks seen. */
  lag(assignment: readonly Assignment[]): number {
    let lag = 0n
    for (const { topic, partitions } of assignment) {
      for (const partition of partitions) {
        const p = this.#partitions.get(partitionKey(topic, partition))
        if (p?.high !== undefined && p.next !== undefined && p.high > p.next) lag += p.high - p.next
      }
    }
    return Number(lag)
  }

  #get(topic: string, partition: number): PartitionProgress {
    const k = partitionKey(topic, partition)
    let p = this.#partitions.get(k)
    if (p === undefined) {
      p = { next: undefined, high: undefined, end: undefined }
      this.#partitions.set(k, p)
    }
    return p
  }
}

/**
 * The index of the first message at or past `end` in a batch (offsets increase within it), or its length when there
 * is none or no end: how much of the batch `until` lets through. Parses O(log n) offsets, and one when the whole
 * batch lies before the end, instead of one per message.
 */
export function endIndex(messages: ReadonlyArray<{ offset: string }>, end: bigint | undefined): number {
  const length = messages.length
  if (end === undefined || length === 0 || BigInt(messages[length - 1]!.offset) < end) return length
  let low = 0
  let high = length - 1
  while (low < high) {
    const middle = (low + high) >>> 1
    if (BigInt(messages[middle]!.offset) < end) low = middle + 1
    else high = middle
  }
  return low
}
