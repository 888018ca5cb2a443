/**
 * Where a KafkaReadable's messages come from: a consumer group, or one partition. The stream owns buffering,
 * backpressure, decoding and `until`; a source owns the kafkajs consumer and whatever its mode adds (the
 * group's commits, the partition reader's start position). Both sources hand batches to the same eachBatch, so
 * the per-message path is the same code in both modes.
 */
import type { Consumer, Kafka, KafkaMessage } from '../kafka/kafkajs'
import type { MessageAcks } from './batch-acks'
import type { ConnectionTarget } from './connect'
import type { TopicPartitionOffset } from './offset-tracker'
import type { ResolvedReadableOptions } from './options'
import type { Assignment, Progress } from './progress'

/** What a source needs of the stream that drives it. */
export interface SourceContext {
  kafka: Kafka
  options: ResolvedReadableOptions
  connection: ConnectionTarget
  progress: Progress
  /** Runs after each ack that counted. */
  onAck(): void
  /** Offsets the broker accepted. */
  onCommit(offsets: TopicPartitionOffset[]): void
  /** A commit that failed (the source decides whether the stream goes on). */
  onCommitError(): void
  /** A failure the stream cannot go on from: destroys it. */
  fail(error: Error): void
  /** The stream's generation now: it moves on with each group join and each rewind of a transactional reader. */
  generation(): number
}

export interface ReaderSource {
  readonly consumer: Consumer
  /** How often the stream heartbeats while it holds a batch and waits for room, ms. */
  readonly heartbeatInterval: number
  /** What is read, for error messages: `group "g"`, `t[0]`. */
  readonly description: string
  /** Connects and subscribes; typed errors for a missing topic or partition, an unreachable cluster. */
  connect(): Promise<void>
  /** After each group join: positions the assigned partitions; resolves once their start (and `until` end) are known. */
  joined(assignment: Assignment[], generation: number): Promise<void>
  /** A partition left this reader: what was read of it can no longer be committed. */
  revoke(topic: string, partition: number): void
  /** The acks of one batch read under `generation`; undefined where nothing is committed. Once per batch. */
  batchAcks(topic: string, partition: number, generation: number, messages: KafkaMessage[]): MessageAcks | undefined
  /** Commits what was acked now (a rebalance is coming); never throws. */
  flushBeforeRebalance(): Promise<void>
  /** `KafkaReadable.commit()`. */
  commit(): Promise<void>
  /** `KafkaReadable.offset()`. */
  offset(): string
  /** Messages read and not acked yet. */
  pendingAcks(): number
  /** On close, the final commit (after a clean end: once the last acks came or `closeTimeout` passed); the error to close with. */
  finalCommit(error: Error | null, ended: boolean): Promise<Error | null>
  /** Disconnects the kafkajs clients; never throws. */
  disconnect(): Promise<void>
}
