/**
 * The transactional producer's control requests (KIP-98), each to its coordinator: InitProducerId (which bumps the
 * epoch for our transactionalId, fencing any older instance and aborting its open transaction), AddPartitionsToTxn
 * before the first produce to a partition, AddOffsetsToTxn + TxnOffsetCommit for the source group's offsets, and
 * EndTxn. kafkajs encodes these small requests (versions 0-1); the produce requests and their record batches stay ours.
 *
 * Errors: a coordinator that moved or is loading (NOT_COORDINATOR, COORDINATOR_*), CONCURRENT_TRANSACTIONS (the
 * previous transaction is still completing) and network failures are retried with backoff until the retry policy's
 * timeout (the writer's deliveryTimeout), rediscovering the coordinator; a newer epoch (INVALID_PRODUCER_EPOCH,
 * PRODUCER_FENCED) is a FencedError; anything else fails the call with its typed error.
 */
import { BrokerError, FencedError, KafkaPipeError, NetworkError } from '../errors'
import { fromKafkajs } from '../kafka/kafkajs-error'
import { CoordinatorType, type BrokerLink, type ClusterLink, type TransactionalProducer, type TxnOffsetTopic } from '../kafka/kafkajs-internals'
import { retryUntil, type RetryPolicy } from '../kafka/retry'
import { ErrorCodes } from '../protocol/error-codes'
import type { ProducerIds } from './producer-session'

/** What a TransactionalProduceClient asks of the transaction coordinator (the unit tests pass a fake). */
export interface TransactionControl {
  readonly transactionalId: string
  /** Adds partitions to the open transaction (starting it with the first). */
  addPartitions(partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void>
  /** Commits the group's offsets (next offset to read) as part of the open transaction. */
  sendOffsets(groupId: string, topics: TxnOffsetTopic[]): Promise<void>
  /** Commits (true) or aborts (false) the open transaction. */
  end(commit: boolean): Promise<void>
}

/** Codes that mean: ask again, after finding the coordinator again. */
const COORDINATOR_MOVED: ReadonlySet<number> = new Set([ErrorCodes.NOT_COORDINATOR, ErrorCodes.COORDINATOR_NOT_AVAILABLE, ErrorCodes.COORDINATOR_LOAD_IN_PROGRESS])
const CONCURRENT_TRANSACTIONS = ErrorCodes.CONCURRENT_TRANSACTIONS
/** The first wait before asking again after CONCURRENT_TRANSACTIONS, ms. */
const CONCURRENT_BACKOFF = 20
const FENCED: ReadonlySet<number> = new Set([ErrorCodes.INVALID_PRODUCER_EPOCH, ErrorCodes.PRODUCER_FENCED])

export class TransactionManager implements TransactionControl {
  readonly transactionalId: string
  readonly #link: ClusterLink
  readonly #retry: RetryPolicy
  readonly #transactionTimeout: number
  readonly #coordinators = new Map<string, Promise<BrokerLink>>()
  #ids: ProducerIds | undefined

  constructor(link: ClusterLink, options: { transactionalId: string; transactionTimeout: number; retry: RetryPolicy }) {
    this.#link = link
    this.transactionalId = options.transactionalId
    this.#transactionTimeout = options.transactionTimeout
    this.#retry = options.retry
  }

  /** A new epoch for our transactionalId: older instances are fenced, and their open transaction is aborted. */
  async initProducerId(): Promise<ProducerIds> {
    const ids = await this.#call(`getting a producer id for transactionalId "${this.transactionalId}" (InitProducerId)`, this.#txnKey(), (broker) =>
      broker.initProducerId(this.#transactionTimeout, this.transactionalId),
    )
    this.#ids = ids
    return ids
  }

  async addPartitions(partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void> {
    const byTopic = new Map<string, number[]>()
    for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition])
    const topics = [...byTopic].map(([topic, list]) => ({ topic, partitions: list }))
    const names = partitions.map((p) => `${p.topic}[${p.partition}]`).join(', ')
    await this.#call(`adding ${names} to the transaction (AddPartitionsToTxn)`, this.#txnKey(), (broker) => broker.addPartitionsToTxn(this.#producer(), topics))
  }

