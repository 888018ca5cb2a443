import type { Assignment } from './progress'

/** What `KafkaReadable.stats()` returns: counters since the stream started, then gauges of this moment. */
export interface ReaderStats {
  /** Messages pushed into the stream. */
  messages: number
  /** Bytes (keys + values) of those messages. */
  bytes: number
  /** Acks that counted (first ack of a message, under the assignment it was read in). */
  acks: number
  /** Commits the broker accepted. */
  commits: number
  /** Commits that failed (a rebalance, a broker problem); their offsets were retried or dropped with the partition. */
  commitErrors: number
  /** Group joins: the first assignment and every rebalance after it. */
  rebalances: number
  /** Times fetching paused because the stream's buffer was full. */
  pauses: number
  /** Transactional reader: times it read again from the committed offsets after its writer aborted a transaction. */
  rewinds: number
  /** Messages in the stream's buffer now. */
  buffered: number
  /** Bytes of those messages. */
  bufferedBytes: number
  /** Messages read and not acked yet (group mode). */
  pendingAcks: number
  /** Messages stored in the assigned partitions and not read yet, as of the latest fetch. */
  lag: number
  /** The partitions this reader owns now. */
  assignment: Assignment[]
}

export type ReaderCounters = Pick<ReaderStats, 'messages' | 'bytes' | 'acks' | 'commits' | 'commitErrors' | 'rebalances' | 'pauses' | 'rewinds'>

export function newReaderStats(): ReaderCounters {
  return { messages: 0, bytes: 0, acks: 0, commits: 0, commitErrors: 0, rebalances: 0, pauses: 0, rewinds: 0 }
}
