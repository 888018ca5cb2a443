import { once } from 'node:events'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { FencedError, KafkaReadable, KafkaWritable, TransactionError, type ConsumedMessage, type Message, type TransactionReport } from '../../../lib'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, uniqueName, useSharedCluster } from '../cluster'
import { committed, numberedTopic } from '../readable/helpers'

/** Everything in `topic` as a read_committed (default) or read_uncommitted group reader sees it, until the end. */
async function readAll(cluster: KafkaCluster, topic: string, isolationLevel: 'read_committed' | 'read_uncommitted' = 'read_committed'): Promise<string[]> {
  const reader = new KafkaReadable<string, string>({
    ...clientOf(cluster),
    groupId: uniqueName('check'),
    topics: topic,
    fromBeginning: true,
    until: 'latest',
    isolationLevel,
    valueDeserializer: 'string',
  })
  const values: string[] = []
  for await (const m of reader) {
    values.push(m.value)
    m.ack()
  }
  return values
}

function writer(cluster: KafkaCluster, topic: string, transactionalId: string, extra: Record<string, unknown> = {}): KafkaWritable {
  return new KafkaWritable({ ...clientOf(cluster), topic, transactionalId, deliveryTimeout: 30_000, ...extra })
}

async function write(w: KafkaWritable, values: string[]): Promise<void> {
  await Promise.all(values.map((value) => new Promise<void>((resolve, reject) => w.write({ value }, (err) => (err ? reject(err) : resolve())))))
}

describe('KafkaWritable with transactionalId (integration)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()

  it('makes a committed transaction visible to read_committed readers and an aborted one not', async () => {
    const { cluster } = suite
    const topic = await suite.topic({ partitions: 2, prefix: 'txn' })
    const id = uniqueName('txn')
    // Written, then the writer is destroyed mid-transaction: the transaction is aborted.
    const aborted = writer(cluster, topic, id, { transactionInterval: 60_000 })
    await write(aborted, ['a1', 'a2', 'a3'])
    aborted.destroy()
    await once(aborted, 'close')
    const committedWriter = writer(cluster, topic, id)
    const commits: TransactionReport[] = []
    committedWriter.on('commit', (r: TransactionReport) => commits.push(r))
    await write(committedWriter, ['c1', 'c2'])
    committedWriter.end()
    await once(committedWriter, 'finish')
    expect(commits.reduce((n, c) => n + c.messages, 0)).to.equal(2)
    expect((await readAll(cluster, topic)).sort()).to.deep.equal(['c1', 'c2'])
    expect((await readAll(cluster, topic, 'read_uncommitted')).sort()).to.deep.equal(['a1', 'a2', 'a3', 'c1', 'c2'])
  })

  it('is fenced by a second writer with the same transactionalId: FencedError, and nothing more written', async () => {
    const { cluster } = suite
    const topic = await suite.topic({ partitions: 1, prefix: 'txn-fence' })
    const id = uniqueName('txn')
    const first = writer(cluster, topic, id)
    await write(first, ['first-1'])
    await new Promise((resolve) => first.once('commit', resolve))
    const second = writer(cluster, topic, id)
    await write(second, ['second-1'])
    const failed = once(first, 'error')
    first.write({ value: 'first-2' }, () => {})
    const [error] = (await failed) as [Error]
    expect(error).to.be.instanceOf(FencedError)
    expect((error as FencedError).code).to.equal('ERR_KAFKA_PIPE_FENCED')
    expect(error.message).to.match(new RegExp(`transactionalId "${id}" started and fenced this one`))
    second.end()
    await once(second, 'finish')
    expect(await readAll(cluster, topic, 'read_uncommitted')).to.deep.equal(['first-1', 'second-1'])
  })

  it('copies a topic exactly once, committing the source offsets in the transactions', async () => {
    const { cluster } = suite
    const source = await numberedTopic(suite, 3, 3000, 'txn-source')
    const target = await suite.topic({ partitions: 2, prefix: 'txn-target' })
    const id = uniqueName('copy')
    const groupId = uniqueName('copy')
    const reader = new KafkaReadable<string, string>({
      ...clientOf(cluster),
      groupId,
      topics: source,
      fromBeginning: true,
      until: 'latest',
      transactionalId: id,
      keyDeserializer: 'string',
      valueDeserializer: 'string',
    })
    const map = new Transform({
      objectMode: true,
      transform(m: ConsumedMessage<string, string>, _encoding, callback) {
        // every tenth message is filtered out: its offset commits with the next one of its partition
        if (Number(m.offset) % 10 === 5) return callback()
        callback(null, { key: m.key, value: m.value.toUpperCase(), ack: m.ack } satisfies Message)
      },
    })
    const w = writer(cluster, target, id, { transactionSize: 500, highWaterMark: 200 })
    let transactions = 0
    w.on('commit', () => transactions++)
    await pipeline(reader, map, w)
    expect(transactions).to.be.greaterThan(1)
    const copied = await readAll(cluster, target)
    expect(copied.length).to.equal(2700)
    expect(new Set(copied).size).to.equal(2700)
    // EndTxn returns once the commit is decided; the offsets show once the coordinator wrote its markers, soon after.
    const deadline = Date.now() + 10_000
    let offsets = Object.fromEntries(await committed(cluster, groupId, source))
    while (offsets[0] !== 1000 || offsets[1] !== 1000 || offsets[2] !== 1000) {
      if (Date.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 100))
      offsets = Object.fromEntries(await committed(cluster, groupId, source))
    }
    expect(offsets).to.deep.equal({ 0: 1000, 1: 1000, 2: 1000 })
  })

  it('refuses a message acked by a reader that commits its own offsets', async () => {
    const { cluster } = suite
    const topic = await suite.topic({ partitions: 1, prefix: 'txn-pairing' })
    const w = writer(cluster, topic, uniqueName('txn'))
    const failed = once(w, 'error')
    w.write({ value: 'x', ack: () => {} })
    const [error] = (await failed) as [Error]
    expect(error).to.be.instanceOf(TransactionError)
    expect(error.message).to.match(/ack is not from a transactional KafkaReadable.*Give the KafkaReadable transactionalId/)
  })
})
