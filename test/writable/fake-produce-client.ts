import type { PartitionResult, ProduceClient, ProduceRequest } from '../../lib/writable'

/** A hand-written ProduceClient: records requests, answers them when the test says so. */
export class FakeProduceClient implements ProduceClient {
  readonly requests: ProduceRequest[] = []
  readonly topics: Record<string, number[]>
  #answers: Array<{ resolve: (r: PartitionResult[]) => void; reject: (e: Error) => void; request: ProduceRequest }> = []
  #waiters: Array<() => void> = []
  offsets = new Map<string, number>()
  autoAnswer = true
  failWith: Error | undefined
  connected = false
  disconnected = false

  constructor(topics: Record<string, number[]> = { t: [0, 1, 2] }) {
    this.topics = topics
  }

  async connect(): Promise<void> {
    this.connected = true
  }

  async disconnect(): Promise<void> {
    this.disconnected = true
  }

  partitions(topic: string): readonly number[] | undefined {
    return this.topics[topic]
  }

  async loadTopics(): Promise<void> {}

  invalidate(): void {}

  send(request: ProduceRequest): Promise<PartitionResult[]> {
    this.requests.push(request)
    for (const w of this.#waiters.splice(0)) w()
    return new Promise((resolve, reject) => {
      this.#answers.push({ resolve, reject, request })
      if (this.autoAnswer) queueMicrotask(() => this.answer())
    })
  }

  /** Answers the oldest open request: stored (with offsets) or failed with `error`. */
  answer(error = this.failWith): void {
    const next = this.#answers.shift()
    if (!next) return
    if (error) return next.reject(error)
    next.resolve(
      next.request.batches.map((b) => {
        const key = `${b.topic}/${b.partition}`
        const base = this.offsets.get(key) ?? 0
        this.offsets.set(key, base + b.messages.length)
        return { topic: b.topic, partition: b.partition, baseOffset: String(base) }
      }),
    )
  }

  get open(): number {
    return this.#answers.length
  }

  /** Resolves once `count` requests were sent. */
  async sent(count: number): Promise<void> {
    while (this.requests.length < count) await new Promise<void>((resolve) => this.#waiters.push(resolve))
  }

  /** Every message value sent to topic/partition, in order. */
  values(topic: string, partition: number): string[] {
    return this.requests.flatMap((r) =>
      r.batches.filter((b) => b.topic === topic && b.partition === partition).flatMap((b) => b.messages.map((m) => String(m.value))),
    )
  }
}
