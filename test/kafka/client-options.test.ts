import { expect } from 'chai'
import type { Kafka } from 'kafkajs'
import { InvalidOptionError } from '../../lib/errors'
import { clientOptionsSchema, kafkaClient, NO_KAFKAJS_RETRIES } from '../../lib/kafka/client-options'

const checkSasl = (sasl: unknown) => clientOptionsSchema.sasl(sasl, 'sasl')

/** The retry settings kafkajs keeps for its Cluster (a private symbol of kafkajs 2.2). */
function clusterRetry(kafka: Kafka): unknown {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:clusterRetry')
  return symbol && (kafka as unknown as Record<symbol, unknown>)[symbol]
}

describe('kafka/client-options', () => {
  it("switches kafkajs' own retrier off when the caller retries by itself (the writer), and leaves it alone otherwise", () => {
    expect(clusterRetry(kafkaClient({ brokers: ['x:1'] }, NO_KAFKAJS_RETRIES))).to.deep.equal({ retries: 0 })
    expect(clusterRetry(kafkaClient({ brokers: ['x:1'] }))).to.equal(undefined)
  })

  it('rejects a SASL mechanism kafkajs does not know, listing those it does', () => {
    expect(() => checkSasl({ mechanism: 'scram-sha-1', username: 'u', password: 'p' }))
      .to.throw(InvalidOptionError, /option "sasl.mechanism" must be one of 'plain', 'scram-sha-256', 'scram-sha-512', 'aws', 'oauthbearer', not 'scram-sha-1'/)
    expect(() => checkSasl('plain')).to.throw(InvalidOptionError, /option "sasl" must be an object/)
  })

  it('takes the built-in mechanisms and a custom one with its authenticationProvider', () => {
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      expect(() => checkSasl({ mechanism, username: 'u', password: 'p' })).not.to.throw()
    }
    const custom = { mechanism: 'my-mechanism', authenticationProvider: () => ({ authenticate: async () => {} }) }
    expect(() => checkSasl(custom)).not.to.throw()
  })
})
