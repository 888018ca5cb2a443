/**
 * Every error kafka-pipe raises. Each class has a stable `code` that programs can switch on, tells whether
 * trying again could help (`retriable`), and keeps the underlying error in `cause`.
 */
import { inspect } from 'node:util'

export type ErrorCode =
  | 'ERR_KAFKA_PIPE_OPTION'
  | 'ERR_KAFKA_PIPE_TOPIC'
  | 'ERR_KAFKA_PIPE_SERIALIZE'
  | 'ERR_KAFKA_PIPE_DESERIALIZE'
  | 'ERR_KAFKA_PIPE_MESSAGE_TOO_LARGE'
  | 'ERR_KAFKA_PIPE_UNSUPPORTED_CODEC'
  | 'ERR_KAFKA_PIPE_COMPRESSION'
  | 'ERR_KAFKA_PIPE_CORRUPT_RECORD'
  | 'ERR_KAFKA_PIPE_DELIVERY'
  | 'ERR_KAFKA_PIPE_COMMIT'
  | 'ERR_KAFKA_PIPE_INVALID_MESSAGE'
  | 'ERR_KAFKA_PIPE_ABORTED'
  | 'ERR_KAFKA_PIPE_CLOSED'
  | 'ERR_KAFKA_PIPE_TESTING'
  | 'ERR_KAFKA_PIPE_MISSING_DEPENDENCY'
  | 'ERR_KAFKA_PIPE_CONNECTION'
  | 'ERR_KAFKA_PIPE_BROKER'
  | 'ERR_KAFKA_PIPE_PROTOCOL'
  | 'ERR_KAFKA_PIPE_AUTHENTICATION'
  | 'ERR_KAFKA_PIPE_TIMEOUT'
  | 'ERR_KAFKA_PIPE_FENCED'
  | 'ERR_KAFKA_PIPE_TRANSACTION'

export interface KafkaPipeErrorOptions {
  cause?: unknown
  retriable?: boolean
}

export class KafkaPipeError extends Error {
  readonly code: ErrorCode
  readonly retriable: boolean

  constructor(code: ErrorCode, message: string, options: KafkaPipeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.retriable = options.retriable ?? false
  }
}

/** Shows a user's value the way it appears in their code, short enough for one line. */
export function show(value: unknown): string {
  return inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 5, maxStringLength: 80 })
}

/** An option with a wrong type or value. Says which option, what it got, and what would work. */
export class InvalidOptionError extends KafkaPipeError {
  readonly option: string

  constructor(option: string, value: unknown, expected: string) {
    super('ERR_KAFKA_PIPE_OPTION', `option "${option}" must be ${expected}, not ${show(value)}`)
    this.option = option
  }
}

/** An option name the stream does not know: most often a typo, which would otherwise silently keep the default. */
export class UnknownOptionError extends KafkaPipeError {
  readonly option: string

  constructor(owner: string, option: string, suggestion: string | undefined) {
    super(
      'ERR_KAFKA_PIPE_OPTION',
      `${owner} has no option "${option}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`} ` +
        '(the README lists every option with its default)',
    )
    this.option = option
  }
}

/** Options that cannot be used together, or a required one that is missing. */
export class OptionConflictError extends KafkaPipeError {
  constructor(message: string) {
    super('ERR_KAFKA_PIPE_OPTION', message)
  }
}

/** A topic that is missing, doubly given (writer and message), or absent on the cluster. */
export class TopicError extends KafkaPipeError {
  readonly topic: string | undefined

  constructor(message: string, topic?: string, options: KafkaPipeErrorOptions = {}) {
    super('ERR_KAFKA_PIPE_TOPIC', message, options)
    this.topic = topic
  }
}

/** A key or value that could not be turned into bytes (circular object, BigInt, a throwing serializer). */
export class SerializationError extends KafkaPipeError {
  constructor(message: string, cause?: unknown) {
    super('ERR_KAFKA_PIPE_SERIALIZE', message, { cause })
  }
}

/** Where a consumed message came from; used to name it in errors. */
export interface MessagePosition {
  topic: string
  partition: number
  offset: string
}

/** A consumed key or value that the configured deserializer could not decode. */
export class DeserializationError extends KafkaPipeError {
  readonly position: MessagePosition

  constructor(position: MessagePosition, what: 'key' | 'value', cause: unknown) {
    super(
      'ERR_KAFKA_PIPE_DESERIALIZE',
      `could not decode the ${what} of ${position.topic}[${position.partition}]@${position.offset}: ` +
        `${cause instanceof Error ? cause.message : show(cause)}; pass onDecodeError: 'skip' or a function to handle such messages`,
      { cause },
    )
    this.position = position
  }
}

export class MessageTooLargeError extends KafkaPipeError {
  readonly size: number
  readonly limit: number

  constructor(size: number, limit: number, option: string) {
    super(
      'ERR_KAFKA_PIPE_MESSAGE_TOO_LARGE',
      `a message of ${size} bytes is larger than ${option} (${limit} bytes); raise ${option} ` +
        `(and the topic's max.message.bytes) or split the message`,
    )
    this.size = size
    this.limit = limit
  }
}

