import { Readable } from 'node:stream'
import type { Admin, Consumer, EachBatchPayload, IMemberAssignment, KafkaMessage } from 'kafkajs'
import { registerCodecs } from '../codecs/compression'
import { CommitError, OptionConflictError, TopicError } from '../errors'
import { kafkaClient } from '../kafka/client-options'
import { endOffsets, groupStarts, partitionStart } from './broker-offsets'
import { AckWaiter } from './ack-waiter'
import { EndHold } from './end-hold'
import { Assignments } from './assignment'
import { CommitScheduler } from './commit-scheduler'
import { createConsumer } from './consumer'
import { FlowControl } from './flow-control'
import { decodeMessage, handleDecodeError, messageBytes, rawMessage, type ConsumedMessage } from './message'
import { OffsetTracker, type TopicPartitionOffset } from './offset-tracker'
import { BatchAcks, noAck } from './batch-acks'
import { defaultReadableOptions, resolveReadableOptions, type KafkaReadableOptions, type ResolvedReadableOptions } from './options'
import { endIndex, Progress, type Assignment } from './progress'
import { isRebalanceError } from './rebalance'
import { newReaderStats, type ReaderStats } from './stats'
import { destroyOnAbort } from '../abort'

type Callback = (error?: Error | null) => void

/**
 * An objectMode Readable of consumed messages, either of one partition (`topic`, `partition`, `offset`) or of a
 * consumer group (`groupId`, `topics`). Fetching follows the reader: eachBatch holds its batch until the stream has
 * room (pausing the partitions meanwhile) and keeps the group session alive with heartbeats while it waits. In a
 * group an offset is committed only after its message and every earlier one of its partition were acked
 * (`msg.ack()`, or by a KafkaWritable once it stored a message carrying that `ack`). Emits 'assignment' after each
 * group join and 'commit' for each commit the broker accepted.
 *
 * Rebalances, within what kafkajs offers (it has no hook before partitions are revoked): acked offsets are committed
 * when a heartbeat sent while waiting for room reports the rebalance (awaited, before kafkajs rejoins), and when
 * kafkajs reports one elsewhere (not awaited: it races the rejoin and may fail, which is harmless). After the new
 * assignment, acks of messages read under the old one are dropped and kafkajs reads kept partitions again from the
 * committed offset: delivery is at least once, and what was acked but not committed comes again.
 *
 * With `until`, a group partition's end is taken when it is first assigned to this reader, and the batch that ends
 * the stream is held until it closes (see end-hold.ts), so that closing does not wait out an idle kafkajs fetch turn.
 */
