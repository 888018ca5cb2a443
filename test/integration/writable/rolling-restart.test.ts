import { once } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { logLevel, type Admin } from 'kafkajs'
import { ConnectionError, DeliveryError, KafkaWritable, Murmur2Balancer, TimeoutError, type Message } from '../../../lib'
import { startKafka, type KafkaCluster } from '../../../lib/testing'
import { clientOf, createTopics, uniqueName } from '../cluster'
import { readWithKcat, type KcatRecord } from '../kcat'
import { waitForInSync, waitForLeadersOff, waitForPartitions, watchAdmin } from './replicas'

const PARTITIONS = 12
const KEYS = 5000

/**
 * Messages `{ key: k<i % KEYS>, value: i }`, at most `perTick` every `tickMs` while `fault` is under way (so data
 * flows through the whole fault, however long it takes), the last `holdBack` only once it is over, then at full
 * speed. The pace is a rate limit on the source, not a wait for something to happen.
 */
function pacedSource(total: number, fault: Promise<unknown>, options: { perTick: number; tickMs: number; holdBack: number; at?: Map<number, () => Promise<void>> }): Readable {
  let over = false
  const settled = fault.then(
    () => (over = true),
    () => (over = true),
  )
  return Readable.from(
    (async function* () {
      for (let i = 0; i < total; i++) {
        await options.at?.get(i)?.()
        if (!over && i >= total - options.holdBack) await settled
        if (!over && i % options.perTick === 0) await new Promise((resolve) => setTimeout(resolve, options.tickMs))
        yield { key: `k${i % KEYS}`, value: String(i) }
      }
    })(),
  )
}

/** Every value 0..total-1 stored once, each on its key's Murmur2 partition, in order per key. */
function expectExactlyOnceInOrder(records: readonly KcatRecord[], total: number): void {
  const partitions = Array.from({ length: PARTITIONS }, (_, i) => i)
  const balancer = new Murmur2Balancer()
  const seen = new Uint8Array(total)
  const lastOfKey = new Map<string, number>()
  const duplicates: number[] = []
  const misplaced: string[] = []
  const reordered: string[] = []
  for (const r of records) {
    const i = Number(r.value)
    if (seen[i]) duplicates.push(i)
    seen[i] = 1
    const expected = balancer.balance({ key: r.key, value: null } as Message, partitions)
    if (r.partition !== expected) misplaced.push(`${r.value} on ${r.partition}, not ${expected}`)
    const previous = lastOfKey.get(r.key)
    if (previous !== undefined && previous > i) reordered.push(`${r.key}: ${previous} before ${i}`)
    lastOfKey.set(r.key, i)
  }
  const missing = [...seen.keys()].filter((i) => seen[i] === 0)
  expect(missing.slice(0, 20), `${missing.length} message(s) acknowledged but not stored`).to.deep.equal([])
  expect(duplicates.slice(0, 20), `${duplicates.length} message(s) stored twice`).to.deep.equal([])
  expect(misplaced.slice(0, 20), 'messages on another partition than Murmur2 chooses').to.deep.equal([])
  expect(reordered.slice(0, 20), 'messages out of order within their key').to.deep.equal([])
  expect(records).to.have.length(total)
}

