/*
 * A member of the rolling-restart test's group: reads through a sink that records each message it finished
 * (synchronously, so a SIGKILL cannot lose a record) and only then acks it. Reports over IPC: { finished } now and
 * then, { error } if the stream failed (it must not), { closed } after a clean stop. The parent's 'stop' message
 * destroys the reader (which commits what was acked) and ends the process.
 * Configured by the environment: BROKERS, TOPIC, GROUP, RECORD.
 */
import { appendFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { logLevel } from 'kafkajs'
import { KafkaReadable, type ConsumedMessage } from '../../../lib/readable'

const { BROKERS, TOPIC, GROUP, RECORD } = process.env as Record<string, string>
let finished = 0

const reader = new KafkaReadable({
  brokers: BROKERS.split(','),
  logLevel: logLevel.NOTHING,
  groupId: GROUP,
  topics: TOPIC,
  fromBeginning: true,
  commitInterval: 50,
  sessionTimeout: 6000,
  heartbeatInterval: 1000,
  highWaterMark: 200,
})
const sink = new Writable({
  objectMode: true,
  highWaterMark: 50,
  writev(chunks: Array<{ chunk: ConsumedMessage }>, callback) {
    appendFileSync(RECORD, chunks.map(({ chunk: m }) => `${m.partition} ${m.offset} ${String(m.value)}\n`).join(''))
    for (const { chunk } of chunks) chunk.ack()
    finished += chunks.length
    process.send!({ finished })
    callback()
  },
})
process.on('message', (message) => {
  if (message === 'stop') reader.destroy()
})
pipeline(reader, sink).then(
  () => process.send!({ error: 'the stream ended, which a reader without until never does' }),
  (err: { code?: string; message?: string }) => {
    // destroy() without an error: Node's pipeline reports a premature close, which is the clean stop asked for.
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' && reader.errored === null) process.send!({ closed: true }, () => process.exit(0))
    else process.send!({ error: `${err.code ?? ''} ${err.message ?? String(err)}` }, () => process.exit(1))
  },
)
