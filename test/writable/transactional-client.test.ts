import { expect } from 'chai'
import { BrokerError, FencedError, TimeoutError, TransactionError } from '../../lib/errors'
import type { Message } from '../../lib/message'
import { transactionalAck } from '../../lib/source-position'
import { DISCARDED, type ProduceBatch } from '../../lib/writable/produce-client'
import { TransactionalProduceClient, type AbortReport, type TransactionReport } from '../../lib/writable/transactional-client'
import { FakeControl, FakeProduceClient } from './fake-produce-client'

let generation = 1
function sourced(offset: number, partition = 0, readIn = 1): Message {
  const ack = transactionalAck({ transactionalId: 'tx', groupId: 'g', topic: 'in', partition, offset: String(offset), generation: readIn, currentGeneration: () => generation })
  return { value: 'v', ack }
}

function batch(partition: number, sources: Message[]): ProduceBatch {
  return { topic: 't', partition, records: sources.map((source) => ({ key: null, value: 'v', keySize: 0, valueSize: 1, headers: null, timestamp: 0, bytes: 21, source })) }
}

const SETTINGS = { transactionSize: 1000, transactionBytes: 1_000_000, transactionInterval: 60_000, transactionRetries: 5, transactionTimeout: 60_000 }

/** Every client a test made: closed after it, so that no transaction timer (transactionInterval) outlives the test. */
const made: TransactionalProduceClient[] = []

function setup(settings: Partial<typeof SETTINGS> = {}, readerCanRewind = true) {
  const inner = new FakeProduceClient()
  const control = new FakeControl()
  const failures: Error[] = []
  const commits: TransactionReport[] = []
  const aborts: AbortReport[] = []
  /** What the reader saw of each rewind: whether the abort was complete (the new epoch) when it was told to read again. */
  const rewinds: Array<{ epochsAtRequest: number; outcome: Promise<string> }> = []
  const client = new TransactionalProduceClient(inner, control, { ...SETTINGS, ...settings }, {
    onFailure: (e) => failures.push(e),
    onCommit: (r) => commits.push(r),
    onAbort: (r) => aborts.push(r),
    drain: async () => {},
    rewind: (aborted) => {
      // The reader drops what it read at once: a rewind moves its generation on.
      generation++
      rewinds.push({ epochsAtRequest: inner.epochs, outcome: aborted.then(() => `read again after ${inner.epochs} new epoch(s)`, (e: Error) => `failed: ${e.message}`) })
      return readerCanRewind
    },
    // The writer commits a due copy transaction at the next boundary between source messages: here at once.
    due: () => void client.commit().catch(() => {}),
  })
  made.push(client)
  return { inner, control, client, failures, commits, aborts, rewinds }
}

