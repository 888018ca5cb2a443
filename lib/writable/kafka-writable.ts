import { Writable } from 'node:stream'
import { registerCodecs } from '../codecs/compression'
import { AbortedError, ConnectionError, FencedError, InvalidMessageError, KafkaPipeError, MessageTooLargeError, reason, show, TimeoutError } from '../errors'
import { kafkaClient, NO_KAFKAJS_RETRIES } from '../kafka/client-options'
import { connectError, type ConnectSettings } from '../kafka/connect-error'
import { fromKafkajs } from '../kafka/kafkajs-error'
import type { Message } from '../message'
import type { Ticket } from './batch'
import { Dispatcher, type DeliveryReport } from './dispatcher'
import { resolveWritableOptions, type KafkaWritableOptions, type ResolvedWritableOptions } from './options'
import type { ProduceClient } from './produce-client'
import { produceClientFactory } from './client-factory'
import type { CompressionCode } from '../protocol/record-batch'
import { encodeMessage, topicOf, type OutgoingRecord } from './record'
import type { WriterStats } from './stats'
import { destroyOnAbort } from '../abort'
import { rewindReaders, writerGone, writerReady } from '../transaction-rendezvous'
import { isStale, sourcePositionOf } from '../source-position'
import { SourceCheck } from './source-check'
import { TransactionalProduceClient, type AbortReport, type TransactionReport } from './transactional-client'

type Callback = (error?: Error | null) => void

/**
 * An objectMode Writable that batches messages per partition into produce requests. By default a write's
 * callback runs once the broker stored its messages, so a finished pipeline() means stored.
 * Emits 'delivery' ({ topic, partition, baseOffset, count }) for every stored batch.
 */
export class KafkaWritable<T = Message> extends Writable {
  readonly #options: ResolvedWritableOptions<T>
  readonly #client: ProduceClient
  readonly #transactions: TransactionalProduceClient | undefined
  readonly #sourceCheck: SourceCheck | undefined
  #ready = false
  readonly #dispatcher: Dispatcher
  #failure: Error | undefined
  #spaceWaiters: Array<() => void> = []
  /** A copy's transaction is due: committed at the next boundary between source messages (see #accept). */
  #commitPending = false
  #commitTimer: NodeJS.Timeout | undefined
  /** The `ack` of the last message given to the transaction: its source message. */
  #lastAck: unknown
  readonly #removeAbortListener: () => void
  readonly #where: string
  readonly #security: ConnectSettings

