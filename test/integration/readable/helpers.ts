import { once } from 'node:events'
import type { Readable } from 'node:stream'
import type { Message } from 'kafkajs'
import type { KafkaCluster } from '../../../lib/testing'
import { kafkaFor, withAdmin, type SuiteCluster } from '../cluster'

/** Produces with a raw kafkajs producer (acks all), in chunks, in order per partition. */
export async function produce(cluster: KafkaCluster, topic: string, messages: Message[]): Promise<void> {
  const producer = kafkaFor(cluster).producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  try {
    for (let i = 0; i < messages.length; i += 1000) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 1000) })
  } finally {
    await producer.disconnect()
  }
}

/** `count` messages "v0".."v{count-1}" with keys "k{i}", spread over `partitions` by explicit partition. */
export function numbered(count: number, partitions = 1, start = 0): Message[] {
  return Array.from({ length: count }, (_, i) => ({ key: `k${start + i}`, value: `v${start + i}`, partition: (start + i) % partitions }))
}

/** Reads exactly `n` messages without ending or destroying the stream. */
export async function take<T>(stream: Readable, n: number): Promise<T[]> {
  const out: T[] = []
  while (out.length < n) {
    const item = stream.read() as T | null
    if (item !== null) {
      out.push(item)
      continue
    }
    if (stream.readableEnded || stream.destroyed) throw new Error(`the stream ended after ${out.length} of ${n} messages`)
    await once(stream, 'readable')
  }
  return out
}

/** The group's committed offset per partition of `topic` (-1 where nothing is committed). */
export async function committed(cluster: KafkaCluster, groupId: string, topic: string): Promise<Map<number, number>> {
  const [entry] = await withAdmin(cluster, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }))
  return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]))
}

/** Resolves when the stream closed, passing its error on (destroy() resolves too). */
export async function closed(stream: Readable): Promise<void> {
  if (!stream.closed) await once(stream, 'close')
  if (stream.errored) throw stream.errored
}

/** A topic of the suite holding `count` numbered messages (see `numbered`) spread over its partitions. */
export async function numberedTopic(suite: SuiteCluster, partitions: number, count: number, prefix: string): Promise<string> {
  const topic = await suite.topic({ partitions, prefix })
  if (count > 0) await produce(suite.cluster, topic, numbered(count, partitions))
  return topic
}
