import { Writable } from 'node:stream'
import { registerCodecs } from '../codecs/compression'
import { AbortedError, ConnectionError, InvalidMessageError, MessageTooLargeError, show, type DeliveryError } from '../errors'
import { kafkaClient } from '../kafka/client-options'
import type { Message } from '../message'
import type { Ticket } from './batch'
import { Dispatcher, type DeliveryReport } from './dispatcher'
import { resolveWritableOptions, type KafkaWritableOptions, type ResolvedWritableOptions } from './options'
import { KafkajsProduceClient, type ProduceClient } from './produce-client'
import { encodeMessage, topicOf, type OutgoingRecord } from './record'
import type { WriterStats } from './stats'
import { destroyOnAbort } from '../abort'

type Callback = (error?: Error | null) => void

/**
 * An objectMode Writable that batches messages per partition into produce requests. By default a write's
 * callback runs once the broker stored its messages, so a finished pipeline() means stored.
 * Emits 'delivery' ({ topic, partition, baseOffset, count }) for every stored batch.
 */
export class KafkaWritable<T = Message> extends Writable {
  readonly #options: ResolvedWritableOptions<T>
  readonly #client: ProduceClient
  readonly #dispatcher: Dispatcher
  #failure: DeliveryError | undefined
  #spaceWaiters: Array<() => void> = []
  readonly #removeAbortListener: () => void
  readonly #where: string