  async sendOffsets(groupId: string, topics: TxnOffsetTopic[]): Promise<void> {
    await this.#call(`adding group "${groupId}"'s offsets to the transaction (AddOffsetsToTxn)`, this.#txnKey(), (broker) =>
      broker.addOffsetsToTxn(this.#producer(), groupId),
    )
    await this.#call(`committing group "${groupId}"'s offsets in the transaction (TxnOffsetCommit)`, { key: groupId, type: CoordinatorType.GROUP }, (broker) =>
      broker.txnOffsetCommit(this.#producer(), groupId, topics),
    )
  }

  async end(commit: boolean): Promise<void> {
    await this.#call(`${commit ? 'committing' : 'aborting'} the transaction (EndTxn)`, this.#txnKey(), (broker) => broker.endTxn(this.#producer(), commit))
  }

  #txnKey(): { key: string; type: number } {
    return { key: this.transactionalId, type: CoordinatorType.TRANSACTION }
  }

  #producer(): TransactionalProducer {
    const ids = this.#ids
    if (!ids) throw new KafkaPipeError('ERR_KAFKA_PIPE_TRANSACTION', 'a transactional request before InitProducerId: a bug in kafka-pipe')
    return { transactionalId: this.transactionalId, producerId: ids.producerId, producerEpoch: ids.producerEpoch }
  }

  /**
   * One request to a coordinator, retried as the file's comment says. CONCURRENT_TRANSACTIONS is the usual answer to
   * the first request of a transaction right after a commit (the coordinator is still writing the markers of the
   * previous one): asked again soon, from 20 ms doubling up to `backoff` (the Java client waits 20 ms), at the same
   * coordinator.
   */
  #call<T>(doing: string, coordinator: { key: string; type: number }, request: (broker: BrokerLink) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#retry.timeout
    return retryUntil(this.#retry, doing, async () => {
      for (let wait = CONCURRENT_BACKOFF; ; wait = Math.min(wait * 2, Math.max(CONCURRENT_BACKOFF, this.#retry.backoff))) {
        try {
          return await this.#attempt(doing, coordinator, request)
        } catch (err) {
          const concurrent = err instanceof BrokerError && err.kafkaCode === CONCURRENT_TRANSACTIONS
          if (!concurrent || Date.now() + wait >= deadline) throw err
          await new Promise((resolve) => setTimeout(resolve, wait))
        }
      }
    })
  }

  async #attempt<T>(doing: string, coordinator: { key: string; type: number }, request: (broker: BrokerLink) => Promise<T>): Promise<T> {
    const cacheKey = `${coordinator.type}:${coordinator.key}`
    let pending = this.#coordinators.get(cacheKey)
    // Kept between calls; a failure other than CONCURRENT_TRANSACTIONS forgets it, so the next attempt asks which
    // broker coordinates now.
    if (!pending) this.#coordinators.set(cacheKey, (pending = this.#link.coordinator(coordinator.key, coordinator.type)))
    try {
      return await request(await pending)
    } catch (err) {
      // No broker named a coordinator yet: on a new cluster the transaction log (__transaction_state) is created by
      // the first transactional request and answers COORDINATOR_NOT_AVAILABLE until it is; kafkajs reports that so.
      if ((err as { name?: string } | null)?.name === 'KafkaJSGroupCoordinatorNotFound') {
        this.#coordinators.delete(cacheKey)
        throw new NetworkError(doing, err, true, 'no broker named the coordinator yet (the transaction log may still be being created)')
      }
      const typed = fromKafkajs(err, doing)
      const code = typed instanceof BrokerError ? typed.kafkaCode : undefined
      if (code === CONCURRENT_TRANSACTIONS) throw retriable(typed, doing)
      this.#coordinators.delete(cacheKey)
      if (code !== undefined && FENCED.has(code)) throw new FencedError(this.transactionalId, doing, typed)
      if (code !== undefined && COORDINATOR_MOVED.has(code)) throw retriable(typed, doing)
      throw typed
    }
  }
}

function retriable(error: KafkaPipeError, doing: string): KafkaPipeError {
  if (error.retriable) return error
  const e = error as BrokerError
  return new BrokerError(doing, e.kafkaCode, e.kafkaError, true, null, undefined, error)
}
