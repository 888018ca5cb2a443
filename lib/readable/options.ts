import { defaultKeyDeserializer, defaultValueDeserializer, resolveDeserializer, type Deserializer, type DeserializerName } from '../codecs/deserializers'
import { InvalidOptionError, OptionConflictError, show } from '../errors'
import { topicNameProblem } from '../kafka/topic-name'
import { clientOptionsSchema, type ClientOptions } from '../kafka/client-options'
import { abortSignal, flag, integer, INT32_MAX, milliseconds, nonEmptyString, oneOf, topicName, via, type Field } from '../options/fields'
import { checkOptions } from '../options/schema'

/** Where a partition reader starts: the first or next offset, an exact offset, or the first offset at or after a time. */
export type StartOffset = 'earliest' | 'latest' | number | string | bigint | Date

/** What a message that does not decode turns into: the stream's error, nothing (it is acked and skipped), or a call. */
export type DecodeErrorHandler = 'error' | 'skip' | ((raw: RawMessage, error: Error) => void)

/** A consumed message before decoding, as handed to an `onDecodeError` function (e.g. for a dead-letter topic). */
export interface RawMessage {
  topic: string
  partition: number
  offset: string
  key: Buffer | null
  value: Buffer | null
  headers: Record<string, Buffer | string | undefined | Array<Buffer | string>>
  timestamp: Date
}

export interface KafkaReadableOptions extends ClientOptions {
  // Consumer group mode
  /** The consumer group. Selects group mode: partitions are assigned by the group and acked offsets committed. */
  groupId?: string
  /** Group mode: the topics to subscribe to: a name, names, or a RegExp matched against the cluster's topics. */
  topics?: string | RegExp | Array<string | RegExp>
  /** Group mode: where a partition without a committed offset starts: true earliest, false latest. Default false. */
  fromBeginning?: boolean
  /** Group mode: how long the group waits for a heartbeat before it drops this member, ms. Default 30000. */
  sessionTimeout?: number
  /** Group mode: how often heartbeats go out, also while the stream is paused, ms. Default 3000. */
  heartbeatInterval?: number
  /** Group mode: coalesces commits: an ack is committed at most this many ms later; 0 commits at once. Default 1000. */
  commitInterval?: number
  /**
   * Group mode: ack every message when it is read (kafka-go's ReadMessage): a crash then loses what was read and not
   * yet processed. Default false: only `ack()`ed messages are committed.
   */
  ackOnRead?: boolean
  /**
   * Group mode: the reader of an exactly-once copy (see "Exactly once" in README.md). Its offsets are committed by the
   * KafkaWritable with the same transactionalId, inside the transactions that hold the output: the reader commits
   * nothing itself, its messages' `ack` is only for passing on to that writer (calling it throws), and it starts
   * reading once that writer (in this process) got its producer epoch, after the previous instance's last transaction
   * completed. Default none (an at-least-once reader that commits what was acked).
   */
  transactionalId?: string

  // Partition mode
  /** Selects partition mode: the topic of a reader of one partition (no group assignment, nothing committed). */
  topic?: string
  /** Partition mode: the partition to read. Default 0. */
  partition?: number
  /** Partition mode: where to start. Default 'earliest'. */
  offset?: StartOffset

  // Both modes
  /**
   * End the stream (a batch job) once every assigned partition reached its end: 'latest' is the end offset when the
   * reader started (in a group: when the partition was first assigned to it); a Date is the first message at or after
   * that time, which is not emitted (found as kafka-go's SetOffsetAt finds it). Default none: read forever.
   */
  until?: 'latest' | Date
  /** Decodes keys: 'buffer', 'string', 'json' or a function. Default 'buffer'. */
  keyDeserializer?: DeserializerName | Deserializer
  /** Decodes values: 'buffer', 'string', 'json' or a function. Default 'buffer'. */
  valueDeserializer?: DeserializerName | Deserializer
  /**
   * A key or value that fails to decode: 'error' destroys the stream with a DeserializationError naming the message;
   * 'skip' acks it and goes on; a function gets the raw message and the error (e.g. to write it to a dead-letter
   * topic), then the message is acked; if the function throws, the stream is destroyed with that. Default 'error'.
   */
  onDecodeError?: DecodeErrorHandler
  /**
   * 'read_committed' reads only messages of committed transactions (and those written without one), holding back a
   * partition's messages behind a transaction still open; 'read_uncommitted' reads everything, also what aborted
   * transactions wrote. Default 'read_committed' (the Java client's default is read_uncommitted; kafkajs' and ours
   * are not, so that what a transactional writer aborted is never seen).
   */
  isolationLevel?: 'read_committed' | 'read_uncommitted'
  /** Messages the stream buffers before fetching pauses. Default 1000. */
  highWaterMark?: number
  /** Bytes (keys + values) the stream buffers before fetching pauses. Also bounds fetch sizes. Default 16777216 (16 MiB). */
  maxBufferedBytes?: number
  /** On a clean end, how long to wait for acks of messages already read before the final commit, ms. Default 10000. */
  closeTimeout?: number
  /** Aborting it destroys the stream with an AbortedError, after a final commit of what was acked. Default none. */
  signal?: AbortSignal
}

