import { expect } from 'chai'
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSSASLAuthenticationError } from 'kafkajs'
import { AuthenticationError, ConnectionError, NetworkError } from '../../lib/errors'
import { connectError } from '../../lib/kafka/connect-error'

const closed = () => {
  const { KafkaJSConnectionClosedError } = require('kafkajs/src/errors') as { KafkaJSConnectionClosedError: new (m: string) => Error }
  return new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionClosedError('Closed connection'), { retryCount: 5, retryTime: 100 } as never)
}

describe('connectError', () => {
  it('keeps what the broker said: a refused login stays an AuthenticationError', () => {
    const sasl = new (KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error)('SASL PLAIN authentication failed')
    expect(connectError(sasl, 'h:1', { ssl: true, sasl: true })).to.be.instanceOf(AuthenticationError)
  })

  it('says ssl may be misconfigured when a broker closes a plaintext client without answering, and does not retry', () => {
    const err = connectError(closed(), 'h:1', { ssl: false, sasl: false })
    expect(err).to.be.instanceOf(ConnectionError).and.include({ retriable: false })
    expect(err.message).to.match(/could not connect to Kafka at h:1: .*ssl may be misconfigured/)
  })

  it('says sasl may be missing when a broker closes a TLS client without sasl', () => {
    expect(connectError(closed(), 'h:1', { ssl: true, sasl: false }).message).to.contain('sasl may be missing')
  })

  it('passes a TLS handshake failure on as the non-retriable NetworkError it is', () => {
    const reset = new KafkaJSConnectionError('Connection error: Client network socket disconnected before secure TLS connection was established', { code: 'ECONNRESET' } as never)
    expect(connectError(reset, 'h:1', { ssl: true, sasl: false })).to.be.instanceOf(NetworkError).and.include({ retriable: false })
  })

  it('leaves a refused connection a retriable ConnectionError that names the brokers option', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', { code: 'ECONNREFUSED' } as never)
    const err = connectError(refused, 'h:1', { ssl: false, sasl: false })
    expect(err).to.be.instanceOf(ConnectionError).and.include({ retriable: true })
    expect(err.message).to.contain('"brokers"')
  })
})
