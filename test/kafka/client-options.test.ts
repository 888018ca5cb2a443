import { expect } from 'chai'
import { InvalidOptionError } from '../../lib/errors'
import { kafkaClient } from '../../lib/kafka/client-options'

describe('kafka/client-options', () => {
  it('rejects a SASL mechanism kafkajs does not know, listing those it does', () => {
    expect(() => kafkaClient({ brokers: ['h:1'], sasl: { mechanism: 'scram-sha-1', username: 'u', password: 'p' } as never }))
      .to.throw(InvalidOptionError, /option "sasl.mechanism" must be one of 'plain', 'scram-sha-256', 'scram-sha-512', 'aws', 'oauthbearer', not 'scram-sha-1'/)
    expect(() => kafkaClient({ brokers: ['h:1'], sasl: 'plain' as never })).to.throw(InvalidOptionError, /option "sasl" must be an object/)
  })

  it('takes the built-in mechanisms and a custom one with its authenticationProvider', () => {
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      expect(() => kafkaClient({ brokers: ['h:1'], sasl: { mechanism, username: 'u', password: 'p' } })).not.to.throw()
    }
    const custom = { mechanism: 'my-mechanism', authenticationProvider: () => ({ authenticate: async () => {} }) }
    expect(() => kafkaClient({ brokers: ['h:1'], sasl: custom as never })).not.to.throw()
  })
})
