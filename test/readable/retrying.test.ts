import { expect } from 'chai'
import { BrokerError } from '../../lib/errors'
import { retryingWhile } from '../../lib/readable/retrying'

function kafkajsError(type: string, code: number, retriable: boolean): Error {
  return Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type, code, retriable })
}

describe('retryingWhile', () => {
  it("tries again after kafkajs' retriable errors and resolves with the first success", async () => {
    let calls = 0
    const result = await retryingWhile(() => true, 'looking up', async () => {
      if (++calls < 2) throw kafkajsError('COORDINATOR_NOT_AVAILABLE', 15, true)
      return 'found'
    })
    expect(result).to.equal('found')
    expect(calls).to.equal(2)
  })

  it('rejects at once, typed and naming what it was doing, on an error that is not retriable', async () => {
    const error = await retryingWhile(() => true, 'reading the committed offsets of group "g"', async () => {
      throw kafkajsError('GROUP_AUTHORIZATION_FAILED', 30, false)
    }).catch((err: unknown) => err)
    expect(error).to.be.instanceOf(BrokerError)
    expect((error as Error).message).to.contain('reading the committed offsets of group "g"')
  })

  it('does not retry a bug: an error that came from neither kafkajs nor kafka-pipe rejects at once', async () => {
    let calls = 0
    const error = await retryingWhile(() => true, 'looking up', async () => {
      calls++
      throw new TypeError('x is not a function')
    }).catch((err: unknown) => err)
    expect(calls).to.equal(1)
    expect((error as Error).cause).to.be.instanceOf(TypeError)
  })

  it('resolves with undefined, without trying, once the work is no longer wanted', async () => {
    let calls = 0
    expect(await retryingWhile(() => false, 'looking up', async () => ++calls)).to.equal(undefined)
    expect(calls).to.equal(0)
  })
})
