/** The command line: `kafka-pipe produce` of N NDJSON lines against KafkaWritable fed the same documents parsed. */
import { nodeSubject, rounds, row, throughputTable } from '../harness'
import { NDJSON_LINE_BYTES } from '../ndjson'
import { cliProducer, kcatNdjsonProducer } from '../subjects/cli'
import { PARTITIONS, type Context } from './context'

/** Each CLI row after the KafkaWritable row it is to be held against: with a key, then without. */
const SUBJECTS = [
  nodeSubject('KafkaWritable, documents parsed before the clock, key id', 'ndjson'),
  cliProducer('kafka-pipe produce --key id file', ['--key', 'id']),
  nodeSubject('KafkaWritable, documents parsed before the clock, no key', 'ndjson', 'no-key'),
  cliProducer('kafka-pipe produce file (no key)', []),
  kcatNdjsonProducer,
]

export const NOTES = `- N documents of ${NDJSON_LINE_BYTES} B as NDJSON lines (\`{"id":"key-i%10000","n":i,"at":...,"tags":[...],"text":"xx..."}\`), into a fresh topic of ${PARTITIONS} partitions, acks all, no compression; every run must leave exactly N messages.
- KafkaWritable: \`pipeline(Readable.from(messages), new KafkaWritable({ brokers, topic }))\`, each message \`{ key: doc.id, value: line }\` (no key: \`{ value: line }\`), made and parsed before the clock starts: the ceiling for the CLI, which must read, split and parse the lines too. Hold each CLI row against the KafkaWritable row above it (\`x kafka-pipe\` is against the first row only).
- The CLI never parses a line whole: it checks each line's bytes (lib/cli/json-check.ts: the same answers as JSON.parse, about 3x cheaper, no garbage) and, with --key/--timestamp, finds those fields in the same pass (lib/cli/json-fields.ts: the answers of JSON.parse and the field path); it sends the line's bytes as they are, so a line that is not JSON is still refused (exit 65, skip or dead letter). It reads in batches (all lines of a 1 MiB file chunk per await).
- kafka-pipe produce: the built binary (\`node dist/bin/kafka-pipe.js produce --topic T [--key id] file\`), its defaults (the same KafkaWritable defaults); msg/s by its summary's clock, from the command's start (connect included) to the last acknowledgement, so Node.js start-up (~0.3 s) is not counted, as for the stream subject; CPU and RSS are the whole process's.
- kcat: \`kcat -P -l file -X acks=all\` of the same lines, values only (NDJSON lines carry no key for it); msg/s by its wall time, start-up included.`

export async function cli(ctx: Context): Promise<string> {
  const title = `CLI: produce ${ctx.count.toLocaleString('en-US')} NDJSON lines of ${NDJSON_LINE_BYTES} B, ${PARTITIONS} partitions`
  console.error(title)
  const spec = { mode: 'write' as const, partitions: PARTITIONS, count: ctx.count, valueBytes: NDJSON_LINE_BYTES, topicPerMessage: false }
  const runs = await rounds(SUBJECTS, ctx.rounds, (subject) => ctx.topics.produce(subject, spec, 1, ctx.timeoutMs))
  return `### ${title}\n\n${throughputTable(runs.map(row), NDJSON_LINE_BYTES)}\n\n${NOTES}`
}
