/** Raw kafkajs, the baseline kafka-pipe is built on: producer.send() of 1,000 messages, 5 in flight; eachBatch. */
import { Kafka, Partitioners, logLevel, type Message, type TopicMessages } from 'kafkajs'
import { Arrivals, BATCH, IN_FLIGHT, chunks, inFlight, inputs, main, paced, timed, type Input, type RunSpec } from './child'

function kafka(spec: RunSpec): Kafka {
  return new Kafka({ clientId: 'bench-kafkajs', brokers: spec.brokers, logLevel: logLevel.NOTHING })
}

async function connectedProducer(spec: RunSpec) {
  const producer = kafka(spec).producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false })
  await producer.connect()
  return producer
}

/** One send's messages grouped by topic, as sendBatch() takes them. */
function byTopic(batch: Input[]): TopicMessages[] {
  const groups = new Map<string, Message[]>()
  for (const m of batch) {
    let list = groups.get(m.topic)
    if (!list) groups.set(m.topic, (list = []))
    list.push({ key: m.key, value: m.value })
  }
  return [...groups].map(([topic, messages]) => ({ topic, messages }))
}

main({
  async write(spec) {
    const input = inputs(spec)
    const batches = chunks(input, BATCH).map(byTopic)
    const producer = await connectedProducer(spec)
    const seconds = await timed(() =>
      inFlight(batches, IN_FLIGHT, (topicMessages) =>
        topicMessages.length === 1 ? producer.send({ ...topicMessages[0]!, acks: -1 }) : producer.sendBatch({ topicMessages, acks: -1 }),
      ),
    )
    await producer.disconnect()
    return { messages: input.length, seconds }
  },

  async read(spec) {
    const consumer = kafka(spec).consumer({ groupId: `bench-${process.pid}-${Date.now()}` })
    await consumer.connect()
    await consumer.subscribe({ topic: spec.topics[0]!, fromBeginning: true })
    const arrivals = new Arrivals(spec.count)
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset }) => {
        for (const message of batch.messages) resolveOffset(message.offset)
        arrivals.add(batch.messages.length)
      },
    })
    await arrivals.reached
    await consumer.disconnect()
    return { messages: arrivals.seen, seconds: arrivals.seconds }
  },

  async latency(spec) {
    const producer = await connectedProducer(spec)
    const report = await paced(spec, (m) => producer.send({ topic: m.topic, acks: -1, messages: [{ key: m.key, value: m.value }] }))
    await producer.disconnect()
    return report
  },
})
