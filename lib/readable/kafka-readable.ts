import { Readable } from 'node:stream'
import type { EachBatchPayload, IMemberAssignment, KafkaMessage } from '../kafka/kafkajs'
import { registerCodecs } from '../codecs/compression'
import { kafkaClient } from '../kafka/client-options'
import { fromKafkajs } from '../kafka/kafkajs-error'
import { destroyOnAbort } from '../abort'
import { sourcePositionOf } from '../source-position'
import { readerClosed, readerOpened, type RewindableReader } from '../transaction-rendezvous'
import { Assignments } from './assignment'
import { noAck } from './batch-acks'
import { connectionTarget } from './connect'
import { EndHold } from './end-hold'
import { FlowControl } from './flow-control'
import { GroupSource } from './group-source'
import { decodeMessage, handleDecodeError, messageBytes, rawMessage, type ConsumedMessage } from './message'
import type { TopicPartitionOffset } from './offset-tracker'
import { resolveReadableOptions, type KafkaReadableOptions, type ResolvedReadableOptions } from './options'
import { PartitionSource } from './partition-source'
import { endIndex, Progress, type Assignment } from './progress'
import type { ReaderSource, SourceContext } from './reader-source'
import { isRebalanceError } from './rebalance'
import { newReaderStats, type ReaderStats } from './stats'

type Callback = (error?: Error | null) => void

