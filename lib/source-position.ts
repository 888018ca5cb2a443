/**
 * How a message read by a transactional KafkaReadable tells a transactional KafkaWritable where it came from: its
 * `ack` function carries, under a symbol users never type, the group, partition, offset and group generation it was
 * read under, and which transactionalId the reader was paired with. The user passes `ack: msg.ack` on to the
 * derived message, as in an at-least-once pipeline, and the writer commits the source offsets in the transaction
 * that holds the output. Calling such an ack is an error: the writer's transaction commits these offsets.
 */
import { TransactionError } from './errors'

export const SOURCE_POSITION: unique symbol = Symbol('kafka-pipe.sourcePosition')

/** Where a message of a transactional reader came from. */
export interface SourcePosition {
  /** The transactionalId the reader was given: only a writer with the same one may commit its offsets. */
  readonly transactionalId: string
  readonly groupId: string
  readonly topic: string
  readonly partition: number
  readonly offset: string
  /** The reader's generation when the message was read: it moves on with each group join and each rewind. */
  readonly generation: number
  /** The reader's generation now: a newer one means the group rebalanced, or the reader rewound, since the message was read. */
  readonly currentGeneration: () => number
}

type PositionedAck = (() => void) & { [SOURCE_POSITION]?: SourcePosition }

/** The ack of a transactional reader's message: it throws, naming the fix, and carries its position. */
export function transactionalAck(position: SourcePosition): () => void {
  const ack: PositionedAck = () => {
    throw new TransactionError(
      `${position.topic}[${position.partition}]@${position.offset} comes from a KafkaReadable with transactionalId ` +
        `"${position.transactionalId}", whose offsets only a KafkaWritable with that transactionalId commits (inside its ` +
        'transactions); it cannot be acked: pass `ack: msg.ack` to such a writer, or drop "transactionalId" from the reader ' +
        'for an at-least-once pipeline',
    )
  }
  ack[SOURCE_POSITION] = position
  return ack
}

/** The position an ack carries, if it is a transactional reader's. */
export function sourcePositionOf(ack: unknown): SourcePosition | undefined {
  return typeof ack === 'function' ? (ack as PositionedAck)[SOURCE_POSITION] : undefined
}

/**
 * Whether the message was read before its reader's latest rebalance or rewind: the reader (or another member) reads
 * it again from the committed offset, so this copy must not be written.
 */
export function isStale(position: SourcePosition): boolean {
  return position.currentGeneration() !== position.generation
}
