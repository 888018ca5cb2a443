/*
 * KafkaReadable (acks and commits) against raw kafkajs eachBatch reading the same messages, on the same broker, in
 * the same run; then the resident memory of a KafkaReadable reading a topic much larger than its byte budget into
 * a sink 10x slower than the reader. Usage: npm run bench -- [messages]   (default 1,000,000)
 */
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Kafka, Partitioners, logLevel } from 'kafkajs'
import { KafkaReadable, type ConsumedMessage } from '../lib'
import type { KafkaCluster } from '../lib/testing'
import { medians, systemInfo, table, time, withCluster, type Result } from './harness'

const BASELINE = 'kafkajs eachBatch'
const SUBJECT = 'KafkaReadable'
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const PARTITIONS = 6

async function fill(kafka: Kafka, topic: string, count: number, valueBytes: number): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true })
  await admin.disconnect()
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  const value = Buffer.alloc(valueBytes, 'x')
  const wave = Math.floor(800_000 / (valueBytes + 30)) * PARTITIONS
  for (let i = 0; i < count; i += wave) {
    const n = Math.min(wave, count - i)
    await producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, j) => ({ key: `key-${(i + j) % 10_000}`, value })) })
  }
  await producer.disconnect()
}

/** Raw kafkajs: eachBatch, every message resolved, kafkajs' own commits (autoCommit), until `count` were seen. */
async function baseline(kafka: Kafka, topic: string, count: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-base-${Date.now()}-${Math.random()}` })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  let seen = 0
  const seconds = await time(
    () =>
      new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachBatch: async ({ batch, resolveOffset }) => {
              for (const message of batch.messages) {
                seen++
                resolveOffset(message.offset)
              }
              if (seen >= count) resolve()
            },
          })
          .catch(reject)
      }),
  )
  await consumer.disconnect()
  return seconds
}

/** KafkaReadable in a pipeline into a sink that acks each message, ending by itself at the end offsets (until). */
async function kafkaPipe(cluster: KafkaCluster, topic: string): Promise<number> {
  const reader = new KafkaReadable({
    brokers: cluster.brokers,
    logLevel: logLevel.NOTHING,
    groupId: `bench-pipe-${Date.now()}-${Math.random()}`,
    topics: topic,
    fromBeginning: true,
    until: 'latest',
  })
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 1000,
    writev(chunks: Array<{ chunk: ConsumedMessage }>, callback) {
      for (const { chunk } of chunks) chunk.ack()
      callback()
    },
  })
  return time(() => pipeline(reader, sink))
}

/** Peak RSS while a reader with a small byte budget feeds a sink that takes `perMessageMs` per message. */
async function memory(cluster: KafkaCluster, topic: string, perMessageUs: number, budget: number): Promise<{ peakRss: number; startRss: number; peakBuffered: number; seconds: number }> {
  const startRss = process.memoryUsage().rss
  let peakRss = startRss
  let peakBuffered = 0
  const reader = new KafkaReadable({
    brokers: cluster.brokers,
    logLevel: logLevel.NOTHING,
    groupId: `bench-mem-${Date.now()}`,
    topics: topic,
    fromBeginning: true,
    until: 'latest',
    maxBufferedBytes: budget,
  })
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    peakBuffered = Math.max(peakBuffered, reader.readableLength)
  }, 50)
  let debt = 0
  const sink = new Writable({
    objectMode: true,
    write(chunk: ConsumedMessage, _encoding, callback) {
      chunk.ack()
      // A slow sink: waits `perMessageUs` per message, in timer steps of at least 1 ms.
      debt += perMessageUs
      if (debt < 1000) return callback()
      const ms = Math.floor(debt / 1000)
      debt -= ms * 1000
      setTimeout(callback, ms)
    },
  })
  try {
    const seconds = await time(() => pipeline(reader, sink))
    return { peakRss, startRss, peakBuffered, seconds }
  } finally {
    clearInterval(sampler)
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000_000)
  await withCluster(async (cluster) => {
    console.log(systemInfo(cluster))
    const kafka = new Kafka({ clientId: 'bench', brokers: cluster.brokers, logLevel: logLevel.NOTHING })
    const topic = `bench-read-${Date.now()}`
    await fill(kafka, topic, count, 100)
    console.log(`${count.toLocaleString('en-US')} messages of 100 B in ${PARTITIONS} partitions; KafkaReadable defaults (acks + commits every 1 s)\n`)
    const scenario = `read ${count} x 100 B`
    const results: Result[] = []
    for (let round = 0; round < ROUNDS; round++) {
      for (const subject of round % 2 === 0 ? [BASELINE, SUBJECT] : [SUBJECT, BASELINE]) {
        const seconds = subject === SUBJECT ? await kafkaPipe(cluster, topic) : await baseline(kafka, topic, count)
        results.push({ scenario, subject, messages: count, seconds })
        console.log(`${subject}: ${(count / seconds).toFixed(0)} msg/s (${seconds.toFixed(2)} s)`)
      }
    }
    console.log(`\nmedian of ${ROUNDS} runs per subject\n` + table(medians(results), BASELINE))

    // Memory: a 1 KiB-value topic ~16x the byte budget, into a sink 10x slower than the reader ran above.
    const readerRate = count / medians(results).find((r) => r.subject === SUBJECT)!.seconds
    const bigTopic = `bench-mem-${Date.now()}`
    const budget = 4 * 1024 * 1024
    const bigCount = Math.ceil((16 * budget) / 1024)
    await fill(kafka, bigTopic, bigCount, 1024)
    const perMessageUs = (10 * 1e6) / readerRate
    const m = await memory(cluster, bigTopic, perMessageUs, budget)
    const mib = (n: number) => (n / 2 ** 20).toFixed(1)
    console.log(
      `\nmemory: ${bigCount} x 1 KiB (${mib(bigCount * 1024)} MiB) through a sink of ${perMessageUs.toFixed(0)} us/message ` +
        `(10x slower than the reader), maxBufferedBytes ${mib(budget)} MiB: RSS ${mib(m.startRss)} -> peak ${mib(m.peakRss)} MiB, ` +
        `peak readableLength ${m.peakBuffered}, ${m.seconds.toFixed(1)} s`,
    )
  })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
