import { once } from 'node:events'
import type { ClientOptions } from '../kafka/client-options'
import type { Message } from '../message'
import { KafkaWritable } from '../writable'
import type { BadLine } from './input-lines'

/** Headers of a dead letter, saying where its line came from and why it was not a record. */
export const DEAD_LETTER_HEADERS = {
  /** "line 12" on stdin, "orders.ndjson:12" in a file. */
  where: 'kafka-pipe.where',
  /** Why the line is not a record: "not JSON (...)", or the --key/--timestamp problem. */
  error: 'kafka-pipe.error',
} as const

/** The record for a line that is not a record: its bytes as they were, and headers naming the file, line and problem. */
export function deadLetter(bad: BadLine): Message {
  return {
    value: bad.bytes,
    headers: {
      [DEAD_LETTER_HEADERS.where]: bad.where,
      [DEAD_LETTER_HEADERS.error]: bad.problem,
    },
  }
}

/**
 * `--on-error dlq=TOPIC`: a second writer, for the dead-letter topic, with the same guarantees as the first (the
 * run succeeds only once the broker stored every dead letter too). Writing waits while the writer is full.
 */
export class DeadLetters {
  readonly writer: KafkaWritable
  readonly closed: Promise<void>
  /** Dead letters the broker acknowledged. */
  stored = 0
  failure: Error | undefined

  constructor(client: ClientOptions, readonly topic: string) {
    this.writer = new KafkaWritable({ ...client, topic })
    this.writer.on('delivery', ({ count }) => (this.stored += count))
    this.writer.on('error', (err: Error) => (this.failure ??= err))
    this.closed = new Promise((resolve) => this.writer.once('close', () => resolve()))
  }

  async write(bad: BadLine, signal: AbortSignal): Promise<void> {
    if (this.writer.destroyed) return
    if (!this.writer.write(deadLetter(bad))) await once(this.writer, 'drain', { signal }).catch(() => {})
  }

  /** Flushes and waits until every dead letter was stored (or the writer failed). */
  async end(): Promise<void> {
    if (!this.writer.destroyed) this.writer.end()
    await this.closed
  }
}
