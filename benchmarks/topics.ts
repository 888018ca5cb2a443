/** The bench's own topic work, in the parent process: fresh topics per run, the end-offset check, the read fill. */
import { Kafka, Partitioners, logLevel, type Admin } from 'kafkajs'
import { expectExactly, measure, type Run, type Subject } from './harness'
import { BATCH, IN_FLIGHT, chunks, inFlight, inputs, type RunSpec } from './subjects/child'

let serial = 0

export class Topics {
  readonly #kafka: Kafka
  readonly #admin: Admin

  constructor(readonly brokers: string[]) {
    this.#kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING })
    this.#admin = this.#kafka.admin()
  }

  connect(): Promise<void> {
    return this.#admin.connect()
  }

  disconnect(): Promise<void> {
    return this.#admin.disconnect()
  }

  /** `count` new topics of `partitions` partitions, created and with leaders. */
  async create(prefix: string, count: number, partitions: number): Promise<string[]> {
    const run = `bench-${prefix}-${process.pid}-${++serial}`
    const names = Array.from({ length: count }, (_, i) => (count === 1 ? run : `${run}-${i}`))
    await this.#admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: false })
    await this.#ready(names)
    return names
  }

  /**
   * Until every partition's leader answers for it. Not kafkajs' waitForLeaders: it gives up when the broker has not
   * heard of the topic yet (UNKNOWN_TOPIC_OR_PARTITION), as happens right after creating 60 partitions.
   */
  async #ready(names: string[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      try {
        await this.stored(names)
        return
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`topics ${names.join(', ')} had no leaders after ${timeoutMs} ms`, { cause: err })
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }

  delete(names: string[]): Promise<void> {
    return this.#admin.deleteTopics({ topics: names })
  }

  /** Messages stored: the sum of the end offsets (fresh topics, no transactions: offsets are messages). */
  async stored(names: string[]): Promise<number> {
    let sum = 0
    for (const topic of names) for (const p of await this.#admin.fetchTopicOffsets(topic)) sum += Number(p.high)
    return sum
  }

  /**
   * One producer run on fresh topics, checked: the child must leave exactly `spec.count` messages, and the topics
   * are removed afterwards (a 1 KiB run stores a gigabyte).
   */
  async produce(subject: Subject, spec: Omit<RunSpec, 'brokers' | 'topics'>, topicCount: number, timeoutMs: number): Promise<Run> {
    const topics = await this.create(spec.mode, topicCount, spec.partitions)
    try {
      const run = await measure(subject, { ...spec, brokers: this.brokers, topics }, timeoutMs)
      expectExactly(subject.name, 'messages stored (sum of end offsets)', await this.stored(topics), spec.count)
      return run
    } finally {
      await this.delete(topics)
    }
  }

  /** Fills a fresh topic for the read runs: kafkajs, 1,000 messages a send, 5 in flight. */
  async filled(spec: Omit<RunSpec, 'brokers' | 'topics'>): Promise<string> {
    const [topic] = await this.create('read', 1, spec.partitions)
    const producer = this.#kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
    await producer.connect()
    const messages = inputs({ ...spec, brokers: this.brokers, topics: [topic!] })
    await inFlight(chunks(messages, BATCH), IN_FLIGHT, (batch) => producer.send({ topic: topic!, acks: -1, messages: batch.map(({ key, value }) => ({ key, value })) }))
    await producer.disconnect()
    expectExactly('fill', 'messages stored', await this.stored([topic!]), spec.count)
    return topic!
  }
}
