import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { KafkaReadable, KafkaWritable } from '../../../lib'
import { clientOf, uniqueName, withAdmin } from '../cluster'
import { committed } from '../readable/helpers'
import { readWithKcat } from '../kcat'
import { runCli, startCli, useBuiltCli } from './run-cli'

describe('kafka-pipe copy (the built binary, real broker)', function () {
  this.timeout(180_000)
  const { suite, brokers } = useBuiltCli()

  async function topicWith(count: number, partitions = 1): Promise<string> {
    const topic = await suite.topic({ partitions })
    const messages = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ n: i }), headers: { h: `v${i}` } }))
    await pipeline(Readable.from(messages), new KafkaWritable({ ...clientOf(suite.cluster), topic }))
    return topic
  }


  it('copies every message with its key to the same partition, then commits the source to its end (--until latest)', async () => {
    const from = await topicWith(5_000, 3)
    const to = await suite.topic({ partitions: 3 })
    const group = uniqueName('cli-copy')
    const result = await runCli(['copy', '--from-topic', from, '--to-topic', to, '--group', group, '--until', 'latest'], { brokers: brokers() })
    expect(result.code).to.equal(0)
    expect(result.stderr).to.match(/read 5000 messages of .*, stored 5000 records in /)
    const source = await readWithKcat(suite.cluster, from)
    const target = await readWithKcat(suite.cluster, to)
    const where = (records: typeof source) => records.map((r) => `${r.partition} ${r.key} ${r.value}`).sort()
    expect(where(target)).to.deep.equal(where(source))
    const offsets = await committed(suite.cluster, group, from)
    for (const end of await withAdmin(suite.cluster, (admin) => admin.fetchTopicOffsets(from))) expect(offsets.get(end.partition)).to.equal(Number(end.high))
  })

  it('maps each message with --map to none, one or several copies, and commits past all of them', async () => {
    const from = await topicWith(30)
    const to = await suite.topic()
    const group = uniqueName('cli-map')
    const dir = await mkdtemp(join(tmpdir(), 'kafka-pipe-map-'))
    suite.defer(() => rm(dir, { recursive: true }))
    const mapFile = join(dir, 'map.js')
    await writeFile(
      mapFile,
      'module.exports = (m) => m.value.n % 3 === 0 ? null : m.value.n % 3 === 1 ? { key: m.key, value: { n: m.value.n, h: m.headers.h } } : [{ value: "a" + m.value.n }, { value: "b" + m.value.n }]\n',
    )
    const result = await runCli(['copy', '--from-topic', from, '--to-topic', to, '--group', group, '--until', 'latest', '--map', mapFile, '--quiet'], { brokers: brokers() })
    expect(result).to.include({ code: 0, stderr: '' })
    const expected = Array.from({ length: 30 }, (_, n) => (n % 3 === 0 ? [] : n % 3 === 1 ? [`{"n":${n},"h":"v${n}"}`] : [`a${n}`, `b${n}`])).flat()
    expect((await readWithKcat(suite.cluster, to)).map((r) => r.value)).to.deep.equal(expected)
    expect((await committed(suite.cluster, group, from)).get(0)).to.equal(30)
  })

  it('commits nothing of the source when the copies cannot be stored (exit 1)', async () => {
    const from = await topicWith(10)
    const group = uniqueName('cli-copy-fail')
    const result = await runCli(['copy', '--from-topic', from, '--to-topic', uniqueName('missing'), '--group', group, '--until', 'latest'], { brokers: brokers() })
    expect(result.code).to.equal(1)
    expect(result.stderr).to.match(/^kafka-pipe: .*missing-/m)
    expect((await committed(suite.cluster, group, from)).get(0)).to.equal(-1)
  })

  it('on SIGINT stores what it read, commits only stored copies, and exits 130', async () => {
    const from = await topicWith(2_000)
    const to = await suite.topic()
    const group = uniqueName('cli-copy-sigint')
    const running = startCli(['copy', '--from-topic', from, '--to-topic', to, '--group', group], { brokers: brokers() })
    const watcher = new KafkaReadable({ ...clientOf(suite.cluster), topic: to, offset: 'earliest' })
    await new Promise((resolve, reject) => watcher.once('data', resolve).once('error', reject))
    watcher.destroy()
    running.child.kill('SIGINT')
    const result = await running.result
    expect(result.code).to.equal(130)
    const copies = await readWithKcat(suite.cluster, to)
    const offset = (await committed(suite.cluster, group, from)).get(0)!
    expect(offset).to.be.at.least(1)
    expect(offset).to.be.at.most(copies.length)
    expect(copies.map((c) => c.key)).to.deep.equal(Array.from({ length: copies.length }, (_, i) => `k${i}`))
  })
})
