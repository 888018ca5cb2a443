import type { CompressionTypes } from '../kafka/kafkajs'
import type { BalancerLike } from '../balancers'
import { Murmur2Balancer, toBalancer, type Balancer } from '../balancers'
import { parseCompression, type CompressionName } from '../codecs/compression'
import { defaultKeySerializer, defaultValueSerializer, resolveSerializer, type Serializer } from '../codecs/serializers'
import { InvalidOptionError, OptionConflictError } from '../errors'
import { clientOptionsSchema, type ClientOptions } from '../kafka/client-options'
import { abortSignal, flag, func, integer, INT32_MAX, milliseconds, nonEmptyString, oneOf, topicName, via, type Field } from '../options/fields'
import { checkOptions, type Checked } from '../options/schema'
import type { Message } from '../message'

export type RequiredAcks = 'all' | 'leader' | 'none'

export interface KafkaWritableOptions<T = Message> extends ClientOptions {
  /** The topic of every message. Exactly one of this and each message's `topic` must be set. Default none. */
  topic?: string
  /** Chooses the partition of messages that name none. Default Murmur2Balancer (the Java client's partitioner). */
  balancer?: BalancerLike
  /** Messages per partition batch before it is sent. Default 1000. */
  batchSize?: number
  /** Bytes per partition batch (records as encoded, before compression) before it is sent. Default 1000000. */
  batchBytes?: number
  /**
   * In `async` mode, how long a batch that is not full waits for more messages, ms. Default 5. (When write
   * callbacks wait for acknowledgement nothing more can arrive, so batches leave at once.)
   */
  linger?: number
  /** 'all' (every in-sync replica), 'leader', or 'none' (no acknowledgement at all). Default 'all'. */
  requiredAcks?: RequiredAcks
  /** How long the broker may wait for replicas to acknowledge, ms. Default 30000. */
  ackTimeout?: number
  /**
   * The longest time from a batch being handed to the client to its success or final failure, ms (the Java
   * client's delivery.timeout.ms): retriable failures of every kind (a broker down or restarting, a refused or
   * closed connection, a request timeout, a failed metadata refresh, a leader not known yet, InitProducerId) are
   * retried until it passes; then the batch fails with a retriable TimeoutError. It also bounds connecting at
   * start and looking up a new topic. Default 120000 (2 minutes, as Java: a rolling restart fits in it).
   */
  deliveryTimeout?: number
  /**
   * Attempts per batch, retrying retriable errors with a metadata refresh. Default Infinity: `deliveryTimeout`
   * decides when to give up, as the Java client (retries = MAX_INT) does, since how many attempts fit in a broker's
   * restart depends on the backoff, not on the fault. Set a number to give up sooner.
   */
  maxAttempts?: number
  /** First retry backoff, ms; it doubles per attempt (with jitter) up to `maxBackoff`. Default 100. */
  backoff?: number
  /** Longest retry backoff, ms. Default 1000. */
  maxBackoff?: number
  /**
   * The idempotent producer: the broker drops a batch it already stored when a retry sends it again, so retries never
   * duplicate or reorder (requires requiredAcks 'all' and maxAttempts >= 2). Default: true when requiredAcks is 'all'
   * and maxAttempts >= 2, as the Java client does since 3.0; else false.
   */
  idempotent?: boolean
  /**
   * Makes the writer transactional (exactly once, see "Exactly once" in README.md): messages are written in
   * transactions, each committed together with the source offsets of the messages it holds (the `ack` of a
   * KafkaReadable message with the same transactionalId, passed on as `ack: msg.ack`). A newer writer with the same
   * id fences this one (FencedError). Needs `idempotent` (the default with requiredAcks 'all'). Default none.
   */
  transactionalId?: string
  /** With `transactionalId`: messages per transaction before it is committed. Default 10000. */
  transactionSize?: number
  /** With `transactionalId`: bytes per transaction (records as encoded) before it is committed. Default 16777216 (16 MiB). */
  transactionBytes?: number
  /**
   * With `transactionalId`: the longest a transaction stays open, ms, from its first message to its commit: what
   * read_committed readers wait at most to see a message (plus the commit). Default 100 (as Kafka Streams' exactly-once).
   */
  transactionInterval?: number
  /**
   * With `transactionalId`: how long the broker lets a transaction stay open before it aborts it, ms (the Java
   * client's transaction.timeout.ms; at most the broker's transaction.max.timeout.ms, 15 minutes by default).
   * Default 60000.
   */
  transactionTimeout?: number
  /**
   * With `transactionalId`: how many aborted transactions in a row are retried in this process before the writer
   * fails. A transaction is aborted when one of its batches is not stored (deliveryTimeout passed, the broker refused
   * its sequence) or its commit fails for a reason that may pass; its source offsets are not committed, the
   * KafkaReadable with the same transactionalId reads again from the last committed ones, and what was on its way
   * is dropped. A rebalance of the source group during a transaction is retried the same way and not counted.
   * 0 fails the writer at the first abort (the pipeline then resumes from the committed offsets when started again).
   * Default 5.
   */
  transactionRetries?: number
  /** 'none', 'gzip', 'snappy', 'lz4' or 'zstd'. Default 'none'. */
  compression?: CompressionName
  /** Let the broker create a missing topic on first write (if its auto.create.topics.enable allows). Default false. */
  allowAutoTopicCreation?: boolean
  /**
   * Call write callbacks as soon as messages are queued instead of after the broker stored them. Memory stays
   * bounded (`maxBufferedMessages`, `maxBufferedBytes`); failures still destroy the stream. Default false.
   */
  async?: boolean
  /** async mode: queued but unacknowledged messages before writes wait. Default 100000. */
  maxBufferedMessages?: number
  /** async mode: queued but unacknowledged bytes before writes wait. Default 67108864 (64 MiB). */
  maxBufferedBytes?: number
  /** Turns each value into bytes: 'json', 'string', 'buffer' or a function. Default 'json' (Buffer/string as is). */
  serializer?: 'json' | 'string' | 'buffer' | ((value: unknown) => Buffer | string | null)
  /** Turns each key into bytes, like `serializer`. Default 'json' (Buffer/string as is). */
  keySerializer?: 'json' | 'string' | 'buffer' | ((value: unknown) => Buffer | string | null)
  /** Maps each written chunk to a Message. Default: chunks are Messages. */
  toMessage?: (chunk: T) => Message
  /** How long topic metadata is trusted before it is fetched again, ms. Default 300000. */
  metadataMaxAge?: number
  /**
   * Messages the writer holds before `write()` returns false, counting those on the wire: about two round trips'
   * worth keeps one batch travelling while the next fills. Default 10000.
   */
  highWaterMark?: number
  /** Aborting it destroys the stream with an AbortedError; undelivered writes fail. Default none. */
  signal?: AbortSignal
}