export class UnsupportedCodecError extends KafkaPipeError {
  constructor(message: string) {
    super('ERR_KAFKA_PIPE_UNSUPPORTED_CODEC', message)
  }
}

/** Compressed bytes that do not decode: a corrupt or truncated record batch, or a frame the codec cannot read. */
export class CompressionError extends KafkaPipeError {
  readonly codec: string

  constructor(codec: string, message: string, cause?: unknown) {
    super('ERR_KAFKA_PIPE_COMPRESSION', `${codec}: ${message}`, { cause })
    this.codec = codec
  }
}

/**
 * Record bytes that do not hold what Kafka's format says they must: a CRC that does not match, a length that
 * runs past the end of the buffer, a truncated batch or record, a magic other than 2. Not retriable: decoding
 * the same bytes again gives the same answer (fetching them again may not; that is the caller's call).
 */
export class CorruptRecordError extends KafkaPipeError {
  /** Byte position in the decoded buffer where the bad batch starts. */
  readonly position: number

  constructor(position: number, message: string, cause?: unknown) {
    super('ERR_KAFKA_PIPE_CORRUPT_RECORD', `corrupt record batch at byte ${position}: ${message}`, { cause })
    this.position = position
  }
}

/** A written chunk that is not a usable message (not an object, a bad timestamp, a bad partition). */
export class InvalidMessageError extends KafkaPipeError {
  constructor(message: string, cause?: unknown) {
    super('ERR_KAFKA_PIPE_INVALID_MESSAGE', message, { cause })
  }
}

/** The first line of the message of an error a user's function threw, for our error that wraps it. @internal */
export function reason(cause: unknown): string {
  return cause instanceof Error ? (cause.message.split('\n')[0] ?? cause.message) : show(cause)
}

/** One batch that the broker did not store. */
export interface FailedBatch {
  topic: string
  partition: number
  /** The messages as they were written (after `toMessage`). */
  messages: readonly unknown[]
  error: Error
}

/** Messages the broker did not store after every attempt (kafka-go's WriteErrors): says which, and why. */
export class DeliveryError extends KafkaPipeError {
  readonly failures: readonly FailedBatch[]

  constructor(failures: readonly FailedBatch[]) {
    const count = failures.reduce((n, f) => n + f.messages.length, 0)
    const where = failures
      .slice(0, 5)
      .map((f) => `${f.topic}[${f.partition}] (${f.messages.length}): ${f.error.message}`)
      .join('; ')
    const first = failures[0]?.error
    super('ERR_KAFKA_PIPE_DELIVERY', `${count} message(s) were not delivered: ${where}${failures.length > 5 ? '; ...' : ''}`, {
      cause: first,
      retriable: (first as { retriable?: boolean } | undefined)?.retriable === true,
    })
    this.failures = failures
  }

  /** Every message that failed, in the order written per partition. */
  get messages(): unknown[] {
    return this.failures.flatMap((f) => f.messages)
  }
}

