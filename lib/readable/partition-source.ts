/**
 * One topic-partition as a KafkaReadable's source, read from a start offset, committing nothing. kafkajs has no
 * group-less consumer: the reader joins a group of its own (a random id, never committed; see
 * partition-assigner.ts) and is put at its position with `seek` after each join, so the group's (absent) offsets
 * never matter. Why not a fetch path of our own: see "Partition readers" in README.md.
 */
import { randomUUID } from 'node:crypto'
import type { Admin, Consumer } from '../kafka/kafkajs'
import { OptionConflictError } from '../errors'
import { fromKafkajs } from '../kafka/kafkajs-error'
import { ClusterLink } from '../kafka/kafkajs-internals'
import { endOffsets, partitionStart } from './broker-offsets'
import { connectWithin } from './connect'
import { fetchSettings } from './fetch-settings'
import type { PartitionMode } from './options'
import { singlePartitionAssigner } from './partition-assigner'
import type { Assignment } from './progress'
import type { ReaderSource, SourceContext } from './reader-source'

/** kafkajs' default, which a partition reader has no option for: it only keeps the throwaway group alive. */
const HEARTBEAT_INTERVAL = 3000

export class PartitionSource implements ReaderSource {
  readonly consumer: Consumer
  readonly heartbeatInterval = HEARTBEAT_INTERVAL
  readonly description: string
  readonly #admin: Admin
  readonly #context: SourceContext
  readonly #mode: PartitionMode

  constructor(context: SourceContext, mode: PartitionMode) {
    this.#context = context
    this.#mode = mode
    this.description = `${mode.topic}[${mode.partition}]`
    this.consumer = context.kafka.consumer({
      groupId: `kafka-pipe-partition-reader-${randomUUID()}`,
      partitionAssigners: [singlePartitionAssigner(mode.topic, mode.partition)],
      ...fetchSettings(context.options),
    })
    this.#admin = context.kafka.admin()
  }

  /** Checks the topic and partition and finds the start before joining: a missing topic fails in one metadata round trip. */
  async connect(): Promise<void> {
    await connectWithin(this.#context.connection, async () => {
      // One plain attempt first: a wrong certificate, password or port fails now, not after kafkajs' retries.
      await ClusterLink.firstAttempt(this.#context.kafka)
      await this.#admin.connect()
      const { topic, partition } = this.#mode
      const { progress, options } = this.#context
      progress.start(topic, partition, await partitionStart(this.#admin, this.#mode))
      if (options.until !== undefined) progress.setEnd(topic, partition, (await endOffsets(this.#admin, topic, options.until)).get(partition) ?? 0n)
      await this.consumer.connect()
      await this.consumer.subscribe({ topics: [topic] }).catch((err: unknown) => {
        throw fromKafkajs(err, `subscribing to ${this.description}`)
      })
    })
  }

  /** Every join (also after a lost session) resumes where this reader is: the throwaway group has no offsets. */
  async joined(assignment: Assignment[]): Promise<void> {
    const { topic, partition } = this.#mode
    const next = this.#context.progress.next(topic, partition)
    if (next === undefined || assignment.length === 0) return
    try {
      this.consumer.seek({ topic, partition, offset: next.toString() })
    } catch (err) {
      throw fromKafkajs(err, `seeking ${this.description} to offset ${next}`)
    }
  }

  revoke(): void {}

  batchAcks(): undefined {
    return undefined
  }

  async flushBeforeRebalance(): Promise<void> {}

  async commit(): Promise<void> {
    throw new OptionConflictError('commit() needs a consumer group ("groupId"): a partition reader commits nothing')
  }

  offset(): string {
    const { topic, partition } = this.#mode
    return (this.#context.progress.next(topic, partition) ?? 0n).toString()
  }

  pendingAcks(): number {
    return 0
  }

  async finalCommit(error: Error | null): Promise<Error | null> {
    return error
  }

  async disconnect(): Promise<void> {
    await this.consumer.disconnect().catch(() => {})
    await this.#admin.disconnect().catch(() => {})
  }
}
