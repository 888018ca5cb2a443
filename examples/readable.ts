import { pipeline } from 'node:stream/promises'
import { KafkaReadable, KafkaWritable, ackingSink, type ConsumedMessage } from 'kafka-pipe'

export async function indexOrders(brokers: string[], save: (order: unknown) => Promise<void>): Promise<void> {
  const reader = new KafkaReadable<unknown, string>({
    brokers,
    groupId: 'order-indexer',
    topics: 'orders',
    fromBeginning: true,
    valueDeserializer: 'json', // default 'buffer'
    keyDeserializer: 'string',
  })
  // Each order is acked once save() resolved; only acked offsets are ever committed.
  await pipeline(
    reader,
    ackingSink((msg: ConsumedMessage<unknown, string>) => save(msg.value)),
  )
}

export async function replayPartition(brokers: string[], since: Date): Promise<number> {
  // A partition reader: no group, no commits; ends by itself once it reached the end offset seen at start.
  const reader = new KafkaReadable({ brokers, topic: 'orders', partition: 0, offset: since, until: 'latest' })
  let count = 0
  for await (const msg of reader as AsyncIterable<ConsumedMessage>) {
    count++
    msg.ack()
  }
  return count
}

export async function copyTopic(brokers: string[]): Promise<void> {
  // Kafka -> Kafka: the source offset is committed only after the derived message is stored.
  const reader = new KafkaReadable({ brokers, groupId: 'orders-eu', topics: 'orders', until: 'latest' })
  const writer = new KafkaWritable<ConsumedMessage>({
    brokers,
    topic: 'orders-eu',
    toMessage: (msg) => ({ key: msg.key as Buffer | null, value: msg.value, ack: msg.ack }),
  })
  await pipeline(reader, writer)
}