/** Offsets the broker did not accept: which ones, and why. The offsets stay uncommitted; their messages come again. */
export class CommitError extends KafkaPipeError {
  readonly offsets: ReadonlyArray<{ topic: string; partition: number; offset: string }>

  constructor(offsets: ReadonlyArray<{ topic: string; partition: number; offset: string }>, cause: unknown) {
    const where = offsets
      .slice(0, 5)
      .map((o) => `${o.topic}[${o.partition}]@${o.offset}`)
      .join(', ')
    super(
      'ERR_KAFKA_PIPE_COMMIT',
      `could not commit offsets ${where}${offsets.length > 5 ? ', ...' : ''}: ${cause instanceof Error ? cause.message : show(cause)}`,
      { cause, retriable: (cause as { retriable?: boolean } | undefined)?.retriable === true },
    )
    this.offsets = offsets
  }
}

/**
 * Another writer with the same `transactionalId` started (InitProducerId gave it a newer epoch): this one is a
 * zombie. It wrote nothing more after the newer one started; its open transaction was aborted by the broker.
 * Not retriable: stop this instance (the other one carries on).
 */
export class FencedError extends KafkaPipeError {
  readonly transactionalId: string
  /** What was being done when the broker refused the epoch. */
  readonly doing: string

  /**
   * @param timedOut the open transaction's age when it was refused, if that was past transactionTimeout: then the
   * broker most likely aborted it itself (and moved the epoch on), and the message says so.
   */
  constructor(transactionalId: string, doing: string, cause?: unknown, timedOut?: { openMs: number; transactionTimeout: number }) {
    super(
      'ERR_KAFKA_PIPE_FENCED',
      timedOut
        ? `${doing} failed: the transaction was open ${timedOut.openMs} ms, longer than transactionTimeout (${timedOut.transactionTimeout} ms), ` +
            `so the broker aborted it and moved the epoch of transactionalId "${transactionalId}" on (unless another instance with that id ` +
            'started); it writes nothing more. Raise transactionTimeout (up to the broker\'s transaction.max.timeout.ms), or find what ' +
            'held the transaction open (a stalled map or sink), and start the pipeline again: it resumes from the last committed offsets'
        : `${doing} failed: another KafkaWritable with transactionalId "${transactionalId}" started and fenced this one; ` +
            'it writes nothing more. Run one instance per transactionalId (stop this one), or give each instance its own transactionalId',
      { cause },
    )
    this.transactionalId = transactionalId
    this.doing = doing
  }
}

/**
 * A transaction that could not complete (the broker refused a transactional request for good), or a transactional
 * pipeline set up in a way that would break exactly-once (a writer fed by two groups, a reader that commits itself).
 * Nothing of the transaction is visible to read_committed readers; its source offsets were not committed.
 */
export class TransactionError extends KafkaPipeError {
  constructor(message: string, cause?: unknown, retriable = false) {
    super('ERR_KAFKA_PIPE_TRANSACTION', message, { cause, retriable })
  }
}

/** The stream was aborted through its AbortSignal or destroyed before the work finished. */
export class AbortedError extends KafkaPipeError {
  constructor(message = 'the operation was aborted', cause?: unknown) {
    super('ERR_KAFKA_PIPE_ABORTED', message, { cause })
  }
}

/** The test broker could not be set up (missing Java or Maven, a failed download, a broker that did not start). */
export class TestingError extends KafkaPipeError {
  constructor(message: string, cause?: unknown) {
    super('ERR_KAFKA_PIPE_TESTING', message, { cause })
  }
}

/** An optional peer dependency that a feature needs is not installed; the message says what to install. */
export class MissingDependencyError extends KafkaPipeError {
  /** The npm package that is missing. */
  readonly dependency: string

  constructor(dependency: string, feature: string, install: string, cause?: unknown) {
    super('ERR_KAFKA_PIPE_MISSING_DEPENDENCY', `${feature} needs the package "${dependency}", which could not be loaded: ${install}`, { cause })
    this.dependency = dependency
  }
}