describe('writable/transactional-client', () => {
  beforeEach(() => (generation = 1))
  afterEach(async () => {
    await Promise.all(made.splice(0).map((client) => client.disconnect().catch(() => {})))
  })

  it('adds the partitions of one tick in one request, then commits the highest source offset + 1 per source partition', async () => {
    const { client, control, commits } = setup()
    await Promise.all([client.produce(batch(0, [sourced(3), sourced(4, 1)])), client.produce(batch(1, [sourced(7), sourced(5)]))])
    await client.commit()
    expect(control.calls).to.deep.equal(['add t[0],t[1]', 'offsets g in[0]@8,in[1]@5', 'commit'])
    expect(commits).to.deep.equal([
      { messages: 4, offsets: [{ groupId: 'g', topic: 'in', partition: 0, offset: '8' }, { groupId: 'g', topic: 'in', partition: 1, offset: '5' }] },
    ])
  })

  it('cuts a transaction at transactionSize and starts the next one with its own AddPartitionsToTxn', async () => {
    const { client, control, commits } = setup({ transactionSize: 2 })
    await client.produce(batch(0, [sourced(0), sourced(1)]))
    await client.produce(batch(0, [sourced(2)]))
    await client.commit()
    expect(control.calls).to.deep.equal(['add t[0]', 'offsets g in[0]@2', 'commit', 'add t[0]', 'offsets g in[0]@3', 'commit'])
    expect(commits.map((c) => c.messages)).to.deep.equal([2, 1])
  })

  it('commits nothing without an open transaction, and no offsets for messages without a source', async () => {
    const { client, control } = setup()
    await client.commit()
    expect(control.calls).to.deep.equal([])
    await client.produce(batch(0, [{ value: 'plain' }]))
    await client.commit()
    expect(control.calls).to.deep.equal(['add t[0]', 'commit'])
  })

  it('fails a transaction of messages without a source (not a copy) when a batch failed: nothing to read again', async () => {
    const { client, control, inner, failures, rewinds } = setup()
    inner.failWith = new TimeoutError('storing 1 message(s) in t[0]', 'deliveryTimeout', 100, 1)
    const thrown = await client.produce(batch(0, [{ value: 'plain' }])).then(() => undefined, (e: Error) => e)
    expect(thrown).to.equal(inner.failWith)
    const error = await client.commit().then(() => undefined, (e: Error) => e)
    expect(error).to.be.instanceOf(TransactionError).with.property('message').that.matches(/a batch of the transaction was not stored/)
    expect(control.calls).to.deep.equal(['add t[0]', 'abort'])
    expect(failures).to.deep.equal([error])
    expect(rewinds).to.have.length(0)
  })

  it('retries a copy whose batch was not stored: the batch is discarded, the reader reads again once a new epoch completed the abort', async () => {
    const { client, control, inner, aborts, rewinds, commits } = setup()
    const timeout = new TimeoutError('storing 1 message(s) in t[0]', 'deliveryTimeout', 100, 1)
    inner.failWith = timeout
    expect(await client.produce(batch(0, [sourced(0)]))).to.equal(DISCARDED)
    // The failed batch's transaction takes nothing more: later batches are discarded without being sent.
    inner.failWith = undefined
    expect(await client.produce(batch(1, [sourced(1)]))).to.equal(DISCARDED)
    await client.commit()
    expect(inner.requests).to.have.length(1)
    expect(control.calls).to.deep.equal(['add t[0]'])
    expect(inner.epochs).to.equal(1)
    expect(rewinds).to.have.length(1)
    expect(rewinds[0]!.epochsAtRequest).to.equal(0)
    expect(await rewinds[0]!.outcome).to.equal('read again after 1 new epoch(s)')
    expect(aborts).to.have.length(1)
    expect(aborts[0]).to.include({ messages: 0, retry: 1 })
    expect(aborts[0]!.error).to.equal(timeout)
    // The retry: the messages read again go into a new transaction, committed with their source offsets.
    await client.produce(batch(0, [sourced(0, 0, generation), sourced(1, 0, generation)]))
    await client.commit()
    expect(control.calls).to.deep.equal(['add t[0]', 'add t[0]', 'offsets g in[0]@2', 'commit'])
    expect(commits.map((c) => c.messages)).to.deep.equal([2])
  })

  it('fails with a retriable TransactionError once transactionRetries aborts in a row were retried; a commit starts the count again', async () => {
    const { client, inner, failures, aborts } = setup({ transactionRetries: 2 })
    const refused = new BrokerError('t[0]', 7, 'REQUEST_TIMED_OUT', true, null)
    const abortOnce = async () => {
      inner.failWith = refused
      expect(await client.produce(batch(0, [sourced(0, 0, generation)]))).to.equal(DISCARDED)
      inner.failWith = undefined
      await client.commit()
    }
    await abortOnce()
    await client.produce(batch(0, [sourced(0, 0, generation)]))
    await client.commit()
    await abortOnce()
    await abortOnce()
    expect(aborts.map((a) => a.retry)).to.deep.equal([1, 1, 2])
    inner.failWith = refused
    await client.produce(batch(0, [sourced(0, 0, generation)])).catch(() => {})
    const error = await client.commit().then(() => undefined, (e: Error) => e)
    expect(error).to.be.instanceOf(TransactionError).with.property('retriable', true)
    expect(error!.message).to.match(/2 aborted transaction\(s\) in a row were retried already \(transactionRetries\)/)
    expect(failures).to.deep.equal([error])
  })

  it('does not retry what cannot pass: a batch the broker refuses for good fails the writer', async () => {
    const { client, control, inner, failures, rewinds } = setup()
    inner.failWith = new BrokerError('t[0]', 10, 'MESSAGE_TOO_LARGE', false, null)
    const thrown = await client.produce(batch(0, [sourced(0)])).then(() => undefined, (e: Error) => e)
    expect(thrown).to.equal(inner.failWith)
    const error = await client.commit().then(() => undefined, (e: Error) => e)
    expect(error).to.be.instanceOf(TransactionError).with.property('retriable', false)
    expect(control.calls).to.deep.equal(['add t[0]', 'abort'])
    expect(failures).to.deep.equal([error])
    expect(rewinds).to.have.length(0)
  })

  it('retries a commit that failed on its way (EndTxn), the new epoch completing it either way', async () => {
    const { client, control, inner, aborts, commits } = setup()
    control.failEnd = new BrokerError('the transaction coordinator', 7, 'REQUEST_TIMED_OUT', true, null)
    await client.produce(batch(0, [sourced(0)]))
    await client.commit()
    expect(control.calls).to.deep.equal(['add t[0]', 'offsets g in[0]@1', 'commit'])
    expect(inner.epochs).to.equal(1)
    expect(commits).to.have.length(0)
    expect(aborts.map((a) => a.error)).to.deep.equal([control.failEnd])
  })

  it('aborts and retries, without counting it, a transaction whose source group rebalanced while it was open', async () => {
    const { client, control, inner, aborts, rewinds } = setup({ transactionRetries: 1 })
    await client.produce(batch(0, [sourced(0)]))
    generation = 2
    await client.commit()
    expect(control.calls).to.deep.equal(['add t[0]'])
    expect(inner.epochs).to.equal(1)
    expect(rewinds).to.have.length(1)
    expect(aborts).to.have.length(1)
    expect(aborts[0]).to.include({ retry: 0 })
    expect(aborts[0]!.error.message).to.match(/group "g" rebalanced while the transaction was open/)
  })

  it('drops, without sending or aborting anything, a batch read before the reader rebalanced or rewound', async () => {
    const { client, inner, control, rewinds } = setup()
    generation = 2
    expect(await client.produce(batch(0, [sourced(5, 0, 1)]))).to.equal(DISCARDED)
    await client.commit()
    expect(inner.requests).to.have.length(0)
    expect(control.calls).to.deep.equal([])
    expect(rewinds).to.have.length(0)
  })

  it('redoes a transaction given a batch of messages read before and after a rebalance', async () => {
    const { client, inner, rewinds } = setup()
    generation = 2
    expect(await client.produce(batch(0, [sourced(5, 0, 1), sourced(0, 0, 2)]))).to.equal(DISCARDED)
    await client.commit()
    expect(inner.requests).to.have.length(0)
    expect(rewinds).to.have.length(1)
  })

  it('redoes a transaction that holds messages read before a rebalance, even when those read after it reach higher offsets', async () => {
    const { client, control, inner, commits, rewinds } = setup()
    await client.produce(batch(0, [sourced(0), sourced(1)]))
    generation = 2
    // kafkajs reads the partition again from the committed offset: 0 and 1 again, then 2.
    await client.produce(batch(0, [sourced(0, 0, 2), sourced(1, 0, 2), sourced(2, 0, 2)]))
    await client.commit()
    expect(commits).to.have.length(0)
    expect(control.calls).to.deep.equal(['add t[0]'])
    expect(inner.epochs).to.equal(1)
    expect(rewinds).to.have.length(1)
  })

  it('with transactionRetries 0, fails at the first abort, a rebalance included, with a retriable TransactionError', async () => {
    const { client, control, failures } = setup({ transactionRetries: 0 })
    await client.produce(batch(0, [sourced(0)]))
    generation = 2
    const error = await client.commit().then(() => undefined, (e: Error) => e)
    expect(error).to.be.instanceOf(TransactionError).with.property('retriable', true)
    expect(error!.message).to.match(/rebalanced while the transaction was open.*transactionRetries is 0.*start the pipeline again/)
    expect(control.calls).to.deep.equal(['add t[0]', 'abort'])
    expect(failures).to.deep.equal([error])
  })

  it('fails, aborting, when the reader cannot read again (it ended)', async () => {
    const { client, control, inner, failures, rewinds } = setup({}, false)
    inner.failWith = new TimeoutError('storing 1 message(s) in t[0]', 'deliveryTimeout', 100, 1)
    await client.produce(batch(0, [sourced(0)]))
    const error = await client.commit().then(() => undefined, (e: Error) => e)
    expect(error).to.be.instanceOf(TransactionError).with.property('retriable', true)
    expect(error!.message).to.match(/cannot be retried here: the KafkaReadable with transactionalId "tx" ended or is gone/)
    expect(await rewinds[0]!.outcome).to.match(/^failed: /)
    expect(control.calls).to.deep.equal(['add t[0]', 'abort'])
    expect(inner.epochs).to.equal(0)
    expect(failures).to.deep.equal([error])
  })

  it('asks for the new epoch again, counting each try, while the abort cannot complete', async () => {
    const { client, inner, aborts, failures } = setup({ transactionRetries: 3 })
    inner.failWith = new TimeoutError('storing 1 message(s) in t[0]', 'deliveryTimeout', 100, 1)
    inner.failEpoch = new TimeoutError('aborting (InitProducerId)', 'deliveryTimeout', 100, 1)
    let tries = 0
    const newEpoch = inner.newEpoch.bind(inner)
    inner.newEpoch = async () => {
      if (++tries === 2) inner.failEpoch = undefined
      return newEpoch()
    }
    await client.produce(batch(0, [sourced(0)]))
    await client.commit()
    expect(inner.epochs).to.equal(2)
    expect(failures).to.deep.equal([])
    expect(aborts.map((a) => a.retry)).to.deep.equal([2])
  })

  it('fails when the new epoch cannot be had, and tells the reader not to read again', async () => {
    const { client, inner, failures, rewinds } = setup()
    inner.failWith = new TimeoutError('storing 1 message(s) in t[0]', 'deliveryTimeout', 100, 1)
    inner.failEpoch = new FencedError('tx', 'getting a producer id (InitProducerId)')
    await client.produce(batch(0, [sourced(0)]))
    const error = await client.commit().then(() => undefined, (e: Error) => e)
    expect(error).to.equal(inner.failEpoch)
    expect(failures).to.deep.equal([error])
    expect(await rewinds[0]!.outcome).to.match(/^failed: /)
  })

  it('when fenced at commit, reports the FencedError, sends no abort, and refuses every later batch', async () => {
    const { client, control, failures } = setup()
    control.failEnd = new FencedError('tx', 'committing the transaction (EndTxn)')
    await client.produce(batch(0, [sourced(0)]))
    const error = await client.commit().then(() => undefined, (e: Error) => e)
    expect(error).to.be.instanceOf(FencedError)
    expect(failures).to.deep.equal([error])
    expect(await client.produce(batch(0, [sourced(1)])).then(() => undefined, (e: Error) => e)).to.equal(error)
    expect(control.calls).to.deep.equal(['add t[0]', 'offsets g in[0]@1', 'commit'])
  })

  it('says the broker most likely aborted the transaction itself when it is fenced past transactionTimeout', async () => {
    const fenced = new FencedError('tx', 'storing a batch in t[0]', new BrokerError('t[0]', 47, 'INVALID_PRODUCER_EPOCH', false, null))
    const young = setup()
    young.inner.failWith = fenced
    const plain = await young.client.produce(batch(0, [sourced(0)])).then(() => undefined, (e: Error) => e)
    expect(plain).to.equal(fenced)
    expect(plain!.message).to.match(/another KafkaWritable with transactionalId "tx" started and fenced this one/)
    const old = setup({ transactionTimeout: 0 })
    old.inner.failWith = fenced
    const timedOut = await old.client.produce(batch(0, [sourced(0)])).then(() => undefined, (e: Error) => e)
    expect(timedOut).to.be.instanceOf(FencedError).and.not.equal(fenced)
    expect(timedOut!.message).to.match(/^storing a batch in t\[0\] failed: the transaction was open \d+ ms, longer than transactionTimeout \(0 ms\), so the broker aborted it/)
    expect(timedOut!.cause).to.equal(fenced.cause)
    expect(old.failures).to.deep.equal([timedOut])
  })

  it('aborts an open transaction when closed', async () => {
    const { client, control, inner } = setup()
    await client.produce(batch(0, [sourced(0)]))
    await client.disconnect()
    expect(control.calls).to.deep.equal(['add t[0]', 'abort'])
    expect(inner.disconnected).to.equal(true)
  })
})
