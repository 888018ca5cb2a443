import type { Kafka } from 'kafkajs'
import { TopicError } from '../errors'

/** The part of kafkajs' internal Cluster we use. */
interface KafkajsCluster {
  connect(): Promise<void>
  disconnect(): Promise<void>
  addTargetTopic(topic: string): Promise<void>
  refreshMetadata(): Promise<void>
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number }>
}

/*
 * kafkajs' admin never lets a metadata request create a topic, and its producer hides its metadata. A Cluster
 * of our own (made by the client's private factory, which kafkajs 2.2.x keeps under a named Symbol) asks the
 * broker exactly what kafka-go's Writer asks: the topic's partitions, creating the topic only when allowed.
 */
function createCluster(kafka: Kafka, allowAutoTopicCreation: boolean, metadataMaxAge: number): KafkajsCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster')
  const factory = symbol && (kafka as unknown as Record<symbol, unknown>)[symbol]
  if (typeof factory !== 'function') {
    throw new Error('this kafkajs version does not expose its cluster factory; kafka-pipe needs kafkajs 2.2.x')
  }
  return factory({ allowAutoTopicCreation, metadataMaxAge }) as KafkajsCluster
}

const AUTO_CREATE_ATTEMPTS = 10

function isUnknownTopic(err: unknown): boolean {
  const type = (err as { type?: string } | undefined)?.type
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE'
}

interface Entry {
  partitions: readonly number[]
  expires: number
}

/** Partition ids per topic, cached for `maxAge` ms and refreshed on demand (after a send failed, say). */
export class TopicMetadata {
  readonly #cluster: KafkajsCluster
  readonly #allowAutoTopicCreation: boolean
  readonly #maxAge: number
  readonly #cache = new Map<string, Entry>()
  #connected: Promise<void> | undefined

  constructor(kafka: Kafka, options: { allowAutoTopicCreation: boolean; maxAge: number }) {
    this.#cluster = createCluster(kafka, options.allowAutoTopicCreation, options.maxAge)
    this.#allowAutoTopicCreation = options.allowAutoTopicCreation
    this.#maxAge = options.maxAge
  }

  /** The cached partitions of `topic`, or undefined when they must be fetched first. */
  cached(topic: string, now = Date.now()): readonly number[] | undefined {
    const entry = this.#cache.get(topic)
    return entry && entry.expires > now ? entry.partitions : undefined
  }

  /** Fetches the partitions of these topics (creating them if allowed) into the cache. */
  async load(topics: Iterable<string>): Promise<void> {
    this.#connected ??= this.#cluster.connect()
    await this.#connected
    for (const topic of topics) {
      const partitions = await this.#fetch(topic)
      this.#cache.set(topic, { partitions, expires: Date.now() + this.#maxAge })
    }
  }

  async #fetch(topic: string): Promise<number[]> {
    // A topic the broker creates on our request shows up after a moment: ask again for a few seconds.
    const attempts = this.#allowAutoTopicCreation ? AUTO_CREATE_ATTEMPTS : 1
    for (let attempt = 1; ; attempt++) {
      let unknown: unknown
      try {
        await this.#cluster.addTargetTopic(topic)
        await this.#cluster.refreshMetadata()
      } catch (err) {
        if (!isUnknownTopic(err)) throw err
        unknown = err
      }
      const partitions = unknown
        ? []
        : this.#cluster
            .findTopicPartitionMetadata(topic)
            .map((p) => p.partitionId)
            .sort((a, b) => a - b)
      if (partitions.length > 0) return partitions
      if (attempt >= attempts) throw this.#topicError(topic, unknown)
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1000)))
    }
  }

  /** Forget what we know of `topic`: the next write fetches it again. */
  invalidate(topic: string): void {
    this.#cache.delete(topic)
  }

  async close(): Promise<void> {
    if (this.#connected) await this.#cluster.disconnect().catch(() => {})
  }

  #topicError(topic: string, cause?: unknown): Error {
    const hint = this.#allowAutoTopicCreation
      ? 'the broker did not create it (is auto.create.topics.enable off on the broker?); create the topic first'
      : 'create the topic first, or pass allowAutoTopicCreation: true to let the broker create it'
    return new TopicError(`topic "${topic}" does not exist: ${hint}`, topic, { cause })
  }
}
