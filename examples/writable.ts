import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { KafkaWritable } from 'kafka-pipe'

export async function shipOrders(brokers: string[], orders: Array<{ id: string; total: number }>): Promise<void> {
  const writer = new KafkaWritable({
    brokers,
    topic: 'orders',
    compression: 'lz4', // default 'none'
    batchSize: 1000, // messages per partition batch (default 1000)
  })
  writer.on('delivery', ({ topic, partition, baseOffset, count }) => console.log(topic, partition, baseOffset, count))
  // Resolves once the broker stored every order (acks: all).
  await pipeline(
    Readable.from(orders.map((order) => ({ key: order.id, value: order }))),
    writer,
  )
}
