import { expect } from 'chai'
import { AuthenticationError, ConnectionError } from '../../lib/errors'
import { flagHint } from '../../lib/cli/error-hints'

describe('flagHint', () => {
  it('names the SASL flags and the password variable for a refused login', () => {
    const error = new AuthenticationError('connecting', new Error('SASL SCRAM SHA256 authentication failed'), 'check the sasl username, password and mechanism against the broker')
    expect(flagHint(error)).to.equal('on the command line: --sasl-mechanism, --sasl-username and the password in $KAFKA_SASL_PASSWORD (or the variable --sasl-password-env names)')
  })

  it('names the TLS flags for a certificate the client does not trust', () => {
    const error = new AuthenticationError('connecting', new Error('self-signed certificate in certificate chain'), "the broker's TLS certificate is not trusted: pass ssl: { ca }")
    expect(flagHint(error)).to.match(/^on the command line: --tls, --ca /)
  })

  it('names the TLS flags when a TLS listener closed a plaintext client', () => {
    expect(flagHint(new ConnectionError('localhost:1', new Error('Closed connection'), 'ssl may be misconfigured: pass ssl'))).to.match(/--tls, --ca/)
  })

  it('adds nothing to errors that are not about TLS or SASL settings', () => {
    expect(flagHint(new ConnectionError('localhost:1', new Error('ECONNREFUSED')))).to.equal(undefined)
    expect(flagHint(new Error('sasl'))).to.equal(undefined)
  })
})
