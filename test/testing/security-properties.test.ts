import { expect } from 'chai'
import { scramFormatArguments, securityProperties, type SecuritySettings } from '../../lib/testing/security-properties'

describe('testing/security-properties', () => {
  const plain = { listeners: 'PLAINTEXT://h:1,CONTROLLER://h:2', advertised: 'PLAINTEXT://h:1', protocolMap: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT' }
  const ports = { ssl: 3, saslPlaintext: 4, saslSsl: 5, mutualTls: 6 }
  const settings: SecuritySettings = { users: { alice: 'a1', admin: 'x9' }, superUsers: [], acls: false, keyStoreFile: '/k.pem', trustStoreFile: '/ca.pem' }

  it('adds an SSL, a SASL_PLAINTEXT, a SASL_SSL and a mutual-TLS listener to the plaintext ones, advertised as they are', () => {
    const p = securityProperties('h', ports, plain, settings)
    expect(p).to.include({
      listeners: 'PLAINTEXT://h:1,CONTROLLER://h:2,SSL://h:3,SASL_PLAINTEXT://h:4,SASL_SSL://h:5,MTLS://h:6',
      'advertised.listeners': 'PLAINTEXT://h:1,SSL://h:3,SASL_PLAINTEXT://h:4,SASL_SSL://h:5,MTLS://h:6',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL',
      'listener.name.mtls.ssl.client.auth': 'required',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': '/k.pem',
      'ssl.truststore.location': '/ca.pem',
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    })
    expect(p).not.to.have.property('ssl.client.auth')
  })

  it('gives both SASL listeners the PLAIN users and a SCRAM login module per mechanism', () => {
    const p = securityProperties('h', ports, plain, settings)
    for (const listener of ['sasl_plaintext', 'sasl_ssl']) {
      expect(p[`listener.name.${listener}.plain.sasl.jaas.config`]).to.equal(
        'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="a1" user_admin="x9";',
      )
      expect(p[`listener.name.${listener}.scram-sha-512.sasl.jaas.config`]).to.equal('org.apache.kafka.common.security.scram.ScramLoginModule required;')
    }
  })

  it('turns on the StandardAuthorizer with the super users only with acls', () => {
    expect(securityProperties('h', ports, plain, settings)).not.to.have.property('authorizer.class.name')
    const p = securityProperties('h', ports, plain, { ...settings, acls: true, superUsers: ['User:admin', 'User:ANONYMOUS'] })
    expect(p).to.include({
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': 'User:admin;User:ANONYMOUS',
    })
  })

  it('stores SCRAM-SHA-256 and SCRAM-SHA-512 credentials of every user at format time', () => {
    expect(scramFormatArguments({ alice: 'a1' })).to.deep.equal([
      '--add-scram', 'SCRAM-SHA-256=[name=alice,password=a1]',
      '--add-scram', 'SCRAM-SHA-512=[name=alice,password=a1]',
    ])
  })
})
