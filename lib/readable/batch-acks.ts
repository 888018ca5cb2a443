/**
 * The acks of one fetched batch's messages. What a per-message `tracker.track(...)` did for every message is paid
 * once per batch: the partition's assignment (epoch) is looked up once, offsets become plain numbers (a bigint
 * only beyond 2^53), and each message gets a single small closure, own property of the message so that it works
 * unbound (`{ ..., ack: msg.ack }` handed to a KafkaWritable). A batch's offsets are usually consecutive (no
 * compaction, no transaction markers): then two are parsed and the others computed.
 */
import type { Epoch } from './epoch'
import type { OffsetTracker } from './offset-tracker'

const MAX_SAFE = Number.MAX_SAFE_INTEGER

/** The ack of a message that is not tracked: a partition reader's, a stale generation's, or one acked on read. */
export const noAck = (): void => {}

/** The acks of one fetched batch, taken in order, one per message. */
export interface MessageAcks {
  ackAt(index: number): () => void
}

export class BatchAcks implements MessageAcks {
  readonly #tracker: OffsetTracker
  readonly #topic: string
  readonly #partition: number
  readonly #generation: number
  readonly #onAck: () => void
  readonly #ackOnRead: boolean
  readonly #messages: ReadonlyArray<{ offset: string }>
  /** The first offset, when the batch's offsets are consecutive safe integers; else NaN. */
  readonly #first: number
  #epoch: Epoch | undefined

  /**
   * `generation` is the one the batch was fetched under; `onAck` runs after each ack that counted (first ack, epoch
   * still live); with `ackOnRead` every message is acked as it is tracked and gets `noAck`.
   */
  constructor(
    tracker: OffsetTracker,
    topic: string,
    partition: number,
    generation: number,
    messages: ReadonlyArray<{ offset: string }>,
    onAck: () => void,
    ackOnRead: boolean,
  ) {
    this.#tracker = tracker
    this.#messages = messages
    this.#first = consecutiveFrom(messages)
    this.#topic = topic
    this.#partition = partition
    this.#generation = generation
    this.#onAck = onAck
    this.#ackOnRead = ackOnRead
    this.#epoch = tracker.epoch(topic, partition, generation)
  }

  /** Tracks the batch's message at `index` (messages are taken in order) and returns its ack. */
  ackAt(index: number): () => void {
    const epoch = this.#epoch
    if (epoch === undefined) return noAck
    let ticket: number
    try {
      ticket = this.#first === this.#first ? epoch.track(this.#first + index) : track(epoch, this.#messages[index]!.offset)
    } catch (err) {
      // kafkajs reset the position (offset out of range) within an assignment: start counting from here.
      if (!(err instanceof RangeError)) throw err
      const offset = this.#messages[index]!.offset
      this.#tracker.seek(this.#topic, this.#partition, offset)
      return this.#restart(offset)
    }
    return this.#ackFunction(epoch, ticket)
  }

  #restart(offset: string): () => void {
    const epoch = this.#tracker.epoch(this.#topic, this.#partition, this.#generation)
    this.#epoch = epoch
    return epoch === undefined ? noAck : this.#ackFunction(epoch, track(epoch, offset))
  }

  #ackFunction(epoch: Epoch, ticket: number): () => void {
    if (this.#ackOnRead) {
      epoch.ack(ticket)
      return noAck
    }
    return ackFunction(epoch, ticket, this.#onAck)
  }
}

/** The first offset when the messages' offsets are consecutive safe integers (the last is first + length - 1), else NaN. */
function consecutiveFrom(messages: ReadonlyArray<{ offset: string }>): number {
  if (messages.length === 0) return Number.NaN
  const first = Number(messages[0]!.offset)
  const last = Number(messages[messages.length - 1]!.offset)
  // Offsets increase within a batch, so n of them spanning exactly n values are all of those values.
  return last <= MAX_SAFE && Number.isInteger(first) && last - first === messages.length - 1 ? first : Number.NaN
}

function track(epoch: Epoch, offset: string): number {
  const value = Number(offset)
  return value <= MAX_SAFE ? epoch.track(value) : epoch.trackBig(BigInt(offset))
}

/** Outside the class so that the closure holds three values and nothing else. */
function ackFunction(epoch: Epoch, ticket: number, onAck: () => void): () => void {
  return () => {
    if (epoch.ack(ticket)) onAck()
  }
}
