import { once } from 'node:events'
import { expect } from 'chai'
import { BrokerError, CommitError, DeserializationError, KafkaPipeError } from '../../lib/errors'
import { KafkaReadable, type ConsumedMessage, type KafkaReadableOptions } from '../../lib/readable'
import { isStale, sourcePositionOf } from '../../lib/source-position'
import { rewindReaders, writerReady } from '../../lib/transaction-rendezvous'
import { FakeConsumer, fakeKafka } from './fake-kafka'

const T = 'topic'

function groupReader(consumer: FakeConsumer, options: { highWaterMark?: number; commitInterval?: number; valueDeserializer?: 'json' } = {}) {
  return new KafkaReadable<string>({
    kafka: fakeKafka(consumer),
    groupId: 'g',
    topics: T,
    commitInterval: 0,
    valueDeserializer: 'string',
    heartbeatInterval: 10,
    ...options,
  })
}

/** Waits until `n` messages are buffered. */
async function buffered(reader: KafkaReadable<string>, n: number): Promise<void> {
  while (reader.readableLength < n) await once(reader, 'readable')
}

describe('KafkaReadable (fake kafkajs consumer)', () => {
  it('with highWaterMark 1 holds the batch and pauses fetching until the reader takes a message', async () => {
    const consumer = new FakeConsumer({ [T]: [0] })
    const reader = groupReader(consumer, { highWaterMark: 1 })
    reader.read() // starts the consumer
    let done = false
    const delivering = consumer.deliver(T, 0, 0, ['a', 'b', 'c']).then(() => (done = true))
    await buffered(reader, 1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(reader.readableLength).to.equal(1)
    expect(done).to.equal(false)
    expect(consumer.calls).to.include(`pause ${JSON.stringify([{ topic: T, partitions: [0] }])}`)
    const values: string[] = []
    while (values.length < 3) {
      const m = reader.read() as ConsumedMessage<string> | null
      if (m === null) await once(reader, 'readable')
      else values.push(m.value)
      expect(reader.readableLength).to.be.at.most(1)
    }
    await delivering
    expect(values).to.deep.equal(['a', 'b', 'c'])
    expect(consumer.calls.some((c) => c.startsWith('resume'))).to.equal(true)
    reader.destroy()
  })

  it('drops acks of messages delivered before a rebalance took their partition', async () => {
    const consumer = new FakeConsumer({ [T]: [0, 1] })
    const reader = groupReader(consumer)
    reader.read()
    await consumer.deliver(T, 0, 0, ['a', 'b'])
    await consumer.deliver(T, 1, 0, ['c'])
    await buffered(reader, 2)
    const messages = [reader.read(), reader.read(), reader.read()] as Array<ConsumedMessage<string>>
    consumer.join({ [T]: [1] }) // partition 0 went to another member
    for (const m of messages) m.ack()
    await reader.commit()
    expect(consumer.commits.flat()).to.deep.equal([{ topic: T, partition: 1, offset: '1' }])
    reader.destroy()
  })

  it('commits what was acked when a heartbeat reports a rebalance while it waits for room, before kafkajs rejoins', async () => {
    const consumer = new FakeConsumer({ [T]: [0] })
    const reader = groupReader(consumer, { highWaterMark: 1, commitInterval: 60_000 })
    reader.read()
    const rebalance = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' })
    let heartbeats = 0
    let ackFirst: () => void = () => {}
    const delivering = consumer.deliver(T, 0, 0, ['a', 'b', 'c'], {
      heartbeat: async () => {
        if (++heartbeats === 1) return ackFirst()
        throw rebalance
      },
    })
    await buffered(reader, 1)
    ackFirst = () => (reader.read() as ConsumedMessage<string>).ack()
    const error = await delivering.then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(error).to.equal(rebalance)
    expect(consumer.commits).to.deep.equal([[{ topic: T, partition: 0, offset: '1' }]])
    reader.destroy()
  })

  it('is destroyed with a CommitError when the broker refuses a commit for good', async () => {
    const consumer = new FakeConsumer({ [T]: [0] })
    const reader = groupReader(consumer)
    reader.read()
    await consumer.deliver(T, 0, 0, ['a'])
    await buffered(reader, 1)
    consumer.commitError = Object.assign(new Error('not authorized'), { type: 'GROUP_AUTHORIZATION_FAILED', retriable: false })
    ;(reader.read() as ConsumedMessage<string>).ack()
    const [error] = (await once(reader, 'error').catch((err: unknown) => [err])) as [CommitError]
    expect(error).to.be.instanceOf(CommitError)
    expect(error.offsets).to.deep.equal([{ topic: T, partition: 0, offset: '1' }])
    expect(error.message).to.contain('topic[0]@1: not authorized')
  })

  it('is destroyed with a DeserializationError by default, after committing what was acked', async () => {
    const consumer = new FakeConsumer({ [T]: [0] })
    const reader = groupReader(consumer, { valueDeserializer: 'json' })
    reader.read()
    await consumer.deliver(T, 0, 0, ['1'])
    await buffered(reader, 1)
    ;(reader.read() as ConsumedMessage<string>).ack()
    const failed = once(reader, 'error').catch((err: unknown) => [err]) as Promise<[DeserializationError]>
    await consumer.deliver(T, 0, 1, ['{oops'])
    const [error] = await failed
    expect(error).to.be.instanceOf(DeserializationError)
    expect(error.position).to.deep.equal({ topic: T, partition: 0, offset: '1' })
    if (!reader.closed) await once(reader, 'close')
    expect(consumer.commits.flat()).to.deep.include({ topic: T, partition: 0, offset: '1' })
    expect(consumer.calls.at(-1)).to.equal('disconnect')
  })

  it("keeps going when kafkajs gives up a commit after its retries on a retriable error (a coordinator restarting), and commits later", async () => {
    const consumer = new FakeConsumer({ [T]: [0] })
    const reader = groupReader(consumer)
    reader.read()
    await consumer.deliver(T, 0, 0, ['a'])
    await buffered(reader, 1)
    const notFound = Object.assign(new Error('Broker 1 not found in the cached metadata'), { name: 'KafkaJSBrokerNotFound', retriable: true })
    consumer.commitError = Object.assign(new Error(notFound.message), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: false, cause: notFound })
    ;(reader.read() as ConsumedMessage<string>).ack()
    await new Promise((resolve) => setImmediate(resolve))
    expect(reader.stats().commitErrors).to.equal(1)
    expect(reader.destroyed).to.equal(false)
    consumer.commitError = undefined
    await reader.commit()
    expect(consumer.commits).to.deep.equal([[{ topic: T, partition: 0, offset: '1' }]])
    reader.destroy()
  })

  it('rides out a consumer crash kafkajs restarts from, and is destroyed with a typed BrokerError by one it does not', async () => {
    const consumer = new FakeConsumer({ [T]: [0] })
    const reader = groupReader(consumer)
    reader.read()
    await consumer.running
    const coordinatorMoved = Object.assign(new Error('not coordinator'), { name: 'KafkaJSProtocolError', type: 'NOT_COORDINATOR', code: 16, retriable: true })
    consumer.crash(coordinatorMoved, true)
    expect(reader.destroyed).to.equal(false)
    const denied = Object.assign(new Error('not authorized'), { name: 'KafkaJSProtocolError', type: 'GROUP_AUTHORIZATION_FAILED', code: 30, retriable: false })
    const failed = once(reader, 'error').catch((err: unknown) => [err]) as Promise<[BrokerError]>
    consumer.crash(denied, false)
    const [error] = await failed
    expect(error).to.be.instanceOf(BrokerError)
    expect(error).to.include({ code: 'ERR_KAFKA_PIPE_BROKER', kafkaError: 'GROUP_AUTHORIZATION_FAILED', retriable: false })
    expect(error.cause).to.equal(denied)
    expect(error.message).to.contain('group "g"')
  })

  it('cancels the restart kafkajs arms after a crash it was handling when the reader was destroyed', async () => {
    const consumer = new FakeConsumer({ [T]: [0] })
    const reader = groupReader(consumer)
    reader.read()
    await consumer.running
    const coordinatorMoved = Object.assign(new Error('not coordinator'), { name: 'KafkaJSProtocolError', type: 'NOT_COORDINATOR', code: 16, retriable: true })
    // Alive: kafkajs' restart is the recovery, left alone.
    consumer.crash(coordinatorMoved, true)
    await new Promise((resolve) => setImmediate(resolve))
    expect(consumer.restartArmed).to.equal(true)
    expect(consumer.calls).to.not.include('stop')
    // Destroyed while kafkajs handled a crash: its disconnect() came before the timer, which kafkajs arms after the event.
    reader.destroy()
    await once(reader, 'close')
    consumer.crash(coordinatorMoved, true)
    expect(consumer.restartArmed).to.equal(true)
    await new Promise((resolve) => setImmediate(resolve))
    expect(consumer.restartArmed).to.equal(false)
    expect(consumer.calls.filter((c) => c === 'stop' || c === 'disconnect')).to.deep.equal(['disconnect', 'stop'])
  })

  // Passes once the shared options schema (lib/options/) rejects unknown option names.
  it('ends with until at a partition whose last fetch held only markers, even when that fetch came before the join was set up', async () => {
    // The committed offsets come only when the test says: kafkajs' first fetch beats them, as on a busy machine.
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const admin = {
      async fetchOffsets({ topics }: { topics: string[] }) {
        await gate
        return topics.map((topic) => ({ topic, partitions: [0, 1].map((partition) => ({ partition, offset: '-1' })) }))
      },
    }
    const consumer = new FakeConsumer({ [T]: [0, 1] })
    const reader = new KafkaReadable<string>({ kafka: fakeKafka(consumer, admin), groupId: 'g', topics: T, fromBeginning: true, until: 'latest' })
    const ended = once(reader, 'end')
    reader.resume()
    await consumer.running
    consumer.skip(T, 0, 999) // offsets 0..999 all aborted or markers; the end offsets are 1000
    consumer.skip(T, 1, 999)
    release()
    await ended
  })

  it('as a transactional reader told to read again: drops what it read at once, then after the abort seeks every partition to its committed offset', async () => {
    const admin = {
      async fetchOffsets({ topics }: { topics: string[] }) {
        return topics.map((topic) => ({ topic, partitions: [{ partition: 0, offset: '3' }, { partition: 1, offset: '-1' }] }))
      },
    }
    const consumer = new FakeConsumer({ [T]: [0, 1] })
    writerReady('tx-rewind')
    const reader = new KafkaReadable<string>({ kafka: fakeKafka(consumer, admin), groupId: 'g', topics: T, fromBeginning: true, transactionalId: 'tx-rewind', valueDeserializer: 'string' })
    reader.read()
    await consumer.deliver(T, 0, 3, ['a', 'b'])
    await buffered(reader, 2)
    const before = reader.read() as ConsumedMessage<string>
    expect(isStale(sourcePositionOf(before.ack)!)).to.equal(false)
    let abortDone!: () => void
    const aborted = new Promise<void>((resolve) => (abortDone = resolve))
    expect(rewindReaders('tx-rewind', aborted)).to.equal(true)
    // Stale at once, for the writer, and for the one still in the stream's buffer.
    expect(isStale(sourcePositionOf(before.ack)!)).to.equal(true)
    expect(isStale(sourcePositionOf((reader.read() as ConsumedMessage<string>).ack)!)).to.equal(true)
    // A batch fetched before the seek waits for the abort, then is dropped.
    const early = consumer.deliver(T, 0, 5, ['c'])
    await new Promise((resolve) => setImmediate(resolve))
    expect(consumer.calls.filter((c) => c.startsWith('seek'))).to.deep.equal([])
    abortDone()
    await early
    expect(consumer.calls.filter((c) => c.startsWith('seek'))).to.deep.equal([`seek ${T} 0 3`, `seek ${T} 1 0`])
    expect(reader.readableLength).to.equal(0)
    expect(reader.stats().rewinds).to.equal(1)
    // Read again from the committed offset, under the new generation.
    await consumer.deliver(T, 0, 3, ['a'])
    await buffered(reader, 1)
    const again = reader.read() as ConsumedMessage<string>
    expect(again).to.include({ value: 'a', offset: '3' })
    expect(isStale(sourcePositionOf(again.ack)!)).to.equal(false)
    reader.destroy()
    await once(reader, 'close')
    expect(rewindReaders('tx-rewind', Promise.resolve())).to.equal(false)
  })

  it('as a transactional reader told to read again while kafkajs restarts its consumer: leaves the rewind to the next join', async () => {
    const consumer = new FakeConsumer({ [T]: [0] })
    writerReady('tx-rewind-restart')
    const reader = new KafkaReadable<string>({ kafka: fakeKafka(consumer), groupId: 'g', topics: T, fromBeginning: true, transactionalId: 'tx-rewind-restart', valueDeserializer: 'string' })
    const failed: Error[] = []
    reader.on('error', (e: Error) => failed.push(e))
    reader.read()
    await consumer.deliver(T, 0, 0, ['a'])
    await buffered(reader, 1)
    consumer.seekError = Object.assign(new Error('Consumer group was not initialized, consumer#run must be called first'), { name: 'KafkaJSNonRetriableError' })
    const seekTried = new Promise<void>((resolve) => (consumer.onSeek = resolve))
    expect(rewindReaders('tx-rewind-restart', Promise.resolve())).to.equal(true)
    await seekTried
    // Fetched before kafkajs' restart: waits for the rewind, which waits for the join kafkajs makes once restarted.
    const stale = consumer.deliver(T, 0, 1, ['b'])
    await new Promise((resolve) => setImmediate(resolve))
    consumer.seekError = undefined
    consumer.join({ [T]: [0] })
    await stale
    expect(failed).to.deep.equal([])
    expect(consumer.calls.filter((c) => c.startsWith('seek'))).to.deep.equal([])
    const values = [reader.read(), reader.read()].map((m) => (m as ConsumedMessage<string> | null)?.value)
    expect(values).to.deep.equal(['a', undefined])
    // After the join, kafkajs reads from the committed offset again.
    await consumer.deliver(T, 0, 0, ['a'])
    await buffered(reader, 1)
    expect((reader.read() as ConsumedMessage<string>).value).to.equal('a')
    reader.destroy()
  })

  it('rejects groupID (a typo of groupId) by name, rather than reading partition 0 of "topic" and committing nothing', () => {
    const options = { kafka: fakeKafka(new FakeConsumer({})), groupID: 'g', topic: 't' }
    let made: KafkaReadable | undefined
    let error: unknown
    try {
      made = new KafkaReadable(options as KafkaReadableOptions)
    } catch (err) {
      error = err
    } finally {
      made?.on('error', () => {})
      made?.destroy()
    }
    expect(error).to.be.instanceOf(KafkaPipeError)
    expect((error as KafkaPipeError).code).to.equal('ERR_KAFKA_PIPE_OPTION')
    expect((error as Error).message).to.contain('groupID')
  })
})
