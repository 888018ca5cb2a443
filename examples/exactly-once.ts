import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { FencedError, KafkaReadable, KafkaWritable, type ConsumedMessage, type Message } from 'kafka-pipe'

export async function enrichOrders(brokers: string[]): Promise<void> {
  // One transactionalId names the pipeline: the same on the reader and the writer, and across restarts.
  const transactionalId = 'orders-enricher'
  const reader = new KafkaReadable<string, string>({
    brokers,
    groupId: 'orders-enricher',
    topics: 'orders',
    fromBeginning: true,
    transactionalId, // its offsets are committed by the writer's transactions
    keyDeserializer: 'string',
    valueDeserializer: 'string',
  })
  const enrich = new Transform({
    objectMode: true,
    transform(msg: ConsumedMessage<string, string>, _encoding, callback) {
      // Pass the source's ack on: it carries the position the transaction commits. Dropping a message is fine.
      callback(null, { key: msg.key, value: msg.value.toUpperCase(), ack: msg.ack } satisfies Message)
    },
  })
  const writer = new KafkaWritable({ brokers, topic: 'orders-enriched', transactionalId })
  try {
    await pipeline(reader, enrich, writer)
  } catch (err) {
    // Another instance with the same transactionalId took over: this one wrote nothing more.
    if (err instanceof FencedError) return
    throw err
  }
}