export const defaultWritableOptions = {
  batchSize: 1000,
  batchBytes: 1_000_000,
  linger: 5,
  requiredAcks: 'all' as RequiredAcks,
  ackTimeout: 30_000,
  deliveryTimeout: 120_000,
  maxAttempts: Infinity,
  backoff: 100,
  maxBackoff: 1000,
  compression: 'none' as CompressionName,
  allowAutoTopicCreation: false,
  async: false,
  maxBufferedMessages: 100_000,
  maxBufferedBytes: 64 * 1024 * 1024,
  serializer: defaultValueSerializer,
  keySerializer: defaultKeySerializer,
  metadataMaxAge: 300_000,
  highWaterMark: 10_000,
  transactionSize: 10_000,
  transactionBytes: 16 * 1024 * 1024,
  transactionInterval: 100,
  transactionTimeout: 60_000,
  transactionRetries: 5,
} satisfies Partial<KafkaWritableOptions>

export interface ResolvedWritableOptions<T> {
  /** The connection options, checked, for kafkaClient(). */
  client: ClientOptions
  topic: string | undefined
  balancer: Balancer
  batchSize: number
  batchBytes: number
  linger: number
  acks: -1 | 1 | 0
  ackTimeout: number
  deliveryTimeout: number
  maxAttempts: number
  backoff: number
  maxBackoff: number
  idempotent: boolean
  compression: CompressionTypes
  allowAutoTopicCreation: boolean
  async: boolean
  maxBufferedMessages: number
  maxBufferedBytes: number
  serializeValue: Serializer
  serializeKey: Serializer
  toMessage: ((chunk: T) => Message) | undefined
  metadataMaxAge: number
  highWaterMark: number
  signal: AbortSignal | undefined
  /** The transactional settings, when `transactionalId` is set. */
  transaction:
    | { transactionalId: string; transactionSize: number; transactionBytes: number; transactionInterval: number; transactionTimeout: number; transactionRetries: number }
    | undefined
}

const ACKS = { all: -1, leader: 1, none: 0 } as const

/** A whole number of attempts, or Infinity: then deliveryTimeout alone decides when to give up. */
const attempts: Field<number> = (value, name) => {
  if (value !== Infinity && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)) {
    throw new InvalidOptionError(name, value, 'an integer >= 1 or Infinity')
  }
  return value
}

/** Every option a KafkaWritable takes, with its check; anything else is an UnknownOptionError. */
export const writableOptionsSchema = {
  ...clientOptionsSchema,
  topic: topicName('a topic name (or leave it out and name the topic on each message)'),
  balancer: via((value) => toBalancer(value as BalancerLike)),
  // A record batch counts its records in an int32 and its bytes must fit one request (an int32 size).
  batchSize: integer(1, INT32_MAX),
  batchBytes: integer(1, INT32_MAX),
  linger: milliseconds(0),
  requiredAcks: oneOf(['all', 'leader', 'none'] as const),
  ackTimeout: milliseconds(1),
  deliveryTimeout: milliseconds(1),
  maxAttempts: attempts,
  backoff: milliseconds(1),
  maxBackoff: milliseconds(1),
  idempotent: flag,
  compression: via(parseCompression),
  allowAutoTopicCreation: flag,
  async: flag,
  maxBufferedMessages: integer(1),
  maxBufferedBytes: integer(1),
  serializer: via(resolveSerializer),
  keySerializer: via(resolveSerializer),
  toMessage: func<(chunk: unknown) => Message>('(chunk) => Message'),
  metadataMaxAge: milliseconds(0),
  highWaterMark: integer(1),
  signal: abortSignal,
  transactionalId: nonEmptyString('a non-empty string naming this writer across restarts'),
  transactionSize: integer(1),
  transactionBytes: integer(1),
  transactionInterval: milliseconds(1),
  transactionTimeout: milliseconds(1),
  transactionRetries: integer(0),
} as const

