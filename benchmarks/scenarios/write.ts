/** Write side: every producer, N x 100 B and N x 1 KiB into a fresh 6-partition topic per run, acks all. */
import { nodeSubject, rounds, row, throughputTable } from '../harness'
import { javaProducer } from '../subjects/java'
import { kcatProducer } from '../subjects/kcat'
import { PARTITIONS, type Context } from './context'

/**
 * asStream() with its defaults is bound by its timer, not by the broker: it holds write callbacks at Node's
 * highWaterMark of 16 messages, below its batchSize of 100, so each batch waits for its 10 ms batchTime.
 */
const SLOW_COUNT = 50_000

const SUBJECTS = [
  nodeSubject('KafkaWritable in pipeline()', 'kafka-pipe'),
  nodeSubject('kafkajs producer.send()', 'kafkajs'),
  nodeSubject('platformatic producer.send()', 'platformatic'),
  nodeSubject(`platformatic asStream() defaults (at most ${SLOW_COUNT.toLocaleString('en-US')} msg)`, 'platformatic', 'defaults', SLOW_COUNT),
  nodeSubject('platformatic asStream() tuned', 'platformatic', 'tuned'),
  kcatProducer,
  javaProducer,
]

export const NOTES = `- Every run writes into a fresh topic of ${PARTITIONS} partitions and must leave exactly N messages in it (sum of end offsets); keys key-0..key-9999, acks all, no compression.
- KafkaWritable: \`pipeline(Readable.from(messages), new KafkaWritable({ brokers, topic }))\` with its defaults: idempotent, callbacks after delivery, batchSize 1,000, linger 5 ms, highWaterMark 10,000.
- kafkajs 2.2.4: \`producer.send()\` of 1,000 messages a call, 5 calls in flight, DefaultPartitioner (murmur2), not idempotent (its default).
- platformatic: @platformatic/kafka, not idempotent (its default), acks -1 passed to every send and stream (its default is 1). send(): 1,000 messages a call, 5 in flight. asStream() defaults: batchSize 100, batchTime 10 ms, Node's objectMode highWaterMark 16, with which every batch of 16 waits for the 10 ms timer (so it runs at most ${SLOW_COUNT.toLocaleString('en-US')} messages); tuned: highWaterMark 10,000, batchSize 1,000.
- kcat: \`kcat -P -K '\\t' -l file -X acks=all -X partitioner=murmur2_random\` from a file made before the run; librdkafka defaults otherwise (not idempotent, linger 5 ms).
- Java: \`ProducerPerformance --throughput -1 --producer-props acks=all compression.type=none\`: Java client defaults otherwise (idempotent, linger 5 ms, 16 KiB batches), random values and no keys (the tool has no key option, so its sticky partitioner fills one partition at a time).
- msg/s: Node.js subjects time themselves from the first write/send to the last acknowledgement (their messages are made before the clock starts; the stream subjects' clock includes the stream's own connect, tens of ms); Java: as ProducerPerformance reports it; kcat: the process's wall time, start-up and reading its input file included. MB/s counts values only.
- CPU-s / 1M msg: user+sys CPU of the whole child process (start-up, making the inputs, connecting included), per million messages; peak RSS: the child's, whole run (the Node.js subjects hold all N messages in memory). Both from GNU time.`

export async function write(ctx: Context): Promise<string> {
  const sections = []
  for (const valueBytes of [100, 1024]) {
    const title = `Write: ${ctx.count.toLocaleString('en-US')} x ${valueBytes} B, ${PARTITIONS} partitions`
    console.error(title)
    const spec = { mode: 'write' as const, partitions: PARTITIONS, count: ctx.count, valueBytes, topicPerMessage: false }
    const runs = await rounds(SUBJECTS, ctx.rounds, (subject) =>
      ctx.topics.produce(subject, { ...spec, count: Math.min(ctx.count, subject.maxCount ?? Infinity) }, 1, ctx.timeoutMs),
    )
    sections.push(`### ${title}\n\n${throughputTable(runs.map(row), valueBytes)}`)
  }
  return `${sections.join('\n\n')}\n\n${NOTES}`
}
