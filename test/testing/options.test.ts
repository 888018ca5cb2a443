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
    ['securty', true, /option "securty" must be left out: startKafka\(\) takes brokers, .*security, cacheDir, engine, image, not true/],
    ['engine', 'docker', /option "engine" must be one of 'jvm', 'container', not 'docker'/],
    ['image', 'apache/kafka:4.3.1', /option "image" must be left out, or engine: 'container' set/],
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

  describe('engine and image', () => {
    const saved = { engine: process.env.KAFKA_PIPE_ENGINE, image: process.env.KAFKA_PIPE_IMAGE }
    afterEach(() => {
      for (const [name, value] of [['KAFKA_PIPE_ENGINE', saved.engine], ['KAFKA_PIPE_IMAGE', saved.image]] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    })

    it('takes the jvm engine and no image by default', () => {
      delete process.env.KAFKA_PIPE_ENGINE
      expect(resolveStartKafkaOptions({})).to.include({ engine: 'jvm', image: undefined })
    })

    it('takes the engine and image from KAFKA_PIPE_ENGINE and KAFKA_PIPE_IMAGE, else apache/kafka of the version', () => {
      process.env.KAFKA_PIPE_ENGINE = 'container'
      delete process.env.KAFKA_PIPE_IMAGE
      expect(resolveStartKafkaOptions({ version: '4.1.0' })).to.include({ engine: 'container', image: 'apache/kafka:4.1.0' })
      process.env.KAFKA_PIPE_IMAGE = 'kafka-pipe/kafka:4.3.1'
      expect(resolveStartKafkaOptions({})).to.include({ engine: 'container', image: 'kafka-pipe/kafka:4.3.1' })
      expect(resolveStartKafkaOptions({ image: 'mine:1' })).to.include({ image: 'mine:1' })
      expect(resolveStartKafkaOptions({ engine: 'jvm' })).to.include({ engine: 'jvm', image: undefined })
    })

    it('names KAFKA_PIPE_ENGINE when its value is not an engine', () => {
      process.env.KAFKA_PIPE_ENGINE = 'podman'
      expect(() => resolveStartKafkaOptions({})).to.throw(InvalidOptionError, /"KAFKA_PIPE_ENGINE" must be one of 'jvm', 'container', not 'podman'/)
    })

    it('refuses security with the container engine, saying which engine supports it', () => {
      expect(() => resolveStartKafkaOptions({ engine: 'container', security: true })).to.throw(
        InvalidOptionError,
        /option "security" must be left out with engine 'container': security is supported by the jvm engine only/,
      )
    })
  })
})
