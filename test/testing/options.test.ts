import { expect } from 'chai'
import { InvalidOptionError } from '../../lib/errors'
import { brokersFromEnvironment, DEFAULT_KAFKA_VERSION, resolveStartKafkaOptions } from '../../lib/testing/options'

describe('testing/options', () => {
  it('fills in the documented defaults', () => {
    const o = resolveStartKafkaOptions({})
    expect(o).to.include({ brokers: 1, version: DEFAULT_KAFKA_VERSION, partitions: 1, autoCreateTopics: true, useEnvironment: true })
  })

  for (const [option, value, expected] of [
    ['brokers', 2, /option "brokers" must be 1 or 3, not 2/],
    ['version', 'latest', /option "version" must be a Kafka release such as "4\./],
    ['partitions', 0, /option "partitions" must be a positive integer, not 0/],
    ['autoCreateTopics', 'yes', /option "autoCreateTopics" must be true or false, not 'yes'/],
    ['startTimeout', -1, /startTimeout/],
    ['jvmOptions', '-Xmx1g', /an array of strings/],
    ['useEnvironment', 'no', /option "useEnvironment" must be true or false/],
    ['security', 'tls', /option "security" must be true, false or an object/],
    ['securty', true, /option "securty" must be left out: startKafka\(\) takes brokers, .*security, cacheDir, not true/],
  ] as const) {
    it(`rejects ${option}: ${JSON.stringify(value)}`, () => {
      expect(() => resolveStartKafkaOptions({ [option]: value } as never))
        .to.throw(InvalidOptionError, expected)
        .with.property('code', 'ERR_KAFKA_PIPE_OPTION')
    })
  }

  it('leaves security off by default and resolves security: true to its defaults', () => {
    expect(resolveStartKafkaOptions({}).security).to.equal(undefined)
    expect(resolveStartKafkaOptions({ security: true }).security).to.deep.equal({ users: { alice: 'alice-secret', bob: 'bob-secret' }, acls: false })
  })

  it('reads KAFKA_BROKERS as a comma-separated list', () => {
    const saved = process.env.KAFKA_BROKERS
    try {
      process.env.KAFKA_BROKERS = ' a:9092, b:9093 ,'
      expect(brokersFromEnvironment()).to.deep.equal(['a:9092', 'b:9093'])
      delete process.env.KAFKA_BROKERS
      expect(brokersFromEnvironment()).to.equal(undefined)
    } finally {
      if (saved !== undefined) process.env.KAFKA_BROKERS = saved
    }
  })
})
