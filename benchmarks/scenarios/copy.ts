/**
 * Kafka -> Kafka copy: the exactly-once pipeline (transactional reader and writer) against the at-least-once one
 * (the writer acks each source message once stored), in the same run, over the same source topic; what exactly
 * once costs.
 */
import { expectExactly, measure, nodeSubject, rounds, row, throughputTable } from '../harness'
import { PARTITIONS, type Context } from './context'

const VALUE_BYTES = 100

const SUBJECTS = [
  nodeSubject('copy, at least once', 'kafka-pipe', 'at-least-once'),
  nodeSubject('copy, exactly once (transactions)', 'kafka-pipe', 'transactional'),
  nodeSubject('copy, exactly once, 1 s / 100,000 msg transactions', 'kafka-pipe', 'transactional-1s'),
]

const NOTES = `- One source topic of ${PARTITIONS} partitions filled once (kafkajs); each run copies all of it into a new topic of ${PARTITIONS} partitions, with a new group, through a map Transform that passes \`ack: msg.ack\` on.
- At least once: \`KafkaReadable({ groupId, topics, fromBeginning: true, until: 'latest' })\` -> \`KafkaWritable({ topic })\`, defaults otherwise (the writer acks each source message once stored; the reader commits every 1 s).
- Exactly once: the same with \`transactionalId\` on both, default transaction settings (transactionSize 10000, transactionInterval 100 ms): each transaction commits its output and the source offsets; then with \`transactionInterval: 1000, transactionSize: 100000\`.
- msg/s: from the first message read to the end of pipeline() (the last commit); CPU-s / 1M msg and peak RSS: the whole child process, from GNU time.`

export async function copy(ctx: Context): Promise<string> {
  const title = `Copy: ${ctx.count.toLocaleString('en-US')} x ${VALUE_BYTES} B, ${PARTITIONS} partitions to ${PARTITIONS}`
  console.error(title)
  const base = { mode: 'read' as const, partitions: PARTITIONS, count: ctx.count, valueBytes: VALUE_BYTES, topicPerMessage: false }
  const source = await ctx.topics.filled(base)
  try {
    const runs = await rounds(SUBJECTS, ctx.rounds, async (subject) => {
      const target = await ctx.topics.create('copy', 1, PARTITIONS)
      try {
        const spec = { ...base, mode: 'copy' as const, brokers: ctx.topics.brokers, topics: [source, ...target] }
        const run = await measure(subject, spec, ctx.timeoutMs)
        expectExactly(subject.name, 'messages copied', run.messages, ctx.count)
        return run
      } finally {
        await ctx.topics.delete(target)
      }
    })
    const rows = runs.map(row)
    const cost = 1 - rows[1]!.rate / rows[0]!.rate
    return `### ${title}\n\n${throughputTable(rows, VALUE_BYTES)}\n\nExactly once costs ${(cost * 100).toFixed(0)}% of the at-least-once copy's throughput in this run.\n\n${NOTES}`
  } finally {
    await ctx.topics.delete([source])
  }
}
