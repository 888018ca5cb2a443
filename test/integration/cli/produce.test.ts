import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { CRC32Balancer, KafkaReadable, Murmur2Balancer } from '../../../lib'
import { clientOf } from '../cluster'
import { readWithKcat } from '../kcat'
import { ndjson, runCli, startCli, useBuiltCli } from './run-cli'

describe('kafka-pipe produce (the built binary, real broker)', function () {
  this.timeout(180_000)
  const { suite, brokers } = useBuiltCli()

  it('stores 100,000 NDJSON lines keyed by a field on the partitions Murmur2 gives their keys, exit 0 with a summary', async () => {
    const topic = await suite.topic({ partitions: 3 })
    const lines = Array.from({ length: 100_000 }, (_, i) => JSON.stringify({ user: { id: `u${i % 977}` }, n: i }))
    const result = await runCli(['produce', '--topic', topic, '--key', 'user.id'], { brokers: brokers(), input: lines.join('\n') + '\n' })
    expect(result.stderr).to.match(/stored 100000 records .* in 3 partitions of /)
    expect(result.code).to.equal(0)

    const records = await readWithKcat(suite.cluster, topic)
    expect(records).to.have.length(100_000)
    const murmur2 = new Murmur2Balancer()
    for (const record of records) {
      const doc = JSON.parse(record.value) as { user: { id: string }; n: number }
      expect(record.key).to.equal(doc.user.id)
      expect(record.partition).to.equal(murmur2.balance({ key: Buffer.from(record.key), value: record.value }, [0, 1, 2]))
    }
    expect(records.map((r) => r.value).sort()).to.deep.equal([...lines].sort())
  })

  it('uses the balancer and compression it is given: --balancer crc32 --compression lz4 as librdkafka reads them', async () => {
    const topic = await suite.topic({ partitions: 4 })
    const lines = Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ id: i % 101, text: 'compressible '.repeat(5) }))
    const args = ['produce', '--topic', topic, '--key', 'id', '--balancer', 'crc32', '--compression', 'lz4', '--acks', 'leader', '--batch-size', '100']
    const result = await runCli(args, { brokers: brokers(), input: lines.join('\n') })
    expect(result.code).to.equal(0)
    const crc32 = new CRC32Balancer()
    const records = await readWithKcat(suite.cluster, topic)
    expect(records).to.have.length(2_000)
    for (const record of records) expect(record.partition).to.equal(crc32.balance({ key: Buffer.from(record.key), value: record.value }, [0, 1, 2, 3]))
  })

  it('stores each element of a JSON array of 10,000 documents, which consume --until latest reads back', async () => {
    const topic = await suite.topic()
    const docs = Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `doc ${i}`, tags: ['a', 'b'], nested: { at: i * 2 } }))
    const produced = await runCli(['produce', '--topic', topic, '--format', 'json', '--quiet'], { brokers: brokers(), input: JSON.stringify(docs, null, 2) })
    expect(produced).to.include({ code: 0, stderr: '' })

    const kcat = await readWithKcat(suite.cluster, topic)
    expect(kcat.map((r) => JSON.parse(r.value) as unknown)).to.deep.equal(docs)
    const consumed = await runCli(['consume', '--topic', topic, '--until', 'latest'], { brokers: brokers() })
    expect(consumed.code).to.equal(0)
    const messages = ndjson<{ topic: string; partition: number; offset: number; value: unknown; key: unknown }>(consumed.stdout)
    expect(messages.map((m) => m.value)).to.deep.equal(docs)
    expect(messages[9_999]).to.include({ topic, partition: 0, offset: 9_999, key: null })
  })

  it('reads concatenated JSON values from the files given as arguments, in order, with headers and timestamps', async () => {
    const topic = await suite.topic()
    const dir = await mkdtemp(join(tmpdir(), 'kafka-pipe-cli-'))
    suite.defer(() => rm(dir, { recursive: true }))
    await writeFile(join(dir, 'a.json'), '{"a":1,"at":1700000000000} {"a":2,"at":"2024-05-01T00:00:00Z"}\n')
    await writeFile(join(dir, 'b.json'), '{"a":3,"at":5}')
    const args = ['produce', '--topic', topic, '--format', 'json', '--header', 'source=test', '--header', 'v=1', '--timestamp', 'at']
    const result = await runCli([...args, join(dir, 'a.json'), join(dir, 'b.json')], { brokers: brokers() })
    expect(result.code).to.equal(0)
    const consumed = ndjson<{ value: { a: number }; timestamp: string; headers: Record<string, string> }>(
      (await runCli(['consume', '--topic', topic, '--until', 'latest'], { brokers: brokers() })).stdout,
    )
    expect(consumed.map((m) => m.value.a)).to.deep.equal([1, 2, 3])
    expect(consumed.map((m) => m.timestamp)).to.deep.equal(['2023-11-14T22:13:20.000Z', '2024-05-01T00:00:00.000Z', '1970-01-01T00:00:00.005Z'])
    expect(consumed[0]!.headers).to.deep.equal({ source: 'test', v: '1' })
  })

  it('stops at a line that is not JSON with exit 65, its line number and an excerpt, after storing the lines before it', async () => {
    const topic = await suite.topic()
    const lines = ['{"n":1}', '{"n":2}', '', '{"n":3}', '{"n":4, oops}', '{"n":5}']
    const result = await runCli(['produce', '--topic', topic], { brokers: brokers(), input: lines.join('\n') })
    expect(result.code).to.equal(65)
    expect(result.stderr).to.match(/kafka-pipe: line 5: not JSON \(.*\): "\{\\"n\\":4, oops\}"\n/)
    expect(result.stderr).to.match(/stored 3 records/)
    expect((await readWithKcat(suite.cluster, topic)).map((r) => r.value)).to.deep.equal(['{"n":1}', '{"n":2}', '{"n":3}'])
  })

  it('skips lines that are not JSON with --on-error skip and stores the rest, exit 0', async () => {
    const topic = await suite.topic()
    const result = await runCli(['produce', '--topic', topic, '--on-error', 'skip'], { brokers: brokers(), input: '{"n":1}\nnope\n{"n":2}\n' })
    expect(result.code).to.equal(0)
    expect(result.stderr).to.match(/skipped line 2: not JSON/)
    expect((await readWithKcat(suite.cluster, topic)).map((r) => r.value)).to.deep.equal(['{"n":1}', '{"n":2}'])
  })

  it('stores raw lines as they are with --format lines', async () => {
    const topic = await suite.topic()
    const result = await runCli(['produce', '--topic', topic, '--format', 'lines', '--quiet'], { brokers: brokers(), input: 'plain text\n{not json\n  spaced  \n' })
    expect(result.code).to.equal(0)
    expect((await readWithKcat(suite.cluster, topic)).map((r) => r.value)).to.deep.equal(['plain text', '{not json', '  spaced  '])
  })

  it('on SIGINT stops reading stdin, flushes what it read, reports what was stored and exits 130 losing nothing', async () => {
    const topic = await suite.topic()
    const running = startCli(['produce', '--topic', topic], { brokers: brokers() })
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ n: i }))
    running.child.stdin!.write(lines.join('\n') + '\n') // and stdin stays open: the command must not wait for its end
    // Interrupt once the broker has the first record: mid-produce, with more input possibly to come.
    const watcher = new KafkaReadable({ ...clientOf(suite.cluster), topic, offset: 'earliest' })
    await new Promise((resolve, reject) => watcher.once('data', resolve).once('error', reject))
    watcher.destroy()
    running.child.kill('SIGINT')
    const result = await running.result
    expect(result.code).to.equal(130)
    const stored = Number(/stored (\d+) records/.exec(result.stderr)?.[1])
    const records = await readWithKcat(suite.cluster, topic)
    expect(stored).to.be.greaterThan(0)
    expect(records.map((r) => r.value)).to.deep.equal(lines.slice(0, stored))
  })

  it('fails with exit 1 and one line naming the topic when the topic does not exist', async () => {
    const result = await runCli(['produce', '--topic', 'no-such-topic-cli'], { brokers: brokers(), input: '{"n":1}\n' })
    expect(result.code).to.equal(1)
    expect(result.stderr).to.match(/^kafka-pipe: .*no-such-topic-cli/)
    expect(result.stderr).not.to.match(/\n\s+at /)
  })
})