export const defaultReadableOptions = {
  fromBeginning: false,
  sessionTimeout: 30_000,
  heartbeatInterval: 3000,
  commitInterval: 1000,
  ackOnRead: false,
  partition: 0,
  offset: 'earliest' as StartOffset,
  keyDeserializer: defaultKeyDeserializer,
  valueDeserializer: defaultValueDeserializer,
  onDecodeError: 'error' as DecodeErrorHandler,
  highWaterMark: 1000,
  maxBufferedBytes: 16 * 1024 * 1024,
  closeTimeout: 10_000,
  isolationLevel: 'read_committed' as 'read_committed' | 'read_uncommitted',
} satisfies Partial<KafkaReadableOptions>

export interface GroupMode {
  kind: 'group'
  groupId: string
  topics: Array<string | RegExp>
  fromBeginning: boolean
  sessionTimeout: number
  heartbeatInterval: number
  commitInterval: number
  ackOnRead: boolean
  /** Offsets committed by the transactional writer with this id, not by the reader. */
  transactionalId: string | undefined
}

export interface PartitionMode {
  kind: 'partition'
  topic: string
  partition: number
  offset: 'earliest' | 'latest' | bigint | Date
}

export interface ResolvedReadableOptions {
  /** The connection options, checked, for kafkaClient(). */
  client: ClientOptions
  mode: GroupMode | PartitionMode
  until: 'latest' | Date | undefined
  decodeKey: Deserializer
  decodeValue: Deserializer
  onDecodeError: DecodeErrorHandler
  highWaterMark: number
  maxBufferedBytes: number
  closeTimeout: number
  isolationLevel: 'read_committed' | 'read_uncommitted'
  signal: AbortSignal | undefined
}

const GROUP_ONLY = ['topics', 'fromBeginning', 'sessionTimeout', 'heartbeatInterval', 'commitInterval', 'ackOnRead', 'transactionalId'] as const
const PARTITION_ONLY = ['topic', 'partition', 'offset'] as const
const INT64_MAX = 2n ** 63n - 1n

const decodeErrorHandler: Field<DecodeErrorHandler> = (value, name) => {
  if (value !== 'error' && value !== 'skip' && typeof value !== 'function') {
    throw new InvalidOptionError(name, value, "'error', 'skip' or a function (raw, error) => void")
  }
  return value as DecodeErrorHandler
}

const untilOption: Field<'latest' | Date> = (value, name) => {
  if (value !== 'latest' && !validDate(value)) throw new InvalidOptionError(name, value, "'latest' or a valid Date")
  return value
}

/** Every option a KafkaReadable takes, with its check; anything else is an UnknownOptionError. */
export const readableOptionsSchema = {
  ...clientOptionsSchema,
  groupId: nonEmptyString(),
  topics: topicList,
  fromBeginning: flag,
  sessionTimeout: milliseconds(1),
  heartbeatInterval: milliseconds(1),
  commitInterval: milliseconds(0),
  ackOnRead: flag,
  transactionalId: nonEmptyString('the transactionalId of the KafkaWritable this reader feeds'),
  isolationLevel: oneOf(['read_committed', 'read_uncommitted'] as const),
  topic: topicName('a topic name'),
  partition: integer(0, INT32_MAX),
  offset: startOffset,
  until: untilOption,
  keyDeserializer: via(resolveDeserializer),
  valueDeserializer: via(resolveDeserializer),
  onDecodeError: decodeErrorHandler,
  highWaterMark: integer(1),
  // Also the fetch size limit, an int32 on the wire.
  maxBufferedBytes: integer(1, INT32_MAX),
  closeTimeout: milliseconds(0),
  signal: abortSignal,
} as const

