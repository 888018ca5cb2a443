import { expect } from 'chai'
import { TestingError } from '../../lib/errors'
import { startKafka } from '../../lib/testing'

describe('testing/cluster', () => {
  it('refuses security on a cluster from KAFKA_BROKERS, whose listeners and users it cannot know, naming useEnvironment', async () => {
    const saved = process.env.KAFKA_BROKERS
    process.env.KAFKA_BROKERS = '127.0.0.1:1'
    try {
      const err = await startKafka({ security: true }).catch((e: unknown) => e)
      expect(err).to.be.instanceOf(TestingError).with.property('message').that.contains('useEnvironment: false')
    } finally {
      if (saved === undefined) delete process.env.KAFKA_BROKERS
      else process.env.KAFKA_BROKERS = saved
    }
  })

  it('rejects an option it does not know before starting anything', async () => {
    const err = await startKafka({ brokres: 3 } as never).catch((e: unknown) => e)
    expect(err).to.have.property('code', 'ERR_KAFKA_PIPE_OPTION')
    expect((err as Error).message).to.contain('"brokres"')
  })
})
