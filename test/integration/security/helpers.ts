/*
 * One secured broker per test file (started in `before`, never the shared one, never KAFKA_BROKERS), and the
 * round trip every connection test makes: KafkaWritable in, KafkaReadable out, over the same settings.
 */
import { once } from 'node:events'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { logLevel } from 'kafkajs'
import { KafkaReadable, KafkaWritable, type KafkaPipeError } from '../../../lib'
import { startKafka, type ClientSettings, type KafkaCluster, type SecurityOptions } from '../../../lib/testing'
import { createTopics, uniqueName } from '../cluster'

export interface SecuredSuite {
  readonly cluster: KafkaCluster
  /** A new topic (made over the plaintext listener, which is a super user) that the suite deletes afterwards. */
  topic(prefix: string, partitions?: number): Promise<string>
}

export function useSecuredCluster(security: true | SecurityOptions): SecuredSuite {
  let cluster: KafkaCluster | undefined
  before(async function () {
    this.timeout(120_000)
    cluster = await startKafka({ useEnvironment: false, security })
  })
  after(async function () {
    this.timeout(60_000)
    await cluster?.stop()
  })
  return {
    get cluster() {
      if (!cluster) throw new Error('the secured cluster is there from the before hook on')
      return cluster
    },
    async topic(prefix, partitions = 1) {
      const topic = uniqueName(prefix)
      await createTopics(this.cluster, [{ topic, numPartitions: partitions }])
      return topic
    },
  }
}

/** The settings with kafkajs quiet: its own error logs would only repeat what the typed errors say. */
export function quiet(settings: ClientSettings): ClientSettings & { logLevel: logLevel } {
  return { ...settings, logLevel: logLevel.NOTHING }
}

/** Writes `count` messages with a KafkaWritable and reads them back with a KafkaReadable, both over `settings`. */
export async function roundTrip(settings: ClientSettings, topic: string, count = 100): Promise<string[]> {
  const values = Array.from({ length: count }, (_, i) => `secured-${i}`)
  await pipeline(Readable.from(values.map((value) => ({ value }))), new KafkaWritable({ ...quiet(settings), topic, serializer: 'string' }))
  const reader = new KafkaReadable({ ...quiet(settings), topic, partition: 0, offset: 'earliest', until: 'latest', valueDeserializer: 'string' })
  const read: string[] = []
  for await (const message of reader) {
    read.push(String(message.value))
    message.ack()
  }
  return read
}

/** The error a KafkaWritable over `settings` fails with when it writes one message to `topic`, and how long that took. */
export async function writerFailure(settings: ClientSettings, topic: string, options: { idempotent?: boolean } = {}): Promise<{ error: KafkaPipeError; ms: number }> {
  const started = Date.now()
  const writer = new KafkaWritable({ ...quiet(settings), topic, ...options })
  const error = await pipeline(Readable.from([{ value: 'x' }]), writer).then(
    () => {
      throw new Error('the write succeeded')
    },
    (err: KafkaPipeError) => err,
  )
  if (!writer.closed) await once(writer, 'close')
  return { error, ms: Date.now() - started }
}
