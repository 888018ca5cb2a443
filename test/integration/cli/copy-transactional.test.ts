import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { KafkaReadable, KafkaWritable } from '../../../lib'
import { clientOf, uniqueName, withAdmin } from '../cluster'
import { committed } from '../readable/helpers'
import { runCli, startCli, useBuiltCli } from './run-cli'

/** `kafka-pipe copy --transactional-id`: exactly once, checked as a read_committed reader of the target sees it. */
describe('kafka-pipe copy --transactional-id (the built binary, real broker)', function () {
  this.timeout(180_000)
  const { suite, brokers } = useBuiltCli()

  /** A topic of `count` messages keyed k0, k1, ... with values {"n":0}, {"n":1}, ... spread by key. */
  async function topicWith(count: number, partitions = 1): Promise<string> {
    const topic = await suite.topic({ partitions })
    const messages = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ n: i }) }))
    await pipeline(Readable.from(messages), new KafkaWritable({ ...clientOf(suite.cluster), topic }))
    return topic
  }

  /** "partition key value" of every message of `topic` a read_committed reader (the default) sees, sorted. */
  async function readCommitted(topic: string): Promise<string[]> {
    const reader = new KafkaReadable<string, string>({
      ...clientOf(suite.cluster),
      groupId: uniqueName('check'),
      topics: topic,
      fromBeginning: true,
      until: 'latest',
      keyDeserializer: 'string',
      valueDeserializer: 'string',
    })
    const lines: string[] = []
    for await (const m of reader) {
      lines.push(`${m.partition} ${m.key} ${m.value}`)
      m.ack()
    }
    return lines.sort()
  }

  async function expectCommittedToTheEnd(group: string, topic: string): Promise<void> {
    const offsets = await committed(suite.cluster, group, topic)
    for (const end of await withAdmin(suite.cluster, (admin) => admin.fetchTopicOffsets(topic))) {
      expect(offsets.get(end.partition), `partition ${end.partition}`).to.equal(Number(end.high))
    }
  }

  it('copies 3,000 messages of 3 partitions exactly once and commits the group to the source end offsets in the transactions', async () => {
    const from = await topicWith(3_000, 3)
    const to = await suite.topic({ partitions: 3 })
    const group = uniqueName('cli-txn')
    const args = ['copy', '--from-topic', from, '--to-topic', to, '--group', group, '--until', 'latest', '--transactional-id', uniqueName('cli-txn')]
    const result = await runCli([...args, '--transaction-interval', '200'], { brokers: brokers() })
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.match(/read 3000 messages of .*, stored 3000 records in .* \(committed in [1-9]\d* transactions\) in /)
    expect(await readCommitted(to)).to.deep.equal(await readCommitted(from))
    await expectCommittedToTheEnd(group, from)
  })

  it('with --map: drops need no ack, several copies of one message share its ack, and the group commits past all of them', async () => {
    const from = await topicWith(30)
    const to = await suite.topic()
    const group = uniqueName('cli-txn-map')
    const dir = await mkdtemp(join(tmpdir(), 'kafka-pipe-map-'))
    suite.defer(() => rm(dir, { recursive: true }))
    const mapFile = join(dir, 'map.js')
    await writeFile(mapFile, 'module.exports = (m) => m.value.n % 3 === 0 ? null : m.value.n % 3 === 1 ? { value: "one" + m.value.n } : [{ value: "a" + m.value.n }, { value: "b" + m.value.n }]\n')
    const args = ['copy', '--from-topic', from, '--to-topic', to, '--group', group, '--until', 'latest', '--map', mapFile, '--transactional-id', uniqueName('cli-txn-map')]
    const result = await runCli(args, { brokers: brokers() })
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.match(/read 30 messages of .*, stored 30 records in /)
    const expected = Array.from({ length: 30 }, (_, n) => (n % 3 === 0 ? [] : n % 3 === 1 ? [`one${n}`] : [`a${n}`, `b${n}`])).flat()
    expect((await readCommitted(to)).map((line) => line.split(' ')[2])).to.deep.equal(expected.sort())
    expect((await committed(suite.cluster, group, from)).get(0)).to.equal(30)
  })

  it('killed with SIGKILL mid-copy and started again with the same id, the target holds each source message once', async () => {
    const count = 50_000
    const from = await topicWith(count, 3)
    const to = await suite.topic({ partitions: 3 })
    const group = uniqueName('cli-txn-kill')
    const args = ['copy', '--from-topic', from, '--to-topic', to, '--group', group, '--until', 'latest', '--transactional-id', uniqueName('cli-txn-kill'), '--quiet']
    // A read_committed watcher of the target sees a first copy once a transaction committed: the kill comes after
    // that, most likely inside a later transaction, and before the end (checked below).
    const watcher = new KafkaReadable({ ...clientOf(suite.cluster), topic: to, partition: 0, offset: 'earliest' })
    const first = startCli(args, { brokers: brokers() })
    await new Promise((resolve, reject) => watcher.once('data', resolve).once('error', reject))
    first.child.kill('SIGKILL')
    watcher.destroy()
    await once(watcher, 'close')
    expect((await first.result).signal).to.equal('SIGKILL')
    const before = [...(await committed(suite.cluster, group, from)).values()].reduce((sum, o) => sum + Math.max(o, 0), 0)
    expect(before, 'source offsets committed when killed').to.be.within(1, count - 1)
    const second = await runCli(args, { brokers: brokers() })
    expect(second.code, second.stderr).to.equal(0)
    expect(await readCommitted(to)).to.deep.equal(await readCommitted(from))
    await expectCommittedToTheEnd(group, from)
  })

  /** Resolves once a read_committed reader of partition 0 of `topic` sees a message: a transaction committed. */
  async function firstCommittedCopy(topic: string): Promise<void> {
    const watcher = new KafkaReadable({ ...clientOf(suite.cluster), topic, partition: 0, offset: 'earliest' })
    try {
      await new Promise((resolve, reject) => watcher.once('data', resolve).once('error', reject))
    } finally {
      watcher.destroy()
      await once(watcher, 'close')
    }
  }

  it('on SIGINT commits the open transaction and exits 130: the target holds exactly the copies of the committed offsets', async () => {
    const from = await topicWith(20_000)
    const to = await suite.topic()
    const group = uniqueName('cli-txn-sigint')
    const running = startCli(['copy', '--from-topic', from, '--to-topic', to, '--group', group, '--transactional-id', uniqueName('cli-txn-sigint')], { brokers: brokers() })
    await firstCommittedCopy(to)
    running.child.kill('SIGINT')
    const result = await running.result
    expect(result.code, result.stderr).to.equal(130)
    const offset = (await committed(suite.cluster, group, from)).get(0)!
    const copies = (await readCommitted(to)).map((line) => line.split(' ')[1])
    expect(offset).to.be.at.least(1)
    expect(copies.length).to.equal(offset)
    expect(result.stderr).to.match(new RegExp(`read \\d+ messages of .*, stored ${offset} records in `))
    expect(copies).to.deep.equal(Array.from({ length: offset }, (_, i) => `k${i}`).sort())
  })

  it('a second copy with the same id fences the first, which exits 1 at its next write; a third finishes the copy exactly once', async () => {
    const from = await topicWith(2_000, 2)
    const to = await suite.topic({ partitions: 2 })
    const group = uniqueName('cli-txn-fence')
    const args = ['copy', '--from-topic', from, '--to-topic', to, '--group', group, '--transactional-id', uniqueName('cli-txn-fence'), '--quiet']
    const first = startCli(args, { brokers: brokers() })
    try {
      await firstCommittedCopy(to)
      const second = await runCli([...args, '--until', 'latest'], { brokers: brokers() })
      expect(second.code, second.stderr).to.equal(0)
      // The first may have been idle since the second started: fencing shows at its next write, of these.
      await pipeline(
        Readable.from(Array.from({ length: 100 }, (_, i) => ({ key: `k${2_000 + i}`, value: JSON.stringify({ n: 2_000 + i }) }))),
        new KafkaWritable({ ...clientOf(suite.cluster), topic: from }),
      )
      const fenced = await first.result
      expect(fenced.code, fenced.stderr).to.equal(1)
      // Fenced at a write or a commit; or, had it a transaction open when the second joined the group, aborted by the rebalance.
      expect(fenced.stderr).to.match(/^kafka-pipe: .*(fenced this one|rebalanced while the transaction was open)/m)
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL')
    }
    const third = await runCli([...args, '--until', 'latest'], { brokers: brokers() })
    expect(third.code, third.stderr).to.equal(0)
    expect(await readCommitted(to)).to.deep.equal(await readCommitted(from))
    await expectCommittedToTheEnd(group, from)
  })
})
