import { expect } from 'chai'
import { useSharedCluster } from '../cluster'
import { buildCli, ndjson, runCli } from './run-cli'

interface Line {
  offset: number
  key: string | null
  value: unknown
  valueEncoding?: string
  headers: Record<string, string>
}

const fromBase64 = (text: string): Buffer => Buffer.from(text, 'base64')

describe('kafka-pipe produce --on-error dlq and consume --encoding base64 (the built binary, real broker)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()
  before(async function () {
    this.timeout(180_000)
    await buildCli()
  })

  it('stores bad lines byte for byte in the dead-letter topic with where and why, goes on, and loses nothing', async () => {
    const topic = await suite.topic()
    const dlq = await suite.topic()
    const notUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) // "{", two bytes that are not UTF-8, "}"
    const input = Buffer.concat([
      Buffer.from('{"n":1,"at":5}\nnot json at all\n'),
      notUtf8,
      Buffer.from('\n{"n":2,"at":"yesterday"}\n{"n":3,"at":7}\n'),
    ])
    const result = await runCli(['produce', '--topic', topic, '--timestamp', 'at', '--on-error', `dlq=${dlq}`], { brokers: suite.cluster.brokers, input })
    expect(result.stderr).to.match(new RegExp(`stored 2 records .*, 3 bad lines in ${dlq}`))
    expect(result.code).to.equal(0)

    const stored = ndjson<Line>((await runCli(['consume', '--topic', topic, '--until', 'latest'], { brokers: suite.cluster.brokers })).stdout)
    expect(stored.map((m) => m.value)).to.deep.equal([{ n: 1, at: 5 }, { n: 3, at: 7 }])

    const consumed = await runCli(['consume', '--topic', dlq, '--until', 'latest', '--encoding', 'base64'], { brokers: suite.cluster.brokers })
    expect(consumed.code).to.equal(0)
    const dead = ndjson<Line>(consumed.stdout)
    expect(dead.slice(0, 2).map((m) => [fromBase64(m.value as string), m.valueEncoding])).to.deep.equal([
      [Buffer.from('not json at all'), 'base64'],
      [notUtf8, 'base64'],
    ])
    // JSON whose --timestamp was unusable: stored as its text, which is JSON, so consume shows it as JSON.
    expect(dead[2]).to.deep.include({ value: { n: 2, at: 'yesterday' } }).and.not.to.have.property('valueEncoding')
    const headers = dead.map((m) => Object.fromEntries(Object.entries(m.headers).map(([name, value]) => [name, fromBase64(value).toString()])))
    expect(headers.map((h) => h['kafka-pipe.where'])).to.deep.equal(['line 2', 'line 3', 'line 4'])
    expect(headers[0]!['kafka-pipe.error']).to.match(/^not JSON \(Unexpected token/)
    expect(headers[2]!['kafka-pipe.error']).to.match(/^--timestamp at is not epoch milliseconds or an ISO 8601 time/)
  })

  it('consume --encoding base64 writes keys as base64 and keeps a JSON value as JSON', async () => {
    const topic = await suite.topic()
    const produced = await runCli(['produce', '--topic', topic, '--key', 'k', '--quiet'], { brokers: suite.cluster.brokers, input: '{"k":"\u00e9t\u00e9","v":1}\n' })
    expect(produced.code).to.equal(0)
    const [base64] = ndjson<Line>((await runCli(['consume', '--topic', topic, '--until', 'latest', '--encoding', 'base64'], { brokers: suite.cluster.brokers })).stdout)
    expect(fromBase64(base64!.key!).toString()).to.equal('\u00e9t\u00e9')
    expect(base64).to.deep.include({ value: { k: '\u00e9t\u00e9', v: 1 } })
    expect(base64).not.to.have.property('valueEncoding')
  })
})
