import { expect } from 'chai'
import { FencedError, TransactionError } from '../../lib/errors'
import type { TxnOffsetTopic } from '../../lib/kafka/kafkajs-internals'
import type { Message } from '../../lib/message'
import { transactionalAck } from '../../lib/source-position'
import type { ProduceBatch } from '../../lib/writable/produce-client'
import type { TransactionControl } from '../../lib/writable/transaction-manager'
import { TransactionalProduceClient, type TransactionReport } from '../../lib/writable/transactional-client'
import { FakeProduceClient } from './fake-produce-client'

/** A hand-written transaction coordinator: records each call, fails the ones the test names. */
class FakeControl implements TransactionControl {
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

let generation = 1
function sourced(offset: number, partition = 0): Message {
  const ack = transactionalAck({ transactionalId: 'tx', groupId: 'g', topic: 'in', partition, offset: String(offset), generation: 1, currentGeneration: () => generation })
  return { value: 'v', ack }
}

function batch(partition: number, sources: Message[]): ProduceBatch {
  return { topic: 't', partition, records: sources.map((source) => ({ key: null, value: 'v', keySize: 0, valueSize: 1, headers: null, timestamp: 0, bytes: 21, source })) }
}

function setup(settings = { transactionSize: 1000, transactionBytes: 1_000_000, transactionInterval: 60_000 }) {
  const inner = new FakeProduceClient()
  const control = new FakeControl()
  const failures: Error[] = []
  const commits: TransactionReport[] = []
  const client = new TransactionalProduceClient(inner, control, settings, {
    onFailure: (e) => failures.push(e),
    onCommit: (r) => commits.push(r),
    drain: async () => {},
  })
  return { inner, control, client, failures, commits }
}

describe('writable/transactional-client', () => {
  beforeEach(() => (generation = 1))

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
    const { client, control, commits } = setup({ transactionSize: 2, transactionBytes: 1_000_000, transactionInterval: 60_000 })
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

  it('aborts a transaction one of whose batches failed, and reports the failure', async () => {
    const { client, control, inner, failures } = setup()
    inner.failWith = new Error('not stored')
    await client.produce(batch(0, [sourced(0)])).catch(() => {})
    const error = await client.commit().then(() => undefined, (e: Error) => e)
    expect(error).to.be.instanceOf(TransactionError)
    expect(control.calls).to.deep.equal(['add t[0]', 'abort'])
    expect(failures).to.deep.equal([error])
  })

  it('aborts when the source group rebalanced during the transaction (its messages come again)', async () => {
    const { client, control } = setup()
    await client.produce(batch(0, [sourced(0)]))
    generation = 2
    const error = await client.commit().then(() => undefined, (e: Error) => e)
    expect(error).to.be.instanceOf(TransactionError).with.property('retriable', true)
    expect(error!.message).to.match(/group "g" rebalanced while the transaction was open/)
    expect(control.calls).to.deep.equal(['add t[0]', 'abort'])
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

  it('aborts an open transaction when closed', async () => {
    const { client, control, inner } = setup()
    await client.produce(batch(0, [sourced(0)]))
    await client.disconnect()
    expect(control.calls).to.deep.equal(['add t[0]', 'abort'])
    expect(inner.disconnected).to.equal(true)
  })
})