async function replicatedTopic(cluster: KafkaCluster, prefix: string): Promise<string> {
  const topic = uniqueName(prefix)
  await createTopics(cluster, [
    { topic, numPartitions: PARTITIONS, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
  ])
  return topic
}

describe('KafkaWritable rides through broker restarts with its default options (integration, 3 nodes)', function () {
  this.timeout(300_000)
  let cluster: KafkaCluster
  let admin: Admin

  before(async function () {
    cluster = await startKafka({ brokers: 3, useEnvironment: false })
    admin = await watchAdmin(cluster)
  })

  after(async () => {
    await admin?.disconnect()
    await cluster?.stop()
  })

  it('stores 200,000 keyed messages exactly once, in order per key, while every broker restarts in turn', async () => {
    const topic = await replicatedTopic(cluster, 'rolling')
    const total = 200_000
    const rolling = (async () => {
      for (const nodeId of [1, 2, 3]) {
        await cluster.node(nodeId).stop()
        await waitForLeadersOff(admin, topic, nodeId)
        cluster.node(nodeId).start()
        await waitForInSync(admin, topic, 3)
      }
    })()
    const writer = new KafkaWritable({ ...clientOf(cluster), topic })
    await Promise.all([pipeline(pacedSource(total, rolling, { perTick: 100, tickMs: 40, holdBack: 10_000 }), writer), rolling])

    expectExactlyOnceInOrder(await readWithKcat(cluster, topic), total)
  })

  it('stores every message exactly once when a broker crashes and stays down for 30 s mid-stream', async () => {
    const topic = await replicatedTopic(cluster, 'outage')
    const total = 100_000
    let crash!: () => void
    const crashed = new Promise<void>((resolve) => (crash = resolve))
    const outage = (async () => {
      await crashed
      await cluster.node(2).kill()
      await new Promise((resolve) => setTimeout(resolve, 30_000)) // the outage itself lasts 30 s
      cluster.node(2).start()
      await waitForInSync(admin, topic, 3)
    })()
    const at = new Map([[10_000, async () => crash()]])
    const writer = new KafkaWritable({ ...clientOf(cluster), topic })
    await Promise.all([pipeline(pacedSource(total, outage, { perTick: 100, tickMs: 40, holdBack: 5000, at }), writer), outage])

    expectExactlyOnceInOrder(await readWithKcat(cluster, topic), total)
  })

  it('past deliveryTimeout, fails with a retriable DeliveryError naming exactly the batches of the partitions whose only replica is down', async () => {
    const topic = uniqueName('deadline')
    await createTopics(cluster, [{ topic, numPartitions: 6, replicationFactor: 1 }])
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
    const leaders = new Map(topics[0]!.partitions.map((p) => [p.partitionId, p.leader]))
    const victim = leaders.get(0)!
    const dead = [...leaders].filter(([, leader]) => leader === victim).map(([partition]) => partition)
    const live = [...leaders].filter(([, leader]) => leader !== victim).map(([partition]) => partition)
    expect(live, 'partitions on other brokers').to.not.be.empty

    const deliveryTimeout = 3000
    const writer = new KafkaWritable({ ...clientOf(cluster), topic, deliveryTimeout })
    // Connected, producer id and topic known: what follows measures the deadline alone.
    await new Promise<void>((resolve, reject) => writer.write({ partition: live[0]!, value: 'first' }, (err) => (err ? reject(err) : resolve())))
    await cluster.node(victim).kill()

    const startedAt = Date.now()
    const failed = once(writer, 'error')
    writer.cork()
    for (let i = 0; i < 600; i++) writer.write({ partition: i % 6, value: `m${i}` }, () => {})
    writer.uncork()
    const [error] = (await failed) as [DeliveryError]
    const elapsed = Date.now() - startedAt

    expect(error).to.be.instanceOf(DeliveryError)
    expect(error.retriable).to.equal(true)
    // Not before the deadline; after it, room for a loaded CI machine, far below kafkajs' retries or the 2-minute default.
    expect(elapsed, 'time to the error, ms').to.be.within(deliveryTimeout - 100, deliveryTimeout + 3000)
    expect(error.failures.map((f) => f.partition).sort()).to.deep.equal([...dead].sort())
    for (const failure of error.failures) {
      expect(failure.error).to.be.instanceOf(TimeoutError)
      expect(failure.error.message).to.contain('deliveryTimeout (3000 ms')
      expect(failure.messages.map((m) => (m as Message).value)).to.deep.equal(
        Array.from({ length: 100 }, (_, k) => `m${k * 6 + failure.partition}`),
      )
    }

    cluster.node(victim).start()
    await waitForPartitions(admin, topic, 'every partition led again', (p) => p.leader >= 0)
    const stored = await readWithKcat(cluster, topic)
    for (const partition of dead) expect(stored.filter((r) => r.partition === partition), `partition ${partition}`).to.deep.equal([])
    for (const partition of live) {
      const expected = Array.from({ length: 100 }, (_, k) => `m${k * 6 + partition}`)
      if (partition === live[0]) expected.unshift('first')
      expect(stored.filter((r) => r.partition === partition).map((r) => r.value), `partition ${partition}`).to.deep.equal(expected)
    }
  })
})

describe('KafkaWritable with brokers it cannot use (integration)', function () {
  this.timeout(30_000)
  const sockets = new Set<Socket>()
  let server: Server | undefined

  afterEach(async () => {
    for (const socket of sockets) socket.destroy()
    sockets.clear()
    if (server) await new Promise((resolve) => server!.close(resolve))
    server = undefined
  })

  /** The error of writing one message to `brokers`, and how long it took. */
  async function firstError(brokers: string[], options: { connectionTimeout: number; requestTimeout: number; deliveryTimeout: number }): Promise<{ error: Error; elapsed: number }> {
    const startedAt = Date.now()
    const writer = new KafkaWritable({ brokers, topic: 'anything', logLevel: logLevel.NOTHING, ...options })
    const [error] = (await Promise.all([once(writer, 'error'), new Promise((resolve) => writer.write({ value: 'x' }, resolve))]))[0] as [Error]
    return { error, elapsed: Date.now() - startedAt }
  }

  it('fails with a retriable ConnectionError within deliveryTimeout when every broker refuses the connection', async () => {
    server = createServer()
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as { port: number }
    await new Promise((resolve) => server!.close(resolve))
    server = undefined

    const { error, elapsed } = await firstError([`127.0.0.1:${port}`], { connectionTimeout: 500, requestTimeout: 1000, deliveryTimeout: 2000 })
    expect(error).to.be.instanceOf(ConnectionError)
    expect(error.message).to.contain(`127.0.0.1:${port}`)
    expect((error as ConnectionError).retriable).to.equal(true)
    expect((error as ConnectionError).cause).to.be.instanceOf(TimeoutError)
    expect(elapsed, 'time to the error, ms').to.be.within(1900, 5000) // deliveryTimeout, and room for a loaded machine
  })

  it('fails with a ConnectionError within deliveryTimeout when the broker accepts connections and never answers', async () => {
    server = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => {})
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as { port: number }

    const { error, elapsed } = await firstError([`127.0.0.1:${port}`], { connectionTimeout: 500, requestTimeout: 1000, deliveryTimeout: 2500 })
    expect(error).to.be.instanceOf(ConnectionError)
    expect((error as ConnectionError).cause).to.be.instanceOf(TimeoutError)
    expect(sockets.size, 'connections the fake endpoint accepted').to.be.greaterThan(0)
    expect(elapsed, 'time to the error, ms').to.be.within(2400, 5500) // deliveryTimeout, and room for a loaded machine
  })
})
