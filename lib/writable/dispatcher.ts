import { AbortedError, DeliveryError, type FailedBatch } from '../errors'
import { Batch, PartitionQueue, type Ticket } from './batch'
import { DISCARDED, type ProduceClient } from './produce-client'
import type { OutgoingRecord } from './record'
import { StatsRecorder, type WriterStats } from './stats'

export interface DispatcherSettings {
  batchSize: number
  batchBytes: number
  linger: number
  /**
   * Whether a stored message's `ack` is called. Not in a transactional writer: there the transaction commits the
   * source offsets, and its acks are a transactional reader's, which must not be called.
   */
  callAcks: boolean
}

/** A batch the broker stored: the writer's 'delivery' event. */
export interface DeliveryReport {
  topic: string
  partition: number
  /** Offset of the batch's first message; null with requiredAcks 'none'. */
  baseOffset: string | null
  count: number
}

export interface DispatcherEvents {
  delivered(report: DeliveryReport): void
  /**
   * Batches failed for good; the writer destroys itself with this error. Reported once the requests on the wire
   * when the first one failed have returned, so it names every batch that was not stored.
   */
  failed(error: DeliveryError): void
  /** A message's ack() threw. */
  ackFailed(error: Error): void
  /** Queued messages or bytes went down (async mode waits on this). */
  drained(): void
}

/**
 * Per-partition batching and sending: batches fill up per partition, leave when full, when lingered or when
 * flushed, and at most one produce request per partition is on the wire, so each partition keeps its order.
 * A partition sends its next batch as soon as its previous one returned; the batches ready at one moment travel
 * together (the client puts them in one request per leader). The price of one request per partition: a partition
 * whose leader is down holds its queue (and, with acknowledged writes, the write waiting on it) until a new leader
 * answers or deliveryTimeout fails the batch; other partitions go on meanwhile.
 */
export class Dispatcher {
  readonly #client: ProduceClient
  readonly #settings: DispatcherSettings
  readonly #events: DispatcherEvents
  /** Every partition's queue, in the order they were made. */
  readonly #queues: PartitionQueue[] = []
  /** The same queues by topic, then partition: add() finds a record's queue without building a key string. */
  readonly #byTopic = new Map<string, PartitionQueue[]>()
  readonly #stats = new StatsRecorder()
  #lingerTimer: NodeJS.Timeout | undefined
  #idleWaiters: Array<() => void> = []
  #inFlight = 0
  /** Closed, or a failure was reported: nothing more is sent. */
  #stopped = false
  /** Batches that failed for good, held until the requests still on the wire return. */
  #failedBatches: Array<{ batch: Batch; error: Error }> = []
  pending = 0
  pendingBytes = 0

  constructor(client: ProduceClient, settings: DispatcherSettings, events: DispatcherEvents) {
    this.#client = client
    this.#settings = settings
    this.#events = events
  }

  add(record: OutgoingRecord, ticket: Ticket): void {
    const queue = this.#queueOf(record.topic, record.partition)
    queue.add(record, ticket, this.#settings.batchSize, this.#settings.batchBytes)
    this.pending++
    this.pendingBytes += record.bytes
    if (queue.ready.length > 0) this.#pump()
    if (queue.open && this.#lingerTimer === undefined) {
      this.#lingerTimer = setTimeout(() => {
        this.#lingerTimer = undefined
        this.flush()
      }, this.#settings.linger)
    }
  }

