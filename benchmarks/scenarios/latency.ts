/** Latency: 1,000 msg/s for 5 s, one message per write()/send(), each timed to its acknowledgement. */
import { fmt, markdown, nodeSubject, rounds, row } from '../harness'
import { javaProducer } from '../subjects/java'
import { PARTITIONS, type Context } from './context'

const RATE = 1000
const SECONDS = 5
const VALUE_BYTES = 100

const SUBJECTS = [
  nodeSubject('KafkaWritable write()', 'kafka-pipe'),
  nodeSubject('kafkajs producer.send()', 'kafkajs'),
  nodeSubject('platformatic producer.send()', 'platformatic'),
  javaProducer,
]

const NOTES = `- ${RATE} msg/s for ${SECONDS} s into a fresh topic of ${PARTITIONS} partitions, ${VALUE_BYTES} B values, acks all; each message its own write()/send(), started on schedule without waiting for earlier ones; the latency of each is write() to its callback / send() to its promise.
- Node.js subjects first send one warm-up message and wait for it (connection, metadata), not counted in the percentiles; the topic must then hold exactly ${RATE * SECONDS + 1} messages.
- KafkaWritable with its defaults (callback after delivery, linger 5 ms, idempotent); kafkajs and platformatic send() one message a call.
- Java: \`ProducerPerformance --throughput ${RATE} --num-records ${RATE * SECONDS + 1}\`, send() to callback as it reports it (whole milliseconds).
- CPU-s: the whole child process (start-up included), not per message.`

export async function latency(ctx: Context): Promise<string> {
  const title = `Latency: ${RATE} msg/s x ${SECONDS} s, one message per write`
  console.error(title)
  const spec = { mode: 'latency' as const, partitions: PARTITIONS, count: RATE * SECONDS + 1, valueBytes: VALUE_BYTES, topicPerMessage: false, rate: RATE }
  const rows = (await rounds(SUBJECTS, ctx.rounds, (subject) => ctx.topics.produce(subject, spec, 1, ctx.timeoutMs))).map(row)
  const base = rows[0]!
  const table = markdown(
    ['subject', 'p50 ms', 'p99 ms', 'CPU-s', 'peak RSS MiB', 'p50 x kafka-pipe', 'p99 x kafka-pipe'],
    rows.map((r) => [r.subject, fmt(r.p50, 2), fmt(r.p99, 2), fmt(r.cpuSeconds, 2), fmt(r.rssMiB), fmt(r.p50 / base.p50, 2), fmt(r.p99 / base.p99, 2)]),
  )
  return `### ${title}\n\n${table}\n\n${NOTES}`
}
