/**
 * A ProduceClient whose batches go into transactions: the partition is added to the open transaction before its
 * first batch, the source offsets of the batch's messages are gathered, and the transaction is committed, together
 * with those offsets, once it holds `transactionSize` messages or `transactionBytes` bytes, `transactionInterval`
 * ms after it began, or when the writer asks (its end). One transaction at a time. A copy's transaction (messages
 * carrying their source's position) that is due is committed by the writer at the next boundary between source
 * messages (`due`), so that all messages made of one source message commit with its offset, or none does.
 *
 * A commit first drains the writer (`drain`: everything it was given is sent and stored, in this transaction) while
 * it takes nothing new (it waits on `committing`), so a transaction holds exactly the messages written between two
 * commits. The offset committed per source partition is then the one after the highest source offset in the
 * transaction: the stream between reader and writer keeps order, so every earlier message of that partition was
 * written before it (into this or an earlier transaction), or was dropped on the way (a filter needs no ack).
 * Without the drain, a batch of older messages still queued for another partition would land in the next
 * transaction, after its source offset was committed.
 *
 * A failure that may pass (a batch not stored within deliveryTimeout, a commit that failed on its way) aborts the
 * transaction and, in a copy (messages carrying their source's position), retries it in this process, up to
 * `transactionRetries` times in a row: the readers with the same transactionalId drop what they read since the last
 * commit and, once the abort is complete, read again from the committed offsets; everything read before that is
 * dropped where it is met (queued here, or on its way through the pipeline), so it is written once, by the retry. The
 * abort is a new producer epoch (InitProducerId): it completes the transaction before it answers, and starts every
 * partition's sequence again, also where a batch's outcome is unknown. A source group that rebalanced while the
 * transaction was open is retried the same way, without counting. Anything else (a batch the broker refuses for
 * good, retries used up, a writer whose messages name no source) aborts the transaction, best effort, and is reported
 * through `onFailure`; nothing of an aborted transaction is visible to read_committed readers and its offsets are not
 * committed, so a restart resumes from the last committed source offset. Fencing reports a FencedError and sends
 * nothing more, not even the abort (the newer instance's InitProducerId aborted the transaction already).
 */
import { FencedError, reason, TransactionError } from '../errors'
import { partitionKey } from '../kafka/partition-key'
import type { Message } from '../message'
import { isStale, sourcePositionOf, type SourcePosition } from '../source-position'
import type { RecordInput } from '../protocol/record-batch'
import { DISCARDED, type ProduceBatch, type ProduceClient } from './produce-client'
import type { TransactionControl } from './transaction-manager'

export interface TransactionSettings {
  transactionSize: number
  transactionBytes: number
  transactionInterval: number
  transactionRetries: number
  /** How long the broker lets a transaction stay open, ms: a fencing after that is most likely the broker's abort. */
  transactionTimeout: number
}

/** A committed transaction: the writer's 'commit' event. */
export interface TransactionReport {
  messages: number
  /** The source offsets committed with it (next offset to read), per group; empty when the messages named no source. */
  offsets: Array<{ groupId: string; topic: string; partition: number; offset: string }>
}

/** A transaction aborted to be retried: the writer's 'abort' event. */
export interface AbortReport {
  /** Why it was aborted: the failure, or a TransactionError saying that the source group rebalanced. */
  error: Error
  /** Messages it held (stored in it before the abort). */
  messages: number
  /** Aborts in a row for failures, this one included (a rebalance counts none); at most transactionRetries. */
  retry: number
}

/** What the transactional client asks of the writer around it. */
export interface TransactionEvents {
  onFailure(error: Error): void
  onCommit(report: TransactionReport): void
  onAbort(report: AbortReport): void
  /** Sends everything the writer was given, and resolves once nothing is queued or on the wire. */
  drain(): Promise<void>
  /** Has the readers of this transactionalId read again once `aborted` resolves (rewindReaders); false if they cannot. */
  rewind(aborted: Promise<void>): boolean
  /**
   * A copy's transaction is full or old enough: the writer commits it (commit()) before the next message of another
   * source message than the last one, so that all messages made of one source message are in one transaction with its
   * offset; or after transactionInterval more if none comes.
   */
  due(): void
}

interface OpenTransaction {
  /** AddPartitionsToTxn per partition (resolved once added). */
  readonly partitions: Map<string, Promise<void>>
  /** Partitions waiting for the next AddPartitionsToTxn request, with its promise. */
  adding: { list: Array<{ topic: string; partition: number }>; done: Promise<void> } | undefined
  /** The highest source position per group and source partition: what its commit commits. */
  readonly sources: Map<string, SourcePosition>
  /** A source position per reader generation its messages were read in. */
  readonly readIn: Map<number, SourcePosition>
  messages: number
  bytes: number
  inFlight: number
  /** Whether its messages carry their source's position (a copy): only then can it be retried, by reading them again. */
  sourced: boolean
  /** Why the transaction must be aborted (a batch failed, or a message of it was read before a rebalance); its batches are not sent. */
  doomed: { error: Error; counted: boolean } | undefined
  idle: (() => void) | undefined
  timer: NodeJS.Timeout | undefined
  /** When it began (Date.now()). */
  readonly startedAt: number
}

