import { once } from 'node:events'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { DeliveryError, InvalidOptionError, KafkaWritable, LeastBytes, Murmur2Balancer, OptionConflictError, UnknownOptionError, type DeliveryReport, type Message } from '../../lib'
import { produceClientFactory } from '../../lib/writable/client-factory'
import { resolveWritableOptions } from '../../lib/writable/options'
import { transactionalAck } from '../../lib/source-position'
import type { TransactionReport } from '../../lib/writable/transactional-client'
import { FakeControl, FakeProduceClient, fakeWriter } from './fake-produce-client'

const byKey = (msg: Message, partitions: readonly number[]) => partitions[Number(msg.key) % partitions.length]!

describe('writable/kafka-writable', () => {
  it('hands the balancer the message as serialized: a JSON object value as its string, a number key as its bytes', async () => {
    const client = new FakeProduceClient({ t: [0, 1] })
    const seen: Message[] = []
    const writer = fakeWriter(client, { topic: 't', balancer: (msg: Message) => (seen.push(msg), 0) })
    const written = { key: 7, value: { n: 1 }, headers: { h: 'x' } }
    await pipeline(Readable.from([written, { key: 'k', value: 'v' }]), writer)
    expect(seen[0]).to.deep.equal({ key: '7', value: '{"n":1}', headers: { h: 'x' } })
    expect(seen[1]).to.deep.equal({ key: 'k', value: 'v' })
    expect(written.value).to.deep.equal({ n: 1 }, "the user's message is not changed")
  })

  it('spreads object values over partitions with LeastBytes, counting their serialized bytes', async () => {
    const client = new FakeProduceClient({ t: [0, 1, 2] })
    const writer = fakeWriter(client, { topic: 't', balancer: new LeastBytes() })
    await pipeline(Readable.from(Array.from({ length: 30 }, (_, i) => ({ value: { i: String(i % 10) } }))), writer)
    expect([0, 1, 2].map((p) => client.values('t', p).length)).to.deep.equal([10, 10, 10])
  })

  it('calls the write callback only after the broker answered', async () => {
    const client = new FakeProduceClient()
    client.autoAnswer = false
    const writer = fakeWriter(client, { topic: 't' })
    let called = false
    writer.write({ key: '1', value: 'a' }, () => (called = true))
    await client.sent(1)
    expect(called).to.equal(false)
    client.answer()
    await new Promise((resolve) => setImmediate(resolve))
    expect(called).to.equal(true)
    writer.end()
    await once(writer, 'finish')
  })

  it('takes the chunks Node coalesced while a write was pending in one _writev, batched per partition', async () => {
    const client = new FakeProduceClient()
    client.autoAnswer = false
    const writer = fakeWriter(client, { topic: 't', balancer: byKey, highWaterMark: 100 })
    writer.write({ key: '0', value: 'first' })
    await client.sent(1)
    for (let i = 1; i <= 9; i++) writer.write({ key: String(i), value: `v${i}` })
    client.answer()
    await client.sent(2)
    const second = client.requests[1]!
    expect(second.batches.map((b) => [b.partition, b.records.length])).to.have.deep.members([
      [0, 3],
      [1, 3],
      [2, 3],
    ])
    client.autoAnswer = true
    client.answer()
    writer.end()
    await once(writer, 'finish')
  })

  it('applies backpressure at highWaterMark 1 and keeps order per partition', async () => {
    const client = new FakeProduceClient({ t: [0] })
    const writer = fakeWriter(client, { topic: 't', highWaterMark: 1 })
    expect(writer.write({ value: 'a' })).to.equal(false)
    await pipeline(Readable.from(Array.from({ length: 50 }, (_, i) => ({ value: `${i}` }))), writer)
    expect(client.values('t', 0)).to.deep.equal(['a', ...Array.from({ length: 50 }, (_, i) => `${i}`)])
  })

  it('never has two requests in flight for one partition', async () => {
    const client = new FakeProduceClient({ t: [0] })
    client.autoAnswer = false
    const writer = fakeWriter(client, { topic: 't', async: true, batchSize: 2, linger: 0 })
    for (let i = 0; i < 6; i++) writer.write({ value: `${i}` })
    await client.sent(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(client.open).to.equal(1)
    client.autoAnswer = true
    client.answer()
    writer.end()
    await once(writer, 'finish')
    expect(client.requests.map((r) => r.batches[0]!.records.length)).to.deep.equal([2, 2, 2])
  })

  it('flushes at batchSize and batchBytes', async () => {
    const client = new FakeProduceClient({ t: [0] })
    const writer = fakeWriter(client, { topic: 't', async: true, batchSize: 3, batchBytes: 100, linger: 1000 })
    for (let i = 0; i < 3; i++) writer.write({ value: 'x' })
    await client.sent(1)
    expect(client.requests[0]!.batches[0]!.records).to.have.length(3)
    writer.write({ value: Buffer.alloc(60) })
    writer.write({ value: Buffer.alloc(60) })
    await client.sent(2)
    expect(client.requests[1]!.batches[0]!.records).to.have.length(1)
    writer.end()
    await once(writer, 'finish')
  })

  it('emits a delivery report per batch and calls message acks after it', async () => {
    const client = new FakeProduceClient({ t: [0, 1] })
    const writer = fakeWriter(client, { topic: 't', balancer: byKey })
    const events: string[] = []
    writer.on('delivery', (r: DeliveryReport) => events.push(`delivery ${r.partition}@${r.baseOffset}x${r.count}`))
    const messages = [0, 1, 2].map((k) => ({ key: String(k), value: 'v', ack: () => events.push(`ack ${k}`) }))
    await pipeline(Readable.from(messages), writer)
    expect(events).to.have.members(['delivery 0@0x2', 'delivery 1@0x1', 'ack 0', 'ack 1', 'ack 2'])
    expect(events.indexOf('ack 0')).to.be.greaterThan(events.indexOf('delivery 0@0x2'))
    expect(events.indexOf('ack 1')).to.be.greaterThan(events.indexOf('delivery 1@0x1'))
  })

  it('fails the stream with a DeliveryError that names the failed messages', async () => {
    const client = new FakeProduceClient({ t: [0] })
    client.failWith = Object.assign(new Error('NOT_ENOUGH_REPLICAS'), { retriable: true })
    const written = [{ key: 'a', value: '1' }, { key: 'b', value: '2' }]
    const err = await pipeline(Readable.from(written), fakeWriter(client, { topic: 't' })).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).to.be.instanceOf(DeliveryError)
    const delivery = err as DeliveryError
    expect(delivery.code).to.equal('ERR_KAFKA_PIPE_DELIVERY')
    expect(delivery.retriable).to.equal(true)
    expect(delivery.messages).to.have.length.greaterThan(0)
    expect(delivery.message).to.contain('t[0]').and.contain('NOT_ENOUGH_REPLICAS')
  })

  it('passes a failure on from _final when end() flushes', async () => {
    const client = new FakeProduceClient({ t: [0] })
    client.failWith = new Error('broker gone')
    const writer = fakeWriter(client, { topic: 't', async: true, linger: 10_000 })
    writer.write({ value: 'x' })
    writer.end()
    const [err] = (await once(writer, 'error').catch((e: unknown) => [e])) as [Error]
    expect(err).to.be.instanceOf(DeliveryError)
  })

  it('aborts through its signal: the stream fails with an AbortedError and the client disconnects', async () => {
    const client = new FakeProduceClient({ t: [0] })
    client.autoAnswer = false
    const controller = new AbortController()
    const writer = fakeWriter(client, { topic: 't', signal: controller.signal })
    const failed = once(writer, 'error').catch((e: unknown) => [e])
    const closed = new Promise((resolve) => writer.once('close', resolve))
    writer.write({ value: 'x' })
    await client.sent(1)
    controller.abort()
    const [err] = (await failed) as [Error & { code: string }]
    expect(err.code).to.equal('ERR_KAFKA_PIPE_ABORTED')
    await closed
    expect(client.disconnected).to.equal(true)
  })

  it('async mode calls back on enqueue but holds writes beyond maxBufferedMessages', async () => {
    const client = new FakeProduceClient({ t: [0] })
    client.autoAnswer = false
    const writer = fakeWriter(client, { topic: 't', async: true, maxBufferedMessages: 2, linger: 0 })
    const done: number[] = []
    await new Promise((resolve) => writer.write({ value: '0' }, resolve))
    writer.write({ value: '1' }, () => done.push(1))
    await client.sent(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(done, 'the second write waits: two messages are queued').to.deep.equal([])
    client.autoAnswer = true
    client.answer()
    writer.end()
    await once(writer, 'finish')
    expect(done).to.deep.equal([1])
  })

  it('reports stats since the previous call, like kafka-go', async () => {
    const client = new FakeProduceClient({ t: [0, 1] })
    const writer = fakeWriter(client, { topic: 't', balancer: byKey })
    await pipeline(Readable.from(['0', '1', '2'].map((key) => ({ key, value: 'abc' }))), writer)
    const stats = writer.stats()
    expect(stats).to.include({ messages: 3, batches: 2, errors: 0, pending: 0, pendingBytes: 0 })
    expect(stats.writes).to.be.at.least(1)
    expect(stats.batchSize).to.include({ count: 2, min: 1, max: 2 })
    expect(stats.bytes).to.be.greaterThan(3 * 4)
    expect(writer.stats()).to.include({ messages: 0, batches: 0, writes: 0 })
  })

  it('fails with a ConnectionError naming the brokers when it cannot connect', async () => {
    const client = new FakeProduceClient()
    client.connect = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1'))
    const writer = fakeWriter(client, { brokers: ['127.0.0.1:1'], topic: 't' })
    const [err] = (await once(writer, 'error')) as [Error & { code: string; retriable: boolean }]
    expect(err.code).to.equal('ERR_KAFKA_PIPE_CONNECTION')
    expect(err.retriable).to.equal(true)
    expect(err.message).to.contain('127.0.0.1:1').and.contain('ECONNREFUSED').and.contain('"brokers"')
  })

  it('rejects an explicit partition the topic does not have, after delivering what came before', async () => {
    const client = new FakeProduceClient({ t: [0, 1] })
    const writer = fakeWriter(client, { topic: 't' })
    const err = await pipeline(Readable.from([{ value: 'a', partition: 1 }, { value: 'b', partition: 5 }]), writer).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    )
    expect(err?.code).to.equal('ERR_KAFKA_PIPE_INVALID_MESSAGE')
    expect(err?.message).to.contain('message.partition 5 is not a partition of topic "t" (partitions: 0, 1)')
    expect(client.values('t', 1)).to.deep.equal(['a'])
  })

  it('partitions by the key as serialized, so a number key lands where its bytes hash', async () => {
    const client = new FakeProduceClient({ t: [0, 1, 2, 3, 4, 5] })
    const writer = fakeWriter<{ key: number; value: string }>(client, { topic: 't', toMessage: (m) => m as unknown as Message })
    await pipeline(Readable.from([{ key: 42, value: 'v' }]), writer)
    const expected = new Murmur2Balancer().balance({ key: '42', value: null }, [0, 1, 2, 3, 4, 5])
    expect(client.values('t', expected)).to.deep.equal(['v'])
    expect(String(client.requests[0]!.batches[0]!.records[0]!.key)).to.equal('42')
  })

  it('maps chunks with toMessage', async () => {
    const client = new FakeProduceClient({ t: [0] })
    await pipeline(Readable.from([1, 2, 3]), fakeWriter<number>(client, { topic: 't', toMessage: (n) => ({ value: { n } }) }))
    expect(client.values('t', 0)).to.deep.equal(['{"n":1}', '{"n":2}', '{"n":3}'])
  })

  describe('with transactionalId (fake client and coordinator)', () => {
    const ackOf = (offset: number) =>
      transactionalAck({ transactionalId: 'tx-unit', groupId: 'g', topic: 'in', partition: 0, offset: String(offset), generation: 1, currentGeneration: () => 1 })

    function transactional(options: { transactionSize?: number; transactionInterval?: number }) {
      const client = new FakeProduceClient()
      client.transactions = new FakeControl()
      const w = fakeWriter(client, { topic: 't', transactionalId: 'tx-unit', ...options })
      const commits: Array<{ messages: number; offsets: string[] }> = []
      w.on('commit', (r: TransactionReport) => commits.push({ messages: r.messages, offsets: r.offsets.map((o) => o.offset) }))
      const write = (message: Message) => new Promise<void>((resolve, reject) => w.write(message, (err) => (err ? reject(err) : resolve())))
      return { w, commits, write }
    }

    it('keeps the messages made of one source message in one transaction with its offset, committing a due one at the next source message', async () => {
      const { w, commits, write } = transactional({ transactionSize: 1, transactionInterval: 60_000 })
      const a = ackOf(0)
      const b = ackOf(1)
      await write({ value: 'a1', ack: a }) // the transaction is full (transactionSize 1): due
      await write({ value: 'a2', ack: a }) // another copy of the same source message: still in it
      expect(commits).to.deep.equal([])
      await write({ value: 'b1', ack: b }) // the next source message: the due transaction commits first
      expect(commits).to.deep.equal([{ messages: 2, offsets: ['1'] }])
      w.end()
      await once(w, 'finish')
      expect(commits).to.deep.equal([
        { messages: 2, offsets: ['1'] },
        { messages: 1, offsets: ['2'] },
      ])
    })

    it('commits a due transaction transactionInterval later when no other message comes', async () => {
      const { w, commits, write } = transactional({ transactionSize: 1, transactionInterval: 20 })
      const committed = once(w, 'commit')
      await write({ value: 'a1', ack: ackOf(0) })
      await committed
      expect(commits).to.deep.equal([{ messages: 1, offsets: ['1'] }])
      w.destroy()
    })
  })

  describe('options', () => {
    it('refuses a misspelled option instead of keeping the default', () => {
      expect(() => new KafkaWritable({ brokers: ['x:1'], batchSzie: 10 } as never)).to.throw(UnknownOptionError, /KafkaWritable has no option "batchSzie"; did you mean "batchSize"/)
    })

    for (const [options, pattern] of [
      [{ batchSize: 0 }, /option "batchSize" must be an integer from 1 to 2147483647, not 0/],
      [{ linger: 'soon' }, /option "linger" must be a whole number of milliseconds from 0 to 2147483647, not 'soon'/],
      [{ requiredAcks: 2 }, /option "requiredAcks" must be one of 'all', 'leader', 'none', not 2/],
      [{ compression: 'brotli' }, /must be one of none, gzip, snappy, lz4, zstd/],
      [{ balancer: 'murmur2' }, /option "balancer" must be a Balancer/],
      [{ serializer: 'yaml' }, /option "serializer"/],
      [{ topic: '' }, /option "topic" must be a topic name/],
      [{ topic: 'orders v2' }, /option "topic" must be a topic name .*: it may only hold ASCII letters, digits/],
      [{ brokers: [] }, /option "brokers" must be a non-empty list of "host:port" strings/],
      [{ deliveryTimeout: 0 }, /option "deliveryTimeout" must be a whole number of milliseconds from 1 to 2147483647, not 0/],
      [{ deliveryTimeout: 2 ** 31 }, /option "deliveryTimeout" must be a whole number of milliseconds from 1 to 2147483647, not 2147483648/],
      [{ deliveryTimeout: '2m' }, /option "deliveryTimeout" must be/],
      [{ maxAttempts: 0 }, /option "maxAttempts" must be an integer >= 1 or Infinity, not 0/],
      [{ maxAttempts: 2.5 }, /option "maxAttempts" must be an integer >= 1 or Infinity, not 2.5/],
    ] as const) {
      it(`rejects ${JSON.stringify(options)}`, () => {
        expect(() => new KafkaWritable({ brokers: ['x:1'], ...options } as never)).to.throw(InvalidOptionError, pattern)
      })
    }

    it("rejects idempotent with requiredAcks other than 'all', or without retries", () => {
      expect(() => new KafkaWritable({ brokers: ['x:1'], idempotent: true, requiredAcks: 'leader' })).to.throw(OptionConflictError, /idempotent/)
      expect(() => new KafkaWritable({ brokers: ['x:1'], idempotent: true, maxAttempts: 1 })).to.throw(OptionConflictError, /maxAttempts of 2/)
    })

    it('needs the idempotent producer for transactionalId, and transactionalId for the transaction options', () => {
      expect(() => new KafkaWritable({ brokers: ['x:1'], transactionalId: 'tx', idempotent: false })).to.throw(
        OptionConflictError,
        /transactionalId needs the idempotent producer .*idempotent: false/,
      )
      expect(() => new KafkaWritable({ brokers: ['x:1'], transactionalId: 'tx', requiredAcks: 'leader' })).to.throw(OptionConflictError, /requiredAcks 'leader'/)
      expect(() => new KafkaWritable({ brokers: ['x:1'], transactionalId: 'tx', async: true })).to.throw(OptionConflictError, /async: true cannot be used with transactionalId/)
      expect(() => new KafkaWritable({ brokers: ['x:1'], transactionSize: 10 })).to.throw(OptionConflictError, /"transactionSize" only apply with "transactionalId"/)
      expect(() => new KafkaWritable({ brokers: ['x:1'], transactionalId: '' })).to.throw(InvalidOptionError, /option "transactionalId" must be a non-empty string/)
      expect(resolveWritableOptions({ transactionalId: 'tx' }).transaction).to.deep.equal({
        transactionalId: 'tx',
        transactionSize: 10_000,
        transactionBytes: 16 * 1024 * 1024,
        transactionInterval: 100,
        transactionTimeout: 60_000,
        transactionRetries: 5,
      })
      expect(() => new KafkaWritable({ brokers: ['x:1'], transactionRetries: 2 })).to.throw(OptionConflictError, /"transactionRetries" only apply with "transactionalId"/)
    })

    it('retries until a 2-minute deliveryTimeout by default, with no limit on attempts, as the Java client does', () => {
      const o = resolveWritableOptions({})
      expect(o.deliveryTimeout).to.equal(120_000)
      expect(o.maxAttempts).to.equal(Infinity)
      expect(resolveWritableOptions({ maxAttempts: Infinity, deliveryTimeout: 5000 })).to.include({ maxAttempts: Infinity, deliveryTimeout: 5000 })
    })

    it("creates its kafkajs client with kafkajs' retrier off, so retries are its own and not multiplied", () => {
      const create = produceClientFactory.create
      let retry: unknown
      produceClientFactory.create = (kafka) => {
        const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:clusterRetry')!
        retry = (kafka as unknown as Record<symbol, unknown>)[symbol]
        return new FakeProduceClient()
      }
      try {
        new KafkaWritable({ brokers: ['x:1'], topic: 't' }).destroy()
      } finally {
        produceClientFactory.create = create
      }
      expect(retry).to.deep.equal({ retries: 0 })
    })

    it('is idempotent by default with requiredAcks all, as the Java client is', () => {
      expect(resolveWritableOptions({}).idempotent).to.equal(true)
      expect(resolveWritableOptions({ requiredAcks: 'leader' }).idempotent).to.equal(false)
      expect(resolveWritableOptions({ maxAttempts: 1 }).idempotent).to.equal(false)
      expect(resolveWritableOptions({ idempotent: false }).idempotent).to.equal(false)
    })
  })
})
