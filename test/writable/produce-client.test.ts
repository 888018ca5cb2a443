import { expect } from 'chai'
import type { Kafka } from 'kafkajs'
import { NetworkError, TimeoutError } from '../../lib/errors'
import { KafkaProduceClient, type KafkaProduceClientOptions } from '../../lib/writable/produce-client'

/**
 * kafkajs' internal Cluster as far as the produce client uses it, with one broker (node 1, leader of t[0]) whose
 * behaviour each test sets: how it connects and how it answers a request.
 */
class FakeCluster {
  connectBroker: () => Promise<void> = async () => {}
  send: () => Promise<unknown> = () => new Promise(() => {})
  initProducerId: () => Promise<{ producerId: string; producerEpoch: number }> = async () => ({ producerId: '1', producerEpoch: 0 })
  brokerCalls = 0
  sends = 0

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async addTargetTopic(): Promise<void> {}
  async refreshMetadata(): Promise<void> {}
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader: number }> {
    if (topic !== 't') throw new Error('unknown topic')
    return [{ partitionId: 0, leader: 1 }]
  }
  getNodeIds(): number[] {
    return [1]
  }
  async findBroker(): Promise<unknown> {
    this.brokerCalls++
    await this.connectBroker()
    return {
      versions: { 0: { minVersion: 3, maxVersion: 8 } },
      connectionPool: {
        send: () => {
          this.sends++
          return this.send()
        },
      },
      initProducerId: () => this.initProducerId(),
    }
  }
}

/** A kafkajs Kafka in shape: what ClusterLink looks for is its private Cluster factory. */
function kafkaOf(cluster: FakeCluster): Kafka {
  return { [Symbol('private:Kafka:createCluster')]: () => cluster } as unknown as Kafka
}

const options: KafkaProduceClientOptions = {
  allowAutoTopicCreation: false,
  metadataMaxAge: 300_000,
  idempotent: false,
  acks: 1,
  ackTimeout: 30_000,
  compression: 0,
  maxAttempts: Infinity,
  backoff: 5,
  maxBackoff: 20,
  deliveryTimeout: 300,
}

const batch = { topic: 't', partition: 0, records: [{ key: null, value: Buffer.from('v'), headers: [], timestamp: 0 }] } as never

function refused(): Error {
  return Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSConnectionError', retriable: true })
}

async function failureOf(promise: Promise<unknown>): Promise<{ error: Error; elapsed: number }> {
  const startedAt = Date.now()
  const error = (await promise.then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e,
  )) as Error
  return { error, elapsed: Date.now() - startedAt }
}

describe('writable/produce-client', () => {
  it('retries a leader that refuses connections until deliveryTimeout, not for a number of attempts, then fails with a retriable TimeoutError', async () => {
    const cluster = new FakeCluster()
    cluster.connectBroker = async () => {
      throw refused()
    }
    const client = new KafkaProduceClient(kafkaOf(cluster), options)
    await client.connect()
    await client.loadTopics(['t'])
    const { error, elapsed } = await failureOf(client.produce(batch))
    expect(error).to.be.instanceOf(TimeoutError)
    expect((error as TimeoutError).retriable).to.equal(true)
    expect(error.message).to.contain('storing 1 message(s) in t[0] did not succeed within deliveryTimeout (300 ms')
    expect(error.cause).to.be.instanceOf(NetworkError)
    expect(cluster.brokerCalls, 'connection attempts').to.be.greaterThan(5)
    expect(elapsed).to.be.within(290, 1000) // the deadline, and room for a loaded machine
    await client.disconnect()
  })

  it('fails a batch whose request is never answered at deliveryTimeout, saying the broker may still store it', async () => {
    const cluster = new FakeCluster()
    const client = new KafkaProduceClient(kafkaOf(cluster), options)
    await client.connect()
    await client.loadTopics(['t'])
    const { error, elapsed } = await failureOf(client.produce(batch))
    expect(error).to.be.instanceOf(TimeoutError)
    expect(error.message).to.contain('no answer yet').and.contain('the broker may yet store it')
    expect(cluster.sends).to.equal(1)
    expect(elapsed).to.be.within(290, 1000) // the deadline, and room for a loaded machine
    await client.disconnect()
  })

  it('still gives up after maxAttempts when that comes first, with the last error itself', async () => {
    const cluster = new FakeCluster()
    cluster.send = async () => {
      throw Object.assign(new Error('Connection closed'), { name: 'KafkaJSConnectionClosedError', retriable: true })
    }
    const client = new KafkaProduceClient(kafkaOf(cluster), { ...options, maxAttempts: 3 })
    await client.connect()
    await client.loadTopics(['t'])
    const { error } = await failureOf(client.produce(batch))
    expect(error).to.be.instanceOf(NetworkError)
    expect(cluster.sends).to.equal(3)
    await client.disconnect()
  })

  it('bounds connecting and getting a producer id together by deliveryTimeout', async () => {
    const cluster = new FakeCluster()
    cluster.initProducerId = async () => {
      throw Object.assign(new Error('The coordinator is loading'), { type: 'COORDINATOR_LOAD_IN_PROGRESS', code: 14, retriable: true })
    }
    const client = new KafkaProduceClient(kafkaOf(cluster), { ...options, idempotent: true, acks: -1 })
    const { error, elapsed } = await failureOf(client.connect())
    expect(error).to.be.instanceOf(TimeoutError)
    expect(error.message).to.contain('InitProducerId').and.contain('COORDINATOR_LOAD_IN_PROGRESS')
    expect(elapsed).to.be.within(290, 1000) // the deadline, and room for a loaded machine
    await client.disconnect()
  })
})
