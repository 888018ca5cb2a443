import { InvalidOptionError } from '../errors'
import { resolveSecurityOptions, type ResolvedSecurityOptions, type SecurityOptions } from './security-options'
import type { PropertyValue } from './server-properties'

/** The Kafka release startKafka() runs unless told otherwise. */
export const DEFAULT_KAFKA_VERSION = '4.3.1'

export interface StartKafkaOptions {
  /** Number of nodes, each a combined broker and controller. Default 1; 3 for replication and failover tests. */
  brokers?: 1 | 3
  /** Apache Kafka version (Maven artifact org.apache.kafka:kafka_2.13). Default {@link DEFAULT_KAFKA_VERSION}. */
  version?: string
  /** Partitions of topics the broker creates itself (`num.partitions`). Default 1. */
  partitions?: number
  /** Whether the broker creates topics on first use (`auto.create.topics.enable`). Default true, as in Kafka. */
  autoCreateTopics?: boolean
  /** More server.properties, applied last (they win). Default none. */
  serverProperties?: Record<string, PropertyValue>
  /** Where the jars are cached between runs. Default $KAFKA_PIPE_CACHE or ~/.cache/kafka-pipe. */
  cacheDir?: string
  /** How long to wait for the cluster to answer metadata requests, in ms. Default 120000. */
  startTimeout?: number
  /** JVM options of each node. Default ['-Xms256m', '-Xmx1g', '-XX:+UseG1GC']. */
  jvmOptions?: string[]
  /**
   * Use the cluster named by the KAFKA_BROKERS environment variable (host:port,...) when it is set, instead
   * of starting one. Default true.
   */
  useEnvironment?: boolean
  /**
   * Listeners for SSL, SASL_PLAINTEXT, SASL_SSL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) and mutual TLS besides the
   * plaintext one, with a throwaway CA, SASL users and optionally ACLs; the cluster's `security` then gives the
   * client settings for each. `true` takes the defaults of {@link SecurityOptions}. Default false. With
   * KAFKA_BROKERS set, startKafka() refuses it unless `useEnvironment: false`: that cluster's listeners are unknown.
   */
  security?: boolean | SecurityOptions
}

export const defaultStartKafkaOptions = {
  brokers: 1 as 1 | 3,
  version: DEFAULT_KAFKA_VERSION,
  partitions: 1,
  autoCreateTopics: true,
  serverProperties: {} as Record<string, PropertyValue>,
  startTimeout: 120_000,
  jvmOptions: ['-Xms256m', '-Xmx1g', '-XX:+UseG1GC'],
  useEnvironment: true,
  security: false as boolean | SecurityOptions,
} satisfies Omit<Required<StartKafkaOptions>, 'cacheDir'>

export type ResolvedStartKafkaOptions = Required<Omit<StartKafkaOptions, 'cacheDir' | 'security'>> & {
  cacheDir: string | undefined
  /** undefined: no security. */
  security: ResolvedSecurityOptions | undefined
}

export function resolveStartKafkaOptions(options: StartKafkaOptions): ResolvedStartKafkaOptions {
  for (const key of Object.keys(options)) {
    if (!(key in defaultStartKafkaOptions) && key !== 'cacheDir') {
      const known = [...Object.keys(defaultStartKafkaOptions), 'cacheDir'].join(', ')
      throw new InvalidOptionError(key, (options as Record<string, unknown>)[key], `left out: startKafka() takes ${known}`)
    }
  }
  const o = { ...defaultStartKafkaOptions, ...options }
  if (o.brokers !== 1 && o.brokers !== 3) throw new InvalidOptionError('brokers', o.brokers, '1 or 3')
  if (typeof o.version !== 'string' || !/^\d+\.\d+\.\d+/.test(o.version)) {
    throw new InvalidOptionError('version', o.version, `a Kafka release such as "${DEFAULT_KAFKA_VERSION}"`)
  }
  if (!Number.isInteger(o.partitions) || o.partitions < 1) {
    throw new InvalidOptionError('partitions', o.partitions, 'a positive integer')
  }
  if (typeof o.autoCreateTopics !== 'boolean') throw new InvalidOptionError('autoCreateTopics', o.autoCreateTopics, 'true or false')
  if (typeof o.serverProperties !== 'object' || o.serverProperties === null) {
    throw new InvalidOptionError('serverProperties', o.serverProperties, 'an object of server.properties keys and values')
  }
  if (!Number.isFinite(o.startTimeout) || o.startTimeout <= 0) {
    throw new InvalidOptionError('startTimeout', o.startTimeout, 'a positive number of milliseconds')
  }
  if (!Array.isArray(o.jvmOptions) || !o.jvmOptions.every((x) => typeof x === 'string')) {
    throw new InvalidOptionError('jvmOptions', o.jvmOptions, 'an array of strings')
  }
  if (typeof o.useEnvironment !== 'boolean') throw new InvalidOptionError('useEnvironment', o.useEnvironment, 'true or false')
  return { ...o, cacheDir: options.cacheDir, security: resolveSecurityOptions(o.security) }
}

/** KAFKA_BROKERS parsed into addresses, or undefined when it is not set. */
export function brokersFromEnvironment(): string[] | undefined {
  const value = process.env.KAFKA_BROKERS?.trim()
  if (!value) return undefined
  return value.split(',').map((b) => b.trim()).filter((b) => b.length > 0)
}