export class TransactionalProduceClient implements ProduceClient {
  readonly #inner: ProduceClient
  readonly #control: TransactionControl
  readonly #settings: TransactionSettings
  readonly #events: TransactionEvents
  #txn: OpenTransaction | undefined
  #committing: Promise<void> | undefined
  #failure: Error | undefined
  /** Transactions aborted for a failure since the last commit. */
  #aborts = 0

  constructor(inner: ProduceClient, control: TransactionControl, settings: TransactionSettings, events: TransactionEvents) {
    this.#inner = inner
    this.#control = control
    this.#settings = settings
    this.#events = events
  }

  /** While a commit (or an abort and its retry) is under way: the writer gives no new messages until it settles. */
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

  async produce(batch: ProduceBatch): Promise<string | null | typeof DISCARDED> {
    // Not held while committing: the batches the drain sends belong to the transaction being committed.
    if (this.#failure) throw this.#failure
    // Read before the reader's latest rebalance or rewind: read again, so not written. Alone in its batch (the usual
    // case: the writer drops such messages as they come) it is just dropped; beside newer ones, the transaction is redone.
    const stale = staleRecords(batch)
    if (stale > 0 && stale === batch.records.length) return DISCARDED
    const txn = (this.#txn ??= this.#begin())
    // Messages of a copy come again when the transaction is retried: what it would hold after the abort is dropped.
    const sourced = batch.records.length > 0 && positionOf(batch.records[0]!) !== undefined
    if (sourced) txn.sourced = true
    if (txn.doomed) {
      if (sourced) return DISCARDED
      throw txn.doomed.error
    }
    if (stale > 0) {
      txn.doomed = { error: rebalanced(positionOf(batch.records[0]!)!), counted: false }
      this.#cut(txn)
      return DISCARDED
    }
    txn.inFlight++
    try {
      for (const record of batch.records) {
        const position = positionOf(record)
        if (!position) continue
        if (!txn.readIn.has(position.generation)) txn.readIn.set(position.generation, position)
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
      const error = this.#explained(txn, err)
      if (error instanceof FencedError) this.#fail(error)
      txn.doomed ??= { error, counted: true }
      if (sourced && !(error instanceof FencedError) && this.#mayRetry(error, true)) {
        this.#cut(txn)
        return DISCARDED
      }
      throw error
    } finally {
      if (--txn.inFlight === 0) txn.idle?.()
      const full = txn.messages >= this.#settings.transactionSize || txn.bytes >= this.#settings.transactionBytes
      if (full) this.#due(txn)
    }
  }

  /** Commits the open transaction (after its batches on the wire returned); resolves at once if none is open. */
  async commit(): Promise<void> {
    while (this.#committing) await this.#committing
    if (this.#failure) throw this.#failure
    if (!this.#txn) return
    this.#committing = (async () => {
      await this.#events.drain()
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
      readIn: new Map(),
      messages: 0,
      bytes: 0,
      inFlight: 0,
      sourced: false,
      doomed: undefined,
      idle: undefined,
      timer: undefined,
      startedAt: Date.now(),
    }
    txn.timer = setTimeout(() => this.#due(txn), this.#settings.transactionInterval)
    return txn
  }

  /**
   * Ends `txn` now (commits it, or aborts a doomed one) if it is still the open one and no commit is under way (which
   * then includes it): the batches that fill a transaction, and its timer, must not each queue a commit of the
   * transactions after it.
   */
  #cut(txn: OpenTransaction): void {
    if (this.#txn === txn && !this.#committing) void this.commit().catch(() => {})
  }

  /**
   * `txn` is full or old enough. A copy's transaction is committed by the writer at the next boundary between source
   * messages (see `TransactionEvents.due`); one of messages without a source, now.
   */
  #due(txn: OpenTransaction): void {
    if (!txn.sourced) return this.#cut(txn)
    if (this.#txn === txn && !this.#committing) this.#events.due()
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
    if (txn.doomed) return this.#abort(txn, txn.doomed.error, txn.doomed.counted)
    // Messages read before a rebalance are read again after it: the transaction holding them must not commit.
    const stale = [...txn.readIn.values()].find(isStale)
    if (stale) return this.#abort(txn, rebalanced(stale), false)
    // Nothing reached the broker (its batches were dropped): there is no transaction to end.
    if (txn.partitions.size === 0) return
    const positions = [...txn.sources.values()]
    try {
      const offsets = committedOffsets(positions)
      for (const [groupId, topics] of byGroup(offsets)) await this.#control.sendOffsets(groupId, topics)
      await this.#control.end(true)
      this.#aborts = 0
      this.#events.onCommit({ messages: txn.messages, offsets })
    } catch (err) {
      const error = this.#explained(txn, err)
      if (error instanceof FencedError) {
        this.#fail(error)
        throw error
      }
      // The commit may or may not have happened: the new epoch completes it either way, and the readers go back to
      // the offsets it left committed.
      return this.#abort(txn, error, true)
    }
  }

  /**
   * Aborts `txn`; retries it (see the top of this file) where it may, else fails. `counted`: a failure, which uses
   * one of transactionRetries (a rebalance does not).
   */
  async #abort(txn: OpenTransaction, cause: Error, counted: boolean): Promise<void> {
    if (!txn.sourced || !this.#mayRetry(cause, counted)) {
      const fail = this.#giveUp(cause, counted, txn.sourced)
      await this.#control.end(false).catch(() => {})
      this.#fail(fail)
      throw fail
    }
    if (counted) this.#aborts++
    let done!: () => void
    let failed!: (error: Error) => void
    const aborted = new Promise<void>((resolve, reject) => ((done = resolve), (failed = reject)))
    aborted.catch(() => {})
    if (!this.#events.rewind(aborted)) {
      const error = new TransactionError(
        `the transaction was aborted (${reason(cause)}) and cannot be retried here: the KafkaReadable with transactionalId ` +
          `"${this.#control.transactionalId}" ended or is gone; start the pipeline again (it resumes from the last committed offsets)`,
        cause,
        true,
      )
      failed(error)
      await this.#control.end(false).catch(() => {})
      this.#fail(error)
      throw error
    }
    // The abort completes only once the coordinator wrote its markers to every partition of the transaction: one
    // whose only replica is down holds it (CONCURRENT_TRANSACTIONS) past a deliveryTimeout. Another try counts.
    for (;;) {
      try {
        await this.#inner.newEpoch!()
        break
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err))
        if (!(error instanceof FencedError) && this.#mayRetry(error, true)) {
          this.#aborts++
          continue
        }
        const fail = error instanceof FencedError ? error : this.#giveUp(error, true, true)
        failed(fail)
        this.#fail(fail)
        throw fail
      }
    }
    done()
    this.#events.onAbort({ error: cause, messages: txn.messages, retry: this.#aborts })
  }

  /**
   * `err` as an Error; a FencedError for a transaction open past transactionTimeout says that the broker most likely
   * aborted it (the broker answers both cases with the same code).
   */
  #explained(txn: OpenTransaction, err: unknown): Error {
    const error = err instanceof Error ? err : new Error(String(err))
    const openMs = Date.now() - txn.startedAt
    const transactionTimeout = this.#settings.transactionTimeout
    if (!(error instanceof FencedError) || openMs < transactionTimeout) return error
    return new FencedError(error.transactionalId, error.doing, error.cause, { openMs, transactionTimeout })
  }

  /** Whether an abort for `error` is retried here: it may pass, and retries are left (rebalances count none). */
  #mayRetry(error: Error, counted: boolean): boolean {
    const retries = this.#settings.transactionRetries
    if (retries === 0 || this.#inner.newEpoch === undefined) return false
    if (!counted) return true
    return (error as { retriable?: unknown }).retriable === true && this.#aborts < retries
  }

  /** The error a writer that does not retry an abort fails with. */
  #giveUp(cause: Error, counted: boolean, sourced: boolean): Error {
    const retriable = (cause as { retriable?: unknown }).retriable === true
    const again = 'start the pipeline again (it resumes from the last committed offsets)'
    if (!sourced) return new TransactionError(`a batch of the transaction was not stored: the transaction is aborted (${reason(cause)})`, cause, retriable)
    if (!counted) return new TransactionError(`${cause.message}; transactionRetries is 0, so it is not retried here: ${again}`, cause, true)
    if (!retriable) return cause instanceof TransactionError ? cause : new TransactionError(`the transaction is aborted: ${reason(cause)}`, cause)
    const retries = this.#settings.transactionRetries
    return new TransactionError(
      `the transaction is aborted (${reason(cause)}), and ${retries} aborted transaction(s) in a row were retried already ` +
        `(transactionRetries): ${again} once the cause is fixed`,
      cause,
      true,
    )
  }

  #fail(error: Error): void {
    if (this.#failure) return
    this.#failure = error
    this.#events.onFailure(error)
  }
}

/** Where a record's message was read, if it came from a transactional reader (the writer keeps the message as `source`). */
function positionOf(record: RecordInput): SourcePosition | undefined {
  return sourcePositionOf((record as { source?: Message }).source?.ack)
}

/** How many records of the batch were read before their reader's latest rebalance or rewind. */
function staleRecords(batch: ProduceBatch): number {
  let stale = 0
  for (const record of batch.records) {
    const position = positionOf(record)
    if (position && isStale(position)) stale++
  }
  return stale
}

function rebalanced(stale: SourcePosition): TransactionError {
  return new TransactionError(
    `group "${stale.groupId}" rebalanced while the transaction was open, so its messages are read again by this or another ` +
      'member: the transaction is aborted',
    undefined,
    true,
  )
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
