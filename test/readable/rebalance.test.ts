import { expect } from 'chai'
import { isRebalanceError } from '../../lib/readable/rebalance'

describe('isRebalanceError', () => {
  it('recognizes kafkajs protocol errors that a rejoin answers, also wrapped by its retrier', () => {
    expect(isRebalanceError({ type: 'REBALANCE_IN_PROGRESS' })).to.equal(true)
    expect(isRebalanceError({ type: 'ILLEGAL_GENERATION' })).to.equal(true)
    expect(isRebalanceError({ name: 'KafkaJSNumberOfRetriesExceeded', originalError: { type: 'UNKNOWN_MEMBER_ID' } })).to.equal(true)
    expect(isRebalanceError({ type: 'TOPIC_AUTHORIZATION_FAILED' })).to.equal(false)
    expect(isRebalanceError(new Error('x'))).to.equal(false)
    expect(isRebalanceError(undefined)).to.equal(false)
  })
})
