import { TopicError, show } from '../errors'
import { fromKafkajs } from './kafkajs-error'
import type { ClusterLink } from './kafkajs-internals'
import { topicNameProblem } from './topic-name'
import { retryUntil, type RetryPolicy } from './retry'

const AUTO_CREATE_ATTEMPTS = 10

/** kafkajs' answer for a topic it does not know (also when its retrier wrapped it, as it does with retries: 0). */
function isUnknownTopic(err: unknown): boolean {
  const e = err as { type?: string; originalError?: { type?: string } } | undefined
  const type = e?.type ?? e?.originalError?.type
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE'
}

interface Entry {
  /** Partition ids, ascending. */
  partitions: readonly number[]
  /** Leader node id by partition id; -1 where there is none. */
  leaders: Map<number, number>
  expires: number
}

/**
 * Partition ids and leaders per topic, cached for `maxAge` ms. kafkajs' admin never lets a metadata request
 * create a topic, and its producer hides its metadata; the ClusterLink asks the broker exactly what kafka-go's
 * Writer asks: the topic's partitions, creating the topic only when allowed.
 */
export class TopicMetadata {
  readonly #link: ClusterLink
  readonly #allowAutoTopicCreation: boolean
  readonly #maxAge: number
  readonly #retry: RetryPolicy | undefined
  readonly #cache = new Map<string, Entry>()
  #refreshing: Promise<void> | undefined

  /** @param options.retry how a failed metadata request of load() is retried (else it fails at once). */
  constructor(link: ClusterLink, options: { allowAutoTopicCreation: boolean; maxAge: number; retry?: RetryPolicy }) {
    this.#link = link
    this.#allowAutoTopicCreation = options.allowAutoTopicCreation
    this.#maxAge = options.maxAge
    this.#retry = options.retry
  }

  /**
   * The partitions of `topic` as last fetched, or undefined when it was never fetched (then load() it). Once they
   * are older than `maxAge`, a refresh starts in the background and the known ones serve meanwhile, so a write
   * never waits for metadata of a topic it already knows (and maxAge 0 means "refresh all the time", not "never ready").
   */
  cached(topic: string, now = Date.now()): readonly number[] | undefined {
    const entry = this.#cache.get(topic)
    if (entry && entry.expires <= now && !this.#refreshing) this.refreshLeaders().catch(() => {})
    return entry?.partitions
  }

  /** The leader of a partition as last seen, or undefined when unknown (fetch with refreshLeaders()). */
  leader(topic: string, partition: number): number | undefined {
    const leader = this.#cache.get(topic)?.leaders.get(partition)
    return leader === undefined || leader < 0 ? undefined : leader
  }

  /** Fetches the partitions of these topics (creating them if allowed) into the cache. */
  async load(topics: Iterable<string>): Promise<void> {
    for (const topic of topics) {
      const problem = topicNameProblem(topic)
      if (problem !== undefined) throw new TopicError(`${show(topic)} is not a valid topic name: ${problem}`, topic)
      await this.#fetch(topic)
    }
  }

  /**
   * Fetches the metadata of every known topic again (after a leader moved, say). Calls made while one is on
   * the way share it.
   */
  refreshLeaders(): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        await this.#link.refresh()
        for (const topic of this.#cache.keys()) this.#store(topic)
      } finally {
        this.#refreshing = undefined
      }
    })()
    return this.#refreshing
  }

  async #fetch(topic: string): Promise<void> {
    // A topic the broker creates on our request shows up after a moment: ask again for a few seconds.
    const attempts = this.#allowAutoTopicCreation ? AUTO_CREATE_ATTEMPTS : 1
    for (let attempt = 1; ; attempt++) {
      const unknown = await this.#refresh(topic)
      if (!unknown && this.#store(topic)) return
      if (attempt >= attempts) throw this.#topicError(topic, unknown)
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1000)))
    }
  }

  /**
   * Asks for `topic`'s metadata, retrying failures on the way (a broker down) under the retry policy; resolves
   * with the broker's answer when it does not know the topic (a question of existence, not of retrying).
   */
  #refresh(topic: string): Promise<unknown> {
    const ask = (): Promise<unknown> => this.#link.refresh(topic).then(
      () => undefined,
      (err: unknown) => {
        if (isUnknownTopic(err)) return err
        throw err
      },
    )
    const doing = `fetching the metadata of topic "${topic}"`
    // retryUntil types what it gives up on; a single ask must too.
    return this.#retry ? retryUntil(this.#retry, doing, ask) : ask().catch((err: unknown) => Promise.reject(fromKafkajs(err, doing)))
  }

  /** Caches what the link last saw of `topic`; false if it has no partitions. */
  #store(topic: string): boolean {
    const found = this.#link.partitions(topic)
    if (found.length === 0) return false
    const leaders = new Map<number, number>()
    for (const p of found) leaders.set(p.partitionId, p.leader)
    const partitions = [...leaders.keys()].sort((a, b) => a - b)
    this.#cache.set(topic, { partitions, leaders, expires: Date.now() + this.#maxAge })
    return true
  }

  /** Forget what we know of `topic`: the next write fetches it again. */
  invalidate(topic: string): void {
    this.#cache.delete(topic)
  }

  #topicError(topic: string, cause?: unknown): Error {
    const hint = this.#allowAutoTopicCreation
      ? 'the broker did not create it (is auto.create.topics.enable off on the broker?); create the topic first'
      : 'create the topic first, or pass allowAutoTopicCreation: true to let the broker create it'
    return new TopicError(`topic "${topic}" does not exist: ${hint}`, topic, { cause })
  }
}
