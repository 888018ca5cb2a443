import { KafkaWritable, type KafkaWritableOptions, type Message } from '../../lib'
import { produceClientFactory } from '../../lib/writable/client-factory'
import type { TxnOffsetTopic } from '../../lib/kafka/kafkajs-internals'
import type { ProduceBatch, ProduceClient } from '../../lib/writable/produce-client'
import type { TransactionControl } from '../../lib/writable/transaction-manager'

/** A hand-written transaction coordinator: records each call, fails the ones the test names. */
export class FakeControl implements TransactionControl {
  readonly transactionalId = 'tx'
  readonly calls: string[] = []
  failEnd: Error | undefined

  async addPartitions(partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void> {
    this.calls.push(`add ${partitions.map((p) => `${p.topic}[${p.partition}]`).join(',')}`)
  }

  async sendOffsets(groupId: string, topics: TxnOffsetTopic[]): Promise<void> {
    this.calls.push(`offsets ${groupId} ${topics.map((t) => t.partitions.map((p) => `${t.topic}[${p.partition}]@${p.offset}`).join(',')).join(';')}`)
  }

  async end(commit: boolean): Promise<void> {
    this.calls.push(commit ? 'commit' : 'abort')
    if (commit && this.failEnd) throw this.failEnd
  }
}

/** The batches produced in one tick: what the real client sends as one request per leader. */
export interface FakeRequest {
  batches: ProduceBatch[]
}

interface Open {
  request: FakeRequest
  answers: Array<{ batch: ProduceBatch; resolve: (offset: string) => void; reject: (e: Error) => void }>
}

/** A hand-written ProduceClient: records requests, answers them when the test says so. */
export class FakeProduceClient implements ProduceClient {
  readonly requests: FakeRequest[] = []
  readonly topics: Record<string, number[]>
  #open: Open[] = []
  #filling: Open | undefined
  #waiters: Array<() => void> = []
  offsets = new Map<string, number>()
  autoAnswer = true
  failWith: Error | undefined
  connected = false
  disconnected = false
  /** newEpoch() calls, and what the next one fails with. */
  epochs = 0
  failEpoch: Error | undefined
  /** The transaction coordinator a transactional writer uses. */
  transactions: FakeControl | undefined

  constructor(topics: Record<string, number[]> = { t: [0, 1, 2] }) {
    this.topics = topics
  }

  get requestCount(): number {
    return this.requests.length
  }

  async connect(): Promise<void> {
    this.connected = true
  }

  async disconnect(): Promise<void> {
    this.disconnected = true
  }

  async newEpoch(): Promise<void> {
    this.epochs++
    if (this.failEpoch) throw this.failEpoch
  }

  partitions(topic: string): readonly number[] | undefined {
    return this.topics[topic]
  }

  async loadTopics(): Promise<void> {}

  produce(batch: ProduceBatch): Promise<string | null> {
    if (!this.#filling) {
      const open: Open = { request: { batches: [] }, answers: [] }
      this.#filling = open
      this.requests.push(open.request)
      this.#open.push(open)
      queueMicrotask(() => {
        this.#filling = undefined
        for (const w of this.#waiters.splice(0)) w()
        if (this.autoAnswer) queueMicrotask(() => this.answer())
      })
    }
    const open = this.#filling
    open.request.batches.push(batch)
    return new Promise((resolve, reject) => open.answers.push({ batch, resolve, reject }))
  }

  /** Answers the oldest open request: stored (with offsets) or failed with `error`. */
  answer(error = this.failWith): void {
    const next = this.#open.shift()
    if (!next) return
    for (const { batch, resolve, reject } of next.answers) {
      if (error) {
        reject(error)
        continue
      }
      const key = `${batch.topic}/${batch.partition}`
      const base = this.offsets.get(key) ?? 0
      this.offsets.set(key, base + batch.records.length)
      resolve(String(base))
    }
  }

  get open(): number {
    return this.#open.length
  }

  /** Resolves once `count` requests were sent. */
  async sent(count: number): Promise<void> {
    while (this.requests.length < count || (this.requests.length === count && this.#filling)) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve))
    }
  }

  /** Every message value sent to topic/partition, in order. */
  values(topic: string, partition: number): string[] {
    return this.requests.flatMap((r) =>
      r.batches.filter((b) => b.topic === topic && b.partition === partition).flatMap((b) => b.records.map((m) => String(m.value))),
    )
  }
}

/** A KafkaWritable that talks to `client` instead of Kafka. */
export function fakeWriter<T = Message>(client: ProduceClient, options: KafkaWritableOptions<T>): KafkaWritable<T> {
  const create = produceClientFactory.create
  produceClientFactory.create = () => client
  try {
    return new KafkaWritable<T>({ brokers: ['x:1'], ...options })
  } finally {
    produceClientFactory.create = create
  }
}
