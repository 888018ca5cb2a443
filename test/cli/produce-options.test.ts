import { expect } from 'chai'
import { UsageError } from '../../lib/cli/exit-codes'
import { produceOptions } from '../../lib/cli/produce-options'

const env = { KAFKA_BROKERS: 'k1:9092,k2:9093' }

describe('produceOptions', () => {
  it('has the documented defaults, with brokers from KAFKA_BROKERS', async () => {
    expect(await produceOptions(['--topic', 'orders'], env)).to.deep.equal({
      topic: 'orders',
      brokers: ['k1:9092', 'k2:9093'],
      security: {},
      files: [],
      format: 'ndjson',
      key: undefined,
      timestamp: undefined,
      headers: {},
      balancer: 'murmur2',
      compression: 'none',
      acks: 'all',
      batchSize: undefined,
      onError: 'stop',
      quiet: false,
      writer: {},
      debug: false,
    })
  })

  it('takes every flag; --brokers wins over KAFKA_BROKERS', async () => {
    const o = await produceOptions(
      ['--topic', 't', '--brokers', 'b:1', '--format', 'json', '--key', 'user.id', '--timestamp', 'at', '--header', 'a=1=2', '--header', 'empty=',
        '--balancer', 'reference-hash', '--compression', 'zstd', '--acks', 'leader', '--batch-size', '500', '--quiet', '--debug', '-'],
      env,
    )
    expect(o).to.deep.include({ brokers: ['b:1'], format: 'json', key: ['user', 'id'], timestamp: ['at'], balancer: 'reference-hash', compression: 'zstd' })
    expect(o).to.deep.include({ headers: { a: '1=2', empty: '' }, acks: 'leader', batchSize: 500, quiet: true, debug: true, files: ['-'] })
  })

  it('--on-error dlq=TOPIC names the dead-letter topic', async () => {
    expect((await produceOptions(['--topic', 't', '--on-error', 'dlq=t-bad'], env)).onError).to.deep.equal({ deadLetterTopic: 't-bad' })
    expect((await produceOptions(['--topic', 't', '--on-error', 'skip'], env)).onError).to.equal('skip')
  })

  for (const [args, message] of [
    [['--topic', 't', '--format', 'csv'], /--format must be one of ndjson, json, lines, not "csv"/],
    [['--topic', 't', '--balancer', 'sticky'], /--balancer must be one of murmur2, crc32, hash, reference-hash, least-bytes, round-robin/],
    [['--topic', 't', '--compression', 'brotli'], /--compression must be one of none, gzip, snappy, lz4, zstd/],
    [['--topic', 't', '--header', 'novalue'], /--header must be name=value, not "novalue"/],
    [['--topic', 't', '--key', 'a..b'], /--key must be a field path/],
    [['--topic', 't', '--format', 'lines', '--key', 'id'], /--format lines has none/],
    [['--topic', 't', '--format', 'json', '--on-error', 'skip'], /--on-error skip needs --format ndjson/],
    [['--topic', 't', '--format', 'lines', '--on-error', 'dlq=bad'], /--on-error dlq=bad needs --format ndjson/],
    [['--topic', 't', '--on-error', 'dlq='], /--on-error dlq= needs the dead-letter topic/],
    [['--topic', 't', '--on-error', 'retry'], /--on-error must be stop, skip or dlq=TOPIC, not "retry"/],
    [['--topic', 't', 'no-such-file.ndjson'], /cannot read input file "no-such-file.ndjson"/],
    [['--brokers', 'b:1'], /--topic is required/],
  ] as const) {
    it(`rejects ${args.join(' ')}`, async () => {
      const error = await produceOptions([...args], env).catch((err: unknown) => err)
      expect(error).to.be.instanceOf(UsageError)
      expect((error as Error).message).to.match(message)
    })
  }

  it('needs brokers from the flag or the environment, each host:port', async () => {
    await produceOptions(['--topic', 't'], {}).then(
      () => expect.fail('no brokers'),
      (err: Error) => expect(err.message).to.match(/no brokers: give --brokers .* or set KAFKA_BROKERS/),
    )
    await produceOptions(['--topic', 't', '--brokers', 'host:99999'], {}).then(
      () => expect.fail('bad port'),
      (err: Error) => expect(err.message).to.equal('produce: bad broker address "host:99999": expected host:port, e.g. localhost:9092'),
    )
  })
})
