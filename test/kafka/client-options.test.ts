import { expect } from 'chai'
import { InvalidOptionError } from '../../lib/errors'
import { clientOptionsSchema } from '../../lib/kafka/client-options'

const checkSasl = (sasl: unknown) => clientOptionsSchema.sasl(sasl, 'sasl')

describe('kafka/client-options', () => {
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
