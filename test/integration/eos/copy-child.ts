/*
 * The process the exactly-once test SIGKILLs: copies SOURCE to TARGET through a map function, with a transactional
 * reader and writer when TXN names a transactionalId, else at least once (the writer acks each source message once
 * stored). Reports the messages copied so far over IPC ({ copied }), and exits 0 when the source is copied.
 * Configured by the environment: BROKERS, SOURCE, TARGET, GROUP, TXN.
 */
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { logLevel } from 'kafkajs'
import { KafkaReadable, KafkaWritable, type ConsumedMessage, type Message } from '../../../lib'

const { BROKERS, SOURCE, TARGET, GROUP, TXN } = process.env as Record<string, string>
const transactional = TXN !== ''
const client = { brokers: BROKERS.split(','), logLevel: logLevel.NOTHING }

const reader = new KafkaReadable<string, string>({
  ...client,
  groupId: GROUP,
  topics: SOURCE,
  fromBeginning: true,
  until: 'latest',
  sessionTimeout: 6000,
  heartbeatInterval: 1000,
  keyDeserializer: 'string',
  valueDeserializer: 'string',
  ...(transactional ? { transactionalId: TXN } : {}),
})
// The map function: the target value names the source message, so the test can check order and count.
const map = new Transform({
  objectMode: true,
  transform(m: ConsumedMessage<string, string>, _encoding, callback) {
    callback(null, { key: m.key, value: `${m.partition}:${m.offset}:${m.value.toUpperCase()}`, ack: m.ack } satisfies Message)
  },
})
const writer = new KafkaWritable({ ...client, topic: TARGET, ...(transactional ? { transactionalId: TXN } : {}) })
let copied = 0
if (transactional) {
  writer.on('commit', ({ messages }: { messages: number }) => process.send!({ copied: (copied += messages) }))
} else {
  writer.on('delivery', ({ count }: { count: number }) => process.send!({ copied: (copied += count) }))
}
pipeline(reader, map, writer).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
