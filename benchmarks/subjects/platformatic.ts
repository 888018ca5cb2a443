/*
 * @platformatic/kafka: producer.send() of 1,000 messages, 5 in flight; its asStream() writable in pipeline(), with
 * its defaults (variant 'defaults') or tuned ('tuned'); its consume() stream. Its producer is not idempotent unless
 * asked (its default, kept) and sends acks 1 unless told, so every send and stream here asks for acks -1 (all).
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Arrivals, BATCH, IN_FLIGHT, chunks, inFlight, inputs, main, paced, timed, type RunSpec } from './child'

const ACKS_ALL = -1

/** The package is ESM only; this CommonJS project loads it with import(). */
const load = () => import('@platformatic/kafka')

async function producer(spec: RunSpec) {
  const { Producer } = await load()
  return new Producer({ clientId: 'bench-platformatic', bootstrapBrokers: spec.brokers })
}

/** Its messages carry their topic and take Buffer keys with the default serializers. */
function messages(spec: RunSpec) {
  return inputs(spec).map((m) => ({ topic: m.topic, key: Buffer.from(m.key), value: m.value }))
}

const STREAM_OPTIONS: Record<string, object> = {
  defaults: {},
  tuned: { highWaterMark: 10_000, batchSize: BATCH },
}

main({
  async write(spec) {
    const input = messages(spec)
    const client = await producer(spec)
    let seconds: number
    if (spec.variant === undefined) {
      const batches = chunks(input, BATCH)
      seconds = await timed(() => inFlight(batches, IN_FLIGHT, (batch) => client.send({ messages: batch, acks: ACKS_ALL })))
    } else {
      const options = STREAM_OPTIONS[spec.variant]
      if (!options) throw new Error(`unknown variant ${spec.variant}; valid: ${Object.keys(STREAM_OPTIONS).join(', ')}`)
      seconds = await timed(() => pipeline(Readable.from(input), client.asStream({ ...options, acks: ACKS_ALL })))
    }
    await client.close()
    return { messages: input.length, seconds }
  },

  async read(spec) {
    const { Consumer } = await load()
    const consumer = new Consumer({ clientId: 'bench-platformatic', bootstrapBrokers: spec.brokers, groupId: `bench-${process.pid}-${Date.now()}` })
    const stream = await consumer.consume({ topics: [spec.topics[0]!], mode: 'earliest' })
    const arrivals = new Arrivals(spec.count)
    stream.on('data', () => arrivals.add())
    await arrivals.reached
    await stream.close()
    await consumer.close()
    return { messages: arrivals.seen, seconds: arrivals.seconds }
  },

  async latency(spec) {
    const client = await producer(spec)
    const report = await paced(spec, (m) => client.send({ messages: [{ topic: m.topic, key: Buffer.from(m.key), value: m.value }], acks: ACKS_ALL }))
    await client.close()
    return report
  },
})
