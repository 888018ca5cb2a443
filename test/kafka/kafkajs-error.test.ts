import { expect } from 'chai'
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } from 'kafkajs'
import { AuthenticationError, BrokerError, NetworkError, TopicError } from '../../lib/errors'
import { fromKafkajs } from '../../lib/kafka/kafkajs-error'

/** kafkajs builds protocol errors from its table of codes: `{ type, code, retriable, message }`. */
function protocolError(type: string, code: number, retriable: boolean): Error {
  return new KafkaJSProtocolError({ type, code, retriable, message: `kafkajs says ${type}` } as unknown as Error)
}

describe('fromKafkajs', () => {
  it('passes our own errors through unchanged', () => {
    const ours = new TopicError('no such topic', 't')
    expect(fromKafkajs(ours, 'reading')).to.equal(ours)
  })

  it('turns a protocol error into a BrokerError naming the code, what was done and what to fix', () => {
    const raw = protocolError('GROUP_AUTHORIZATION_FAILED', 30, false)
    const err = fromKafkajs(raw, 'joining group g')
    expect(err).to.be.instanceOf(BrokerError)
    expect(err).to.include({ kafkaCode: 30, kafkaError: 'GROUP_AUTHORIZATION_FAILED', retriable: false, code: 'ERR_KAFKA_PIPE_BROKER' })
    expect(err.message).to.contain('joining group g').and.contain('kafka-acls')
    expect(err.cause).to.equal(raw)
  })

  it("looks through kafkajs' retrier to the error it gave up on, keeping the wrapper as the cause", () => {
    const last = protocolError('TOPIC_AUTHORIZATION_FAILED', 29, false)
    const wrapped = new KafkaJSNumberOfRetriesExceeded(last, { retryCount: 5, retryTime: 1000 } as never)
    const err = fromKafkajs(wrapped, 'fetching metadata')
    expect(err).to.be.instanceOf(BrokerError).and.include({ kafkaCode: 29 })
    expect(err.cause).to.equal(wrapped)
  })

  it('makes a failed SASL handshake a non-retriable AuthenticationError', () => {
    const err = fromKafkajs(new (KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error)('SASL SCRAM SHA256 authentication failed'), 'connecting')
    expect(err).to.be.instanceOf(AuthenticationError).and.include({ code: 'ERR_KAFKA_PIPE_AUTHENTICATION', retriable: false })
    expect(err.message).to.contain('password')
  })

  it('makes an untrusted TLS certificate a non-retriable AuthenticationError that names ssl.ca', () => {
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
    const err = fromKafkajs(tls, 'connecting')
    expect(err).to.be.instanceOf(AuthenticationError).and.include({ retriable: false })
    expect(err.message).to.contain('ssl: { ca }')
  })

  it('makes connection failures retriable NetworkErrors, and keeps what kafkajs said about retrying', () => {
    const refused = fromKafkajs(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', { code: 'ECONNREFUSED' } as never), 'connecting')
    expect(refused).to.be.instanceOf(NetworkError).and.include({ retriable: true, code: 'ERR_KAFKA_PIPE_CONNECTION' })
    expect(fromKafkajs(new Error('boom'), 'x')).to.be.instanceOf(NetworkError)
    const gaveUp = fromKafkajs(Object.assign(new Error('nope'), { retriable: false }), 'x')
    expect(gaveUp.retriable).to.equal(false)
  })

  // Node 20's OpenSSL names the alert SSLV3_ALERT_...; Node 22 and 24 (OpenSSL 3.5) SSL/TLS_ALERT_...
  for (const code of ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED']) {
    it(`makes a refused client certificate (TLS alert ${code}) an AuthenticationError that names ssl cert and key`, () => {
      const alert = new KafkaJSConnectionError('Connection error: alert bad certificate', { code } as never)
      const err = fromKafkajs(new KafkaJSNumberOfRetriesExceeded(alert, { retryCount: 5, retryTime: 100 } as never), 'connecting')
      expect(err).to.be.instanceOf(AuthenticationError).and.include({ retriable: false })
      expect(err.message).to.contain('ssl: { ca, cert, key }')
    })
  }

  it('makes a TLS handshake the broker hung up on a non-retriable NetworkError saying ssl may be misconfigured', () => {
    const reset = new KafkaJSConnectionError('Connection error: Client network socket disconnected before secure TLS connection was established', { code: 'ECONNRESET' } as never)
    const err = fromKafkajs(reset, 'connecting')
    expect(err).to.be.instanceOf(NetworkError).and.include({ retriable: false })
    expect(err.message).to.contain('ssl may be misconfigured')
    const wrongVersion = fromKafkajs(Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }), 'connecting')
    expect(wrongVersion).to.include({ retriable: false }).and.have.property('message').that.contains('ssl may be misconfigured')
  })

  for (const [type, code, says] of [
    ['UNSUPPORTED_SASL_MECHANISM', 33, /sasl.enabled.mechanisms/],
    ['ILLEGAL_SASL_STATE', 34, /sasl may be misconfigured/],
    ['SASL_AUTHENTICATION_FAILED', 58, /password/],
  ] as const) {
    it(`makes the broker's ${type} an AuthenticationError that says what to change`, () => {
      const err = fromKafkajs(protocolError(type, code, false), 'connecting')
      expect(err).to.be.instanceOf(AuthenticationError).and.include({ retriable: false })
      expect(err.message).to.match(says)
    })
  }

  it("makes kafkajs' coordinator-not-found (behind which it hides GROUP_AUTHORIZATION_FAILED) say to grant READ on the group", () => {
    const { KafkaJSGroupCoordinatorNotFound } = require('kafkajs/src/errors') as { KafkaJSGroupCoordinatorNotFound: new (m: string) => Error }
    const err = fromKafkajs(new KafkaJSGroupCoordinatorNotFound('Failed to find group coordinator'), 'joining group g')
    expect(err).to.be.instanceOf(NetworkError).and.include({ retriable: false })
    expect(err.message).to.contain('READ on the group')
  })
})