  /**
   * Every open batch leaves now, or, where its partition has a request on the wire, as soon as that returns: until
   * then it keeps filling, so a busy partition sends fewer, fuller requests (as the Java client and kafka-go do).
   */
  flush(): void {
    if (this.#lingerTimer !== undefined) clearTimeout(this.#lingerTimer)
    this.#lingerTimer = undefined
    for (const queue of this.#queues) {
      if (queue.inFlight) queue.flushPending = queue.open !== undefined
      else queue.close()
    }
    this.#pump()
  }

  /** Resolves when nothing is queued or on the wire (after flush()). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve()
    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  /** Counts messages dropped before they were queued (an aborted transaction's, read again). */
  discard(count: number): void {
    if (count > 0) this.#stats.discard(count)
  }

  stats(): WriterStats {
    return this.#stats.take(this.#client.requestCount, this.pending, this.pendingBytes)
  }

  /** Stops sending; every queued message's write fails with `error`. In-flight requests finish on their own. */
  close(error: Error): void {
    this.#stopped = true
    if (this.#lingerTimer !== undefined) clearTimeout(this.#lingerTimer)
    this.#lingerTimer = undefined
    for (const { batch } of this.#failedBatches.splice(0)) this.#settle(batch, error)
    for (const queue of this.#queues) {
      queue.close()
      for (const batch of queue.ready.splice(0)) this.#settle(batch, error)
    }
    this.#checkIdle()
  }

  #pump(): void {
    if (this.#stopped || this.#failedBatches.length > 0) return
    for (const queue of this.#queues) {
      if (queue.inFlight || queue.ready.length === 0) continue
      queue.inFlight = true
      void this.#send(queue, queue.ready.shift()!)
    }
  }

  async #send(queue: PartitionQueue, batch: Batch): Promise<void> {
    this.#inFlight++
    const started = Date.now()
    let failure: Error | undefined
    let baseOffset: string | null | typeof DISCARDED = null
    try {
      baseOffset = await this.#client.produce({ topic: batch.topic, partition: batch.partition, records: batch.records })
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err))
    }
    this.#inFlight--
    const now = Date.now()
    if (baseOffset === DISCARDED) this.#stats.discard(batch.size)
    else this.#stats.batch(batch.size, batch.bytes, now - batch.createdAt, now - started, failure !== undefined)
    queue.inFlight = false
    if (queue.flushPending) {
      queue.flushPending = false
      queue.close()
    }
    if (failure && this.#stopped) this.#settle(batch, failure)
    else if (failure) this.#failedBatches.push({ batch, error: failure })
    else {
      if (baseOffset !== DISCARDED) this.#events.delivered({ topic: batch.topic, partition: batch.partition, baseOffset, count: batch.size })
      this.#settle(batch, undefined)
    }
    if (this.#failedBatches.length > 0 && this.#inFlight === 0) this.#reportFailure()
    this.#events.drained()
    this.#pump()
    this.#checkIdle()
  }

  /**
   * Every request has returned since a batch failed: one DeliveryError names the batches that failed and, after
   * them, those that were queued but never sent (the writer stops at the first failure), so `failures` lists
   * exactly the messages the broker did not store.
   */
  #reportFailure(): void {
    this.#stopped = true
    const unsent: Batch[] = []
    for (const queue of this.#queues) {
      queue.close()
      unsent.push(...queue.ready.splice(0))
    }
    const notSent = new AbortedError('not sent: the writer stopped when another batch failed')
    const failed = this.#failedBatches.splice(0)
    const failures: FailedBatch[] = [
      ...failed.map(({ batch, error }) => failureOf(batch, error)),
      ...unsent.map((batch) => failureOf(batch, notSent)),
    ]
    const error = new DeliveryError(failures)
    for (const { batch } of failed) this.#settle(batch, error)
    for (const batch of unsent) this.#settle(batch, error)
    this.#events.failed(error)
  }

  #settle(batch: Batch, error: Error | undefined): void {
    this.pending -= batch.size
    this.pendingBytes -= batch.bytes
    batch.records.forEach((record, i) => {
      if (!error && record.source.ack && this.#settings.callAcks) this.#callAck(record.source.ack)
      const ticket = batch.tickets[i]!
      if (error) {
        if (ticket.remaining > 0) {
          ticket.remaining = 0
          ticket.done(error)
        }
      } else if (--ticket.remaining === 0) ticket.done()
    })
  }

  #queueOf(topic: string, partition: number): PartitionQueue {
    let queues = this.#byTopic.get(topic)
    if (queues === undefined) this.#byTopic.set(topic, (queues = []))
    let queue = queues[partition]
    if (queue === undefined) {
      queue = queues[partition] = new PartitionQueue(topic, partition)
      this.#queues.push(queue)
    }
    return queue
  }

  /** A message's ack() is the user's code (or a KafkaReadable's): if it throws, the writer fails with that error. */
  #callAck(ack: () => void): void {
    try {
      ack()
    } catch (err) {
      this.#events.ackFailed(err instanceof Error ? err : new Error(String(err)))
    }
  }

  #isIdle(): boolean {
    if (this.#failedBatches.length > 0) return false
    if (this.#inFlight > 0) return false
    for (const queue of this.#queues) if (!queue.empty) return false
    return true
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length === 0 || !this.#isIdle()) return
    for (const resolve of this.#idleWaiters.splice(0)) resolve()
  }
}

function failureOf(batch: Batch, error: Error): FailedBatch {
  return { topic: batch.topic, partition: batch.partition, messages: batch.records.map((r) => r.source), error }
}
