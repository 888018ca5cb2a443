import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as delay } from 'node:timers/promises'
import { expect } from 'chai'
import { KafkaReadable, type ConsumedMessage } from '../../../lib/readable'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, uniqueName, useSharedCluster, withAdmin } from '../cluster'
import { committed, produce } from './helpers'

/** A sink that checks the reader's buffer on every message, acks it, and takes `work` to process it. */
function checkingSink(seen: string[], check: () => void, work: (m: ConsumedMessage<string>) => Promise<void>) {
  return new Writable({
    objectMode: true,
    highWaterMark: 1,
    write(m: ConsumedMessage<string>, _encoding, callback) {
      try {
        check()
      } catch (err) {
        return callback(err as Error)
      }
      seen.push(m.value)
      work(m).then(() => {
        m.ack()
        callback()
      }, callback)
    },
  })
}

describe('KafkaReadable backpressure (integration)', function () {
  this.timeout(180_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))

  async function topicWith(partitions: number, values: string[]): Promise<string> {
    const topic = await suite.topic({ partitions, prefix: 'readable-bp' })
    await produce(cluster, topic, values.map((value, i) => ({ value, partition: i % partitions })))
    return topic
  }

  it('with highWaterMark 10 never buffers more than 10 of 10,000 messages, and delivers and commits them all', async () => {
    const count = 10_000
    const topic = await topicWith(2, Array.from({ length: count }, (_, i) => `v${i}`))
    const groupId = uniqueName('group')
    const reader = new KafkaReadable<string>({
      ...clientOf(cluster),
      groupId,
      topics: topic,
      fromBeginning: true,
      until: 'latest',
      highWaterMark: 10,
      valueDeserializer: 'string',
    })
    let most = 0
    const seen: string[] = []
    const check = () => {
      most = Math.max(most, reader.readableLength)
      expect(reader.readableLength).to.be.at.most(10)
    }
    // every 500th message takes a macrotask, so the reader gets to fill its buffer and must pause
    await pipeline(reader, checkingSink(seen, check, async () => (seen.length % 500 === 0 ? delay(1) : undefined)))
    expect(seen).to.have.length(count)
    expect(new Set(seen).size).to.equal(count)
    expect(most).to.be.at.most(10).and.at.least(5)
    expect(reader.stats().pauses).to.be.greaterThan(0)
    expect(Object.fromEntries(await committed(cluster, groupId, topic))).to.deep.equal({ 0: count / 2, 1: count / 2 })
  })

  it('keeps the buffered bytes within maxBufferedBytes (plus at most one message)', async () => {
    const value = 'x'.repeat(1000)
    const topic = await topicWith(1, Array.from({ length: 2000 }, (_, i) => `${String(i).padStart(4, '0')}${value}`))
    const reader = new KafkaReadable<string>({
      ...clientOf(cluster),
      topic,
      until: 'latest',
      maxBufferedBytes: 10_000,
      valueDeserializer: 'string',
    })
    let most = 0
    const seen: string[] = []
    const check = () => {
      const { bufferedBytes } = reader.stats()
      most = Math.max(most, bufferedBytes)
      expect(bufferedBytes).to.be.at.most(10_000 + 1004)
    }
    await pipeline(reader, checkingSink(seen, check, async () => (seen.length % 100 === 0 ? delay(1) : undefined)))
    expect(seen).to.have.length(2000)
    expect(most).to.be.greaterThan(5000)
    expect(reader.readableLength).to.equal(0)
  })

  it('keeps its group membership while a slow sink holds it longer than the session timeout', async () => {
    const topic = await topicWith(1, Array.from({ length: 50 }, (_, i) => `v${i}`))
    const groupId = uniqueName('group')
    const reader = new KafkaReadable<string>({
      ...clientOf(cluster),
      groupId,
      topics: topic,
      fromBeginning: true,
      until: 'latest',
      highWaterMark: 5,
      sessionTimeout: 6000,
      heartbeatInterval: 1000,
      commitInterval: 0,
      valueDeserializer: 'string',
    })
    const seen: string[] = []
    let members: string[] = []
    // The slow work itself: the 10th message takes 8 s, longer than the 6 s session timeout.
    const work = async (m: ConsumedMessage<string>) => {
      if (m.value !== 'v9') return
      const before = await describeMembers(cluster, groupId)
      await delay(8000)
      const after = await describeMembers(cluster, groupId)
      expect(after).to.deep.equal(before)
      members = after
    }
    await pipeline(reader, checkingSink(seen, () => {}, work))
    expect(members).to.have.length(1)
    expect(seen).to.deep.equal(Array.from({ length: 50 }, (_, i) => `v${i}`)) // nothing came twice: no rejoin
    expect(reader.stats().rebalances).to.equal(1)
    expect((await committed(cluster, groupId, topic)).get(0)).to.equal(50)
  })
})

async function describeMembers(cluster: KafkaCluster, groupId: string): Promise<string[]> {
  const { groups } = await withAdmin(cluster, (admin) => admin.describeGroups([groupId]))
  return groups[0]!.members.map((m) => m.memberId)
}