  constructor(options: KafkaWritableOptions<T>) {
    const o = resolveWritableOptions(options)
    registerCodecs()
    const security: ConnectSettings = { ssl: o.client.ssl !== undefined && o.client.ssl !== false, sasl: o.client.sasl !== undefined }
    // Everything that can throw on bad options runs before super(), so a failed constructor leaves no stream behind.
    const produceClient = produceClientFactory.create(kafkaClient(o.client, NO_KAFKAJS_RETRIES), {
      allowAutoTopicCreation: o.allowAutoTopicCreation,
      metadataMaxAge: o.metadataMaxAge,
      idempotent: o.idempotent,
      acks: o.acks,
      ackTimeout: o.ackTimeout,
      compression: o.compression as number as CompressionCode,
      maxAttempts: o.maxAttempts,
      backoff: o.backoff,
      maxBackoff: o.maxBackoff,
      deliveryTimeout: o.deliveryTimeout,
      connectSettings: security,
      ...(o.transaction ? { transactionalId: o.transaction.transactionalId, transactionTimeout: o.transaction.transactionTimeout } : {}),
    })
    super({ objectMode: true, highWaterMark: o.highWaterMark })
    this.#options = o
    const txn = o.transaction
    this.#transactions = !txn
      ? undefined
      : new TransactionalProduceClient(produceClient, produceClient.transactions!, txn, {
          onFailure: (error) => {
            this.#failure ??= error
            this.destroy(error)
          },
          onCommit: (report) => this.emit('commit', report),
          onAbort: (report) => this.emit('abort', report),
          rewind: (aborted) => rewindReaders(txn.transactionalId, aborted),
          due: () => this.#commitDue(txn.transactionInterval),
          drain: () => {
            this.#dispatcher.flush()
            return this.#dispatcher.idle()
          },
        })
    this.#sourceCheck = txn ? new SourceCheck(txn.transactionalId) : undefined
    this.#client = this.#transactions ?? produceClient
    this.#where = options.brokers === undefined ? 'the given kafka client\'s brokers' : String(options.brokers)
    this.#security = security
    this.#dispatcher = new Dispatcher(
      this.#client,
      { batchSize: o.batchSize, batchBytes: o.batchBytes, linger: o.linger, callAcks: !txn },
      {
        delivered: (report) => this.emit('delivery', report),
        failed: (error) => {
          // A fenced writer stops with the FencedError itself, not with the batches it names.
          const fenced = error.failures.find((f) => f.error instanceof FencedError)?.error
          this.#failure ??= fenced ?? error
          this.destroy(this.#failure)
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
      () => {
        if (this.#options.transaction && !this.destroyed) {
          this.#ready = true
          writerReady(this.#options.transaction.transactionalId)
        }
        callback()
      },
      // Out of time (deliveryTimeout) while the cluster did not answer: a ConnectionError naming the brokers.
      (err: unknown) => callback(err instanceof TimeoutError ? new ConnectionError(this.#where, err) : connectError(err, this.#where, this.#security)),
    )
  }

  override _write(chunk: T, _encoding: BufferEncoding, callback: Callback): void {
    this.#accept([chunk], callback)
  }

  override _writev(chunks: Array<{ chunk: T }>, callback: Callback): void {
    this.#accept(chunks.map((c) => c.chunk), callback)
  }

  override _final(callback: Callback): void {
    this.#clearCommitPending()
    this.#dispatcher.flush()
    this.#dispatcher
      .idle()
      .then(async () => {
        if (this.#failure) throw this.#failure
        // The last transaction: pipeline() resolves once it committed.
        await this.#transactions?.commit()
      })
      .then(() => callback(this.#failure ?? null), callback)
  }

  override _destroy(error: Error | null, callback: Callback): void {
    this.#removeAbortListener?.()
    this.#clearCommitPending()
    if (this.#ready) writerGone(this.#options.transaction!.transactionalId)
    this.#ready = false
    const reason = error ?? new AbortedError('the KafkaWritable was destroyed before these messages were delivered')
    this.#dispatcher.close(reason)
    this.#releaseSpace()
    this.#client.disconnect().then(
      () => callback(error),
      () => callback(error),
    )
  }

  /**
   * Queues the chunks' messages; on bad input, first delivers the messages before it, then fails the write. The
   * user's code (toMessage, serializers, balancer) runs once per message, also when topics must be fetched first.
   */
  #accept(chunks: T[], callback: Callback): void {
    // A transaction is being committed: its messages are the ones given before it; these go into the next one.
    const committing = this.#transactions?.committing
    if (committing) return void committing.then(() => this.#accept(chunks, callback), (err: Error) => callback(err))
    const { records, error } = this.#encode(chunks)
    if (this.#commitPending) {
      // The messages made of one source message (a map's copies) share its ack: a commit between two of them would
      // commit the source offset with only the first ones written, and a crash would lose the rest. So the due commit
      // comes before the first message of another source message.
      const boundary = records.findIndex((r) => r.source.ack !== this.#lastAck)
      if (boundary >= 0) {
        const rest = records.slice(boundary)
        const commit = (): void => {
          this.#clearCommitPending()
          this.#transactions!.commit().then(() => this.#place(rest, error, callback), callback)
        }
        if (boundary === 0) return commit()
        return this.#place(records.slice(0, boundary), undefined, (err) => (err ? callback(err) : commit()))
      }
    }
    this.#place(records, error, callback)
  }

  /** Places the records on partitions (fetching topics first where needed) and queues them; then fails with `error`, if given. */
  #place(records: OutgoingRecord[], error: Error | undefined, callback: Callback): void {
    if (this.#transactions && records.length > 0) this.#lastAck = records[records.length - 1]!.source.ack
    const known = this.#partitionsOf(records)
    const missing = [...known].filter(([, partitions]) => !partitions).map(([topic]) => topic)
    if (missing.length === 0) return this.#route(records, known, error, callback)
    this.#client.loadTopics(missing).then(
      () => this.#route(records, this.#partitionsOf(records), error, callback),
      (err: unknown) => {
        // Deliver what precedes the first message of a topic that could not be fetched, then fail.
        const fetched = this.#partitionsOf(records)
        const first = records.findIndex((r) => !fetched.get(r.topic))
        const error = fromKafkajs(err, `fetching the partitions of topic ${missing.map((t) => `"${t}"`).join(', ')}`)
        this.#route(first < 0 ? records : records.slice(0, first), fetched, error, callback)
      },
    )
  }

  /**
   * A copy's transaction is due: it is committed at the next boundary between source messages, or `interval` ms from
   * now if no other message comes meanwhile (the last source message's messages came together, or the stream is idle).
   */
  #commitDue(interval: number): void {
    if (this.#commitPending) return
    this.#commitPending = true
    this.#commitTimer = setTimeout(() => {
      this.#commitTimer = undefined
      if (!this.#commitPending) return
      this.#commitPending = false
      void this.#transactions!.commit().catch(() => {})
    }, interval)
  }

  #clearCommitPending(): void {
    this.#commitPending = false
    clearTimeout(this.#commitTimer)
    this.#commitTimer = undefined
  }

  /** The known partitions of each topic of `records` (undefined where they must be fetched), asked once per topic. */
  #partitionsOf(records: readonly OutgoingRecord[]): Map<string, readonly number[] | undefined> {
    const known = new Map<string, readonly number[] | undefined>()
    for (const record of records) if (!known.has(record.topic)) known.set(record.topic, this.#client.partitions(record.topic))
    return known
  }

  /** Maps and serializes chunks up to the first bad one: the records before it, and its error. */
  #encode(chunks: T[]): { records: OutgoingRecord[]; error?: Error } {
    const o = this.#options
    const records: OutgoingRecord[] = []
    const now = Date.now()
    let discarded = 0
    for (const chunk of chunks) {
      try {
        const message = o.toMessage ? mapChunk(o.toMessage, chunk) : (chunk as unknown as Message)
        if (this.#sourceCheck) {
          this.#sourceCheck.check(message)
          // Read before its reader rewound after an aborted transaction, or before a rebalance: it comes again.
          const position = sourcePositionOf(message.ack)
          if (position && isStale(position)) {
            discarded++
            continue
          }
        }
        const record = encodeMessage(message, o.serializeKey, o.serializeValue, now)
        record.topic = topicOf(message, o.topic)
        if (record.bytes > o.batchBytes) throw new MessageTooLargeError(record.bytes, o.batchBytes, 'batchBytes')
        records.push(record)
      } catch (err) {
        this.#dispatcher.discard(discarded)
        return { records, error: err as Error }
      }
    }
    this.#dispatcher.discard(discarded)
    return { records }
  }

  /** Places each record on a partition and queues those up to the first that cannot be placed; then fails with that error, or `error`. */
  #route(records: OutgoingRecord[], known: Map<string, readonly number[] | undefined>, error: Error | undefined, callback: Callback): void {
    let placed = records.length
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!
      try {
        const message = record.source
        // Balancers see the message as it is sent (kafka-go's do): key and value as the serializers made them, so
        // hashing takes the stored key bytes and LeastBytes counts the bytes sent. Most serializers hand strings and
        // Buffers through as they are; then the message itself is the serialized one and no copy is made.
        const asSent = (message.key ?? null) === record.key && (message.value ?? null) === record.value
        const balanced = asSent ? message : { ...message, key: record.key, value: record.value }
        record.partition = this.#partitionOf(balanced, record.topic, known.get(record.topic)!)
      } catch (err) {
        placed = i
        error = err as Error
        break
      }
    }
    const ready = placed === records.length ? records : records.slice(0, placed)
    if (error) return this.#failAfterDelivering(ready, callback, error)
    if (ready.length === 0) return callback()
    this.#enqueue(ready, callback)
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

  #partitionOf(message: Message, topic: string, partitions: readonly number[]): number {
    if (message.partition !== undefined) {
      if (!partitions.includes(message.partition)) {
        throw new InvalidMessageError(
          `message.partition ${show(message.partition)} is not a partition of topic "${topic}" (partitions: ${partitions.join(', ')})`,
        )
      }
      return message.partition
    }
    let partition: number
    try {
      partition = this.#options.balancer.balance(message, partitions)
    } catch (err) {
      if (err instanceof KafkaPipeError) throw err
      throw new InvalidMessageError(`the balancer threw for a message to topic "${topic}": ${reason(err)}`, err)
    }
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

/** The message `toMessage` makes of a chunk; what it throws becomes an InvalidMessageError naming it. */
function mapChunk<T>(toMessage: (chunk: T) => Message, chunk: T): Message {
  try {
    return toMessage(chunk)
  } catch (err) {
    if (err instanceof KafkaPipeError) throw err
    throw new InvalidMessageError(`toMessage threw for the chunk ${show(chunk)}: ${reason(err)}`, err)
  }
}

export interface KafkaWritable {
  on(event: 'delivery', listener: (report: DeliveryReport) => void): this
  /** With `transactionalId`: a transaction committed, with the source offsets it committed. */
  on(event: 'commit', listener: (report: TransactionReport) => void): this
  /** With `transactionalId`: a transaction was aborted and is retried from the last committed source offsets (transactionRetries). */
  on(event: 'abort', listener: (report: AbortReport) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
}
