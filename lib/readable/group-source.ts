/**
 * A consumer group as a KafkaReadable's source: kafkajs joins the group and assigns partitions; this source
 * resumes each from the group's committed offset, tracks the acks of what was read and commits, coalesced, the
 * offsets below which everything was acked. A commit the broker refuses becomes a CommitError (code
 * ERR_KAFKA_PIPE_COMMIT) whose cause is kafkajs' error and whose `retriable` is that error's.
 */
import type { Admin, Consumer, KafkaMessage } from '../kafka/kafkajs'
import { CommitError, OptionConflictError, TopicError } from '../errors'
import { fromKafkajs } from '../kafka/kafkajs-error'
import { ClusterLink } from '../kafka/kafkajs-internals'
import { AckWaiter } from './ack-waiter'
import { BatchAcks, type MessageAcks } from './batch-acks'
import { TransactionalAcks } from './transactional-acks'
import { whenWriterReady } from '../transaction-rendezvous'
import { endOffsets, groupStarts } from './broker-offsets'
import { CommitScheduler } from './commit-scheduler'
import { connectWithin } from './connect'
import { fetchSettings } from './fetch-settings'
import { OffsetTracker, type TopicPartitionOffset } from './offset-tracker'
import type { GroupMode } from './options'
import type { Assignment } from './progress'
import { isRebalanceError } from './rebalance'
import { retryingWhile } from './retrying'
import type { ReaderSource, SourceContext } from './reader-source'

/** How long a transactional reader waits for its writer's InitProducerId (the writer's default deliveryTimeout). */
const WRITER_READY_TIMEOUT = 120_000

