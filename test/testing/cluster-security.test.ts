import { expect } from 'chai'
import { InvalidOptionError, OptionConflictError, TestingError } from '../../lib/errors'
import type { Certificates } from '../../lib/testing/certificates'
import { clusterSecurity } from '../../lib/testing/cluster-security'

describe('testing/cluster-security', () => {
  const certificates: Certificates = { ca: 'CA', caFile: '/ca.pem', brokerKeyStoreFile: '/k.pem', clientCertificate: 'CERT', clientKey: 'KEY' }
  const listeners = { ssl: ['h:3'], saslPlaintext: ['h:4'], saslSsl: ['h:5'], mutualTls: ['h:6'] }
  const security = clusterSecurity({ certificates, users: { alice: 'a1', bob: 'b1', admin: 'x' }, acls: false, listeners })

  it('gives TLS settings for the SSL listener and mutual-TLS settings with the client certificate', () => {
    expect(security.tls).to.deep.equal({ brokers: ['h:3'], ssl: { ca: 'CA' } })
    expect(security.mutualTls).to.deep.equal({ brokers: ['h:6'], ssl: { ca: 'CA', cert: 'CERT', key: 'KEY' } })
    expect(security.mutualTlsPrincipal).to.equal('User:CN=kafka-pipe-client')
  })

  it('gives SASL settings over SASL_SSL by default, as the first user', () => {
    expect(security.sasl('scram-sha-256')).to.deep.equal({
      brokers: ['h:5'],
      ssl: { ca: 'CA' },
      sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'a1' },
    })
  })

  it('gives SASL settings over SASL_PLAINTEXT with tls: false, for another user or password', () => {
    expect(security.sasl('plain', { tls: false, user: 'bob' })).to.deep.equal({ brokers: ['h:4'], sasl: { mechanism: 'plain', username: 'bob', password: 'b1' } })
    expect(security.sasl('plain', { password: 'wrong' }).sasl).to.include({ username: 'alice', password: 'wrong' })
  })

  it('rejects a mechanism it has no listener for, and a user it does not know', () => {
    expect(() => security.sasl('gssapi' as never)).to.throw(InvalidOptionError, /option "mechanism" must be 'plain', 'scram-sha-256' or 'scram-sha-512'/)
    expect(() => security.sasl('plain', { user: 'carol' })).to.throw(OptionConflictError, /no SASL user "carol": the users are alice, bob, admin/)
  })

  it('refuses to grant ACLs on a cluster that does not enforce them, saying which option to set', async () => {
    const err = await security.allow('alice', { topic: 't' }, ['READ']).catch((e: unknown) => e)
    expect(err).to.be.instanceOf(TestingError).with.property('message').that.matches(/security: \{ acls: true \}/)
  })
})
