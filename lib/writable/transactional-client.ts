/**
 * A ProduceClient whose batches go into transactions: the partition is added to the open transaction before its
 * first batch, the source offsets of the batch's messages are gathered, and the transaction is committed, together
 * with those offsets, once it holds `transactionSize` messages or `transactionBytes` bytes, `transactionInterval`
 * ms after it began, or when the writer asks (its end). One transaction at a time.
 *
 * A commit first drains the writer (`drain`: everything it was given is sent and stored, in this transaction) while
 * it takes nothing new (it waits on `committing`), so a transaction holds exactly the messages written between two
 * commits. The offset committed per source partition is then the one after the highest source offset in the
 * transaction: the stream between reader and writer keeps order, so every earlier message of that partition was
 * written before it (into this or an earlier transaction), or was dropped on the way (a filter needs no ack).
 * Without the drain, a batch of older messages still queued for another partition would land in the next
 * transaction, after its source offset was committed.
 *
 * A failure (a batch refused for good, a commit that fails) aborts the transaction, best effort, and is reported
 * through `onFailure`; nothing of an aborted transaction is visible to read_committed readers and its offsets are
 * not committed, so a restart resumes from the last committed source offset. Fencing reports a FencedError and
 * sends nothing more, not even the abort (the newer instance's InitProducerId aborted the transaction already).
 */
import { FencedError, TransactionError } from '../errors'
import { partitionKey } from '../kafka/partition-key'
import type { Message } from '../message'
import { sourcePositionOf, type SourcePosition } from '../source-position'
import type { ProduceBatch, ProduceClient } from './produce-client'
import type { TransactionControl } from './transaction-manager'

export interface TransactionSettings {
  transactionSize: number
  transactionBytes: number
  transactionInterval: number
}

/** A committed transaction: the writer's 'commit' event. */
export interface TransactionReport {
  messages: number
  /** The source offsets committed with it (next offset to read), per group; empty when the messages named no source. */
  offsets: Array<{ groupId: string; topic: string; partition: number; offset: string }>
}

interface OpenTransaction {
  /** AddPartitionsToTxn per partition (resolved once added). */
  readonly partitions: Map<string, Promise<void>>
  /** Partitions waiting for the next AddPartitionsToTxn request, with its promise. */
  adding: { list: Array<{ topic: string; partition: number }>; done: Promise<void> } | undefined
  readonly sources: Map<string, SourcePosition>
  messages: number
  bytes: number
  inFlight: number
  failed: boolean
  idle: (() => void) | undefined
  timer: NodeJS.Timeout | undefined
}

export class TransactionalProduceClient implements ProduceClient {
  readonly #inner: ProduceClient
  readonly #control: TransactionControl
  readonly #settings: TransactionSettings
  readonly #onFailure: (error: Error) => void
  readonly #onCommit: (report: TransactionReport) => void
  readonly #drain: () => Promise<void>
  #txn: OpenTransaction | undefined
  #committing: Promise<void> | undefined
  #failure: Error | undefined

  constructor(
    inner: ProduceClient,
    control: TransactionControl,
    settings: TransactionSettings,
    events: { onFailure: (error: Error) => void; onCommit: (report: TransactionReport) => void; drain: () => Promise<void> },
  ) {
    this.#inner = inner
    this.#control = control
    this.#settings = settings
    this.#onFailure = events.onFailure
    this.#onCommit = events.onCommit
    this.#drain = events.drain
  }

  /** While a commit is under way: the writer gives no new messages until it settles. */
  get committing(): Promise<void> | undefined {
    return this.#committing
  }

  get requestCount(): number {
    return this.#inner.requestCount
  }

  connect(): Promise<void> {
    return this.#inner.connect()
  }

