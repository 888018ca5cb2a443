import { EventEmitter, once } from 'node:events'
import { expect } from 'chai'
import { KafkaReadable, type Assignment } from '../../../lib/readable'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, uniqueName, useSharedCluster } from '../cluster'
import { committed, numbered, produce, take } from './helpers'
import type { ConsumedMessage } from '../../../lib/readable'

describe('KafkaReadable rebalances (integration)', function () {
  this.timeout(180_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))

  it('two readers split the partitions; when one leaves the other takes over without losing or moving commits back', async () => {
    const topic = await suite.topic({ partitions: 4, prefix: 'readable-rebalance' })
    const groupId = uniqueName('group')
    const changed = new EventEmitter()
    const seen = new Set<string>()
    const commits: Array<{ reader: string; partition: number; offset: number }> = []
    const owned = new Map<string, number>()
    const waitUntil = async (condition: () => boolean) => {
      while (!condition()) await once(changed, 'change')
    }

    const start = (name: string) => {
      const reader = new KafkaReadable<string>({
        ...clientOf(cluster),
        groupId,
        topics: topic,
        fromBeginning: true,
        heartbeatInterval: 500,
        sessionTimeout: 10_000,
        commitInterval: 0,
        highWaterMark: 10,
        valueDeserializer: 'string',
      })
      reader.on('assignment', (assignment: Assignment[]) => {
        owned.set(name, assignment.reduce((n, a) => n + a.partitions.length, 0))
        changed.emit('change')
      })
      reader.on('commit', (offsets: Array<{ partition: number; offset: string }>) => {
        for (const { partition, offset } of offsets) commits.push({ reader: name, partition, offset: Number(offset) })
      })
      const done = (async () => {
        for await (const m of reader) {
          seen.add(m.value)
          m.ack()
          changed.emit('change')
        }
      })().catch((err: Error & { code?: string }) => {
        // destroy() ends the loop with a premature close
        if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err
      })
      return { reader, done }
    }

    await produce(cluster, topic, numbered(400, 4))
    const a = start('a')
    await waitUntil(() => seen.size === 400)
    const b = start('b')
    await waitUntil(() => owned.get('a') === 2 && owned.get('b') === 2)
    await produce(cluster, topic, numbered(400, 4, 400))
    await waitUntil(() => seen.size === 800)

    a.reader.destroy()
    await a.done
    await waitUntil(() => owned.get('b') === 4)
    await produce(cluster, topic, numbered(400, 4, 800))
    await waitUntil(() => seen.size === 1200)
    await b.reader.commit()
    b.reader.destroy()
    await b.done

    expect(seen.size).to.equal(1200)
    expect(new Set(commits.map((c) => c.reader))).to.deep.equal(new Set(['a', 'b']))
    for (const partition of [0, 1, 2, 3]) {
      const offsets = commits.filter((c) => c.partition === partition).map((c) => c.offset)
      expect(offsets, `commits of partition ${partition}`).to.deep.equal([...offsets].sort((x, y) => x - y))
    }
    expect(Object.fromEntries(await committed(cluster, groupId, topic))).to.deep.equal({ 0: 300, 1: 300, 2: 300, 3: 300 })
  })

  it('drops acks of messages read before their partition went to another reader', async () => {
    const topic = await suite.topic({ partitions: 4, prefix: 'readable-stale' })
    await produce(cluster, topic, numbered(40, 4))
    const groupId = uniqueName('group')
    const options = { ...clientOf(cluster), groupId, topics: topic, fromBeginning: true, heartbeatInterval: 500, commitInterval: 0 }
    const a = new KafkaReadable(options)
    const held = await take<ConsumedMessage>(a, 40)
    const aRejoined = once(a, 'assignment')
    const b = new KafkaReadable(options)
    const bAssigned = once(b, 'assignment') as Promise<[Assignment[]]>
    b.resume() // reads and drops, acking nothing
    const [[bAssignment]] = await Promise.all([bAssigned, aRejoined])
    const taken = bAssignment.flatMap((x) => x.partitions)
    expect(taken).to.have.length(2)

    for (const m of held) m.ack()
    await a.commit()
    const offsets = await committed(cluster, groupId, topic)
    for (const partition of taken) expect(offsets.get(partition), `partition ${partition}, now b's`).to.equal(-1)
    a.destroy()
    b.destroy()
    await Promise.all([once(a, 'close'), once(b, 'close')])
  })
})
