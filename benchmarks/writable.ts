/*
 * KafkaWritable in pipeline() against raw kafkajs producer.send() with the same batches, on the same broker,
 * in the same run. Usage: npm run bench -- [messages]   (default 1,000,000 per scenario)
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Kafka, Partitioners, logLevel } from 'kafkajs'
import { KafkaWritable } from '../lib'
import type { KafkaCluster } from '../lib/testing'
import { medians, systemInfo, table, time, withCluster, type Result } from './harness'

const BASELINE = 'kafkajs producer.send'
const SUBJECT = 'KafkaWritable'
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

/*
 * Both sides send the same batches: the baseline awaits producer.send() of `wave` messages at a time, and the
 * KafkaWritable batches at most 1,000 messages (its default batchSize) and under 900 kB per partition, which keeps
 * the baseline's one-batch-per-partition requests under the broker's 1 MiB message.max.bytes. Both hold the same
 * messages in memory: the baseline one wave on the wire and the next one ready in its array; the KafkaWritable gets
 * highWaterMark = 2 waves, because Node counts the messages on the wire against it (a writer with highWaterMark =
 * one wave would have nothing buffered while a wave travels, and Node refills it only once it is empty).
 */
function waveOf(s: Scenario): number {
  const perPartition = Math.min(1000, Math.floor(900_000 / (s.valueBytes + 30)))
  return perPartition * s.partitions
}

interface Scenario {
  valueBytes: number
  partitions: number
}

function makeMessages(count: number, valueBytes: number): Array<{ key: string; value: Buffer }> {
  const value = Buffer.alloc(valueBytes, 'x')
  return Array.from({ length: count }, (_, i) => ({ key: `key-${i % 10_000}`, value }))
}

async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true })
  await admin.disconnect()
}

async function baseline(kafka: Kafka, topic: string, messages: Array<{ key: string; value: Buffer }>, wave: number): Promise<number> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false })
  await producer.connect()
  const seconds = await time(async () => {
    for (let i = 0; i < messages.length; i += wave) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + wave) })
    }
  })
  await producer.disconnect()
  return seconds
}

async function kafkaPipe(cluster: KafkaCluster, topic: string, messages: Array<{ key: string; value: Buffer }>, wave: number): Promise<number> {
  return time(() =>
    pipeline(Readable.from(messages), new KafkaWritable({ brokers: cluster.brokers, logLevel: logLevel.NOTHING, topic, highWaterMark: 2 * wave })),
  )
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000_000)
  const scenarios: Scenario[] = [
    { valueBytes: 100, partitions: 1 },
    { valueBytes: 100, partitions: 6 },
    { valueBytes: 1024, partitions: 1 },
    { valueBytes: 1024, partitions: 6 },
  ]
  await withCluster(async (cluster) => {
    console.log(systemInfo(cluster))
    console.log(`${count.toLocaleString('en-US')} messages per run, keys key-0..key-9999, acks all, no compression; batches of at most 1,000 messages per partition; KafkaWritable defaults otherwise (idempotent)\n`)
    const kafka = new Kafka({ clientId: 'bench', brokers: cluster.brokers, logLevel: logLevel.NOTHING })
    const results: Result[] = []
    for (const s of scenarios) {
      const scenario = `${s.valueBytes} B x ${s.partitions} partition(s)`
      const messages = makeMessages(count, s.valueBytes)
      // Alternate the order so neither side always runs on a warmer broker.
      for (let round = 0; round < ROUNDS; round++) {
        for (const subject of round % 2 === 0 ? [BASELINE, SUBJECT] : [SUBJECT, BASELINE]) {
          const topic = `bench-${s.valueBytes}-${s.partitions}-${results.length}`
          await createTopic(kafka, topic, s.partitions)
          const wave = waveOf(s)
          const seconds = subject === SUBJECT ? await kafkaPipe(cluster, topic, messages, wave) : await baseline(kafka, topic, messages, wave)
          results.push({ scenario, subject, messages: count, seconds })
          console.log(`${scenario}: ${subject} ${(count / seconds).toFixed(0)} msg/s (${seconds.toFixed(2)} s)`)
        }
      }
    }
    console.log(`\nmedian of ${ROUNDS} runs per subject\n` + table(medians(results), BASELINE))
  })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
