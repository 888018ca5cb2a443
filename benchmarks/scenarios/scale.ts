/** Scale: KafkaWritable (and kafkajs for reference) over more partitions and more topics, N x 100 B. */
import { fmt, markdown, nodeSubject, rounds, row } from '../harness'
import { PARTITIONS, type Context } from './context'

const VALUE_BYTES = 100

const SUBJECTS = [nodeSubject('KafkaWritable', 'kafka-pipe'), nodeSubject('kafkajs producer.send()', 'kafkajs')]

const LAYOUTS = [
  { topics: 1, partitions: 1, topicPerMessage: false },
  { topics: 1, partitions: PARTITIONS, topicPerMessage: false },
  { topics: 1, partitions: 60, topicPerMessage: false },
  { topics: 1, partitions: PARTITIONS, topicPerMessage: true },
  { topics: 10, partitions: PARTITIONS, topicPerMessage: true },
]

const NOTES = `- Fresh topics per run; message i goes to topic i mod T; each run must leave exactly N messages over its topics.
- "named per message": the KafkaWritable has no \`topic\`, every message carries its own; kafkajs sends 1,000 messages a call (sendBatch() grouped by topic when they span topics), 5 in flight.
- msg/s and CPU as in the write table.`

export async function scale(ctx: Context): Promise<string> {
  const title = `Scale: ${ctx.count.toLocaleString('en-US')} x ${VALUE_BYTES} B over partitions and topics`
  console.error(title)
  const lines: string[][] = []
  for (const layout of LAYOUTS) {
    const name = `${layout.topics} topic(s) x ${layout.partitions} partition(s)${layout.topicPerMessage ? ', named per message' : ''}`
    console.error(` ${name}`)
    const spec = { mode: 'write' as const, partitions: layout.partitions, count: ctx.count, valueBytes: VALUE_BYTES, topicPerMessage: layout.topicPerMessage }
    const rows = (await rounds(SUBJECTS, ctx.rounds, (subject) => ctx.topics.produce(subject, spec, layout.topics, ctx.timeoutMs))).map(row)
    for (const r of rows) lines.push([name, r.subject, fmt(r.rate), fmt(r.cpuPerMillion, 2), fmt(r.rate / rows[0]!.rate, 2)])
  }
  return `### ${title}\n\n${markdown(['layout', 'subject', 'msg/s', 'CPU-s / 1M msg', 'x kafka-pipe'], lines)}\n\n${NOTES}`
}