export class KafkaReadable<V = Buffer | null, K = Buffer | null> extends Readable {
  readonly #o: ResolvedReadableOptions
  readonly #consumer: Consumer
  readonly #admin: Admin
  readonly #tracker = new OffsetTracker({ onAdvance: () => this.#scheduler?.schedule() })
  readonly #scheduler: CommitScheduler | undefined
  readonly #flow: FlowControl
  readonly #progress = new Progress()
  readonly #heartbeatEvery: number
  readonly #stats = newReaderStats()
  readonly #assignment = new Assignments()
  #generation = 0
  /** Settles once the start positions (and `until` ends) of the current assignment are known. */
  #ready: Promise<void> = Promise.resolve()
  #running = false
  #paused = false
  #ended = false
  readonly #acks = new AckWaiter()
  readonly #endHold = new EndHold()
  /** Runs after each ack that counted. */
  readonly #onAck = (): void => {
    this.#stats.acks++
    this.#acks.acked()
  }
  readonly #removeAbortListener: () => void

  constructor(options: KafkaReadableOptions) {
    const o = resolveReadableOptions(options)
    const kafka = kafkaClient(o.client)
    super({ objectMode: true, highWaterMark: o.highWaterMark })
    this.#o = o
    registerCodecs()
    const mode = o.mode
    this.#flow = new FlowControl(o.highWaterMark, o.maxBufferedBytes)
    this.#heartbeatEvery = mode.kind === 'group' ? mode.heartbeatInterval : defaultReadableOptions.heartbeatInterval
    this.#consumer = createConsumer(kafka, o)
    this.#admin = kafka.admin()
    if (mode.kind === 'group') {
      this.#scheduler = new CommitScheduler({
        tracker: this.#tracker,
        commitInterval: mode.commitInterval,
        commit: (offsets) => this.#commitOffsets(offsets),
        onError: (error, offsets) => {
          this.#stats.commitErrors++
          // A rebalance or a passing broker problem: the offsets stay committable, or are dropped by the revocation.
          if (!isRebalanceError(error) && (error as { retriable?: boolean }).retriable !== true) {
            this.destroy(new CommitError(offsets, error))
          }
        },
      })
    }
    const { GROUP_JOIN, CRASH, REBALANCING } = this.#consumer.events
    this.#consumer.on(GROUP_JOIN, (event) => this.#onJoin(event.payload.memberAssignment))
    this.#consumer.on(REBALANCING, () => void this.#scheduler?.flush().catch(() => {}))
    this.#consumer.on(CRASH, (event) => {
      if (!event.payload.restart) this.destroy(event.payload.error)
    })
    this.#removeAbortListener = destroyOnAbort(this, o.signal, 'KafkaReadable')
  }

  /** Commits every acked offset now; resolves once the broker accepted them. Group mode only. */
  async commit(): Promise<void> {
    if (this.#scheduler === undefined) {
      throw new OptionConflictError('commit() needs a consumer group ("groupId"): a partition reader commits nothing')
    }
    try {
      await this.#scheduler.flush()
    } catch (err) {
      throw new CommitError(this.#tracker.committable(), err)
    }
  }

  /** Partition mode: the next offset to read (after the last message pushed), as a decimal string. */
  offset(): string {
    const mode = this.#o.mode
    if (mode.kind !== 'partition') throw new OptionConflictError('offset() is for a partition reader; a group has one per partition')
    return (this.#progress.next(mode.topic, mode.partition) ?? 0n).toString()
  }

  /** Messages stored in the assigned partitions and not read yet, as of the latest fetch. */
  lag(): number {
    return this.#progress.lag(this.#assignment.all())
  }

  /** Counters since the stream started and current gauges, like kafka-go's ReaderStats. */
  stats(): ReaderStats {
    return {
      ...this.#stats,
      buffered: this.readableLength,
      bufferedBytes: this.#flow.bufferedBytes(this.readableLength),
      pendingAcks: this.#tracker.pendingCount(),
      lag: this.lag(),
      assignment: this.#assignment.all(),
    }
  }

  override _construct(callback: Callback): void {
    this.#connect().then(() => callback(), callback)
  }

  override _read(): void {
    if (!this.#running) {
      this.#running = true
      this.#consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.#eachBatch(payload) }).then(
        () => this.#checkEnd(),
        (err: Error) => this.destroy(err),
      )
      return
    }
    this.#flow.release()
    if (this.#paused && !this.#ended) {
      this.#paused = false
      this.#consumer.resume(this.#assignment.unfinished())
    }
  }

  /** Every read may make room in bytes, which Node's `_read` calls (counted in messages) do not report. */
  override read(size?: number): ConsumedMessage<V, K> | null {
    const message = super.read(size) as ConsumedMessage<V, K> | null
    this.#flow.release()
    return message
  }

  override _destroy(error: Error | null, callback: Callback): void {
    this.#removeAbortListener?.()
    this.#flow.release()
    this.#close(error).then(callback, callback)
  }

  async #connect(): Promise<void> {
    await this.#consumer.connect()
    await this.#admin.connect()
    const mode = this.#o.mode
    if (mode.kind === 'group') {
      return this.#consumer.subscribe({ topics: mode.topics, fromBeginning: mode.fromBeginning }).catch((err: { type?: string }) => {
        if (err.type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err
        const names = mode.topics.map(String).join(', ')
        throw new TopicError(`cannot subscribe to ${names}: no such topic on the cluster (a KafkaReadable creates none)`, names, { cause: err })
      })
    }
    this.#progress.start(mode.topic, mode.partition, await partitionStart(this.#admin, mode))
    if (this.#o.until !== undefined) {
      const end = (await endOffsets(this.#admin, mode.topic, this.#o.until)).get(mode.partition) ?? 0n
      this.#progress.setEnd(mode.topic, mode.partition, end)
    }
    await this.#consumer.subscribe({ topics: [mode.topic] })
  }

  async #close(error: Error | null): Promise<Error | null> {
    let failure = error
    if (this.#scheduler !== undefined) {
      // After a clean end, the last messages are usually still being processed: give their acks a chance.
      if (error === null && this.readableEnded) await this.#acks.wait(() => this.#tracker.pendingCount(), this.#o.closeTimeout)
      try {
        await this.#scheduler.flush()
      } catch (err) {
        failure ??= new CommitError(this.#tracker.committable(), err)
      }
      this.#scheduler.close()
    }
    this.#endHold.release()
    await this.#consumer.disconnect().catch(() => {})
    await this.#admin.disconnect().catch(() => {})
    return failure
  }

  #onJoin(memberAssignment: IMemberAssignment): void {
    const generation = ++this.#generation
    this.#stats.rebalances++
    for (const { topic, partition } of this.#assignment.replace(memberAssignment)) this.#tracker.revoke(topic, partition)
    const assignment = this.#assignment.all()
    const mode = this.#o.mode
    if (mode.kind === 'partition') {
      // The throwaway group has no offsets: every join (also after a lost session) resumes where this reader is.
      const next = this.#progress.next(mode.topic, mode.partition)
      if (next !== undefined && assignment.length > 0) this.#consumer.seek({ topic: mode.topic, partition: mode.partition, offset: next.toString() })
    } else {
      this.#ready = this.#loadPositions(assignment, generation).catch((err: Error) => {
        this.destroy(err)
      })
    }
    if (this.#paused) this.#consumer.pause(this.#assignment.unfinished())
    this.emit('assignment', assignment)
  }

  /** Group mode: where each newly assigned partition resumes (for `lag()` and `until`), and its `until` end. */
  async #loadPositions(assignment: Assignment[], generation: number): Promise<void> {
    const mode = this.#o.mode
    if (mode.kind !== 'group') return
    const starts = await groupStarts(this.#admin, mode.groupId, assignment, mode.fromBeginning)
    if (generation !== this.#generation) return
    for (const [topic, offsets] of starts) for (const [partition, next] of offsets) this.#progress.start(topic, partition, next)
    const until = this.#o.until
    if (until === undefined) return
    for (const { topic, partitions } of assignment) {
      if (partitions.every((p) => this.#progress.hasEnd(topic, p))) continue
      const ends = await endOffsets(this.#admin, topic, until)
      for (const p of partitions) if (!this.#progress.hasEnd(topic, p)) this.#progress.setEnd(topic, p, ends.get(p) ?? 0n)
    }
    this.#checkEnd()
  }

  async #eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const generation = this.#generation
    await this.#ready
    const { topic, partition, messages } = batch
    // kafkajs' isRunning() and isStale() (a JSON-keyed map lookup) change only while this awaits: asked after each
    // wait. Between waits only what a push may do synchronously (a sink that destroys the stream) is checked.
    const live = () => !this.destroyed && !this.#ended && isRunning() && !isStale() && generation === this.#generation
    this.#progress.high(topic, partition, BigInt(batch.highWatermark))
    if (!live()) return
    const stop = endIndex(messages, this.#progress.end(topic, partition))
    const mode = this.#o.mode
    const acks = mode.kind === 'group' ? new BatchAcks(this.#tracker, topic, partition, generation, messages, this.#onAck, mode.ackOnRead) : undefined
    let last: string | undefined
    // Tells kafkajs (its next fetch position) and the progress what was pushed. Not after a rejoin: kafkajs then
    // reads again from the committed offset, and what was pushed under the old generation must come again.
    const settle = () => {
      if (last === undefined || generation !== this.#generation) return
      resolveOffset(last)
      this.#progress.advance(topic, partition, BigInt(last) + 1n)
      last = undefined
    }
    for (let i = 0; i < stop; i++) {
      if (this.destroyed || this.#ended || generation !== this.#generation) return settle()
      if (!this.#flow.canPush(this.readableLength)) {
        settle()
        this.#pause()
        do {
          await this.#flow.wait(this.#heartbeatEvery)
          // kafkajs sends it only when heartbeatInterval passed: a sink that reads now and then still keeps the session.
          await this.#heartbeat(heartbeat)
          if (!live()) return
        } while (!this.#flow.canPush(this.readableLength))
      }
      const message = messages[i]!
      this.#emit(topic, partition, message, acks?.ackAt(i) ?? noAck)
      last = message.offset
    }
    settle()
    if (!live()) return
    if (stop === messages.length) {
      // Past control records and aborted messages after the last message: kafkajs resolved them with it.
      this.#progress.advance(topic, partition, BigInt(batch.lastOffset()) + 1n)
      if (!this.#progress.reachedEnd(topic, partition)) return
    }
    this.#finish(topic, partition)
    if (this.#ended) await this.#endHold.hold(() => this.#heartbeat(heartbeat), this.#heartbeatEvery)
  }

  /** A heartbeat that reports a rebalance is the last moment this member may commit under its generation. */
  async #heartbeat(heartbeat: () => Promise<void>): Promise<void> {
    try {
      await heartbeat()
    } catch (err) {
      if (isRebalanceError(err)) await this.#scheduler?.flush().catch(() => {})
      throw err
    }
  }

  #emit(topic: string, partition: number, message: KafkaMessage, ack: () => void): void {
    let decoded: ConsumedMessage
    try {
      decoded = decodeMessage(topic, partition, message, this.#o.decodeKey, this.#o.decodeValue, ack)
    } catch (err) {
      const failure = handleDecodeError(this.#o.onDecodeError, rawMessage(topic, partition, message), err as Error)
      // A message skipped or handed over is done with: acked, so that the commit can pass it.
      return failure === undefined ? ack() : void this.destroy(failure)
    }
    const bytes = messageBytes(message)
    const before = this.readableLength
    this.push(decoded)
    this.#flow.pushed(bytes, before, this.readableLength)
    this.#stats.messages++
    this.#stats.bytes += bytes
  }

  async #commitOffsets(offsets: TopicPartitionOffset[]): Promise<void> {
    await this.#consumer.commitOffsets(offsets)
    this.#stats.commits++
    this.emit('commit', offsets)
  }

  #pause(): void {
    if (this.#paused) return
    this.#paused = true
    this.#stats.pauses++
    this.#consumer.pause(this.#assignment.unfinished())
  }

  #finish(topic: string, partition: number): void {
    this.#assignment.finish(topic, partition)
    this.#consumer.pause([{ topic, partitions: [partition] }])
    this.#checkEnd()
  }

  /** With `until`: ends the stream once every assigned partition reached its end. */
  #checkEnd(): void {
    if (this.#o.until === undefined || this.#ended || this.destroyed || this.#generation === 0) return
    const assignment = this.#assignment.all()
    if (!this.#progress.allReachedEnd(assignment)) return
    this.#ended = true
    if (assignment.length > 0) this.#consumer.pause(assignment)
    this.push(null)
  }
}

export interface KafkaReadable<V, K> {
  /** 'assignment': the partitions this reader owns after each group join (the first one and every rebalance). */
  on(event: 'assignment', listener: (assignment: Assignment[]) => void): this
  /** 'commit': offsets the broker accepted (the next offset to read of each partition). */
  on(event: 'commit', listener: (offsets: TopicPartitionOffset[]) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
  [Symbol.asyncIterator](): AsyncIterableIterator<ConsumedMessage<V, K>>
}
