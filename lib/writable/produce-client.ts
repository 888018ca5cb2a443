import type { Kafka } from '../kafka/kafkajs'
import { BrokerError, FencedError, KafkaPipeError, NetworkError, TimeoutError, TransactionError } from '../errors'
import { closedBeforeAnswering, connectError, type ConnectSettings } from '../kafka/connect-error'
import { fromKafkajs } from '../kafka/kafkajs-error'
import { ClusterLink, type BrokerLink } from '../kafka/kafkajs-internals'
import { partitionKey } from '../kafka/partition-key'
import { backoffDelay, retryUntil, type RetryPolicy } from '../kafka/retry'
import { TopicMetadata } from '../kafka/topic-metadata'
import { ErrorCodes, kafkaErrorCode } from '../protocol/error-codes'
import {
  decodeProduceResponse,
  encodeProduceRequest,
  MAX_PRODUCE_VERSION,
  MIN_PRODUCE_VERSION,
  PRODUCE_API_KEY,
  type ProducePartitionResponse,
  type ProduceTopicData,
} from '../protocol/produce'
import { encodeRecordBatch, stampRecordBatch, type CompressionCode, type RecordInput } from '../protocol/record-batch'
import { DeadlineQueue } from './deadline-queue'
import { PendingBatch } from './pending-batch'
import { ProducerSession } from './producer-session'
import { TransactionManager, type TransactionControl } from './transaction-manager'

/** The records of one partition that leave as one record batch. */
export interface ProduceBatch {
  topic: string
  partition: number
  records: readonly RecordInput[]
}

/**
 * What produce() gives for a batch it did not send and must not report as stored or failed: a transactional writer's
 * batch of an aborted transaction, whose messages the reader reads again. Its writes complete; no 'delivery' event.
 */
export const DISCARDED: unique symbol = Symbol('kafka-pipe.discarded')

/** What a KafkaWritable needs from Kafka; the fake in the unit tests implements it too. */
export interface ProduceClient {
  connect(): Promise<void>
  disconnect(): Promise<void>
  /** The topic's partition ids if known, else undefined (then loadTopics() first). */
  partitions(topic: string): readonly number[] | undefined
  /** Fetches topics' partitions (creating topics if allowed); rejects with a TopicError for a missing topic. */
  loadTopics(topics: readonly string[]): Promise<void>
  /**
   * Sends one partition batch, retrying retriable errors; resolves with the offset of its first record (null with
   * acks 0) once the broker stored it, or rejects with the final error, at the latest `deliveryTimeout` ms after
   * the call. Batches given in the same tick travel in one produce request per leader. DISCARDED: see there.
   */
  produce(batch: ProduceBatch): Promise<string | null | typeof DISCARDED>
  /** Produce requests sent so far. */
  readonly requestCount: number
  /** With a transactionalId: the transaction coordinator's requests for this producer. */
  readonly transactions?: TransactionControl | undefined
  /**
   * With a transactionalId, once nothing is on the wire: a new producer epoch (InitProducerId again). The coordinator
   * aborts the open transaction and answers once it is complete, so the group's committed offsets are final; every
   * partition's sequence starts again at 0, also one whose last batch has an unknown outcome.
   */
  newEpoch?(): Promise<void>
}

export interface KafkaProduceClientOptions {
  allowAutoTopicCreation: boolean
  metadataMaxAge: number
  idempotent: boolean
  acks: -1 | 0 | 1
  ackTimeout: number
  compression: CompressionCode
  maxAttempts: number
  backoff: number
  maxBackoff: number
  /** The longest time from produce() to its answer, ms; also bounds connecting, InitProducerId and topic lookups. */
  deliveryTimeout: number
  /**
   * Makes the producer transactional: InitProducerId with this id (fencing older instances), produce requests that
   * name it and batches with the transactional bit. Needs `idempotent`. Default none.
   */
  transactionalId?: string
  /** How long the coordinator lets a transaction stay open before it aborts it, ms. Used with `transactionalId`. */
  transactionTimeout?: number
  /** Whether ssl and sasl are set: a connection closed before any answer then points at them. Default: not judged. */
  connectSettings?: ConnectSettings
}

const INIT_PRODUCER_ID = 'getting a producer id (InitProducerId) for the idempotent producer'

/** Errors that mean the broker's idempotence state and ours disagree: a new producer id fixes them. */
const SESSION_ERRORS: ReadonlySet<number> = new Set([
  ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER,
  ErrorCodes.UNKNOWN_PRODUCER_ID,
  ErrorCodes.INVALID_PRODUCER_EPOCH,
])

