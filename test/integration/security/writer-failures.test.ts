import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { AuthenticationError, BrokerError, ConnectionError, DeliveryError, InvalidOptionError, KafkaWritable, NetworkError } from '../../../lib'
import { createCertificates } from '../../../lib/testing/certificates'
import { withAdmin } from '../cluster'
import { quiet, useSecuredCluster, writerFailure } from './helpers'

/**
 * Failures a user meets come at once (a round trip or a TLS handshake), not after kafkajs' ~10 s of connection
 * retries; the margin is for a busy machine.
 */
// Half of kafkajs' ~10 s of retries: room for a loaded CI machine, and the retrying path still fails the test.
const FAST = 6000

describe('KafkaWritable security failures (integration)', function () {
  this.timeout(60_000)
  const suite = useSecuredCluster({ acls: true })
  const security = () => suite.cluster.security!

  describe('authentication', () => {
    let topic: string
    before(async () => {
      topic = await suite.topic('auth')
      await security().allow('alice', { topic }, ['WRITE'])
    })

    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      it(`fails a wrong ${mechanism.toUpperCase()} password at once with a non-retriable AuthenticationError that names the password`, async () => {
        const { error, ms } = await writerFailure(security().sasl(mechanism, { password: 'wrong' }), topic)
        expect(error).to.be.instanceOf(AuthenticationError).and.include({ code: 'ERR_KAFKA_PIPE_AUTHENTICATION', retriable: false })
        expect(error.message).to.match(/password/)
        expect(ms).to.be.below(FAST)
      })
    }

    it('rejects a SASL mechanism kafkajs does not know up front, naming sasl.mechanism', () => {
      const settings = { ...security().sasl('plain'), sasl: { mechanism: 'scram-sha-1', username: 'alice', password: 'x' } }
      expect(() => new KafkaWritable({ ...(settings as object), topic })).to.throw(InvalidOptionError, /option "sasl.mechanism" must be one of 'plain'/)
    })

    it('fails a SASL mechanism the broker does not enable with an AuthenticationError that lists what would work', async () => {
      const settings = { ...security().sasl('plain'), sasl: { mechanism: 'oauthbearer' as const, oauthBearerProvider: async () => ({ value: 'token' }) } }
      const { error, ms } = await writerFailure(settings as never, topic)
      expect(error).to.be.instanceOf(AuthenticationError).and.include({ retriable: false })
      expect(error.message).to.match(/UNSUPPORTED_SASL_MECHANISM|does not support the requested SASL mechanism/).and.match(/scram-sha-256/)
      expect(ms).to.be.below(FAST)
    })

    it('fails a CA that did not sign the broker certificate with an AuthenticationError that names ssl.ca', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'kafka-pipe-other-ca-'))
      try {
        const other = await createCertificates(dir)
        const { error, ms } = await writerFailure({ ...security().tls, ssl: { ca: other.ca } }, topic)
        expect(error).to.be.instanceOf(AuthenticationError).and.include({ retriable: false })
        expect(error.message).to.match(/certificate/).and.match(/ssl: \{ ca \}/)
        expect(ms).to.be.below(FAST)
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    })

    it('fails a listener requiring client certificates, reached without one, with an AuthenticationError naming cert and key', async () => {
      const { error, ms } = await writerFailure({ brokers: security().mutualTls.brokers, ssl: { ca: security().ca } }, topic)
      expect(error).to.be.instanceOf(AuthenticationError).and.include({ retriable: false })
      expect(error.message).to.match(/ssl: \{ ca, cert, key \}/)
      expect(ms).to.be.below(FAST)
    })

    it('fails a plaintext client on a TLS port with a non-retriable ConnectionError saying ssl may be misconfigured', async () => {
      const { error, ms } = await writerFailure({ brokers: security().tls.brokers }, topic)
      expect(error).to.be.instanceOf(ConnectionError).and.include({ retriable: false })
      expect(error.message).to.match(/ssl may be misconfigured/)
      expect(ms).to.be.below(FAST)
    })

    it('fails a TLS client on a plaintext port with a non-retriable NetworkError saying ssl may be misconfigured', async () => {
      const { error, ms } = await writerFailure({ brokers: suite.cluster.brokers, ssl: { ca: security().ca } }, topic)
      expect(error).to.be.instanceOf(NetworkError).and.include({ retriable: false, code: 'ERR_KAFKA_PIPE_CONNECTION' })
      expect(error.message).to.match(/ssl may be misconfigured/)
      expect(ms).to.be.below(FAST)
    })

    it('fails a SASL client on a listener without SASL with an AuthenticationError saying sasl may be misconfigured', async () => {
      const { error, ms } = await writerFailure({ brokers: security().tls.brokers, ssl: { ca: security().ca }, sasl: security().sasl('plain').sasl! }, topic)
      expect(error).to.be.instanceOf(AuthenticationError).and.include({ retriable: false })
      expect(error.message).to.match(/sasl may be misconfigured/)
      expect(ms).to.be.below(FAST)
    })

    it('fails a client without SASL on a SASL_SSL listener with a non-retriable ConnectionError saying sasl may be missing', async () => {
      const { error, ms } = await writerFailure({ brokers: security().sasl('plain').brokers, ssl: { ca: security().ca } }, topic)
      expect(error).to.be.instanceOf(ConnectionError).and.include({ retriable: false })
      expect(error.message).to.match(/sasl may be missing/)
      expect(ms).to.be.below(FAST)
    })
  })

  describe('authorization', () => {
    it('fails a user who may not write anywhere at connect: the idempotent producer is refused (CLUSTER_AUTHORIZATION_FAILED)', async () => {
      const topic = await suite.topic('nowhere')
      const { error, ms } = await writerFailure(security().sasl('scram-sha-256', { user: 'bob' }), topic)
      expect(error).to.be.instanceOf(BrokerError).and.include({ kafkaError: 'CLUSTER_AUTHORIZATION_FAILED', retriable: false })
      expect(error.message).to.match(/idempotent: false/)
      expect(ms).to.be.below(FAST)
    })

    it('fails a topic the user may not even see with a BrokerError TOPIC_AUTHORIZATION_FAILED that says what to grant', async () => {
      const topic = await suite.topic('unseen')
      const { error, ms } = await writerFailure(security().sasl('scram-sha-256', { user: 'bob' }), topic, { idempotent: false })
      expect(error).to.be.instanceOf(BrokerError).and.include({ kafkaError: 'TOPIC_AUTHORIZATION_FAILED', retriable: false })
      expect(error.message).to.match(/grant this user WRITE/).and.match(new RegExp(topic))
      expect(ms).to.be.below(FAST)
    })

    it('stores the messages of a topic the user may write and lists exactly those of the topic it may not in DeliveryError.failures', async () => {
      const allowed = await suite.topic('allowed')
      const denied = await suite.topic('denied')
      await security().allow('alice', { topic: allowed }, ['WRITE'])
      await security().allow('alice', { topic: denied }, ['DESCRIBE'])
      const messages = Array.from({ length: 20 }, (_, i) => ({ topic: i % 2 === 0 ? allowed : denied, value: `m${i}` }))
      const writer = new KafkaWritable({ ...quiet(security().sasl('scram-sha-512')) })
      const failed = once(writer, 'error')
      for (const message of messages) writer.write(message)
      writer.end()
      const [error] = (await failed) as [DeliveryError]
      expect(error).to.be.instanceOf(DeliveryError)
      // The first message leaves alone; the rest wait for it and leave together, one batch per topic.
      const deniedMessages = messages.filter((m) => m.topic === denied)
      expect(error.messages).to.deep.equal(deniedMessages)
      expect(error.failures.map((f) => [f.topic, f.partition])).to.deep.equal([[denied, 0]])
      expect(error.failures[0]!.error).to.be.instanceOf(BrokerError).and.include({ kafkaError: 'TOPIC_AUTHORIZATION_FAILED' })
      const stored = await withAdmin(suite.cluster, async (admin) => [await admin.fetchTopicOffsets(allowed), await admin.fetchTopicOffsets(denied)])
      expect(stored.map((offsets) => offsets[0]!.high)).to.deep.equal(['10', '0'])
    })
  })
})
