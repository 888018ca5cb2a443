import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { KafkaWritable } from '../../../lib'
import { clientOf, uniqueName, withAdmin } from '../cluster'
import { committed } from '../readable/helpers'
import { ndjson, runCli, runShell, startCli, useBuiltCli } from './run-cli'

/** Linux's default pipe capacity: what `consume` may have written into the pipe that `head` never read. */
const PIPE_CAPACITY = 65_536

describe('kafka-pipe consume (the built binary, real broker)', function () {
  this.timeout(180_000)
  const { suite, brokers } = useBuiltCli()

  async function topicWith(count: number, partitions = 1, value = (i: number) => JSON.stringify({ n: i, pad: 'x'.repeat(80) })): Promise<string> {
    const topic = await suite.topic({ partitions })
    const messages = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: value(i) }))
    await pipeline(Readable.from(messages), new KafkaWritable({ ...clientOf(suite.cluster), topic }))
    return topic
  }


  it('in a group piped into head -n 100, exits 0 and commits at most what head took plus what the pipe held', async () => {
    const topic = await topicWith(20_000)
    const group = uniqueName('cli-head')
    const result = await runShell(`$KAFKA_PIPE consume --topic ${topic} --group ${group} | head -n 100`, { brokers: brokers() })
    expect(result.stderr).to.equal('')
    expect(result.code).to.equal(0)
    const lines = result.stdout.split('\n').filter((l) => l !== '')
    expect(lines).to.have.length(100)
    const shortest = Math.min(...lines.map((l) => Buffer.byteLength(l) + 1))
    const offset = (await committed(suite.cluster, group, topic)).get(0)!
    expect(offset).to.be.at.least(100)
    expect(offset).to.be.at.most(100 + Math.ceil(PIPE_CAPACITY / shortest))
  })

  it('in a group with --until latest --value-only, prints every value once and commits every partition to its end', async () => {
    const values = (i: number) => `{"n":${i}}`
    const topic = await topicWith(30_000, 3, values)
    const group = uniqueName('cli-until')
    const result = await runCli(['consume', '--topic', topic, '--group', group, '--until', 'latest', '--value-only'], { brokers: brokers() })
    expect(result.code).to.equal(0)
    const printed = result.stdout.split('\n').filter((l) => l !== '')
    expect(printed.sort()).to.deep.equal(Array.from({ length: 30_000 }, (_, i) => values(i)).sort())
    const offsets = await committed(suite.cluster, group, topic)
    const ends = await withAdmin(suite.cluster, (admin) => admin.fetchTopicOffsets(topic))
    for (const end of ends) expect(offsets.get(end.partition)).to.equal(Number(end.high))
  })

  it('reads one partition from an offset with --max, keys and non-JSON values as strings', async () => {
    const topic = await topicWith(50, 1, (i) => (i % 2 === 0 ? `text ${i}` : `{"n":${i}}`))
    const result = await runCli(['consume', '--topic', topic, '--partition', '0', '--offset', '10', '--max', '3'], { brokers: brokers() })
    expect(result.code).to.equal(0)
    const messages = ndjson<{ offset: number; key: string; value: unknown; headers: object }>(result.stdout)
    expect(messages.map(({ offset, key, value, headers }) => ({ offset, key, value, headers }))).to.deep.equal([
      { offset: 10, key: 'k10', value: 'text 10', headers: {} },
      { offset: 11, key: 'k11', value: { n: 11 }, headers: {} },
      { offset: 12, key: 'k12', value: 'text 12', headers: {} },
    ])
  })

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  it(`on ${signal} in a group exits ${code} having committed only lines it wrote, at least those seen before the signal`, async () => {
    const topic = await topicWith(500)
    const group = uniqueName('cli-sigint')
    const running = startCli(['consume', '--topic', topic, '--group', group], { brokers: brokers() })
    let seen = ''
    await new Promise<void>((resolve) => {
      running.child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString()
        if (seen.split('\n').length > 500) resolve()
      })
    })
    const seenBeforeSignal = seen.split('\n').filter((l) => l !== '').length
    running.child.kill(signal)
    const result = await running.result
    expect(result.code).to.equal(code)
    const offset = (await committed(suite.cluster, group, topic)).get(0)!
    expect(offset).to.be.at.least(seenBeforeSignal)
    expect(offset).to.be.at.most(ndjson(result.stdout).length)
  })
  }

  it('fails with exit 1 and one line when the topic does not exist', async () => {
    const result = await runCli(['consume', '--topic', 'no-such-topic-cli', '--group', uniqueName('cli-missing')], { brokers: brokers() })
    expect(result.code).to.equal(1)
    expect(result.stderr).to.match(/^kafka-pipe: .*no-such-topic-cli[^\n]*\n$/)
  })
})