/**
 * Our own produce path: record batches encoded by lib/protocol, one Produce request per leader on kafkajs'
 * connections, per-partition results. Retriable errors are retried per partition with a metadata refresh and
 * backoff until the batch's deliveryTimeout; the idempotent producer's ids and sequences are ours (ProducerSession).
 *
 * Known limits: a batch that expires while its request is on the wire may still be stored (its TimeoutError says
 * so). With acks 0 nothing answers, so only a failure to connect or send is retried: a broker that is handing
 * leadership over drops acks-0 batches without a word, and they are lost.
 */
export class KafkaProduceClient implements ProduceClient {
  readonly #link: ClusterLink
  readonly #metadata: TopicMetadata
  readonly #o: KafkaProduceClientOptions
  readonly #session: ProducerSession | undefined
  readonly transactions: TransactionManager | undefined
  readonly #retry: RetryPolicy
  readonly #deadlines: DeadlineQueue<PendingBatch>
  #queue: PendingBatch[] = []
  #scheduled = false
  #staleLeaders = false
  #closed = false
  requestCount = 0

  constructor(kafka: Kafka, o: KafkaProduceClientOptions) {
    this.#o = o
    this.#deadlines = new DeadlineQueue(o.deliveryTimeout, (p) => this.#expire(p))
    this.#retry = { backoff: o.backoff, maxBackoff: o.maxBackoff, maxAttempts: o.maxAttempts, timeout: o.deliveryTimeout, timeoutOption: 'deliveryTimeout' }
    this.#link = new ClusterLink(kafka, { allowAutoTopicCreation: o.allowAutoTopicCreation, metadataMaxAge: o.metadataMaxAge })
    this.#metadata = new TopicMetadata(this.#link, { allowAutoTopicCreation: o.allowAutoTopicCreation, maxAge: o.metadataMaxAge, retry: this.#retry })
    const txn = o.transactionalId
    this.transactions = txn === undefined ? undefined : new TransactionManager(this.#link, { transactionalId: txn, transactionTimeout: o.transactionTimeout ?? 60_000, retry: this.#retry })
    const transactions = this.transactions
    this.#session = !o.idempotent ? undefined : new ProducerSession(transactions ? () => transactions.initProducerId() : () => this.#initProducerId())
  }

  /**
   * Connects (any bootstrap broker will do; a refused one is tried again, or the next) and gets the idempotent
   * producer's id, both within one deliveryTimeout.
   */
  async connect(): Promise<void> {
    const startedAt = Date.now()
    const settings = this.#o.connectSettings
    await retryUntil(this.#retry, 'connecting to the cluster', async () => {
      try {
        await this.#link.connect()
        // A SASL listener answers ApiVersions before authentication, so a client that forgot `sasl` only learns it here.
        await this.#link.refresh()
      } catch (err) {
        // A broker that closes the connection before answering points at the ssl/sasl settings (a TLS listener does
        // that to a plaintext client): say so now instead of retrying for deliveryTimeout.
        throw settings && closedBeforeAnswering(err) ? connectError(err, 'the cluster', settings) : err
      }
    })
    const session = this.#session
    if (!session) return
    const left = { ...this.#retry, timeout: Math.max(1, this.#o.deliveryTimeout - (Date.now() - startedAt)), limit: this.#o.deliveryTimeout }
    await retryUntil(left, INIT_PRODUCER_ID, () => session.ensure())
  }

  async disconnect(): Promise<void> {
    this.#closed = true
    await this.#link.disconnect()
  }

  async newEpoch(): Promise<void> {
    const session = this.#session
    if (!session || !this.transactions) throw new TransactionError('a new producer epoch is for a transactional writer')
    const ids = session.ids
    if (ids) session.reset(ids.producerId)
    // The transaction manager retries InitProducerId (CONCURRENT_TRANSACTIONS while the abort completes, a moved
    // coordinator) within deliveryTimeout.
    await session.ensure()
  }

  partitions(topic: string): readonly number[] | undefined {
    return this.#metadata.cached(topic)
  }

  loadTopics(topics: readonly string[]): Promise<void> {
    return this.#metadata.load(topics)
  }

  produce(batch: ProduceBatch): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const key = partitionKey(batch.topic, batch.partition)
      this.#queue.push(new PendingBatch(batch, key, this.#deadlines, resolve, reject))
      this.#schedule()
    })
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    process.nextTick(() => {
      this.#scheduled = false
      void this.#flush()
    })
  }

  /** Sends everything queued: one request per leader, after a metadata refresh if a leader is unknown or moved. */
  async #flush(): Promise<void> {
    const pending = this.#queue.filter((p) => !p.settled)
    this.#queue = []
    if (this.#staleLeaders || pending.some((p) => this.#metadata.leader(p.batch.topic, p.batch.partition) === undefined)) {
      this.#staleLeaders = false
      try {
        await this.#metadata.refreshLeaders()
      } catch (err) {
        for (const p of pending) this.#retryOrFail(p, asRetriable(err, 'refreshing metadata'))
        return
      }
    }
    const byLeader = new Map<number, PendingBatch[]>()
    for (const p of pending) {
      const leader = this.#metadata.leader(p.batch.topic, p.batch.partition)
      if (leader === undefined) {
        this.#retryOrFail(p, new BrokerError(`${p.batch.topic}[${p.batch.partition}]`, 5, 'LEADER_NOT_AVAILABLE', true, 'the partition has no leader right now'))
        continue
      }
      let group = byLeader.get(leader)
      if (!group) byLeader.set(leader, (group = []))
      group.push(p)
    }
    for (const [leader, group] of byLeader) void this.#send(leader, group)
  }

  async #send(leader: number, group: PendingBatch[]): Promise<void> {
    let broker: BrokerLink
    let version: number
    try {
      broker = await this.#link.broker(leader)
      version = broker.version(PRODUCE_API_KEY, MIN_PRODUCE_VERSION, MAX_PRODUCE_VERSION) ?? unsupported(leader)
    } catch (err) {
      this.#staleLeaders = true
      for (const p of group) this.#retryOrFail(p, asRetriable(err, `connecting to broker ${leader}`))
      return
    }
    const encoded: PendingBatch[] = []
    for (const p of group) {
      if (p.settled) continue
      try {
        await this.#encode(p)
        encoded.push(p)
      } catch (err) {
        this.#retryOrFail(p, asRetriable(err, `encoding the batch for ${p.batch.topic}[${p.batch.partition}]`, false))
      }
    }
    if (encoded.length === 0) return
    group = encoded
    const body = encodeProduceRequest({ transactionalId: this.#o.transactionalId ?? null, acks: this.#o.acks, timeoutMs: this.#o.ackTimeout, topics: topicData(group) })
    let answer: Buffer | null
    for (const p of group) p.inFlight = true
    try {
      this.requestCount++
      answer = await broker.send({ apiKey: PRODUCE_API_KEY, apiVersion: version, apiName: 'Produce', body, expectResponse: this.#o.acks !== 0 })
    } catch (err) {
      this.#staleLeaders = true
      for (const p of group) p.inFlight = false
      for (const p of group) this.#retryOrFail(p, asRetriable(err, `sending to broker ${leader}`))
      return
    }
    for (const p of group) p.inFlight = false
    if (answer === null) {
      for (const p of group) p.resolve(null)
      return
    }
    let results: Map<string, ProducePartitionResponse>
    try {
      results = new Map(decodeProduceResponse(version, answer).partitions.map((r) => [partitionKey(r.topic, r.partition), r]))
    } catch (err) {
      for (const p of group) this.#retryOrFail(p, asRetriable(err, `reading broker ${leader}'s answer`))
      return
    }
    for (const p of group) this.#settle(p, results.get(p.key))
  }

  /** Encodes the batch once; stamps it again if the producer id changed since (a retry after a reset). */
  async #encode(p: PendingBatch): Promise<void> {
    const ids = this.#session ? await this.#session.ensure() : undefined
    if (p.encoded && (!ids || ids.producerId === p.producerId)) return
    const count = p.batch.records.length
    const baseSequence = ids ? this.#session!.take(p.key, count) : -1
    const producerId = ids?.producerId ?? -1n
    const producerEpoch = ids?.producerEpoch ?? -1
    if (p.encoded) stampRecordBatch(p.encoded, { producerId, producerEpoch, baseSequence })
    else {
      const transactional = this.#o.transactionalId !== undefined
      p.encoded = await encodeRecordBatch(p.batch.records, { compression: this.#o.compression, producerId, producerEpoch, baseSequence, transactional })
    }
    p.producerId = producerId
    p.baseSequence = baseSequence
  }

  #settle(p: PendingBatch, r: ProducePartitionResponse | undefined): void {
    const where = `${p.batch.topic}[${p.batch.partition}]`
    if (!r) return this.#retryOrFail(p, new BrokerError(where, -1, 'NO_RESULT', true, 'the produce response did not mention this partition'))
    if (r.errorCode === ErrorCodes.NONE) return p.resolve(r.baseOffset.toString())
    // Stored by an earlier attempt whose answer was lost: the broker recognised the sequence.
    if (r.errorCode === ErrorCodes.DUPLICATE_SEQUENCE_NUMBER) return p.resolve(r.baseOffset >= 0n ? r.baseOffset.toString() : null)
    const known = kafkaErrorCode(r.errorCode)
    const detail = r.errorMessage ?? r.recordErrors.map((e) => `record ${e.batchIndex}: ${e.message ?? 'rejected'}`).join(', ')
    const txn = this.#o.transactionalId
    if (txn !== undefined && (r.errorCode === ErrorCodes.INVALID_PRODUCER_EPOCH || r.errorCode === ErrorCodes.PRODUCER_FENCED)) {
      return this.#fail(p, new FencedError(txn, `storing a batch in ${where}`, new BrokerError(where, r.errorCode, known.name, false, detail || null)))
    }
    if (txn !== undefined && SESSION_ERRORS.has(r.errorCode)) {
      // A transaction cannot skip a batch or start its sequences again: it must be aborted.
      const cause = new BrokerError(where, r.errorCode, known.name, false, detail || null)
      // Retriable: a new producer epoch starts the sequences again (transactionRetries).
      return this.#fail(p, new TransactionError(`the broker refused a batch of the transaction in ${where} (${known.name}): the transaction is aborted`, cause, true))
    }
    if (this.#session && SESSION_ERRORS.has(r.errorCode)) {
      this.#session.reset(p.producerId)
      return this.#retryOrFail(p, new BrokerError(where, r.errorCode, known.name, true, detail || null, 'a new producer id was requested'))
    }
    if (known.retriable) this.#staleLeaders = true
    this.#retryOrFail(p, new BrokerError(where, r.errorCode, known.name, known.retriable, detail || null, known.hint))
  }

  /**
   * After a failed attempt: try again after a backoff if the error is retriable and attempts are left, else fail.
   * The deadline timer fails the batch meanwhile if deliveryTimeout passes first.
   */
  #retryOrFail(p: PendingBatch, error: KafkaPipeError): void {
    if (p.settled) return
    p.attempts++
    p.lastError = error
    if (this.#closed || !error.retriable || p.attempts >= this.#o.maxAttempts) return this.#fail(p, error)
    p.retryAfter(backoffDelay(this.#o, p.attempts), () => {
      if (this.#closed) return this.#fail(p, error)
      this.#queue.push(p)
      this.#schedule()
    })
  }

  /** deliveryTimeout passed: the batch fails with a TimeoutError (retriable) carrying the last error seen. */
  #expire(p: PendingBatch): void {
    if (p.settled) return
    const { topic, partition, records } = p.batch
    const note = p.inFlight ? 'a request with the batch was still unanswered, so the broker may yet store it' : undefined
    this.#fail(p, new TimeoutError(`storing ${records.length} message(s) in ${topic}[${partition}]`, 'deliveryTimeout', this.#o.deliveryTimeout, p.attempts, p.lastError, note))
  }

  #fail(p: PendingBatch, error: Error): void {
    // Not stored: the partition's next batch takes this batch's sequence, leaving no gap. (Not when a request with
    // it is still on the wire: the broker may store it, and the sequence is then taken.)
    if (!p.inFlight && this.#session && p.encoded && this.#session.ids?.producerId === p.producerId) {
      this.#session.giveBack(p.key, p.baseSequence, p.batch.records.length)
    }
    p.reject(error)
  }

  /**
   * A new producer id, asked once: who needs it retries (connect() under its deadline, a batch under its own). A
   * broker that just started answers COORDINATOR_LOAD_IN_PROGRESS for a while, which is retriable.
   */
  async #initProducerId(): Promise<{ producerId: bigint; producerEpoch: number }> {
    try {
      const broker = await this.#link.anyBroker()
      return await broker.initProducerId(60_000)
    } catch (err) {
      throw fromKafkajs(err, INIT_PRODUCER_ID)
    }
  }
}