/** Checks every option up front (names and values) and fills in the defaults. */
export function resolveWritableOptions<T>(options: KafkaWritableOptions<T>): ResolvedWritableOptions<T> {
  const given = checkOptions('KafkaWritable', writableOptionsSchema, options)
  const d = defaultWritableOptions
  const requiredAcks = given.requiredAcks ?? d.requiredAcks
  const maxAttempts = given.maxAttempts ?? d.maxAttempts
  const idempotent = given.idempotent ?? (requiredAcks === 'all' && maxAttempts >= 2)
  const transaction = transactionSettings(given)
  if (transaction && given.async === true) {
    throw new OptionConflictError(
      'async: true cannot be used with transactionalId: a transactional write completes once stored in the open transaction, ' +
        'and pipeline() once the last one committed; drop "async" (transactions batch the writes anyway)',
    )
  }
  if (transaction && !idempotent) {
    throw new OptionConflictError(
      `transactionalId needs the idempotent producer (idempotent: true, requiredAcks: 'all', maxAttempts >= 2), but here ` +
        `idempotent is false (requiredAcks '${requiredAcks}', maxAttempts ${maxAttempts}${given.idempotent === false ? ', idempotent: false' : ''})`,
    )
  }
  if (idempotent && requiredAcks !== 'all') {
    throw new OptionConflictError(`idempotent: true needs requiredAcks: 'all', not '${requiredAcks}'`)
  }
  if (idempotent && maxAttempts < 2) {
    throw new OptionConflictError(`idempotent: true needs maxAttempts of 2 or more (it exists to make retries safe), not ${maxAttempts}`)
  }
  return {
    client: given,
    topic: given.topic,
    balancer: given.balancer ?? new Murmur2Balancer(),
    batchSize: given.batchSize ?? d.batchSize,
    batchBytes: given.batchBytes ?? d.batchBytes,
    linger: given.linger ?? d.linger,
    acks: ACKS[requiredAcks],
    ackTimeout: given.ackTimeout ?? d.ackTimeout,
    deliveryTimeout: given.deliveryTimeout ?? d.deliveryTimeout,
    maxAttempts,
    backoff: given.backoff ?? d.backoff,
    maxBackoff: given.maxBackoff ?? d.maxBackoff,
    idempotent,
    compression: given.compression ?? parseCompression(d.compression),
    allowAutoTopicCreation: given.allowAutoTopicCreation ?? d.allowAutoTopicCreation,
    async: given.async ?? d.async,
    maxBufferedMessages: given.maxBufferedMessages ?? d.maxBufferedMessages,
    maxBufferedBytes: given.maxBufferedBytes ?? d.maxBufferedBytes,
    serializeValue: given.serializer ?? resolveSerializer(d.serializer, 'serializer'),
    serializeKey: given.keySerializer ?? resolveSerializer(d.keySerializer, 'keySerializer'),
    toMessage: given.toMessage as ((chunk: T) => Message) | undefined,
    metadataMaxAge: given.metadataMaxAge ?? d.metadataMaxAge,
    highWaterMark: given.highWaterMark ?? d.highWaterMark,
    signal: given.signal,
    transaction,
  }
}

const TRANSACTION_ONLY = ['transactionSize', 'transactionBytes', 'transactionInterval', 'transactionTimeout', 'transactionRetries'] as const

function transactionSettings(given: Checked<typeof writableOptionsSchema>): ResolvedWritableOptions<unknown>['transaction'] {
  const d = defaultWritableOptions
  if (given.transactionalId === undefined) {
    const stray = TRANSACTION_ONLY.filter((name) => given[name] !== undefined)
    if (stray.length > 0) throw new OptionConflictError(`${stray.map((n) => `"${n}"`).join(', ')} only apply with "transactionalId": set it, or drop them`)
    return undefined
  }
  return {
    transactionalId: given.transactionalId,
    transactionSize: given.transactionSize ?? d.transactionSize,
    transactionBytes: given.transactionBytes ?? d.transactionBytes,
    transactionInterval: given.transactionInterval ?? d.transactionInterval,
    transactionTimeout: given.transactionTimeout ?? d.transactionTimeout,
    transactionRetries: given.transactionRetries ?? d.transactionRetries,
  }
}
