import { fork } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { KafkaReadable } from '../../../lib/readable'
import { clientOf, uniqueName, useSharedCluster } from '../cluster'
import { committed, numbered, produce } from './helpers'

const COUNT = 20_000
const PARTITIONS = 4

/** The offsets the sink finished, per partition. */
function finishedOffsets(record: string): Map<number, Set<number>> {
  const result = new Map<number, Set<number>>()
  for (const line of readFileSync(record, 'utf8').split('\n')) {
    if (line === '') continue
    const [partition, offset] = line.split(' ').map(Number) as [number, number]
    if (!result.has(partition)) result.set(partition, new Set())
    result.get(partition)!.add(offset)
  }
  return result
}

describe('KafkaReadable after a crash (integration)', function () {
  this.timeout(180_000)
  const suite = useSharedCluster()
  const record = join(tmpdir(), `${uniqueName('kafka-pipe-crash')}.log`)
  after(() => rmSync(record, { force: true }))

  it('never committed past what the sink finished when SIGKILLed mid-stream, and a new reader finishes the rest', async () => {
    const { cluster } = suite
    const topic = await suite.topic({ partitions: PARTITIONS, prefix: 'readable-crash' })
    await produce(cluster, topic, numbered(COUNT, PARTITIONS))
    const groupId = uniqueName('group')
    writeFileSync(record, '')

    const child = fork(join(__dirname, 'crash-child.ts'), {
      execArgv: ['--require', 'tsx/cjs'],
      env: { ...process.env, BROKERS: cluster.brokers.join(','), TOPIC: topic, GROUP: groupId, RECORD: record },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const exited = once(child, 'exit')
    // kill it mid-stream, once a quarter is done and some commits have surely gone out
    for (;;) {
      const [message] = (await Promise.race([once(child, 'message'), exited.then(() => [{ finished: -1 }])])) as [{ finished: number }]
      if (message.finished < 0) throw new Error('the child exited before it was killed')
      if (message.finished >= COUNT / 4) break
    }
    child.kill('SIGKILL')
    const [, signal] = await exited
    expect(signal).to.equal('SIGKILL')

    const finished = finishedOffsets(record)
    const afterCrash = await committed(cluster, groupId, topic)
    let committedTotal = 0
    for (const [partition, offset] of afterCrash) {
      if (offset < 0) continue
      committedTotal += offset
      for (let o = 0; o < offset; o++) expect(finished.get(partition)?.has(o), `${topic}[${partition}]@${o} committed, never finished`).to.equal(true)
    }
    expect(committedTotal).to.be.greaterThan(0)
    expect(committedTotal).to.be.lessThan(COUNT)

    const reader = new KafkaReadable({ ...clientOf(cluster), groupId, topics: topic, fromBeginning: true, until: 'latest' })
    for await (const m of reader) {
      finished.get(m.partition)?.add(Number(m.offset)) ?? finished.set(m.partition, new Set([Number(m.offset)]))
      m.ack()
    }
    for (let p = 0; p < PARTITIONS; p++) expect(finished.get(p)?.size, `partition ${p}`).to.equal(COUNT / PARTITIONS)
    expect(Object.fromEntries(await committed(cluster, groupId, topic))).to.deep.equal({ 0: 5000, 1: 5000, 2: 5000, 3: 5000 })
  })
})
