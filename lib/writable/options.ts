import type { CompressionTypes } from 'kafkajs'
import type { BalancerLike } from '../balancers'
import { Murmur2Balancer, toBalancer, type Balancer } from '../balancers'
import { parseCompression, type CompressionName } from '../codecs/compression'
import { resolveSerializer, type Serializer } from '../codecs/serializers'
import { InvalidOptionError, OptionConflictError } from '../errors'
import type { ClientOptions } from '../kafka/client-options'
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
  serializer: 'json',
  keySerializer: 'json',
  metadataMaxAge: 300_000,
  highWaterMark: 10_000,
} satisfies Partial<KafkaWritableOptions>

export interface ResolvedWritableOptions<T> {
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
}

const ACKS = { all: -1, leader: 1, none: 0 } as const

function integer(name: string, value: number, min: number, orElse = ''): number {
  if (!Number.isInteger(value) || value < min) throw new InvalidOptionError(name, value, `an integer >= ${min}${orElse ? ` ${orElse}` : ''}`)
  return value
}

/** A time a timer waits for: Node's timers take up to 2^31 - 1 ms (and fire at once for more). */
function timeout(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_TIMER) {
    throw new InvalidOptionError(name, value, `an integer number of milliseconds from 1 to ${MAX_TIMER}`)
  }
  return value
}

const MAX_TIMER = 2 ** 31 - 1

function flag(name: string, value: boolean): boolean {
  if (typeof value !== 'boolean') throw new InvalidOptionError(name, value, 'true or false')
  return value
}

/** Checks every option up front and fills in the defaults. */
export function resolveWritableOptions<T>(options: KafkaWritableOptions<T>): ResolvedWritableOptions<T> {
  const o = { ...defaultWritableOptions, ...stripUndefined(options) }
  if (o.topic !== undefined && (typeof o.topic !== 'string' || o.topic === '')) {
    throw new InvalidOptionError('topic', o.topic, 'a non-empty string (or leave it out and name the topic on each message)')
  }
  if (!Object.hasOwn(ACKS, o.requiredAcks)) throw new InvalidOptionError('requiredAcks', o.requiredAcks, "one of 'all', 'leader', 'none'")
  const maxAttempts = o.maxAttempts === Infinity ? Infinity : integer('maxAttempts', o.maxAttempts, 1, 'or Infinity')
  const idempotent = o.idempotent === undefined ? o.requiredAcks === 'all' && maxAttempts >= 2 : flag('idempotent', o.idempotent)
  if (idempotent && o.requiredAcks !== 'all') {
    throw new OptionConflictError(`idempotent: true needs requiredAcks: 'all', not '${o.requiredAcks}'`)
  }
  if (idempotent && maxAttempts < 2) {
    throw new OptionConflictError(`idempotent: true needs maxAttempts of 2 or more (it exists to make retries safe), not ${maxAttempts}`)
  }
  if (o.toMessage !== undefined && typeof o.toMessage !== 'function') {
    throw new InvalidOptionError('toMessage', o.toMessage, 'a function (chunk) => Message')
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new InvalidOptionError('signal', o.signal, 'an AbortSignal')
  return {
    topic: o.topic,
    balancer: o.balancer === undefined ? new Murmur2Balancer() : toBalancer(o.balancer),
    batchSize: integer('batchSize', o.batchSize, 1),
    batchBytes: integer('batchBytes', o.batchBytes, 1),
    linger: integer('linger', o.linger, 0),
    acks: ACKS[o.requiredAcks],
    ackTimeout: integer('ackTimeout', o.ackTimeout, 1),
    deliveryTimeout: timeout('deliveryTimeout', o.deliveryTimeout),
    maxAttempts,
    backoff: integer('backoff', o.backoff, 1),
    maxBackoff: integer('maxBackoff', o.maxBackoff, 1),
    idempotent,
    compression: parseCompression(o.compression),
    allowAutoTopicCreation: flag('allowAutoTopicCreation', o.allowAutoTopicCreation),
    async: flag('async', o.async),
    maxBufferedMessages: integer('maxBufferedMessages', o.maxBufferedMessages, 1),
    maxBufferedBytes: integer('maxBufferedBytes', o.maxBufferedBytes, 1),
    serializeValue: resolveSerializer(o.serializer, 'serializer'),
    serializeKey: resolveSerializer(o.keySerializer, 'keySerializer'),
    toMessage: o.toMessage,
    metadataMaxAge: integer('metadataMaxAge', o.metadataMaxAge, 0),
    highWaterMark: integer('highWaterMark', o.highWaterMark, 1),
    signal: o.signal,
  }
}

function stripUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>
}
