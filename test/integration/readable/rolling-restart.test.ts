import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs'
import { startKafka, type KafkaCluster } from '../../../lib/testing'
import { createTopics, uniqueName } from '../cluster'
import { readWithKcat } from '../kcat'
import { committed } from './helpers'

const PARTITIONS = 12
/** Messages per produce call; the producer keeps sending, one call per PACE ms, until the restarts are over. */
const CHUNK = 60
const PACE = 50

/** One reader process of the group (rolling-restart-child.ts). */
class Member {
  readonly name: string
  readonly child: ChildProcess
  finished = 0
  readonly errors: string[] = []
  readonly exited: Promise<unknown>
  #waiters: Array<() => void> = []

  constructor(name: string, env: Record<string, string>) {
    this.name = name
    this.child = fork(join(__dirname, 'rolling-restart-child.ts'), {
      execArgv: ['--require', 'tsx/cjs'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    this.exited = once(this.child, 'exit')
    this.child.on('message', (message: { finished?: number; error?: string }) => {
      if (message.finished !== undefined) this.finished = message.finished
      if (message.error !== undefined) this.errors.push(message.error)
      for (const wake of this.#waiters.splice(0)) wake()
    })
  }

  /** Resolves once this member finished `more` messages after now. */
  async progress(more: number, timeoutMs = 90_000): Promise<void> {
    const target = this.finished + more
    const deadline = Date.now() + timeoutMs
    while (this.finished < target) {
      expect(this.errors, `${this.name} failed`).to.deep.equal([])
      if (Date.now() > deadline) throw new Error(`${this.name} finished ${this.finished}, not ${target}, within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve)
        setTimeout(resolve, 1000).unref()
      })
    }
  }

  /** Destroys the reader (a final commit) and waits for the process to end. */
  async stop(): Promise<void> {
    this.child.send('stop')
    await this.exited
  }
}

/** What the sinks finished, from the members' record file: offsets per partition, and values. */
function finishedOffsets(record: string): { offsets: Map<number, Set<number>>; values: Set<string> } {
  const offsets = new Map<number, Set<number>>()
  const values = new Set<string>()
  for (const line of readFileSync(record, 'utf8').split('\n')) {
    if (line === '') continue
    const [partition, offset, value] = line.split(' ') as [string, string, string]
    const p = Number(partition)
    if (!offsets.has(p)) offsets.set(p, new Set())
    offsets.get(p)!.add(Number(offset))
    values.add(value)
  }
  return { offsets, values }
}

/** Polls metadata until every partition of `topic` has all `replicas` in its ISR and a leader. */
async function waitInSync(admin: Admin, topic: string, replicas: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
      const partitions = topics[0]?.partitions ?? []
      if (partitions.length === PARTITIONS && partitions.every((p) => p.leader >= 0 && p.isr.length === replicas)) return
    } catch {
      // a broker on its way down or up: ask again
    }
    if (Date.now() > deadline) throw new Error(`${topic} was not back in sync (ISR ${replicas}) within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** Fails if the group committed an offset whose message no sink finished (commits read first, then the record). */
async function expectCommitsFinished(cluster: KafkaCluster, groupId: string, topic: string, record: string): Promise<void> {
  const commits = await committed(cluster, groupId, topic)
  const { offsets } = finishedOffsets(record)
  for (const [partition, offset] of commits) {
    for (let o = 0; o < offset; o++) expect(offsets.get(partition)?.has(o), `${topic}[${partition}]@${o} committed, never finished`).to.equal(true)
  }
}

describe('KafkaReadable group through a rolling restart (integration, 3 nodes)', function () {
  this.timeout(360_000)
  let cluster: KafkaCluster
  const record = join(tmpdir(), `${uniqueName('kafka-pipe-rolling')}.log`)

  before(async function () {
    cluster = await startKafka({ brokers: 3, useEnvironment: false })
  })
  after(async () => {
    rmSync(record, { force: true })
    await cluster?.stop()
  })

  it('reads every message at least once and never commits past what the sink finished, while brokers restart and members come and go', async () => {
    const topic = uniqueName('rolling-read')
    await createTopics(cluster, [
      { topic, numPartitions: PARTITIONS, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
    ])
    const groupId = uniqueName('group')
    writeFileSync(record, '')
    const kafka = new Kafka({ clientId: 'rolling-read', brokers: cluster.brokers, logLevel: logLevel.NOTHING })
    const admin = kafka.admin()
    await admin.connect()

    // The producer runs through the whole test; what it got acknowledged must reach a sink.
    const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 30, maxRetryTime: 2000 } })
    await producer.connect()
    let producing = true
    let sent = 0
    // The reader is under test, not the producer: the check is against what the partitions hold in the end (read
    // with kcat). A send that fails for good may still have stored its messages; the loop goes on regardless.
    const production = (async () => {
      while (producing) {
        const messages = Array.from({ length: CHUNK }, (_, i) => ({ value: String(sent + i), partition: (sent + i) % PARTITIONS }))
        sent += CHUNK
        await producer.send({ topic, acks: -1, messages }).catch(() => {})
        await new Promise((resolve) => setTimeout(resolve, PACE))
      }
    })()

    const env = { BROKERS: cluster.brokers.join(','), TOPIC: topic, GROUP: groupId, RECORD: record }
    const members = [new Member('a', env), new Member('b', env), new Member('c', env)]
    try {
      await Promise.all(members.map((m) => m.progress(200)))

      for (const node of cluster.nodes) {
        const stopped = node.stop()
        if (node.nodeId === 2) {
          // A member dies with the broker, and another joins, while partitions move.
          members[0]!.child.kill('SIGKILL')
          await members[0]!.exited
          members.push(new Member('d', env))
        }
        await stopped
        node.start()
        await cluster.waitForBrokers(3)
        await waitInSync(admin, topic, 3)
        const live = members.filter((m) => m.child.exitCode === null && m.child.signalCode === null)
        await Promise.all(live.map((m) => m.progress(200)))
        await expectCommitsFinished(cluster, groupId, topic, record)
      }

      producing = false
      await production
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]))
      // Every stored message must come: wait (on the members' progress) until the record holds them all.
      const deadline = Date.now() + 90_000
      const live = members.filter((m) => m.child.exitCode === null && m.child.signalCode === null)
      for (;;) {
        const { offsets } = finishedOffsets(record)
        const behind = [...ends].filter(([p, end]) => (offsets.get(p)?.size ?? 0) < end)
        if (behind.length === 0) break
        if (Date.now() > deadline) throw new Error(`partitions ${behind.map(([p]) => p).join(', ')} were never fully read`)
        await Promise.race(live.map((m) => m.progress(1, 10_000).catch(() => {})))
      }
      for (const m of live) await m.stop()
      for (const m of members) expect(m.errors, `member ${m.name} errored out`).to.deep.equal([])

      const finished = finishedOffsets(record)
      const stored = new Set((await readWithKcat(cluster, topic)).map((r) => String(r.value)))
      expect(
        [...stored].filter((v) => !finished.values.has(v)),
        'stored, never reached a sink',
      ).to.deep.equal([])
      await expectCommitsFinished(cluster, groupId, topic, record)
      const commits = await committed(cluster, groupId, topic)
      for (const [partition, end] of ends) {
        const offset = commits.get(partition) ?? -1
        // Members stop one after another, and each leaving starts a rebalance: the next member's final commit can
        // meet it and fail after kafkajs' retries (seen once in 6 CI runs, on Node 24). That member then stops
        // cleanly without committing its last acks, which the group reads again (at-least-once); so the end is
        // an upper bound here, and expectCommitsFinished above holds the property that matters.
        expect(offset, `${topic}[${partition}] committed`).to.be.at.most(end)
      }
    } finally {
      producing = false
      await production.catch(() => {})
      for (const m of members) if (m.child.exitCode === null && m.child.signalCode === null) m.child.kill('SIGKILL')
      await producer.disconnect()
      await admin.disconnect()
    }
  })
})
