/*
 * A hand-written stand-in for the parts of kafkajs a KafkaReadable uses, so that stream mechanics (backpressure,
 * generations, commits during a rebalance, errors) are tested without a broker. The test drives it: it assigns
 * partitions (GROUP_JOIN) and hands batches to eachBatch itself.
 */
import { Kafka, logLevel, type EachBatchPayload, type KafkaMessage } from 'kafkajs'

export interface FakeBatchControl {
  /** Called by eachBatch's heartbeat(); throw to simulate a rebalance. */
  heartbeat?: () => Promise<void>
}

export class FakeConsumer {
  readonly events = { GROUP_JOIN: 'group_join', CRASH: 'crash', REBALANCING: 'rebalancing', END_BATCH_PROCESS: 'end_batch_process' } as const
  readonly commits: Array<Array<{ topic: string; partition: number; offset: string }>> = []
  readonly calls: string[] = []
  commitError: Error | undefined
  #listeners = new Map<string, Array<(event: { payload: unknown }) => void>>()
  #eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined
  #running: (() => void) | undefined
  readonly running = new Promise<void>((resolve) => (this.#running = resolve))

  constructor(private readonly assignment: Record<string, number[]>) {}

  async connect(): Promise<void> {}
  async subscribe(): Promise<void> {}
  /** kafkajs' restart timer: armed right after a CRASH event with restart: true, cleared by stop() and disconnect(). */
  restartArmed = false
  async stop(): Promise<void> {
    this.calls.push('stop')
    this.restartArmed = false
  }
  async disconnect(): Promise<void> {
    this.calls.push('disconnect')
    this.restartArmed = false
  }
  on(name: string, listener: (event: { payload: unknown }) => void): () => void {
    this.#listeners.set(name, [...(this.#listeners.get(name) ?? []), listener])
    return () => {}
  }
  async run(config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }): Promise<void> {
    this.#eachBatch = config.eachBatch
    this.join(this.assignment)
    this.#running!()
  }
  join(memberAssignment: Record<string, number[]>): void {
    for (const listener of this.#listeners.get(this.events.GROUP_JOIN) ?? []) listener({ payload: { memberAssignment } })
  }
  /** kafkajs' CRASH event: `restart` when kafkajs restarts the consumer itself. */
  crash(error: Error, restart: boolean): void {
    for (const listener of this.#listeners.get(this.events.CRASH) ?? []) listener({ payload: { error, restart } })
    if (restart) this.restartArmed = true
  }
  /** kafkajs' END_BATCH_PROCESS for a fetch whose messages were all markers or aborted: no eachBatch, batchSize 0. */
  skip(topic: string, partition: number, lastOffset: number): void {
    for (const listener of this.#listeners.get(this.events.END_BATCH_PROCESS) ?? []) {
      listener({ payload: { topic, partition, batchSize: 0, lastOffset: String(lastOffset) } })
    }
  }
  pause(topics: Array<{ topic: string; partitions?: number[] }>): void {
    this.calls.push(`pause ${JSON.stringify(topics)}`)
  }
  resume(topics: Array<{ topic: string; partitions?: number[] }>): void {
    this.calls.push(`resume ${JSON.stringify(topics)}`)
  }
  /** What seek() throws, as kafkajs does while it restarts the consumer (no group to seek in). */
  seekError: Error | undefined
  /** Called at every seek(), before it throws seekError. */
  onSeek: (() => void) | undefined
  seek({ topic, partition, offset }: { topic: string; partition: number; offset: string }): void {
    this.onSeek?.()
    if (this.seekError) throw this.seekError
    this.calls.push(`seek ${topic} ${partition} ${offset}`)
  }
  async commitOffsets(offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void> {
    if (this.commitError) throw this.commitError
    this.commits.push(offsets)
  }

  /** Hands a batch of `values` at `offsets` to eachBatch, as kafkajs' runner would; resolves when eachBatch returns. */
  async deliver(topic: string, partition: number, first: number, values: Array<string | null>, control: FakeBatchControl = {}): Promise<void> {
    await this.running
    const messages = values.map(
      (value, i) =>
        ({ offset: String(first + i), key: null, value: value === null ? null : Buffer.from(value), timestamp: '0', headers: {} }) as unknown as KafkaMessage,
    )
    const batch = { topic, partition, highWatermark: String(first + values.length), messages, lastOffset: () => String(first + values.length - 1) }
    await this.#eachBatch!({
      batch,
      resolveOffset: () => {},
      heartbeat: control.heartbeat ?? (async () => {}),
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload)
  }
}

const fakeAdmin = {
  async connect() {},
  async disconnect() {},
  async fetchOffsets({ topics }: { topics: string[] }) {
    return topics.map((topic) => ({ topic, partitions: [0, 1].map((partition) => ({ partition, offset: '-1' })) }))
  },
  async fetchTopicMetadata({ topics }: { topics: string[] }) {
    return { topics: topics.map((name) => ({ name, partitions: [0, 1].map((partitionId) => ({ partitionId, leader: 0 })) })) }
  },
  async fetchTopicOffsets() {
    return [0, 1].map((partition) => ({ partition, offset: '0', low: '0', high: '1000' }))
  },
}

/** A kafkajs client whose consumer is `consumer` and whose admin answers with fixed offsets (or as `admin` says). */
export function fakeKafka(consumer: FakeConsumer, admin: Partial<typeof fakeAdmin> = {}): Kafka {
  const kafka = new Kafka({ brokers: ['fake:9092'], logLevel: logLevel.NOTHING })
  Object.assign(kafka, { consumer: () => consumer, admin: () => ({ ...fakeAdmin, ...admin }) })
  return kafka
}
