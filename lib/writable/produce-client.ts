import { Partitioners, type CompressionTypes, type Kafka, type Message as KafkajsMessage, type Producer } from 'kafkajs'
import { TopicMetadata } from '../kafka/topic-metadata'
import { partitionKey } from '../kafka/partition-key'

export interface PartitionBatchRequest {
  topic: string
  partition: number
  messages: KafkajsMessage[]
}

export interface ProduceRequest {
  batches: PartitionBatchRequest[]
  acks: -1 | 1 | 0
  timeout: number
  compression: CompressionTypes
}

export interface PartitionResult {
  topic: string
  partition: number
  /** Offset of the batch's first message; null when requiredAcks is 'none' (the broker does not answer). */
  baseOffset: string | null
}

/** What a KafkaWritable needs from a Kafka client; the fake in the unit tests implements it too. */
export interface ProduceClient {
  connect(): Promise<void>
  disconnect(): Promise<void>
  /** The topic's partition ids if known and fresh, else undefined. */
  partitions(topic: string): readonly number[] | undefined
  /** Fetches topics' partitions (creating topics if allowed); rejects with a TopicError for a missing topic. */
  loadTopics(topics: readonly string[]): Promise<void>
  invalidate(topic: string): void
  /** Sends one produce request per leader; resolves once every partition batch is stored (or rejects). */
  send(request: ProduceRequest): Promise<PartitionResult[]>
}

export interface KafkajsProduceClientOptions {
  allowAutoTopicCreation: boolean
  metadataMaxAge: number
  idempotent: boolean
  maxAttempts: number
  backoff: number
  maxBackoff: number
}

/** The ProduceClient over kafkajs: its producer (which retries retriable errors per broker) and topic metadata. */
export class KafkajsProduceClient implements ProduceClient {
  readonly #producer: Producer
  readonly #metadata: TopicMetadata
  readonly #maxAttempts: number

  constructor(kafka: Kafka, o: KafkajsProduceClientOptions) {
    this.#maxAttempts = o.maxAttempts
    this.#metadata = new TopicMetadata(kafka, { allowAutoTopicCreation: o.allowAutoTopicCreation, maxAge: o.metadataMaxAge })
    this.#producer = kafka.producer({
      allowAutoTopicCreation: o.allowAutoTopicCreation,
      metadataMaxAge: o.metadataMaxAge,
      idempotent: o.idempotent,
      // Every message leaves with its partition chosen by our balancer; this only keeps kafkajs from warning.
      createPartitioner: Partitioners.DefaultPartitioner,
      // kafkajs retries a failed broker request and only that one, so a retry never duplicates the others.
      retry: { retries: o.maxAttempts - 1, initialRetryTime: o.backoff, maxRetryTime: o.maxBackoff },
      ...(o.idempotent ? { maxInFlightRequests: 1 } : {}),
    })
  }

  async connect(): Promise<void> {
    await this.#producer.connect()
  }

  async disconnect(): Promise<void> {
    await Promise.allSettled([this.#producer.disconnect(), this.#metadata.close()])
  }

  partitions(topic: string): readonly number[] | undefined {
    return this.#metadata.cached(topic)
  }

  loadTopics(topics: readonly string[]): Promise<void> {
    return this.#metadata.load(topics)
  }

  invalidate(topic: string): void {
    this.#metadata.invalidate(topic)
  }

  async send(request: ProduceRequest): Promise<PartitionResult[]> {
    const offsets = new Map<string, string>()
    let remaining = request.batches
    for (let attempt = 1; ; attempt++) {
      const metadata = await this.#producer.sendBatch({
        acks: request.acks,
        timeout: request.timeout,
        compression: request.compression,
        topicMessages: topicMessages(remaining),
      })
      if (request.acks === 0) break
      for (const m of metadata) offsets.set(partitionKey(m.topicName, m.partition), m.baseOffset ?? '-1')
      /*
       * kafkajs 2.2.4 resolves without sending a partition whose leader moved, during its retries, to a broker
       * that had already answered: those batches have no result. Send just those again; anything else would
       * drop them silently (seen in test/integration/writable/failover.test.ts).
       */
      remaining = remaining.filter((b) => !offsets.has(partitionKey(b.topic, b.partition)))
      if (remaining.length === 0) break
      if (attempt >= this.#maxAttempts) {
        throw new Error(`no acknowledgement for ${remaining.map((b) => `${b.topic}[${b.partition}]`).join(', ')} after ${attempt} attempts`)
      }
    }
    return request.batches.map((b) => ({ topic: b.topic, partition: b.partition, baseOffset: offsets.get(partitionKey(b.topic, b.partition)) ?? null }))
  }
}

function topicMessages(batches: readonly PartitionBatchRequest[]): Array<{ topic: string; messages: KafkajsMessage[] }> {
  const byTopic = new Map<string, KafkajsMessage[]>()
  for (const batch of batches) {
    let messages = byTopic.get(batch.topic)
    if (!messages) byTopic.set(batch.topic, (messages = []))
    for (const message of batch.messages) {
      message.partition = batch.partition
      messages.push(message)
    }
  }
  return Array.from(byTopic, ([topic, messages]) => ({ topic, messages }))
}
