import { once } from 'node:events'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { KafkaReadable, KafkaWritable, type AbortReport, type ConsumedMessage, type Message } from '../../../lib'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, kafkaFor, uniqueName, useSharedCluster } from '../cluster'
import { committed, numberedTopic } from '../readable/helpers'

const PER_PARTITION = 1000
const PARTITIONS = 3
const TOTAL = PER_PARTITION * PARTITIONS

/** Everything in `topic` as a read_committed reader sees it, until the end. */
async function readCommitted(cluster: KafkaCluster, topic: string): Promise<string[]> {
  const reader = new KafkaReadable<string, string>({ ...clientOf(cluster), groupId: uniqueName('check'), topics: topic, fromBeginning: true, until: 'latest', valueDeserializer: 'string' })
  const values: string[] = []
  for await (const m of reader) {
    values.push(m.value)
    m.ack()
  }
  return values
}

/** The group's committed offsets once they reach the partition ends (the coordinator writes them shortly after EndTxn). */
async function committedOffsets(cluster: KafkaCluster, groupId: string, topic: string): Promise<Record<number, number>> {
  const deadline = Date.now() + 10_000
  let offsets = Object.fromEntries(await committed(cluster, groupId, topic)) as Record<number, number>
  while (Object.values(offsets).some((o) => o !== PER_PARTITION) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    offsets = Object.fromEntries(await committed(cluster, groupId, topic)) as Record<number, number>
  }
  return offsets
}

/** Every value of the source, each once, in the shape the copy writes them. */
function expectedValues(): string[] {
  const values: string[] = []
  for (let i = 0; i < TOTAL; i++) values.push(`copied v${i}`)
  return values.sort()
}

describe('exactly-once copy: a transaction open over a rebalance is retried in the same process (integration)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()

  function copy(cluster: KafkaCluster, source: string, target: string, id: string, groupId: string, writerOptions: Record<string, unknown>) {
    const reader = new KafkaReadable<string, string>({
      ...clientOf(cluster),
      groupId,
      topics: source,
      fromBeginning: true,
      until: 'latest',
      transactionalId: id,
      highWaterMark: 100,
      // Rebalances are found by the heartbeats a reader sends while it waits for room.
      heartbeatInterval: 500,
      keyDeserializer: 'string',
      valueDeserializer: 'string',
    })
    const writer = new KafkaWritable({ ...clientOf(cluster), topic: target, transactionalId: id, highWaterMark: 100, ...writerOptions })
    const aborts: AbortReport[] = []
    writer.on('abort', (report: AbortReport) => aborts.push(report))
    return { reader, writer, aborts }
  }

  it('retries a transaction whose source group rebalanced while it was open (a member joined and left): every message once', async () => {
    const { cluster } = suite
    const source = await numberedTopic(suite, PARTITIONS, TOTAL, 'rebalance-source')
    const target = await suite.topic({ partitions: 2, prefix: 'rebalance-target' })
    const id = uniqueName('rebalance')
    const groupId = uniqueName('rebalance')
    // The transaction stays open over the rebalance: it is cut by size only, after the member came and went.
    const { reader, writer, aborts } = copy(cluster, source, target, id, groupId, { transactionSize: 1500, transactionInterval: 60_000 })
    let seen = 0
    let intruded = false
    const map = new Transform({
      objectMode: true,
      async transform(m: ConsumedMessage<string, string>, _encoding, callback) {
        if (++seen === 1000 && !intruded) {
          intruded = true
          // Another member joins the group (it takes partitions and commits nothing), then leaves.
          const member = kafkaFor(cluster, 'intruder').consumer({ groupId, maxWaitTimeInMs: 100 })
          // A raw kafkajs consumer disconnected while kafkajs handles a crash restarts later (see the CRASH handler of
          // KafkaReadable): stop() clears the timer kafkajs arms after this event.
          let left = false
          member.on(member.events.CRASH, ({ payload }) => {
            if (left && payload.restart) setImmediate(() => void member.stop().catch(() => {}))
          })
          await member.connect()
          await member.subscribe({ topics: [source] })
          const shared = once(reader, 'assignment')
          await member.run({ autoCommit: false, eachBatch: async () => {} })
          await shared
          // Held here until the reader has all partitions back: with `until`, a reader whose partitions all reached
          // their ends ends, and one left with partition 1 alone would end before the group gives it the others back.
          const whole = new Promise<void>((resolve) => {
            const check = (assignment: Array<{ partitions: number[] }>) => {
              if (assignment.reduce((n, a) => n + a.partitions.length, 0) !== PARTITIONS) return
              reader.off('assignment', check)
              resolve()
            }
            reader.on('assignment', check)
          })
          left = true
          await member.disconnect()
          await whole
        }
        callback(null, { key: m.key, value: `copied ${m.value}`, ack: m.ack } satisfies Message)
      },
    })
    await pipeline(reader, map, writer)
    expect(intruded).to.equal(true)
    expect(aborts.length).to.be.at.least(1)
    expect(aborts[0]!.error.message).to.match(/rebalanced while the transaction was open/)
    expect(aborts[0]!.retry).to.equal(0)
    const copied = await readCommitted(cluster, target)
    expect(copied.length).to.equal(TOTAL)
    expect(copied.sort()).to.deep.equal(expectedValues())
    expect(await committedOffsets(cluster, groupId, source)).to.deep.equal({ 0: PER_PARTITION, 1: PER_PARTITION, 2: PER_PARTITION })
  })
})
