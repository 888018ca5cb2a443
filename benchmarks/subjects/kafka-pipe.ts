/** kafka-pipe through its public API: KafkaWritable in pipeline(), KafkaReadable in pipeline() into an acking sink. */
import { performance } from 'node:perf_hooks'
import { Readable, Transform } from 'node:stream'
import { finished, pipeline } from 'node:stream/promises'
import { logLevel } from 'kafkajs'
import { KafkaReadable, KafkaWritable, type ConsumedMessage } from '../../lib'
import { Arrivals, countingSink, inputs, main, paced, timed, type RunSpec } from './child'

/** Defaults (idempotent, acks all, callbacks after delivery); a writer without `topic` when messages name theirs. */
function writer(spec: RunSpec): KafkaWritable {
  const topic = spec.topicPerMessage ? undefined : spec.topics[0]
  return new KafkaWritable({ brokers: spec.brokers, logLevel: logLevel.NOTHING, ...(topic ? { topic } : {}) })
}

function messages(spec: RunSpec): Array<{ topic?: string; key: string; value: Buffer }> {
  return inputs(spec).map((m) => (spec.topicPerMessage ? m : { key: m.key, value: m.value }))
}

main({
  async write(spec) {
    const input = messages(spec)
    const seconds = await timed(() => pipeline(Readable.from(input), writer(spec)))
    return { messages: input.length, seconds }
  },

  async read(spec) {
    const arrivals = new Arrivals(spec.count)
    const reader = new KafkaReadable({
      brokers: spec.brokers,
      logLevel: logLevel.NOTHING,
      groupId: `bench-${process.pid}-${Date.now()}`,
      topics: spec.topics[0]!,
      fromBeginning: true,
      until: 'latest',
    })
    await pipeline(reader, countingSink(arrivals, (m: ConsumedMessage) => m.ack()))
    return { messages: arrivals.seen, seconds: arrivals.seconds }
  },

  /**
   * A Kafka -> Kafka copy through a map function: variant 'transactional' (exactly once: reader and writer with one
   * transactionalId, default transaction settings), 'transactional-1s' (the same, transactionInterval 1000, transactionSize 100000) or 'at-least-once' (the writer acks each source message once stored).
   * Timed from the first message read to the end of pipeline() (the last commit).
   */
  async copy(spec) {
    const transactional = spec.variant?.startsWith('transactional') === true
    // 'transactional-1s': transactions committed once a second (or at 100000 messages) instead of every 100 ms (or 10000)
    const interval = spec.variant === 'transactional-1s' ? { transactionInterval: 1000, transactionSize: 100_000 } : {}
    const id = `bench-${process.pid}-${Date.now()}`
    const client = { brokers: spec.brokers, logLevel: logLevel.NOTHING }
    const reader = new KafkaReadable({ ...client, groupId: id, topics: spec.topics[0]!, fromBeginning: true, until: 'latest', ...(transactional ? { transactionalId: id } : {}) })
    let seen = 0
    let first = 0
    const map = new Transform({
      objectMode: true,
      transform(m: ConsumedMessage, _encoding, callback) {
        if (seen++ === 0) first = performance.now()
        callback(null, { key: m.key, value: m.value, ack: m.ack })
      },
    })
    const writer = new KafkaWritable({ ...client, topic: spec.topics[1]!, ...(transactional ? { transactionalId: id, ...interval } : {}) })
    await pipeline(reader, map, writer)
    return { messages: seen, seconds: (performance.now() - first) / 1000 }
  },

  async latency(spec) {
    const stream = writer(spec)
    const report = await paced(spec, (m) => new Promise<void>((resolve, reject) => stream.write({ key: m.key, value: m.value }, (err) => (err ? reject(err) : resolve()))))
    stream.end()
    await finished(stream)
    return report
  },
})