export class GroupSource implements ReaderSource {
  readonly consumer: Consumer
  readonly heartbeatInterval: number
  readonly description: string
  readonly #admin: Admin
  readonly #context: SourceContext
  readonly #mode: GroupMode
  readonly #tracker = new OffsetTracker({ onAdvance: () => this.#scheduler.schedule() })
  readonly #scheduler: CommitScheduler
  readonly #acks = new AckWaiter()
  readonly #onAck = (): void => {
    this.#context.onAck()
    this.#acks.acked()
  }
  /** The latest join; positions loaded for an older one are dropped. */
  #generation = 0
  #closed = false

  constructor(context: SourceContext, mode: GroupMode) {
    this.#context = context
    this.#mode = mode
    this.heartbeatInterval = mode.heartbeatInterval
    this.description = `group "${mode.groupId}"`
    this.consumer = context.kafka.consumer({
      groupId: mode.groupId,
      sessionTimeout: mode.sessionTimeout,
      heartbeatInterval: mode.heartbeatInterval,
      ...fetchSettings(context.options),
    })
    this.#admin = context.kafka.admin()
    this.#scheduler = new CommitScheduler({
      tracker: this.#tracker,
      commitInterval: mode.commitInterval,
      commit: (offsets) => this.#commit(offsets),
      onError: (error, offsets) => {
        context.onCommitError()
        // A rebalance or a passing broker problem: the offsets stay committable, or are dropped by the revocation.
        if (!isRebalanceError(error) && !retriableCommitFailure(error)) {
          context.fail(new CommitError(offsets, error))
        }
      },
    })
  }

  async connect(): Promise<void> {
    await connectWithin(this.#context.connection, async () => {
      // One plain attempt first: a wrong certificate, password or port fails now, not after kafkajs' retries.
      await ClusterLink.firstAttempt(this.#context.kafka)
      await this.consumer.connect()
      await this.#admin.connect()
      await this.#subscribe()
    })
    // Not a single offset fetched before the writer's InitProducerId completed the previous instance's transaction.
    if (this.#mode.transactionalId !== undefined) await whenWriterReady(this.#mode.transactionalId, WRITER_READY_TIMEOUT)
  }

  async #subscribe(): Promise<void> {
    const mode = this.#mode
    const names = mode.topics.map(String).join(', ')
    try {
      await this.consumer.subscribe({ topics: mode.topics, fromBeginning: mode.fromBeginning })
    } catch (err) {
      const typed = fromKafkajs(err, `subscribing ${this.description} to ${names}`)
      if ((typed as { kafkaError?: string }).kafkaError !== 'UNKNOWN_TOPIC_OR_PARTITION') throw typed
      throw new TopicError(`cannot subscribe to ${names}: no such topic on the cluster (a KafkaReadable creates none)`, names, { cause: err })
    }
  }

  /** Where each newly assigned partition resumes (for `lag()` and `until`), and its `until` end. */
  async joined(assignment: Assignment[], generation: number): Promise<void> {
    this.#generation = generation
    const current = () => generation === this.#generation && !this.#closed
    const { progress, options } = this.#context
    // Brokers restarting or the coordinator moving: kafkajs' own retries may run out first; a later join supersedes this one.
    const starts = await retryingWhile(current, `reading the committed offsets of ${this.description}`, () =>
      groupStarts(this.#admin, this.#mode.groupId, assignment, this.#mode.fromBeginning),
    )
    if (starts === undefined || !current()) return
    for (const [topic, offsets] of starts) for (const [partition, next] of offsets) progress.start(topic, partition, next)
    const until = options.until
    if (until === undefined) return
    for (const { topic, partitions } of assignment) {
      if (partitions.every((p) => progress.hasEnd(topic, p))) continue
      const ends = await retryingWhile(current, `reading the end offsets of "${topic}"`, () => endOffsets(this.#admin, topic, until))
      if (ends === undefined || !current()) return
      for (const p of partitions) if (!progress.hasEnd(topic, p)) progress.setEnd(topic, p, ends.get(p) ?? 0n)
    }
  }

  revoke(topic: string, partition: number): void {
    this.#tracker.revoke(topic, partition)
  }

  batchAcks(topic: string, partition: number, generation: number, messages: KafkaMessage[]): MessageAcks {
    const { transactionalId, groupId } = this.#mode
    if (transactionalId !== undefined) {
      const currentGeneration = this.#context.generation
      return new TransactionalAcks({ transactionalId, groupId, topic, partition, generation, currentGeneration }, messages)
    }
    return new BatchAcks(this.#tracker, topic, partition, generation, messages, this.#onAck, this.#mode.ackOnRead)
  }

  flushBeforeRebalance(): Promise<void> {
    return this.#scheduler.flush().catch(() => {})
  }

  async commit(): Promise<void> {
    try {
      await this.#scheduler.flush()
    } catch (err) {
      throw new CommitError(this.#tracker.committable(), err)
    }
  }

  offset(): string {
    throw new OptionConflictError('offset() is for a partition reader; a group has one per partition')
  }

  pendingAcks(): number {
    return this.#tracker.pendingCount()
  }

  async finalCommit(error: Error | null, ended: boolean): Promise<Error | null> {
    this.#closed = true
    let failure = error
    // After a clean end, the last messages are usually still being processed: give their acks a chance.
    if (error === null && ended) await this.#acks.wait(() => this.#tracker.pendingCount(), this.#context.options.closeTimeout)
    try {
      await this.#scheduler.flush()
    } catch (err) {
      this.#context.onCommitError()
      // A reader stopped by destroy() while its coordinator moves (a rolling restart) after kafkajs' own retries:
      // what it acked is read again by the next member, which is what at-least-once promises, and running readers
      // ride out the same failure; so it stops cleanly. A batch job that ended (until) is told: its run is not done.
      const stoppedMidStream = error === null && !ended && retriableCommitFailure(err)
      if (!stoppedMidStream) failure ??= new CommitError(this.#tracker.committable(), err)
    }
    this.#scheduler.close()
    return failure
  }

  async disconnect(): Promise<void> {
    await this.consumer.disconnect().catch(() => {})
    await this.#admin.disconnect().catch(() => {})
  }

  async #commit(offsets: TopicPartitionOffset[]): Promise<void> {
    await this.consumer.commitOffsets(offsets)
    this.#context.onCommit(offsets)
  }
}

/**
 * Whether a later commit may succeed. kafkajs retries a commit a few times (about 10 s) and then throws
 * KafkaJSNumberOfRetriesExceeded, which says retriable: false; the error it wraps (a coordinator that is restarting,
 * "Broker 1 not found in the cached metadata") says whether waiting helps, and through a rolling restart it does.
 */
function retriableCommitFailure(error: unknown): boolean {
  const e = error as { name?: unknown; retriable?: unknown; cause?: unknown } | null
  const last = e?.name === 'KafkaJSNumberOfRetriesExceeded' ? (e.cause as typeof e) : e
  return last?.retriable === true
}