/**
 * An objectMode Readable of consumed messages, either of one partition (`topic`, `partition`, `offset`; see
 * partition-source.ts) or of a consumer group (`groupId`, `topics`; see group-source.ts). Fetching follows the
 * reader: eachBatch holds its batch until the stream has room (pausing the partitions meanwhile) and keeps the
 * group session alive with heartbeats while it waits. In a
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
  readonly #source: ReaderSource
  readonly #flow: FlowControl
  readonly #progress = new Progress()
  readonly #stats = newReaderStats()
  readonly #assignment = new Assignments()
  #generation = 0
  /** Settles once the start positions (and `until` ends) of the current assignment are known. */
  #ready: Promise<void> = Promise.resolve()
  #running = false
  #paused = false
  #ended = false
  readonly #endHold = new EndHold()
  readonly #removeAbortListener: () => void

  constructor(options: KafkaReadableOptions) {
    const o = resolveReadableOptions(options)
    const kafka = kafkaClient(o.client)
    super({ objectMode: true, highWaterMark: o.highWaterMark })
    this.#o = o
    registerCodecs()
    this.#flow = new FlowControl(o.highWaterMark, o.maxBufferedBytes)
    const context: SourceContext = {
      kafka,
      options: o,
      connection: connectionTarget(options),
      progress: this.#progress,
      onAck: () => this.#stats.acks++,
      onCommit: (offsets) => {
        this.#stats.commits++
        this.emit('commit', offsets)
      },
      onCommitError: () => this.#stats.commitErrors++,
      fail: (error) => this.destroy(error),
      generation: () => this.#generation,
    }
    this.#source = o.mode.kind === 'group' ? new GroupSource(context, o.mode) : new PartitionSource(context, o.mode)
    const consumer = this.#source.consumer
    const { GROUP_JOIN, CRASH, REBALANCING, END_BATCH_PROCESS } = consumer.events
    consumer.on(GROUP_JOIN, (event) => this.#onJoin(event.payload.memberAssignment))
    consumer.on(REBALANCING, () => void this.#source.flushBeforeRebalance())
    // A fetch of nothing but transaction markers or aborted messages never reaches eachBatch: kafkajs moves past it
    // and reports only this event (with batchSize 0). `until` must move past it too, or a topic that ends with a
    // marker would never end.
    consumer.on(END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) void this.#skipped(payload.topic, payload.partition, BigInt(payload.lastOffset) + 1n)
    })
    // kafkajs restarts the consumer itself after a retriable failure (restart: true): only a final one ends the stream.
    consumer.on(CRASH, (event) => {
      if (!event.payload.restart) return void this.destroy(fromKafkajs(event.payload.error, `reading ${this.#source.description}`))
      // kafkajs arms its restart timer right after this event, also when this reader was destroyed while kafkajs was
      // handling the crash (its disconnect() then found no timer to clear). The consumer would start again after the
      // reader closed: rejoin the group with nobody reading, and, with the brokers gone, crash and restart for ever,
      // keeping the process alive. stop() clears that timer.
      if (this.destroyed) setImmediate(() => void consumer.stop().catch(() => {}))
    })
    this.#removeAbortListener = destroyOnAbort(this, o.signal, 'KafkaReadable')
    const transactionalId = o.mode.kind === 'group' ? o.mode.transactionalId : undefined
    if (transactionalId !== undefined) {
      const reader: RewindableReader = { rewind: (aborted) => this.#rewind(aborted) }
      readerOpened(transactionalId, reader)
      this.once('close', () => readerClosed(transactionalId, reader))
    }
  }

  /** Commits every acked offset now; resolves once the broker accepted them. Group mode only. */
  commit(): Promise<void> {
    return this.#source.commit()
  }

  /** Partition mode: the next offset to read (after the last message pushed), as a decimal string. */
  offset(): string {
    return this.#source.offset()
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
      pendingAcks: this.#source.pendingAcks(),
      lag: this.lag(),
      assignment: this.#assignment.all(),
    }
  }

  override _construct(callback: Callback): void {
    this.#source.connect().then(() => callback(), callback)
  }

  override _read(): void {
    if (!this.#running) {
      this.#running = true
      this.#source.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.#eachBatch(payload) }).then(
        () => this.#checkEnd(),
        (err: unknown) => this.destroy(fromKafkajs(err, `starting to read ${this.#source.description}`)),
      )
      return
    }
    this.#flow.release()
    if (this.#paused && !this.#ended) {
      this.#paused = false
      this.#source.consumer.resume(this.#assignment.unfinished())
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

  async #close(error: Error | null): Promise<Error | null> {
    const failure = await this.#source.finalCommit(error, error === null && this.readableEnded)
    this.#endHold.release()
    await this.#source.disconnect()
    return failure
  }

  #onJoin(memberAssignment: IMemberAssignment): void {
    const generation = ++this.#generation
    this.#stats.rebalances++
    for (const { topic, partition } of this.#assignment.replace(memberAssignment)) this.#source.revoke(topic, partition)
    const assignment = this.#assignment.all()
    this.#ready = this.#source.joined(assignment, generation).then(
      () => this.#checkEnd(),
      (err: Error) => void this.destroy(err),
    )
    if (this.#paused) this.#source.consumer.pause(this.#assignment.unfinished())
    this.emit('assignment', assignment)
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
    const acks = this.#source.batchAcks(topic, partition, generation, messages)
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
          await this.#flow.wait(this.#source.heartbeatInterval)
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
    if (this.#ended) await this.#endHold.hold(() => this.#heartbeat(heartbeat), this.#source.heartbeatInterval)
  }

  /** A heartbeat that reports a rebalance is the last moment this member may commit under its generation. */
  async #heartbeat(heartbeat: () => Promise<void>): Promise<void> {
    try {
      await heartbeat()
    } catch (err) {
      if (isRebalanceError(err)) await this.#source.flushBeforeRebalance()
      throw err
    }
  }

  #emit(topic: string, partition: number, message: KafkaMessage, ack: () => void): void {
    let decoded: ConsumedMessage
    try {
      decoded = decodeMessage(topic, partition, message, this.#o.decodeKey, this.#o.decodeValue, ack)
    } catch (err) {
      const failure = handleDecodeError(this.#o.onDecodeError, rawMessage(topic, partition, message), err as Error)
      // A message skipped or handed over is done with: acked, so that the commit can pass it. (A transactional
      // reader's commit passes it with the next message the writer gets; its ack must not be called.)
      if (failure !== undefined) return void this.destroy(failure)
      if (sourcePositionOf(ack) === undefined) ack()
      return
    }
    const bytes = messageBytes(message)
    const before = this.readableLength
    this.push(decoded)
    this.#flow.pushed(bytes, before, this.readableLength)
    this.#stats.messages++
    this.#stats.bytes += bytes
  }

  async #skipped(topic: string, partition: number, next: bigint): Promise<void> {
    // As eachBatch does: after the join's start positions and end offsets are set, which kafkajs' first fetch can
    // beat on a busy machine; setting the start afterwards would move the position back behind what kafkajs
    // skipped, and a partition that ends with a marker would never end.
    const generation = this.#generation
    await this.#ready
    if (this.destroyed || this.#ended || generation !== this.#generation) return
    this.#progress.advance(topic, partition, next)
    if (this.#o.until !== undefined && this.#progress.reachedEnd(topic, partition)) this.#finish(topic, partition)
  }

  /**
   * A transactional reader whose writer aborted a transaction (see transactional-client.ts): what was read so far is
   * stale at once (eachBatch stops pushing it, the writer drops it, both by the generation); once `aborted` resolves,
   * the transaction is complete and the group's committed offsets are final, and every assigned partition is read
   * again from its committed offset (a seek, then a new generation: what was fetched before it is dropped). Batches
   * wait meanwhile, as for a new assignment. Not once the stream ended: nothing would
   * read again.
   */
  #rewind(aborted: Promise<void>): boolean {
    if (this.#ended || this.destroyed) return false
    const generation = ++this.#generation
    this.#stats.rewinds++
    this.emit('rewind')
    this.#ready = aborted
      .then(
        () => this.#readAgain(generation),
        // The writer failed: it ends the pipeline, and the offsets it did not commit are read by the next run.
        () => {},
      )
      .then(
        () => this.#checkEnd(),
        (err: Error) => void this.destroy(err),
      )
    return true
  }

  async #readAgain(generation: number): Promise<void> {
    // A rejoin since then reads from the committed offsets already (kafkajs), with positions set by its own join.
    if (generation !== this.#generation || this.destroyed) return
    const assignment = this.#assignment.all()
    await this.#source.joined(assignment, generation)
    if (generation !== this.#generation || this.destroyed) return
    const consumer = this.#source.consumer
    const finished: Assignment[] = []
    try {
      for (const { topic, partitions } of assignment) {
        for (const partition of partitions) {
          const next = this.#progress.next(topic, partition)
          if (next === undefined) continue
          consumer.seek({ topic, partition, offset: next.toString() })
          if (this.#assignment.unfinish(topic, partition)) finished.push({ topic, partitions: [partition] })
        }
      }
    } catch (err) {
      // kafkajs is restarting the consumer (a broker went away): it has no group to seek in. Its next join reads
      // every partition from the committed offsets, which is the rewind; until then nothing is read.
      if (!/consumer#run must be called first/.test(String((err as Error | null)?.message))) throw err
      await this.#nextJoin()
      return
    }
    // What kafkajs fetched meanwhile (waiting for the seek, or a fetch of only markers) is from the old positions.
    this.#generation++
    // Partitions `until` had finished (and paused) are read again; while the stream is full, _read() resumes them.
    if (!this.#paused && finished.length > 0) consumer.resume(finished)
  }

  /** Resolves at the next group join (after its 'assignment' event), or when the stream closes. */
  #nextJoin(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.off('assignment', done)
        this.off('close', done)
        resolve()
      }
      this.on('assignment', done)
      this.on('close', done)
    })
  }

  #pause(): void {
    if (this.#paused) return
    this.#paused = true
    this.#stats.pauses++
    this.#source.consumer.pause(this.#assignment.unfinished())
  }

  #finish(topic: string, partition: number): void {
    this.#assignment.finish(topic, partition)
    this.#source.consumer.pause([{ topic, partitions: [partition] }])
    this.#checkEnd()
  }

  /** With `until`: ends the stream once every assigned partition reached its end. */
  #checkEnd(): void {
    if (this.#o.until === undefined || this.#ended || this.destroyed || this.#generation === 0) return
    const assignment = this.#assignment.all()
    if (!this.#progress.allReachedEnd(assignment)) return
    this.#ended = true
    if (assignment.length > 0) this.#source.consumer.pause(assignment)
    this.push(null)
  }
}

export interface KafkaReadable<V, K> {
  /** 'assignment': the partitions this reader owns after each group join (the first one and every rebalance). */
  on(event: 'assignment', listener: (assignment: Assignment[]) => void): this
  /** 'commit': offsets the broker accepted (the next offset to read of each partition). */
  on(event: 'commit', listener: (offsets: TopicPartitionOffset[]) => void): this
  /**
   * 'rewind' (transactionalId): the writer aborted a transaction; what was read since the last committed offsets is
   * dropped and read again, once the abort is complete.
   */
  on(event: 'rewind', listener: () => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
  [Symbol.asyncIterator](): AsyncIterableIterator<ConsumedMessage<V, K>>
}