  /** @param client for tests: a ProduceClient to use instead of kafkajs. */
  constructor(options: KafkaWritableOptions<T>, client?: ProduceClient) {
    const o = resolveWritableOptions(options)
    registerCodecs()
    // Everything that can throw on bad options runs before super(), so a failed constructor leaves no stream behind.
    const produceClient =
      client ??
      new KafkajsProduceClient(kafkaClient(options), {
        allowAutoTopicCreation: o.allowAutoTopicCreation,
        metadataMaxAge: o.metadataMaxAge,
        idempotent: o.idempotent,
        maxAttempts: o.maxAttempts,
        backoff: o.backoff,
        maxBackoff: o.maxBackoff,
      })
    super({ objectMode: true, highWaterMark: o.highWaterMark })
    this.#options = o
    this.#client = produceClient
    this.#where = options.brokers === undefined ? 'the given kafka client\'s brokers' : String(options.brokers)
    this.#dispatcher = new Dispatcher(
      this.#client,
      { batchSize: o.batchSize, batchBytes: o.batchBytes, linger: o.linger, acks: o.acks, timeout: o.ackTimeout, compression: o.compression },
      {
        delivered: (report) => this.emit('delivery', report),
        failed: (error) => {
          this.#failure ??= error
          this.destroy(error)
        },
        ackFailed: (error) => this.destroy(error),
        drained: () => this.#releaseSpace(),
      },
    )
    this.#removeAbortListener = destroyOnAbort(this, o.signal, 'KafkaWritable')
  }

  /** Counters since the previous call and current gauges, like kafka-go's Writer.Stats(). */
  stats(): WriterStats {
    return this.#dispatcher.stats()
  }

  override _construct(callback: Callback): void {
    this.#client.connect().then(
      () => callback(),
      (err: unknown) => callback(new ConnectionError(this.#where, err)),
    )
  }

  override _write(chunk: T, _encoding: BufferEncoding, callback: Callback): void {
    this.#accept([chunk], callback)
  }

  override _writev(chunks: Array<{ chunk: T }>, callback: Callback): void {
    this.#accept(chunks.map((c) => c.chunk), callback)
  }

  override _final(callback: Callback): void {
    this.#dispatcher.flush()
    this.#dispatcher.idle().then(() => callback(this.#failure ?? null), callback)
  }

  override _destroy(error: Error | null, callback: Callback): void {
    this.#removeAbortListener?.()
    const reason = error ?? new AbortedError('the KafkaWritable was destroyed before these messages were delivered')
    this.#dispatcher.close(reason)
    this.#releaseSpace()
    this.#client.disconnect().then(
      () => callback(error),
      () => callback(error),
    )
  }

  /** Queues the chunks' messages; on bad input, first delivers the chunks before it, then fails the write. */
  #accept(chunks: T[], callback: Callback): void {
    const prepared = this.#prepare(chunks)
    if (prepared.missing) {
      // Some topics are new to us: fetch them, then try again (now cached, or a clear error for what came before).
      const { topics, index } = prepared.missing
      this.#client.loadTopics(topics).then(
        () => this.#accept(chunks, callback),
        (err: Error) => this.#failAfterDelivering(this.#prepare(chunks.slice(0, index)).records, callback, err),
      )
      return
    }
    const { records, error } = prepared
    if (error) return this.#failAfterDelivering(records, callback, error)
    if (records.length === 0) return callback()
    this.#enqueue(records, callback)
  }

  #enqueue(records: OutgoingRecord[], callback: Callback): void {
    const o = this.#options
    const ticket: Ticket = { remaining: records.length, done: o.async ? () => {} : callback }
    for (const record of records) this.#dispatcher.add(record, ticket)
    if (!o.async) {
      // No further write can reach us before this one is acknowledged: waiting (linger) would only add latency.
      this.#dispatcher.flush()
      return
    }
    this.#whenSpace(() => callback(this.#failure ?? null))
  }

  #failAfterDelivering(records: OutgoingRecord[], callback: Callback, error: Error): void {
    if (records.length > 0) {
      const ticket: Ticket = { remaining: records.length, done: () => {} }
      for (const record of records) this.#dispatcher.add(record, ticket)
    }
    this.#dispatcher.flush()
    this.#dispatcher.idle().then(() => callback(error), callback)
  }

  /**
   * Maps and encodes chunks: the records of every chunk before the first bad one and that chunk's error, or,
   * when some topics' partitions are not known yet, those topics and the index of the first chunk that needs one.
   */
  #prepare(chunks: T[]): { records: OutgoingRecord[]; error?: Error; missing?: { topics: string[]; index: number } } {
    const o = this.#options
    const records: OutgoingRecord[] = []
    const missing = new Set<string>()
    let firstMissing = -1
    for (const [index, chunk] of chunks.entries()) {
      try {
        const message = o.toMessage ? o.toMessage(chunk) : (chunk as unknown as Message)
        const { message: encoded, bytes } = encodeMessage(message, o.serializeKey, o.serializeValue)
        const topic = topicOf(message, o.topic)
        const partitions = this.#client.partitions(topic)
        if (!partitions) {
          missing.add(topic)
          if (firstMissing < 0) firstMissing = index
          continue
        }
        if (bytes > o.batchBytes) throw new MessageTooLargeError(bytes, o.batchBytes, 'batchBytes')
        // Balancers hash the key as stored: a key the serializer turned into bytes (a number, an object) is seen as those.
        const key = message.key
        const raw = key === undefined || key === null || typeof key === 'string' || Buffer.isBuffer(key)
        const balanced = raw ? message : { ...message, key: encoded.key as Buffer | string | null }
        records.push({ topic, partition: this.#partitionOf(balanced, topic, partitions), message: encoded, bytes, source: message })
      } catch (err) {
        if (firstMissing >= 0) break
        return { records, error: err as Error }
      }
    }
    if (firstMissing >= 0) return { records, missing: { topics: [...missing], index: firstMissing } }
    return { records }
  }

  #partitionOf(message: Message, topic: string, partitions: readonly number[]): number {
    if (message.partition !== undefined) {
      if (!partitions.includes(message.partition)) {
        throw new InvalidMessageError(
          `message.partition ${show(message.partition)} is not a partition of topic "${topic}" (partitions: ${partitions.join(', ')})`,
        )
      }
      return message.partition
    }
    const partition = this.#options.balancer.balance(message, partitions)
    if (!partitions.includes(partition)) {
      throw new InvalidMessageError(
        `the balancer returned ${show(partition)} for topic "${topic}", which is not one of its partitions (${partitions.join(', ')}); ` +
          'a balancer must return an element of the partitions it is given',
      )
    }
    return partition
  }

  /** async mode: run `next` once the queued messages and bytes are under their limits. */
  #whenSpace(next: () => void): void {
    if (this.#hasSpace()) return next()
    this.#spaceWaiters.push(next)
  }

  #hasSpace(): boolean {
    const o = this.#options
    return this.destroyed || (this.#dispatcher.pending < o.maxBufferedMessages && this.#dispatcher.pendingBytes < o.maxBufferedBytes)
  }

  #releaseSpace(): void {
    while (this.#spaceWaiters.length > 0 && this.#hasSpace()) this.#spaceWaiters.shift()!()
  }
}

export interface KafkaWritable {
  on(event: 'delivery', listener: (report: DeliveryReport) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
}
