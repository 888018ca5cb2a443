/**
 * The acks of a batch read by a transactional reader: not tracked (the reader commits nothing), each one carrying
 * its message's position for the transactional writer that commits it (see lib/source-position.ts).
 */
import { transactionalAck } from '../source-position'
import type { MessageAcks } from './batch-acks'

export class TransactionalAcks implements MessageAcks {
  readonly #base: { transactionalId: string; groupId: string; topic: string; partition: number; generation: number; currentGeneration: () => number }
  readonly #messages: ReadonlyArray<{ offset: string }>

  constructor(
    base: { transactionalId: string; groupId: string; topic: string; partition: number; generation: number; currentGeneration: () => number },
    messages: ReadonlyArray<{ offset: string }>,
  ) {
    this.#base = base
    this.#messages = messages
  }

  ackAt(index: number): () => void {
    return transactionalAck({ ...this.#base, offset: this.#messages[index]!.offset })
  }
}
