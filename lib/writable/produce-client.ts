import type { Kafka } from 'kafkajs'
import { BrokerError, KafkaPipeError, NetworkError } from '../errors'
import { fromKafkajs } from '../kafka/kafkajs-error'
import { ClusterLink, type BrokerLink } from '../kafka/kafkajs-internals'
import { partitionKey } from '../kafka/partition-key'
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
import { ProducerSession } from './producer-session'

/** The records of one partition that leave as one record batch. */
export interface ProduceBatch {
  topic: string
  partition: number
  records: readonly RecordInput[]
}

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
   * acks 0) once the broker stored it, or rejects with the final error. Batches given in the same tick travel in
   * one produce request per leader.
   */
  produce(batch: ProduceBatch): Promise<string | null>
  /** Produce requests sent so far. */
  readonly requestCount: number
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
}

/** A batch on its way: its bytes once encoded, and the ids and sequence they carry. */
interface Pending {
  batch: ProduceBatch
  key: string
  attempts: number
  encoded: Buffer | undefined
  producerId: bigint
  baseSequence: number
  resolve(offset: string | null): void
  reject(error: Error): void
}

const INIT_PRODUCER_ID_TIMEOUT = 30_000

/** Errors that mean the broker's idempotence state and ours disagree: a new producer id fixes them. */
const SESSION_ERRORS: ReadonlySet<number> = new Set([
  ErrorCodes.OUT_OF_ORDER_SEQUENCE_NUMBER,
  ErrorCodes.UNKNOWN_PRODUCER_ID,
  ErrorCodes.INVALID_PRODUCER_EPOCH,
])

/**
 * Our own produce path: record batches encoded by lib/protocol, one Produce request per leader on kafkajs'
 * connections, per-partition results. Retriable errors are retried per partition with a metadata refresh and
 * backoff; the idempotent producer's ids and sequences are ours (ProducerSession).
 */
export class KafkaProduceClient implements ProduceClient {
  readonly #link: ClusterLink
  readonly #metadata: TopicMetadata
  readonly #o: KafkaProduceClientOptions
  readonly #session: ProducerSession | undefined
  #queue: Pending[] = []
  #scheduled = false
  #staleLeaders = false
  #closed = false
  requestCount = 0

  constructor(kafka: Kafka, o: KafkaProduceClientOptions) {
    this.#o = o
    this.#link = new ClusterLink(kafka, { allowAutoTopicCreation: o.allowAutoTopicCreation, metadataMaxAge: o.metadataMaxAge })
    this.#metadata = new TopicMetadata(this.#link, { allowAutoTopicCreation: o.allowAutoTopicCreation, maxAge: o.metadataMaxAge })
    this.#session = o.idempotent ? new ProducerSession(() => this.#initProducerId()) : undefined
  }

  async connect(): Promise<void> {
    await this.#link.connect()
    // A SASL listener answers ApiVersions before authentication, so a client that forgot `sasl` only learns it here.
    await this.#link.refresh()
    await this.#session?.ensure()
  }

