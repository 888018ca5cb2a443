/*
 * The one broker every integration test shares (one per engine, for the tests that run on each engine): started
 * on first use (so unit-only runs never start a JVM), stopped by the root hook in test/hooks.ts. KAFKA_BROKERS
 * points it at an existing cluster instead.
 */
import { randomBytes } from 'node:crypto'
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs'
import { startKafka, type KafkaCluster, type KafkaEngine } from '../../lib/testing'
import { resolveStartKafkaOptions } from '../../lib/testing/options'
import { engineOptions } from './engines'

const shared = new Map<KafkaEngine, Promise<KafkaCluster>>()

/** The shared cluster of `engine`; without one, of startKafka()'s default engine ($KAFKA_PIPE_ENGINE, else jvm). */
export function sharedCluster(engine: KafkaEngine = resolveStartKafkaOptions({}).engine): Promise<KafkaCluster> {
  let cluster = shared.get(engine)
  if (!cluster) {
    cluster = engineOptions(engine).then((options) => startKafka(options))
    shared.set(engine, cluster)
  }
  return cluster
}

export async function stopSharedCluster(): Promise<void> {
  const clusters = [...shared.values()]
  shared.clear()
  await Promise.all(clusters.map(async (c) => (await c.catch(() => undefined))?.stop()))
}

export interface SuiteCluster {
  /** The shared cluster (available from the suite's `before` hooks on). */
  readonly cluster: KafkaCluster
  /** Creates a topic with a unique name that the suite deletes when it is done. */
  topic(options?: { partitions?: number; prefix?: string; configEntries?: Array<{ name: string; value: string }> }): Promise<string>
  /** Runs `cleanup` when the suite is done. */
  defer(cleanup: () => Promise<void>): void
}

/**
 * For a describe block: hooks that fetch the shared cluster before its tests and delete the topics they made
 * after them.
 */
export function useSharedCluster(): SuiteCluster {
  let cluster: KafkaCluster | undefined
  const cleanups: Array<() => Promise<void>> = []
  before(async () => {
    cluster = await sharedCluster()
  })
  after(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })
  const suite: SuiteCluster = {
    get cluster() {
      if (!cluster) throw new Error('the shared cluster is there from the before hooks on')
      return cluster
    },
    async topic({ partitions = 1, prefix = 'topic', configEntries } = {}) {
      const topic = uniqueName(prefix)
      cleanups.push(await createTopics(suite.cluster, [{ topic, numPartitions: partitions, ...(configEntries ? { configEntries } : {}) }]))
      return topic
    },
    defer(cleanup) {
      cleanups.push(cleanup)
    },
  }
  return suite
}

/** Client options that point at the cluster and keep kafkajs quiet in test output. */
export function clientOf(cluster: KafkaCluster): { brokers: string[]; logLevel: logLevel } {
  return { brokers: cluster.brokers, logLevel: logLevel.NOTHING }
}

/** A name no other test (or earlier run against the same cluster) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`
}

export function kafkaFor(cluster: KafkaCluster, clientId = 'kafka-pipe-test'): Kafka {
  return new Kafka({ clientId, brokers: cluster.brokers, logLevel: logLevel.NOTHING })
}

/**
 * Creates topics, waits until every broker knows every partition's leader, and returns a function that deletes them
 * again. kafkajs' own `waitForLeaders` gives up when the broker it asks has not heard of the topic yet
 * (UNKNOWN_TOPIC_OR_PARTITION), which a 3-node cluster does for a moment after the controller created it.
 */
export async function createTopics(
  cluster: KafkaCluster,
  topics: Array<{ topic: string; numPartitions?: number; replicationFactor?: number; configEntries?: Array<{ name: string; value: string }> }>,
): Promise<() => Promise<void>> {
  const names = topics.map((t) => t.topic)
  await withAdmin(cluster, async (admin) => {
    await admin.createTopics({ topics, waitForLeaders: false })
    const deadline = Date.now() + 30_000
    while (!(await leadersKnown(admin, names, cluster.brokers.length))) {
      if (Date.now() > deadline) throw new Error(`the leaders of ${names.join(', ')} were not known within 30 s`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })
  return () => deleteTopics(cluster, names)
}

/** Whether `brokers` metadata requests (one per broker, as kafkajs picks them) all show a leader for every partition. */
async function leadersKnown(admin: Admin, topics: string[], brokers: number): Promise<boolean> {
  for (let i = 0; i < brokers; i++) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics })
      if (!metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return false
    } catch (err) {
      const type = (err as { type?: string }).type
      if (type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE') return false
      throw err
    }
  }
  return true
}

export async function deleteTopics(cluster: KafkaCluster, topics: string[]): Promise<void> {
  await withAdmin(cluster, (admin) => admin.deleteTopics({ topics }))
}

export async function withAdmin<T>(cluster: KafkaCluster, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafkaFor(cluster).admin()
  await admin.connect()
  try {
    return await work(admin)
  } finally {
    await admin.disconnect()
  }
}

/** Reads `count` messages of `topic` from the beginning with a raw kafkajs consumer (a reader that is not ours). */
export async function consumeWithKafkajs(
  cluster: KafkaCluster,
  topic: string,
  count: number,
): Promise<Array<{ partition: number; message: KafkaMessage }>> {
  const consumer = kafkaFor(cluster).consumer({ groupId: uniqueName('kafkajs-reader') })
  const seen: Array<{ partition: number; message: KafkaMessage }> = []
  await consumer.connect()
  try {
    await consumer.subscribe({ topic, fromBeginning: true })
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            seen.push({ partition, message })
            if (seen.length === count) resolve()
          },
        })
        .catch(reject)
    })
  } finally {
    await consumer.disconnect()
  }
  return seen
}
