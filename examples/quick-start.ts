import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { KafkaReadable, KafkaWritable, ackingSink, type ConsumedMessage } from 'kafka-pipe'

const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',')
const topic = process.argv[2] ?? 'quick-start'

async function main(): Promise<void> {
  const orders = [
    { id: 'o-1', customer: 'alice', total: 12.5 },
    { id: 'o-2', customer: 'bob', total: 7 },
    { id: 'o-3', customer: 'alice', total: 30 },
  ]
  // Keyed by customer: one customer's orders share a partition, in order. Resolves once the broker stored them all.
  await pipeline(
    Readable.from(orders.map((order) => ({ key: order.customer, value: order }))),
    new KafkaWritable({ brokers, topic, allowAutoTopicCreation: true }),
  )

  // Read the topic as a consumer group up to its end; an offset is committed only after its message was handled.
  const reader = new KafkaReadable<{ id: string; total: number }, string>({
    brokers,
    groupId: `${topic}-printer`,
    topics: topic,
    fromBeginning: true,
    until: 'latest',
    keyDeserializer: 'string',
    valueDeserializer: 'json',
  })
  await pipeline(
    reader,
    ackingSink((msg: ConsumedMessage<{ id: string; total: number }, string>) => {
      console.log(`${msg.key} ${msg.value.id} ${msg.value.total} (partition ${msg.partition}, offset ${msg.offset})`)
    }),
  )
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
