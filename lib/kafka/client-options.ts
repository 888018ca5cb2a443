import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type RetryOptions, type SASLOptions, type logCreator } from 'kafkajs'
import { InvalidOptionError, OptionConflictError } from '../errors'
import { func, milliseconds, nonEmptyString, type Field } from '../options/fields'
import { withoutHandledResponseErrors } from './logger'

/** Connection options both streams take. Give `brokers` (and the rest) or an existing kafkajs `kafka`. */
export interface ClientOptions {
  /** Bootstrap brokers, `host:port`. Required unless `kafka` is given. */
  brokers?: string[] | string
  /** An existing kafkajs client to use instead of `brokers`; its own settings apply. Default none. */
  kafka?: Kafka
  /** The client id brokers see in their logs and quotas. Default 'kafka-pipe'. */
  clientId?: string
  /** TLS: `true` or Node's tls.connect options. Default off. */
  ssl?: KafkaConfig['ssl']
  /** SASL (plain, scram-sha-256, scram-sha-512, aws, oauthbearer) as kafkajs takes it. Default none. */
  sasl?: SASLOptions
  /** A kafkajs logCreator for the client's log lines. Default: warnings and errors to the console. */
  logger?: logCreator
  /** kafkajs log level (NOTHING, ERROR, WARN, INFO, DEBUG). Default WARN. */
  logLevel?: KafkaLogLevel
  /** Time to establish a connection, ms. Default 3000. */
  connectionTimeout?: number
  /** Time for a request to answer, ms. Default 30000. */
  requestTimeout?: number
}

export const defaultClientOptions = {
  clientId: 'kafka-pipe',
  logLevel: KafkaLogLevel.WARN,
  connectionTimeout: 3000,
  requestTimeout: 30_000,
} satisfies Partial<ClientOptions>

const brokerList: Field<string[]> = (value, name) => {
  const brokers = typeof value === 'string' ? value.split(',').map((b) => b.trim()) : value
  if (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((b) => typeof b === 'string' && /^[^:\s]+:\d{1,5}$/.test(b))) {
    throw new InvalidOptionError(name, value, 'a non-empty list of "host:port" strings (or give an existing "kafka" client)')
  }
  return brokers as string[]
}

const kafkaInstance: Field<Kafka> = (value, name) => {
  if (!(value instanceof Kafka)) throw new InvalidOptionError(name, value, 'a kafkajs Kafka instance (new Kafka({ brokers }))')
  return value
}

const sslOption: Field<NonNullable<KafkaConfig['ssl']>> = (value, name) => {
  if (typeof value !== 'boolean' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new InvalidOptionError(name, value, "true, false, or Node's tls.connect options ({ ca, cert, key, ... })")
  }
  return value as NonNullable<KafkaConfig['ssl']>
}

const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'aws', 'oauthbearer'] as const

/** An unknown mechanism would only fail at connect time, with the broker's list of mechanisms instead of ours. */
const saslOption: Field<SASLOptions> = (value, name) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(name, value, "an object { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512', username, password }")
  }
  const given = value as { mechanism?: unknown; authenticationProvider?: unknown }
  if (typeof given.authenticationProvider !== 'function' && !(SASL_MECHANISMS as readonly unknown[]).includes(given.mechanism)) {
    throw new InvalidOptionError(`${name}.mechanism`, given.mechanism, `one of ${SASL_MECHANISMS.map((m) => `'${m}'`).join(', ')}`)
  }
  return value as SASLOptions
}

const LOG_LEVELS: readonly number[] = Object.values(KafkaLogLevel).filter((v): v is number => typeof v === 'number')

const logLevelOption: Field<KafkaLogLevel> = (value, name) => {
  if (typeof value !== 'number' || !LOG_LEVELS.includes(value)) {
    throw new InvalidOptionError(name, value, 'a kafkajs logLevel (logLevel.NOTHING, ERROR, WARN, INFO or DEBUG)')
  }
  return value as KafkaLogLevel
}

/** The checks of the connection options, part of both streams' schemas. */
export const clientOptionsSchema = {
  brokers: brokerList,
  kafka: kafkaInstance,
  clientId: nonEmptyString(),
  ssl: sslOption,
  sasl: saslOption,
  logger: func<logCreator>('(level) => ({ namespace, level, label, log }) => void (a kafkajs logCreator)'),
  logLevel: logLevelOption,
  connectionTimeout: milliseconds(1),
  requestTimeout: milliseconds(1),
} as const

/**
 * kafkajs' retrier for a client whose caller retries by itself (the writer): one attempt per call, so a broker
 * that is down costs one connection attempt per round of the caller's loop, not kafkajs' 5 retries times its own.
 */
export const NO_KAFKAJS_RETRIES: RetryOptions = { retries: 0 }

/**
 * The kafkajs client that checked options (see clientOptionsSchema) describe: the given one, or a new one. `retry` replaces
 * kafkajs' retrier for a new client (a given `kafka` keeps its own settings).
 */
export function kafkaClient(options: ClientOptions, retry?: RetryOptions): Kafka {
  if (options.kafka !== undefined) {
    if (options.brokers !== undefined) {
      throw new OptionConflictError('give either "brokers" or an existing "kafka" client, not both')
    }
    return options.kafka
  }
  if (options.brokers === undefined) {
    throw new OptionConflictError('give "brokers" (host:port of one or more brokers of the cluster) or an existing "kafka" client')
  }
  const config: KafkaConfig = {
    brokers: brokerList(options.brokers, 'brokers'),
    clientId: options.clientId ?? defaultClientOptions.clientId,
    logLevel: options.logLevel ?? defaultClientOptions.logLevel,
    connectionTimeout: options.connectionTimeout ?? defaultClientOptions.connectionTimeout,
    requestTimeout: options.requestTimeout ?? defaultClientOptions.requestTimeout,
  }
  if (retry !== undefined) config.retry = retry
  if (options.ssl !== undefined) config.ssl = options.ssl
  if (options.sasl !== undefined) config.sasl = options.sasl
  config.logCreator = withoutHandledResponseErrors(options.logger)
  return new Kafka(config)
}