  async disconnect(): Promise<void> {
    const txn = this.#txn
    this.#txn = undefined
    if (txn) clearTimeout(txn.timer)
    // Closed mid-transaction (destroyed): abort it now rather than leave read_committed readers waiting for the
    // transaction timeout. Best effort; a fenced writer sends nothing.
    if (txn && !(this.#failure instanceof FencedError)) await this.#control.end(false).catch(() => {})
    await this.#inner.disconnect()
  }

  partitions(topic: string): readonly number[] | undefined {
    return this.#inner.partitions(topic)
  }

  loadTopics(topics: readonly string[]): Promise<void> {
    return this.#inner.loadTopics(topics)
  }

  async produce(batch: ProduceBatch): Promise<string | null> {
    // Not held while committing: the batches the drain sends belong to the transaction being committed.
    if (this.#failure) throw this.#failure
    const txn = (this.#txn ??= this.#begin())
    txn.inFlight++
    try {
      for (const record of batch.records) {
        const position = sourcePositionOf((record as { source?: Message }).source?.ack)
        if (!position) continue
        const key = `${position.groupId}\u0000${partitionKey(position.topic, position.partition)}`
        const known = txn.sources.get(key)
        if (!known || BigInt(known.offset) < BigInt(position.offset)) txn.sources.set(key, position)
      }
      await this.#addPartition(txn, batch.topic, batch.partition)
      const offset = await this.#inner.produce(batch)
      txn.messages += batch.records.length
      for (const record of batch.records) txn.bytes += (record as { bytes?: number }).bytes ?? 0
      return offset
    } catch (err) {
      txn.failed = true
      if (err instanceof FencedError) this.#fail(err)
      throw err
    } finally {
      if (--txn.inFlight === 0) txn.idle?.()
      const full = txn.messages >= this.#settings.transactionSize || txn.bytes >= this.#settings.transactionBytes
      if (full) this.#cut(txn)
    }
  }

  /** Commits the open transaction (after its batches on the wire returned); resolves at once if none is open. */
  async commit(): Promise<void> {
    while (this.#committing) await this.#committing
    if (this.#failure) throw this.#failure
    if (!this.#txn) return
    this.#committing = (async () => {
      await this.#drain()
      const txn = this.#txn
      this.#txn = undefined
      if (txn) await this.#finish(txn)
    })().finally(() => (this.#committing = undefined))
    return this.#committing
  }

  #begin(): OpenTransaction {
    const txn: OpenTransaction = {
      partitions: new Map(),
      adding: undefined,
      sources: new Map(),
      messages: 0,
      bytes: 0,
      inFlight: 0,
      failed: false,
      idle: undefined,
      timer: undefined,
    }
    txn.timer = setTimeout(() => this.#cut(txn), this.#settings.transactionInterval)
    return txn
  }

  /**
   * Commits `txn` if it is still the open one and no commit is under way (which then includes it): the batches that
   * fill a transaction, and its timer, must not each queue a commit of the transactions after it.
   */
  #cut(txn: OpenTransaction): void {
    if (this.#txn === txn && !this.#committing) void this.commit().catch(() => {})
  }

  /** AddPartitionsToTxn for a partition new to the transaction; the partitions of one tick share one request. */
  #addPartition(txn: OpenTransaction, topic: string, partition: number): Promise<void> {
    const key = partitionKey(topic, partition)
    let added = txn.partitions.get(key)
    if (added) return added
    if (!txn.adding) {
      const list: Array<{ topic: string; partition: number }> = []
      const done = new Promise<void>((resolve) => process.nextTick(resolve)).then(() => {
        txn.adding = undefined
        return this.#control.addPartitions(list)
      })
      txn.adding = { list, done }
    }
    txn.adding.list.push({ topic, partition })
    added = txn.adding.done
    txn.partitions.set(key, added)
    return added
  }

  async #finish(txn: OpenTransaction): Promise<void> {
    clearTimeout(txn.timer)
    if (txn.inFlight > 0) await new Promise<void>((resolve) => (txn.idle = resolve))
    try {
      if (txn.failed) throw new TransactionError('a batch of the transaction was not stored: the transaction is aborted')
      const positions = [...txn.sources.values()]
      const stale = positions.find((p) => p.currentGeneration() !== p.generation)
      if (stale) {
        throw new TransactionError(
          `group "${stale.groupId}" rebalanced while the transaction was open, so its messages may be read again by this or another ` +
            'member: the transaction is aborted; start the pipeline again (it resumes from the last committed offsets)',
          undefined,
          true,
        )
      }
      const offsets = committedOffsets(positions)
      for (const [groupId, topics] of byGroup(offsets)) await this.#control.sendOffsets(groupId, topics)
      await this.#control.end(true)
      this.#onCommit({ messages: txn.messages, offsets })
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err))
      if (!(error instanceof FencedError)) await this.#control.end(false).catch(() => {})
      this.#fail(error)
      throw error
    }
  }

  #fail(error: Error): void {
    if (this.#failure) return
    this.#failure = error
    this.#onFailure(error)
  }
}

function committedOffsets(positions: SourcePosition[]): TransactionReport['offsets'] {
  return positions.map((p) => ({ groupId: p.groupId, topic: p.topic, partition: p.partition, offset: (BigInt(p.offset) + 1n).toString() }))
}

function byGroup(offsets: TransactionReport['offsets']): Map<string, Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>> {
  const groups = new Map<string, Map<string, Array<{ partition: number; offset: string }>>>()
  for (const { groupId, topic, partition, offset } of offsets) {
    let topics = groups.get(groupId)
    if (!topics) groups.set(groupId, (topics = new Map()))
    let list = topics.get(topic)
    if (!list) topics.set(topic, (list = []))
    list.push({ partition, offset })
  }
  return new Map([...groups].map(([groupId, topics]) => [groupId, [...topics].map(([topic, partitions]) => ({ topic, partitions }))]))
}
