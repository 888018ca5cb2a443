import { fork } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { expect } from 'chai'
import { KafkaReadable } from '../../../lib'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, uniqueName, useSharedCluster } from '../cluster'
import { numberedTopic } from '../readable/helpers'

const COUNT = Number(process.env.EOS_COUNT ?? 100_000)
const PARTITIONS = 4
const KILLS = 3

/**
 * Runs the copy child until it finishes, SIGKILLing it KILLS times, each after a random number of further messages
 * copied (reported over IPC), and starting it again. Returns the copy's wall time.
 */
async function copyWithKills(cluster: KafkaCluster, env: Record<string, string>): Promise<void> {
  for (let run = 0; ; run++) {
    const child = fork(join(__dirname, 'copy-child.ts'), {
      execArgv: ['--require', 'tsx/cjs'],
      env: { ...process.env, BROKERS: cluster.brokers.join(','), ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>
    if (run < KILLS) {
      // somewhere in the next 2% to 12% of the source
      const killAfter = Math.floor(COUNT * (0.02 + Math.random() * 0.1))
      let done = false
      child.on('message', (m: { copied: number }) => {
        if (!done && m.copied >= killAfter) {
          done = true
          child.kill('SIGKILL')
        }
      })
    }
    const [code, signal] = await exited
    if (signal === 'SIGKILL') continue
    expect(code, `run ${run} of the copy`).to.equal(0)
    return
  }
}

/** The target as a read_committed reader sees it: per target partition, the source "partition:offset" of each message. */
async function readTarget(cluster: KafkaCluster, topic: string): Promise<Map<number, Array<{ partition: number; offset: number }>>> {
  const reader = new KafkaReadable<string>({ ...clientOf(cluster), groupId: uniqueName('check'), topics: topic, fromBeginning: true, until: 'latest', valueDeserializer: 'string' })
  const result = new Map<number, Array<{ partition: number; offset: number }>>()
  for await (const m of reader) {
    const [partition, offset] = m.value.split(':').map(Number) as [number, number]
    let list = result.get(m.partition)
    if (!list) result.set(m.partition, (list = []))
    list.push({ partition, offset })
    m.ack()
  }
  return result
}

/** How many source messages the target holds more than once, after checking that each is there and in order. */
function duplicatesIn(target: Map<number, Array<{ partition: number; offset: number }>>): number {
  const seen = new Map<string, number>()
  for (const list of target.values()) for (const { partition, offset } of list) seen.set(`${partition}:${offset}`, (seen.get(`${partition}:${offset}`) ?? 0) + 1)
  for (let p = 0; p < PARTITIONS; p++) for (let o = 0; o < COUNT / PARTITIONS; o++) expect(seen.has(`${p}:${o}`), `source ${p}:${o} copied`).to.equal(true)
  return [...seen.values()].reduce((n, c) => n + c - 1, 0)
}

describe('exactly-once copy through SIGKILLs (integration)', function () {
  this.timeout(600_000)
  const suite = useSharedCluster()
  let source: string
  before(async function () {
    this.timeout(300_000)
    source = await numberedTopic(suite, PARTITIONS, COUNT, 'eos-source')
  })

  it(`with transactions: the target holds each of ${COUNT} source messages exactly once, in per-partition order`, async () => {
    const { cluster } = suite
    const target = await suite.topic({ partitions: 3, prefix: 'eos-target' })
    const started = Date.now()
    await copyWithKills(cluster, { SOURCE: source, TARGET: target, GROUP: uniqueName('eos'), TXN: uniqueName('eos') })
    console.log(`      transactional copy with ${KILLS} SIGKILLs: ${((Date.now() - started) / 1000).toFixed(1)} s`)
    const copied = await readTarget(cluster, target)
    expect(duplicatesIn(copied)).to.equal(0)
    expect([...copied.values()].reduce((n, l) => n + l.length, 0)).to.equal(COUNT)
    // per target partition, the messages of each source partition in source order
    for (const list of copied.values()) {
      const last = new Map<number, number>()
      for (const { partition, offset } of list) {
        expect(offset, `source partition ${partition}`).to.be.greaterThan(last.get(partition) ?? -1)
        last.set(partition, offset)
      }
    }
  })

  it('without transactions (the control): the same run leaves duplicates', async () => {
    const { cluster } = suite
    const target = await suite.topic({ partitions: 3, prefix: 'alo-target' })
    const started = Date.now()
    await copyWithKills(cluster, { SOURCE: source, TARGET: target, GROUP: uniqueName('alo'), TXN: '' })
    console.log(`      at-least-once copy with ${KILLS} SIGKILLs: ${((Date.now() - started) / 1000).toFixed(1)} s`)
    const duplicates = duplicatesIn(await readTarget(cluster, target))
    console.log(`      duplicates: ${duplicates}`)
    expect(duplicates).to.be.greaterThan(0)
  })
})
