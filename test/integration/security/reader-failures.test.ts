import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { AuthenticationError, BrokerError, KafkaPipeError, KafkaReadable, type KafkaReadableOptions } from '../../../lib'
import { createCertificates } from '../../../lib/testing/certificates'
import type { ClientSettings } from '../../../lib/testing'
import { uniqueName } from '../cluster'
import { quiet, roundTrip, useSecuredCluster } from './helpers'

/**
 * Failures a user meets must come within seconds, not after a minute of retrying. The reader's kafkajs consumer
 * would retry a failed connection for about 10 s; the reader makes one plain attempt first
 * (ClusterLink.firstAttempt), as the writer does, so what retrying cannot fix fails at once.
 */
// Half of kafkajs' ~10 s of retries: room for a loaded CI machine, and the retrying path still fails the test.
const FAST = 6000

/** How a KafkaReadable over `settings` fails (it must not read a message, nor end), and how long that took. */
async function readerFailure(settings: ClientSettings, options: Partial<KafkaReadableOptions>): Promise<{ error: KafkaPipeError; ms: number }> {
  const started = Date.now()
  const reader = new KafkaReadable({ ...quiet(settings), until: 'latest', ...options } as KafkaReadableOptions)
  try {
    for await (const message of reader) throw new Error(`the reader read ${String(message.value)}`)
  } catch (err) {
    return { error: err as KafkaPipeError, ms: Date.now() - started }
  }
  throw new Error('the reader ended without an error')
}

describe('KafkaReadable security failures (integration)', function () {
  this.timeout(60_000)
  const suite = useSecuredCluster({ acls: true })
  const security = () => suite.cluster.security!
  let topic: string
  before(async () => {
    topic = await suite.topic('reader')
    await security().allow('alice', { topic }, ['WRITE', 'READ'])
    await security().allow('alice', { group: 'kafka-pipe-partition-reader-', prefixed: true }, ['READ'])
  })

  it('reads, as a control, what a user with READ on the topic and the group may read', async () => {
    expect(await roundTrip(security().sasl('scram-sha-256'), topic, 10)).to.have.length(10)
  })

  it('fails a wrong password with a non-retriable AuthenticationError that names the password, at once', async () => {
    const { error, ms } = await readerFailure(security().sasl('scram-sha-256', { password: 'wrong' }), { topic, partition: 0 })
    expect(error).to.be.instanceOf(AuthenticationError).and.include({ code: 'ERR_KAFKA_PIPE_AUTHENTICATION', retriable: false })
    expect(error.message).to.match(/password/)
    expect(ms).to.be.below(FAST)
  })

  it('fails a CA that did not sign the broker certificate with an AuthenticationError that names ssl.ca', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kafka-pipe-other-ca-'))
    try {
      const other = await createCertificates(dir)
      const { error, ms } = await readerFailure({ ...security().tls, ssl: { ca: other.ca } }, { topic, partition: 0 })
      expect(error).to.be.instanceOf(AuthenticationError).and.include({ retriable: false })
      expect(error.message).to.match(/ssl: \{ ca \}/)
      expect(ms).to.be.below(FAST)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('fails a plaintext client on a TLS port with a non-retriable typed error saying ssl may be misconfigured', async () => {
    const { error, ms } = await readerFailure({ brokers: security().tls.brokers }, { topic, partition: 0 })
    expect(error).to.include({ code: 'ERR_KAFKA_PIPE_CONNECTION', retriable: false })
    expect(error.message).to.match(/ssl may be misconfigured/)
    expect(ms).to.be.below(FAST)
  })

  it('fails a topic the user may not read with a BrokerError TOPIC_AUTHORIZATION_FAILED that says what to grant', async () => {
    const groupId = uniqueName('allowed-group')
    await security().allow('bob', { group: groupId }, ['READ'])
    const { error, ms } = await readerFailure(security().sasl('scram-sha-512', { user: 'bob' }), { groupId, topics: [topic] })
    expect(error).to.be.instanceOf(BrokerError).and.include({ kafkaError: 'TOPIC_AUTHORIZATION_FAILED', retriable: false })
    expect(error.message).to.match(/READ/)
    expect(ms).to.be.below(FAST)
  })

  // kafkajs drops the broker's GROUP_AUTHORIZATION_FAILED (FindCoordinator) and says only that it found no coordinator.
  it('fails a group the user may not join with a non-retriable typed error that says to grant READ on the group', async () => {
    const { error, ms } = await readerFailure(security().sasl('scram-sha-512'), { groupId: uniqueName('forbidden-group'), topics: [topic] })
    expect(error).to.be.instanceOf(KafkaPipeError).and.include({ retriable: false })
    expect(error.message).to.match(/READ on the group/)
    expect(ms).to.be.below(FAST)
  })
})
