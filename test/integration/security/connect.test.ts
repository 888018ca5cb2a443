import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { KafkaReadable, KafkaWritable } from '../../../lib'
import type { SaslMechanism } from '../../../lib/testing'
import { uniqueName, withAdmin } from '../cluster'
import { quiet, roundTrip, useSecuredCluster } from './helpers'

describe('KafkaWritable and KafkaReadable over TLS and SASL (integration)', function () {
  this.timeout(60_000)
  const suite = useSecuredCluster(true)
  const expected = Array.from({ length: 100 }, (_, i) => `secured-${i}`)

  it('move data over TLS, verifying the broker against the CA given as ssl.ca', async () => {
    const topic = await suite.topic('tls')
    expect(await roundTrip(suite.cluster.security!.tls, topic)).to.deep.equal(expected)
  })

  it('move data over mutual TLS, showing the client certificate to a listener that requires one', async () => {
    const topic = await suite.topic('mtls')
    expect(await roundTrip(suite.cluster.security!.mutualTls, topic)).to.deep.equal(expected)
  })

  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] satisfies SaslMechanism[]) {
    for (const tls of [true, false]) {
      it(`move data with SASL ${mechanism.toUpperCase()} over ${tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'}`, async () => {
        const topic = await suite.topic(`${mechanism}-${tls ? 'ssl' : 'plaintext'}`)
        const settings = suite.cluster.security!.sasl(mechanism, { tls })
        expect(settings.sasl).to.include({ mechanism, username: 'alice' })
        expect(settings.ssl !== undefined).to.equal(tls)
        expect(await roundTrip(settings, topic)).to.deep.equal(expected)
      })
    }
  }

  it('read in a consumer group over SASL_SSL and commit what was acked', async () => {
    const topic = await suite.topic('group', 2)
    const settings = quiet(suite.cluster.security!.sasl('scram-sha-512'))
    await pipeline(Readable.from(expected.map((value) => ({ key: value, value }))), new KafkaWritable({ ...settings, topic }))
    const groupId = uniqueName('secured-group')
    const read: string[] = []
    for await (const message of new KafkaReadable({ ...settings, groupId, topics: [topic], fromBeginning: true, until: 'latest', valueDeserializer: 'string' })) {
      read.push(String(message.value))
      message.ack()
    }
    expect(read.sort()).to.deep.equal([...expected].sort())
    const [offsets] = await withAdmin(suite.cluster, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }))
    expect(offsets!.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).to.equal(expected.length)
  })

  it('keep the plaintext listener at cluster.brokers, apart from the secured ones', () => {
    const { brokers, security } = suite.cluster
    const secured = Object.values(security!.listeners).flat()
    expect(secured).to.have.length(4)
    expect(new Set([...brokers, ...secured]).size).to.equal(5)
  })
})
