import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type RetryOptions, type SASLOptions, type logCreator } from 'kafkajs'
import { InvalidOptionError, OptionConflictError } from '../errors'
import { withoutInapplicableWarnings } from './logger'

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

/**
 * kafkajs' retrier for a client whose caller retries by itself (the writer): one attempt per call, so a broker
 * that is down costs one connection attempt per round of the caller's loop, not kafkajs' 5 retries times its own.
 */
export const NO_KAFKAJS_RETRIES: RetryOptions = { retries: 0 }

/**
 * The kafkajs client the options describe (the given one, or a new one). Validates up front. `retry` replaces
 * kafkajs' retrier for a new client (a given `kafka` keeps its own settings).
 */
export function kafkaClient(options: ClientOptions, retry?: RetryOptions): Kafka {
  if (options.kafka !== undefined) {
    if (options.brokers !== undefined) {
      throw new OptionConflictError('give either "brokers" or an existing "kafka" client, not both')
    }
    if (!(options.kafka instanceof Kafka)) {
      throw new InvalidOptionError('kafka', options.kafka, 'a kafkajs Kafka instance (new Kafka({ brokers }))')
    }
    return options.kafka
  }
  const brokers = typeof options.brokers === 'string' ? options.brokers.split(',').map((b) => b.trim()) : options.brokers
  if (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((b) => typeof b === 'string' && /^[^:\s]+:\d+$/.test(b))) {
    throw new InvalidOptionError('brokers', options.brokers, 'a non-empty list of "host:port" strings (or give an existing "kafka" client)')
  }
  for (const name of ['connectionTimeout', 'requestTimeout'] as const) {
    const value = options[name]
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new InvalidOptionError(name, value, 'a positive number of milliseconds')
    }
  }
  if (options.clientId !== undefined && (typeof options.clientId !== 'string' || options.clientId === '')) {
    throw new InvalidOptionError('clientId', options.clientId, 'a non-empty string')
  }
  const config: KafkaConfig = {
    brokers,
    clientId: options.clientId ?? defaultClientOptions.clientId,
    logLevel: options.logLevel ?? defaultClientOptions.logLevel,
    connectionTimeout: options.connectionTimeout ?? defaultClientOptions.connectionTimeout,
    requestTimeout: options.requestTimeout ?? defaultClientOptions.requestTimeout,
  }
  if (retry !== undefined) config.retry = retry
  if (options.ssl !== undefined) config.ssl = options.ssl
  if (options.sasl !== undefined) config.sasl = options.sasl
  config.logCreator = withoutInapplicableWarnings(options.logger)
  return new Kafka(config)
}
