import { InvalidOptionError } from '../errors'
import { resolveSecurityOptions, type ResolvedSecurityOptions, type SecurityOptions } from './security-options'
import type { PropertyValue } from './server-properties'

/** The Kafka release startKafka() runs unless told otherwise. */
export const DEFAULT_KAFKA_VERSION = '4.3.1'

/** How the nodes run: local JVMs from Maven jars, or one container per node through testcontainers. */
export type KafkaEngine = 'jvm' | 'container'
export const KAFKA_ENGINES: readonly KafkaEngine[] = ['jvm', 'container']

export interface StartKafkaOptions {
  /**
   * `'jvm'`: each node is a local JVM (needs Java 17+ and, the first time, Maven). `'container'`: each node is a
   * container of `image` on its own container network, started with testcontainers (an optional peer dependency:
   * `npm install --save-dev testcontainers@11`) and a Docker engine. Default $KAFKA_PIPE_ENGINE, else 'jvm'.
   */
  engine?: KafkaEngine
  /**
   * The container engine's image: Apache Kafka under /opt/kafka with bin/kafka-storage.sh and
   * bin/kafka-server-start.sh, and a shell (as `apache/kafka` has). Default $KAFKA_PIPE_IMAGE, else
   * `apache/kafka:<version>`. Only with engine 'container'.
   */
  image?: string
  /** Number of nodes, each a combined broker and controller. Default 1; 3 for replication and failover tests. */
  brokers?: 1 | 3
  /**
   * Apache Kafka version: the Maven artifact org.apache.kafka:kafka_2.13 (jvm engine), the tag of the default image
   * (container engine). Default {@link DEFAULT_KAFKA_VERSION}.
   */
  version?: string
  /** Partitions of topics the broker creates itself (`num.partitions`). Default 1. */
  partitions?: number
  /** Whether the broker creates topics on first use (`auto.create.topics.enable`). Default true, as in Kafka. */
  autoCreateTopics?: boolean
  /** More server.properties, applied last (they win). Default none. */
  serverProperties?: Record<string, PropertyValue>
  /** Where the jars are cached between runs (jvm engine). Default $KAFKA_PIPE_CACHE or ~/.cache/kafka-pipe. */
  cacheDir?: string
  /** How long to wait for the cluster to answer metadata requests, in ms. Default 120000. */
  startTimeout?: number
  /** JVM options of each node (the container engine passes them as KAFKA_HEAP_OPTS). Default ['-Xms256m', '-Xmx1g', '-XX:+UseG1GC']. */
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
} satisfies Omit<Required<StartKafkaOptions>, 'cacheDir' | 'engine' | 'image'>

/** Options whose defaults come from the environment when startKafka() is called, so they are not in the object above. */
const fromEnvironment = ['cacheDir', 'engine', 'image']

export type ResolvedStartKafkaOptions = Required<Omit<StartKafkaOptions, 'cacheDir' | 'security' | 'image'>> & {
  cacheDir: string | undefined
  /** The container image; undefined with the jvm engine. */
  image: string | undefined
  /** undefined: no security. */
  security: ResolvedSecurityOptions | undefined
}

export function resolveStartKafkaOptions(options: StartKafkaOptions): ResolvedStartKafkaOptions {
  for (const key of Object.keys(options)) {
    if (!(key in defaultStartKafkaOptions) && !fromEnvironment.includes(key)) {
      const known = [...Object.keys(defaultStartKafkaOptions), ...fromEnvironment].join(', ')
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
  const engine = resolveEngine(options.engine)
  const image = resolveImage(engine, options.image, o.version)
  const security = resolveSecurityOptions(o.security)
  if (engine === 'container' && security) {
    throw new InvalidOptionError('security', o.security, "left out with engine 'container': security is supported by the jvm engine only")
  }
  return { ...o, engine, image, cacheDir: options.cacheDir, security }
}

function resolveEngine(option: KafkaEngine | undefined): KafkaEngine {
  const fromEnv = process.env.KAFKA_PIPE_ENGINE?.trim()
  const [name, value] = option !== undefined ? ['engine', option] : ['KAFKA_PIPE_ENGINE', fromEnv || 'jvm']
  if (!KAFKA_ENGINES.includes(value as KafkaEngine)) {
    throw new InvalidOptionError(name, value, `one of ${KAFKA_ENGINES.map((e) => `'${e}'`).join(', ')}`)
  }
  return value as KafkaEngine
}

function resolveImage(engine: KafkaEngine, option: string | undefined, version: string): string | undefined {
  if (engine !== 'container') {
    if (option !== undefined) throw new InvalidOptionError('image', option, "left out, or engine: 'container' set: the jvm engine runs no image")
    return undefined
  }
  const image = option ?? (process.env.KAFKA_PIPE_IMAGE?.trim() || `apache/kafka:${version}`)
  if (typeof image !== 'string' || image.length === 0) throw new InvalidOptionError('image', image, 'an image name such as "apache/kafka:4.3.1"')
  return image
}

/** KAFKA_BROKERS parsed into addresses, or undefined when it is not set. */
export function brokersFromEnvironment(): string[] | undefined {
  const value = process.env.KAFKA_BROKERS?.trim()
  if (!value) return undefined
  return value.split(',').map((b) => b.trim()).filter((b) => b.length > 0)
}