function unsupported(leader: number): never {
  throw new BrokerError(`produce requests on broker ${leader}`, 35, 'UNSUPPORTED_VERSION', false, `the broker serves no Produce version from ${MIN_PRODUCE_VERSION} to ${MAX_PRODUCE_VERSION}`, 'kafka-pipe needs Kafka 0.11 or later')
}

function topicData(group: readonly PendingBatch[]): ProduceTopicData[] {
  const byTopic = new Map<string, ProduceTopicData>()
  for (const p of group) {
    let topic = byTopic.get(p.batch.topic)
    if (!topic) byTopic.set(p.batch.topic, (topic = { topic: p.batch.topic, partitions: [] }))
    topic.partitions.push({ partition: p.batch.partition, records: p.encoded! })
  }
  return [...byTopic.values()]
}

/**
 * A failure on the way (a closed connection, a timeout, a broker down) as a typed error: retriable unless kafkajs
 * says otherwise, or `retriable` is false. What the broker or the TLS/SASL layer refused keeps its type
 * (BrokerError, AuthenticationError): a user without access is told so at once, not after every retry.
 */
function asRetriable(err: unknown, doing: string, retriable = true): KafkaPipeError {
  if (err instanceof KafkaPipeError) return err
  const typed = fromKafkajs(err, doing)
  if (!(typed instanceof NetworkError)) return typed
  return new NetworkError(doing, err, retriable && (err as { retriable?: boolean } | undefined)?.retriable !== false)
}