/** Checks every option up front (names and values) and fills in the defaults. */
export function resolveReadableOptions(options: KafkaReadableOptions): ResolvedReadableOptions {
  const given = checkOptions('KafkaReadable', readableOptionsSchema, options)
  const has = (name: keyof typeof readableOptionsSchema) => given[name] !== undefined
  const d = defaultReadableOptions
  let mode: GroupMode | PartitionMode
  if (given.groupId !== undefined) {
    const stray = PARTITION_ONLY.filter(has)
    if (stray.length > 0) {
      throw new OptionConflictError(
        `${stray.map((n) => `"${n}"`).join(', ')} cannot be used with "groupId": the group assigns partitions and resumes from ` +
          'its committed offsets; subscribe with "topics", or drop "groupId" for a partition reader',
      )
    }
    if (given.topics === undefined) throw new OptionConflictError('a consumer group ("groupId") needs "topics" to subscribe to')
    mode = {
      kind: 'group',
      groupId: given.groupId,
      topics: given.topics,
      fromBeginning: given.fromBeginning ?? d.fromBeginning,
      sessionTimeout: given.sessionTimeout ?? d.sessionTimeout,
      heartbeatInterval: given.heartbeatInterval ?? d.heartbeatInterval,
      commitInterval: given.commitInterval ?? d.commitInterval,
      ackOnRead: given.ackOnRead ?? d.ackOnRead,
      transactionalId: given.transactionalId,
    }
    if (mode.transactionalId !== undefined) checkTransactional(given)
    if (mode.heartbeatInterval >= mode.sessionTimeout) {
      throw new OptionConflictError(`heartbeatInterval (${mode.heartbeatInterval}) must be lower than sessionTimeout (${mode.sessionTimeout})`)
    }
  } else if (given.topic !== undefined) {
    const stray = GROUP_ONLY.filter(has)
    if (stray.length > 0) {
      throw new OptionConflictError(
        `${stray.map((n) => `"${n}"`).join(', ')} only apply to a consumer group: a partition reader ("topic" without "groupId") ` +
          'commits nothing; give "groupId" and "topics" for a group',
      )
    }
    mode = { kind: 'partition', topic: given.topic, partition: given.partition ?? d.partition, offset: given.offset ?? startOffset(d.offset, 'offset') }
  } else {
    throw new OptionConflictError(
      'a KafkaReadable needs either "groupId" with "topics" (a consumer group) or "topic" with "partition" (a partition reader)',
    )
  }
  return {
    client: given,
    mode,
    until: given.until,
    decodeKey: given.keyDeserializer ?? resolveDeserializer(d.keyDeserializer, 'keyDeserializer'),
    decodeValue: given.valueDeserializer ?? resolveDeserializer(d.valueDeserializer, 'valueDeserializer'),
    onDecodeError: given.onDecodeError ?? d.onDecodeError,
    highWaterMark: given.highWaterMark ?? d.highWaterMark,
    maxBufferedBytes: given.maxBufferedBytes ?? d.maxBufferedBytes,
    closeTimeout: given.closeTimeout ?? d.closeTimeout,
    isolationLevel: given.isolationLevel ?? d.isolationLevel,
    signal: given.signal,
  }
}

/** A reader whose offsets a transactional writer commits has no commits of its own to tune, and reads committed data only. */
function checkTransactional(given: { ackOnRead?: boolean; commitInterval?: number; isolationLevel?: string }): void {
  const stray = (['ackOnRead', 'commitInterval'] as const).filter((name) => given[name] !== undefined)
  if (stray.length > 0) {
    throw new OptionConflictError(
      `${stray.map((n) => `"${n}"`).join(', ')} cannot be used with "transactionalId": the reader commits nothing itself, the ` +
        'transactional KafkaWritable commits its offsets with each transaction; drop them',
    )
  }
  if (given.isolationLevel === 'read_uncommitted') {
    throw new OptionConflictError(
      'isolationLevel \'read_uncommitted\' cannot be used with "transactionalId": an exactly-once copy must not copy what aborted ' +
        "transactions wrote; leave isolationLevel out (it is 'read_committed')",
    )
  }
}

function topicList(value: unknown, name: string): Array<string | RegExp> {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0 || !list.every((t) => (typeof t === 'string' && t !== '') || t instanceof RegExp)) {
    throw new InvalidOptionError(name, value, 'a topic name, a non-empty array of names, or a RegExp')
  }
  for (const topic of list) {
    const problem = typeof topic === 'string' ? topicNameProblem(topic) : undefined
    if (problem !== undefined) throw new InvalidOptionError(name, value, `topic names Kafka takes, but ${show(topic)} is not: ${problem}`)
  }
  return list as Array<string | RegExp>
}

function startOffset(value: unknown, name: string): PartitionMode['offset'] {
  if (value === 'earliest' || value === 'latest') return value
  if (validDate(value)) return value
  let offset: bigint | undefined
  if (typeof value === 'bigint') offset = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) offset = BigInt(value)
  else if (typeof value === 'string' && /^\d{1,19}$/.test(value)) offset = BigInt(value)
  if (offset === undefined || offset < 0n || offset > INT64_MAX) {
    throw new InvalidOptionError(name, value, "'earliest', 'latest', a Date, or a non-negative offset (number, decimal string or bigint)")
  }
  return offset
}

function validDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime())
}
