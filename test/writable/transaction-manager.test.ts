import { expect } from 'chai'
import { BrokerError, FencedError } from '../../lib/errors'
import type { BrokerLink, ClusterLink } from '../../lib/kafka/kafkajs-internals'
import { TransactionManager } from '../../lib/writable/transaction-manager'

/** kafkajs' protocol error for a broker error code, as its response parsers throw it. */
function kafkajsError(type: string, code: number, retriable: boolean): Error {
  return Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type, code, retriable })
}

/** A cluster whose coordinators answer each request with the next scripted outcome (undefined: success). */
function fakeCluster(script: Array<Error | undefined>) {
  const lookups: string[] = []
  const requests: string[] = []
  const answer = async (name: string): Promise<void> => {
    requests.push(name)
    const outcome = script.shift()
    if (outcome) throw outcome
  }
  const broker = {
    initProducerId: async (_timeout: number, id?: string) => {
      await answer(`init ${id}`)
      return { producerId: 7n, producerEpoch: 3 }
    },
    addPartitionsToTxn: (_p: unknown, topics: Array<{ topic: string; partitions: number[] }>) =>
      answer(`add ${topics.map((t) => `${t.topic}${JSON.stringify(t.partitions)}`).join()}`),
    addOffsetsToTxn: (_p: unknown, groupId: string) => answer(`addOffsets ${groupId}`),
    txnOffsetCommit: (_p: unknown, groupId: string) => answer(`txnOffsetCommit ${groupId}`),
    endTxn: (_p: unknown, commit: boolean) => answer(commit ? 'commit' : 'abort'),
  }
  const link = {
    coordinator: async (key: string, type: number) => {
      lookups.push(`${type === 1 ? 'txn' : 'group'} ${key}`)
      return broker as unknown as BrokerLink
    },
  } as unknown as ClusterLink
  const manager = new TransactionManager(link, {
    transactionalId: 'tx',
    transactionTimeout: 60_000,
    retry: { backoff: 1, maxBackoff: 1, maxAttempts: Infinity, timeout: 5000, timeoutOption: 'deliveryTimeout' },
  })
  return { manager, lookups, requests }
}

describe('writable/transaction-manager', () => {
  it('sends each request to its coordinator, found once and kept', async () => {
    const { manager, lookups, requests } = fakeCluster([])
    expect(await manager.initProducerId()).to.deep.equal({ producerId: 7n, producerEpoch: 3 })
    await manager.addPartitions([{ topic: 't', partition: 0 }, { topic: 't', partition: 2 }, { topic: 'u', partition: 1 }])
    await manager.sendOffsets('g', [{ topic: 'in', partitions: [{ partition: 0, offset: '5' }] }])
    await manager.end(true)
    expect(requests).to.deep.equal(['init tx', 'add t[0,2],u[1]', 'addOffsets g', 'txnOffsetCommit g', 'commit'])
    expect(lookups).to.deep.equal(['txn tx', 'group g'])
  })

  it('retries CONCURRENT_TRANSACTIONS (the previous transaction still completing) at the same coordinator, and finds a moved one again', async () => {
    const { manager, lookups, requests } = fakeCluster([
      kafkajsError('CONCURRENT_TRANSACTIONS', 51, false),
      kafkajsError('CONCURRENT_TRANSACTIONS', 51, false),
      kafkajsError('NOT_COORDINATOR', 16, true),
      Object.assign(new Error('Failed to find group coordinator'), { name: 'KafkaJSGroupCoordinatorNotFound' }),
    ])
    await manager.initProducerId()
    expect(requests).to.deep.equal(['init tx', 'init tx', 'init tx', 'init tx', 'init tx'])
    // Looked up first, after NOT_COORDINATOR and after the coordinator was not found: not after CONCURRENT_TRANSACTIONS.
    expect(lookups.length).to.equal(3)
  })

  it('turns a newer epoch (INVALID_PRODUCER_EPOCH, PRODUCER_FENCED) into a FencedError, without retrying', async () => {
    for (const [type, code] of [['INVALID_PRODUCER_EPOCH', 47], ['PRODUCER_FENCED', 90]] as const) {
      const { manager, requests } = fakeCluster([undefined, kafkajsError(type, code, false)])
      await manager.initProducerId()
      const error = await manager.end(true).then(() => undefined, (e: Error) => e)
      expect(error).to.be.instanceOf(FencedError).with.property('code', 'ERR_KAFKA_PIPE_FENCED')
      expect(error!.message).to.match(/committing the transaction \(EndTxn\) failed: another KafkaWritable with transactionalId "tx" started/)
      expect(requests).to.deep.equal(['init tx', 'commit'])
    }
  })

  it('fails at once on an error retrying cannot fix, typed', async () => {
    const { manager, requests } = fakeCluster([kafkajsError('TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 53, false)])
    const error = await manager.initProducerId().then(() => undefined, (e: Error) => e)
    expect(error).to.be.instanceOf(BrokerError).with.property('kafkaError', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED')
    expect(requests).to.deep.equal(['init tx'])
  })
})
