/**
 * The pairing rules of a transactional writer, checked on every message it is given, so that a pipeline that would
 * not be exactly once fails at its first message with a TransactionError saying what to change:
 * - a message's `ack` must be a transactional KafkaReadable's with the writer's transactionalId (an ack of a reader
 *   that commits its own offsets, or any other function, would commit outside the transaction);
 * - all of them come from one consumer group;
 * - either every message carries its source's ack, or none does (a writer used for atomic batches, not a copy):
 *   a derived message without it would let its source offset go uncommitted, and come again after a restart.
 */
import { TransactionError } from '../errors'
import type { Message } from '../message'
import { sourcePositionOf } from '../source-position'

export class SourceCheck {
  readonly #transactionalId: string
  #groupId: string | undefined
  #sourced: boolean | undefined

  constructor(transactionalId: string) {
    this.#transactionalId = transactionalId
  }

  check(message: Message): void {
    const id = this.#transactionalId
    const ack = message?.ack
    const position = sourcePositionOf(ack)
    if (ack !== undefined && position === undefined) {
      throw new TransactionError(
        `a KafkaWritable with transactionalId "${id}" got a message whose ack is not from a transactional KafkaReadable: ` +
          `that reader commits its own offsets, outside this writer's transactions. Give the KafkaReadable transactionalId: "${id}" ` +
          '(its offsets then commit in the transaction that holds the output), or leave "ack" out of the written messages',
      )
    }
    const sourced = position !== undefined
    if (this.#sourced !== undefined && this.#sourced !== sourced) {
      throw new TransactionError(
        `a KafkaWritable with transactionalId "${id}" got messages with the ack of the message they came from and messages ` +
          'without one: in a transactional copy every written message must carry `ack: msg.ack` of its source message, or its ' +
          'source offset is not committed and it is copied again after a restart',
      )
    }
    this.#sourced = sourced
    if (!position) return
    if (position.transactionalId !== id) {
      throw new TransactionError(
        `a KafkaWritable with transactionalId "${id}" got a message of the KafkaReadable with transactionalId ` +
          `"${position.transactionalId}": give the reader and the writer of one pipeline the same transactionalId`,
      )
    }
    if (this.#groupId !== undefined && this.#groupId !== position.groupId) {
      throw new TransactionError(
        `a KafkaWritable with transactionalId "${id}" is fed by two consumer groups ("${this.#groupId}" and "${position.groupId}"): ` +
          'one transactional writer commits the offsets of one group; give each reader its own writer and transactionalId',
      )
    }
    this.#groupId = position.groupId
  }
}