/**
 * The cluster could not be reached, or refused the connection, when a stream started. With `misconfigured` (what
 * the symptom says about the settings, e.g. a TLS listener closing a plaintext client) it is not retriable.
 */
export class ConnectionError extends KafkaPipeError {
  constructor(where: string, cause: unknown, misconfigured?: string) {
    super(
      'ERR_KAFKA_PIPE_CONNECTION',
      `could not connect to Kafka at ${where}: ${cause instanceof Error ? cause.message : show(cause)}; ` +
        (misconfigured ?? 'check the "brokers" option (host:port of a running broker), and "ssl"/"sasl" if the cluster needs them'),
      { cause, retriable: misconfigured === undefined },
    )
  }
}

/** The broker answered a request with an error code: which one, for what, and what to do about it. */
export class BrokerError extends KafkaPipeError {
  /** The Kafka protocol error code, e.g. 10. */
  readonly kafkaCode: number
  /** Its name in the Java client's Errors enum, e.g. 'MESSAGE_TOO_LARGE'. */
  readonly kafkaError: string

  constructor(
    what: string,
    kafkaCode: number,
    kafkaError: string,
    retriable: boolean,
    detail: string | null,
    hint?: string,
    cause?: unknown,
  ) {
    super(
      'ERR_KAFKA_PIPE_BROKER',
      `the broker rejected ${what}: ${kafkaError} (${kafkaCode})${detail ? `: ${detail}` : ''}${hint ? `; ${hint}` : ''}`,
      { retriable, cause },
    )
    this.kafkaCode = kafkaCode
    this.kafkaError = kafkaError
  }
}

/** Bytes from the broker that do not parse as the response we asked for (a bug on one side, or a corrupt frame). */
export class CorruptResponseError extends KafkaPipeError {
  constructor(message: string) {
    super('ERR_KAFKA_PIPE_PROTOCOL', message, { retriable: true })
  }
}

/** A request that failed on the way (a closed connection, a timeout, a broker that is down): what was being done, and why. */
export class NetworkError extends KafkaPipeError {
  /** @param hint what the failure suggests doing, when it says more than "the network failed" */
  constructor(doing: string, cause: unknown, retriable = true, hint?: string) {
    super('ERR_KAFKA_PIPE_CONNECTION', `${doing} failed: ${cause instanceof Error ? cause.message : show(cause)}${hint ? `; ${hint}` : ''}`, {
      cause,
      retriable,
    })
  }
}

/**
 * The client could not prove who it is, or could not trust the broker: SASL credentials or mechanism the broker
 * refused, or a TLS certificate that does not verify against `ssl.ca`. Not retriable: the settings must change.
 */
export class AuthenticationError extends KafkaPipeError {
  constructor(doing: string, cause: unknown, fix: string) {
    super('ERR_KAFKA_PIPE_AUTHENTICATION', `${doing} failed: ${cause instanceof Error ? cause.message : show(cause)}; ${fix}`, { cause })
  }
}

/**
 * Something kept failing with retriable errors (or never answered) until its time was up: a broker down for longer
 * than `deliveryTimeout`, say. Retriable: the same work may well succeed later. `cause` is the last error seen.
 */
export class TimeoutError extends KafkaPipeError {
  /** The option that set the time limit, e.g. 'deliveryTimeout'. */
  readonly option: string
  readonly timeout: number
  /** Attempts started before the time was up. */
  readonly attempts: number

  constructor(doing: string, option: string, timeout: number, attempts: number, last?: Error, note?: string) {
    super(
      'ERR_KAFKA_PIPE_TIMEOUT',
      `${doing} did not succeed within ${option} (${timeout} ms, ${attempts} attempt(s))` +
        `${last ? `; last error: ${last.message}` : '; no answer yet'}${note ? `; ${note}` : ''}; ` +
        `raise ${option} to wait longer`,
      { cause: last, retriable: true },
    )
    this.option = option
    this.timeout = timeout
    this.attempts = attempts
  }
}
