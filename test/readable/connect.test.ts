import { expect } from 'chai'
import { AuthenticationError, ConnectionError, TopicError } from '../../lib/errors'
import { connectionTarget, connectWithin } from '../../lib/readable/connect'

async function failure(work: Promise<void>): Promise<unknown> {
  return work.then(
    () => undefined,
    (err: unknown) => err,
  )
}

const target = { where: 'a:1', bound: 1000, settings: { ssl: false, sasl: false } }

describe('connectWithin', () => {
  it('bounds a connect by connectionTimeout + requestTimeout', () => {
    expect(connectionTarget({ brokers: ['a:1'], connectionTimeout: 100, requestTimeout: 200 })).to.deep.equal({
      where: 'a:1',
      bound: 300,
      settings: { ssl: false, sasl: false },
    })
    expect(connectionTarget({ brokers: ['a:1'] }).bound).to.equal(33_000)
  })

  it('clamps the bound to what a Node timer can wait, so the largest timeouts do not fail the connect at once', () => {
    const largest = connectionTarget({ brokers: ['a:1'], connectionTimeout: 2 ** 31 - 1, requestTimeout: 2 ** 31 - 1 })
    expect(largest.bound).to.equal(2 ** 31 - 1)
  })

  it('fails a connect that never settles with a retriable ConnectionError naming the brokers, at the bound', async () => {
    const started = Date.now()
    const error = await failure(connectWithin({ ...target, bound: 50 }, () => new Promise(() => {})))
    expect(Date.now() - started).to.be.within(40, 1000)
    expect(error).to.be.instanceOf(ConnectionError)
    expect(error).to.include({ code: 'ERR_KAFKA_PIPE_CONNECTION', retriable: true })
    expect((error as Error).message).to.contain('a:1').and.contain('50 ms')
  })

  it("turns kafkajs' connection failure into a ConnectionError with kafkajs' error as cause", async () => {
    const refused = Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError', retriable: true })
    const error = await failure(connectWithin(target, async () => Promise.reject(refused)))
    expect(error).to.be.instanceOf(ConnectionError)
    expect((error as Error).cause).to.equal(refused)
  })

  it('passes our own errors (a missing topic) through, and types SASL failures as AuthenticationError', async () => {
    const missing = new TopicError('topic "t" does not exist', 't')
    expect(await failure(connectWithin(target, async () => Promise.reject(missing)))).to.equal(missing)
    const sasl = Object.assign(new Error('SASL PLAIN authentication failed'), { name: 'KafkaJSSASLAuthenticationError' })
    expect(await failure(connectWithin(target, async () => Promise.reject(sasl)))).to.be.instanceOf(AuthenticationError)
  })

  it('says ssl may be misconfigured when a broker closes the connection unanswered to a client without ssl, and does not retry that', async () => {
    const closed = Object.assign(new Error('Closed connection'), { name: 'KafkaJSConnectionClosedError', retriable: true })
    const error = await failure(connectWithin(target, async () => Promise.reject(closed)))
    expect(error).to.be.instanceOf(ConnectionError).and.include({ retriable: false })
    expect((error as Error).message).to.contain('ssl may be misconfigured')
  })
})
