/** Read side: every consumer reads the same N x 100 B topic (6 partitions, filled once) from the beginning. */
import { expectExactly, measure, nodeSubject, rounds, row, throughputTable } from '../harness'
import { javaConsumer } from '../subjects/java'
import { kcatConsumer } from '../subjects/kcat'
import { PARTITIONS, type Context } from './context'

const VALUE_BYTES = 100

const SUBJECTS = [
  nodeSubject('KafkaReadable in pipeline()', 'kafka-pipe'),
  nodeSubject('kafkajs eachBatch', 'kafkajs'),
  nodeSubject('platformatic consume()', 'platformatic'),
  kcatConsumer,
  javaConsumer,
]

const NOTES = `- One topic of ${PARTITIONS} partitions filled once (kafkajs) before the reads; every run must see exactly N messages; each group-based reader uses a new group.
- KafkaReadable: \`{ groupId, topics, fromBeginning: true, until: 'latest' }\`, defaults otherwise (commits acked offsets every 1 s), in \`pipeline()\` into a sink that acks every message.
- kafkajs 2.2.4: \`consumer.run({ eachBatch })\` resolving every offset, autoCommit on (its default).
- platformatic: \`consumer.consume({ topics, mode: 'earliest' })\`, its defaults otherwise (autocommit, read_committed), counted on 'data'.
- kcat: \`kcat -C -o beginning -e -f '\\n'\` (no group), lines counted by the bench.
- Java: \`ConsumerPerformance --num-records N\` with the Java client's defaults.
- msg/s: Node.js subjects from their first message to the N-th (joining the group excluded); Java: messages over its fetch time (joining excluded); kcat: the process's wall time, start-up and connection included.
- CPU-s / 1M msg and peak RSS: the whole child process, from GNU time.`

export async function read(ctx: Context): Promise<string> {
  const title = `Read: ${ctx.count.toLocaleString('en-US')} x ${VALUE_BYTES} B, ${PARTITIONS} partitions`
  console.error(title)
  const base = { mode: 'read' as const, partitions: PARTITIONS, count: ctx.count, valueBytes: VALUE_BYTES, topicPerMessage: false }
  const topic = await ctx.topics.filled(base)
  try {
    const spec = { ...base, brokers: ctx.topics.brokers, topics: [topic] }
    const runs = await rounds(SUBJECTS, ctx.rounds, async (subject) => {
      const run = await measure(subject, spec, ctx.timeoutMs)
      expectExactly(subject.name, 'messages seen', run.messages, ctx.count)
      return run
    })
    return `### ${title}\n\n${throughputTable(runs.map(row), VALUE_BYTES)}\n\n${NOTES}`
  } finally {
    await ctx.topics.delete([topic])
  }
}
