import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AuthenticationError, KafkaReadable, KafkaWritable } from 'kafka-pipe'
import { startKafka } from 'kafka-pipe/testing'

// Production: SCRAM over TLS, verifying the brokers against the company CA.
export async function shipOverSaslSsl(events: object[]): Promise<void> {
  const connection = {
    brokers: ['kafka-1.example.com:9094', 'kafka-2.example.com:9094'],
    ssl: { ca: readFileSync('/etc/kafka/ca.pem', 'utf8') }, // or ssl: true for the system CAs
    sasl: { mechanism: 'scram-sha-512' as const, username: 'etl', password: process.env.KAFKA_PASSWORD ?? '' },
  }
  try {
    await pipeline(Readable.from(events.map((value) => ({ value }))), new KafkaWritable({ ...connection, topic: 'events' }))
  } catch (err) {
    // A wrong password or mechanism, a CA that did not sign the brokers: not retriable; the message names the setting.
    if (err instanceof AuthenticationError) console.error(err.code, err.message)
    throw err
  }
}

// Tests: a real broker with SSL, SASL and mutual-TLS listeners, users and ACLs; its settings go straight into the streams.
export async function testAgainstSecuredBroker(): Promise<void> {
  const cluster = await startKafka({ security: { users: { etl: 'etl-secret' }, acls: true }, useEnvironment: false })
  try {
    const { security } = cluster
    await security!.allow('etl', { topic: 'events' }, ['CREATE', 'WRITE', 'READ'])
    await security!.allow('etl', { group: 'kafka-pipe-partition-reader-', prefixed: true }, ['READ'])
    const etl = security!.sasl('scram-sha-256', { user: 'etl' }) // { brokers, ssl: { ca }, sasl }; tls: false for SASL_PLAINTEXT
    await pipeline(Readable.from([{ value: 'hello' }]), new KafkaWritable({ ...etl, topic: 'events', allowAutoTopicCreation: true }))
    // security!.tls and security!.mutualTls ({ brokers, ssl: { ca, cert, key } }) work the same way.
    for await (const message of new KafkaReadable({ ...etl, topic: 'events', until: 'latest' })) console.log(String(message.value))
  } finally {
    await cluster.stop()
  }
}
