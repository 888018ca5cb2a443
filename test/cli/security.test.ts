import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { parseFlags } from '../../lib/cli/args'
import { UsageError } from '../../lib/cli/exit-codes'
import { securityFlags, securityFrom } from '../../lib/cli/security'

function security(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return securityFrom('consume', parseFlags('consume', securityFlags, argv).flags, env)
}

describe('securityFrom (TLS and SASL flags)', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kafka-pipe-security-'))
    await writeFile(join(dir, 'ca.pem'), 'CA PEM')
    await writeFile(join(dir, 'cert.pem'), 'CERT PEM')
    await writeFile(join(dir, 'key.pem'), 'KEY PEM')
  })
  after(() => rm(dir, { recursive: true }))

  it('is plaintext without flags', () => {
    expect(security([])).to.deep.equal({})
  })

  it('--tls alone trusts the system CAs; --ca, --cert and --cert-key pass the files\' contents', () => {
    expect(security(['--tls'])).to.deep.equal({ ssl: true })
    expect(security(['--ca', join(dir, 'ca.pem')])).to.deep.equal({ ssl: { ca: 'CA PEM' } })
    expect(security(['--tls', '--ca', join(dir, 'ca.pem'), '--cert', join(dir, 'cert.pem'), '--cert-key', join(dir, 'key.pem')])).to.deep.equal({
      ssl: { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' },
    })
  })

  it('takes the SASL password from KAFKA_SASL_PASSWORD, or from the variable --sasl-password-env names', () => {
    expect(security(['--sasl-mechanism', 'scram-sha-256', '--sasl-username', 'alice'], { KAFKA_SASL_PASSWORD: 's3cret' })).to.deep.equal({
      sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 's3cret' },
    })
    const env = { KAFKA_SASL_PASSWORD: 'not this', MY_PW: 'this' }
    expect(security(['--sasl-mechanism', 'plain', '--sasl-username', 'bob', '--sasl-password-env', 'MY_PW'], env).sasl).to.deep.equal({
      mechanism: 'plain',
      username: 'bob',
      password: 'this',
    })
  })

  it('has no --sasl-password flag', () => {
    expect(Object.keys(securityFlags)).not.to.include('sasl-password')
    expect(() => security(['--sasl-password', 'x'])).to.throw(UsageError, /unknown flag --sasl-password/)
    expect(securityFlags['sasl-password-env'].description).to.match(/no --sasl-password because a command line is visible/)
  })

  for (const [argv, env, message] of [
    [['--sasl-mechanism', 'plain', '--sasl-username', 'a'], {}, /no SASL password: set the environment variable KAFKA_SASL_PASSWORD \(or name another with --sasl-password-env\)/],
    [['--sasl-mechanism', 'plain', '--sasl-username', 'a', '--sasl-password-env', 'PW'], { KAFKA_SASL_PASSWORD: 'x' }, /set the environment variable PW$/],
    [['--sasl-mechanism', 'plain'], { KAFKA_SASL_PASSWORD: 'x' }, /--sasl-mechanism needs --sasl-username/],
    [['--sasl-mechanism', 'gssapi', '--sasl-username', 'a'], { KAFKA_SASL_PASSWORD: 'x' }, /--sasl-mechanism must be one of plain, scram-sha-256, scram-sha-512, not "gssapi"/],
    [['--sasl-username', 'a'], {}, /need --sasl-mechanism/],
    [['--cert', 'c.pem'], {}, /mutual TLS needs both --cert and --cert-key/],
    [['--ca', '/no/such/ca.pem'], {}, /cannot read --ca file "\/no\/such\/ca.pem" \(ENOENT\)/],
  ] as const) {
    it(`is a usage error: ${argv.join(' ')} -> ${String(message)}`, () => {
      expect(() => security([...argv], env)).to.throw(UsageError, message)
    })
  }
})