  async disconnect(): Promise<void> {
    this.#closed = true
    await this.#link.disconnect()
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
      this.#queue.push({ batch, key, attempts: 0, encoded: undefined, producerId: -1n, baseSequence: -1, resolve, reject })
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
    const pending = this.#queue
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
    const byLeader = new Map<number, Pending[]>()
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

  async #send(leader: number, group: Pending[]): Promise<void> {
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
    const encoded: Pending[] = []
    for (const p of group) {
      try {
        await this.#encode(p)
        encoded.push(p)
      } catch (err) {
        this.#retryOrFail(p, asRetriable(err, `encoding the batch for ${p.batch.topic}[${p.batch.partition}]`, false))
      }
    }
    if (encoded.length === 0) return
    group = encoded
    const body = encodeProduceRequest({ transactionalId: null, acks: this.#o.acks, timeoutMs: this.#o.ackTimeout, topics: topicData(group) })
    let answer: Buffer | null
    try {
      this.requestCount++
      answer = await broker.send({ apiKey: PRODUCE_API_KEY, apiVersion: version, apiName: 'Produce', body, expectResponse: this.#o.acks !== 0 })
    } catch (err) {
      this.#staleLeaders = true
      for (const p of group) this.#retryOrFail(p, asRetriable(err, `sending to broker ${leader}`))
      return
    }
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
  async #encode(p: Pending): Promise<void> {
    const ids = this.#session ? await this.#session.ensure() : undefined
    if (p.encoded && (!ids || ids.producerId === p.producerId)) return
    const count = p.batch.records.length
    const baseSequence = ids ? this.#session!.take(p.key, count) : -1
    const producerId = ids?.producerId ?? -1n
    const producerEpoch = ids?.producerEpoch ?? -1
    if (p.encoded) stampRecordBatch(p.encoded, { producerId, producerEpoch, baseSequence })
    else p.encoded = await encodeRecordBatch(p.batch.records, { compression: this.#o.compression, producerId, producerEpoch, baseSequence })
    p.producerId = producerId
    p.baseSequence = baseSequence
  }

  #settle(p: Pending, r: ProducePartitionResponse | undefined): void {
    const where = `${p.batch.topic}[${p.batch.partition}]`
    if (!r) return this.#retryOrFail(p, new BrokerError(where, -1, 'NO_RESULT', true, 'the produce response did not mention this partition'))
    if (r.errorCode === ErrorCodes.NONE) return p.resolve(r.baseOffset.toString())
    // Stored by an earlier attempt whose answer was lost: the broker recognised the sequence.
    if (r.errorCode === ErrorCodes.DUPLICATE_SEQUENCE_NUMBER) return p.resolve(r.baseOffset >= 0n ? r.baseOffset.toString() : null)
    const known = kafkaErrorCode(r.errorCode)
    const detail = r.errorMessage ?? r.recordErrors.map((e) => `record ${e.batchIndex}: ${e.message ?? 'rejected'}`).join(', ')
    if (this.#session && SESSION_ERRORS.has(r.errorCode)) {
      this.#session.reset(p.producerId)
      return this.#retryOrFail(p, new BrokerError(where, r.errorCode, known.name, true, detail || null, 'a new producer id was requested'))
    }
    if (known.retriable) this.#staleLeaders = true
    this.#retryOrFail(p, new BrokerError(where, r.errorCode, known.name, known.retriable, detail || null, known.hint))
  }

  #retryOrFail(p: Pending, error: KafkaPipeError): void {
    p.attempts++
    if (this.#closed || !error.retriable || p.attempts >= this.#o.maxAttempts) {
      // Not stored: the partition's next batch takes this batch's sequence, leaving no gap.
      if (this.#session && p.encoded && this.#session.ids?.producerId === p.producerId) {
        this.#session.giveBack(p.key, p.baseSequence, p.batch.records.length)
      }
      return p.reject(error)
    }
    const delay = this.#backoff(p.attempts) * (0.8 + Math.random() * 0.4)
    setTimeout(() => {
      if (this.#closed) return p.reject(error)
      this.#queue.push(p)
      this.#schedule()
    }, delay)
  }

  /** `backoff` doubling per attempt, up to `maxBackoff`. */
  #backoff(attempt: number): number {
    return Math.min(this.#o.maxBackoff, this.#o.backoff * 2 ** (attempt - 1))
  }

  /**
   * A new producer id. A broker that just started answers COORDINATOR_LOAD_IN_PROGRESS until it has loaded its
   * transaction state, so retriable answers are asked again, with backoff, for up to INIT_PRODUCER_ID_TIMEOUT.
   */
  async #initProducerId(): Promise<{ producerId: bigint; producerEpoch: number }> {
    const deadline = Date.now() + INIT_PRODUCER_ID_TIMEOUT
    for (let attempt = 1; ; attempt++) {
      try {
        const broker = await this.#link.anyBroker()
        return await broker.initProducerId(60_000)
      } catch (err) {
        const retriable = (err as { retriable?: boolean }).retriable !== false
        if (!retriable || Date.now() >= deadline) throw asRetriable(err, 'getting a producer id (InitProducerId) for the idempotent producer')
        await new Promise((resolve) => setTimeout(resolve, this.#backoff(attempt)))
      }
    }
  }
}

function unsupported(leader: number): never {
  throw new BrokerError(`produce requests on broker ${leader}`, 35, 'UNSUPPORTED_VERSION', false, `the broker serves no Produce version from ${MIN_PRODUCE_VERSION} to ${MAX_PRODUCE_VERSION}`, 'kafka-pipe needs Kafka 0.11 or later')
}

function topicData(group: readonly Pending[]): ProduceTopicData[] {
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
