import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { useSecuredCluster } from '../security/helpers'
import { buildCli, ndjson, runCli } from './run-cli'

describe('kafka-pipe over TLS and SASL (the built binary, a secured broker)', function () {
  this.timeout(120_000)
  const suite = useSecuredCluster(true)
  let dir: string
  let ca: string
  before(async function () {
    this.timeout(180_000)
    await buildCli()
    dir = await mkdtemp(join(tmpdir(), 'kafka-pipe-cli-security-'))
    ca = join(dir, 'ca.pem')
    await writeFile(ca, suite.cluster.security!.ca)
  })
  after(() => rm(dir, { recursive: true, force: true }))

  /** The SASL_SSL listener, the CA file, and SCRAM-SHA-256 as alice: everything but the password. */
  function scram(): { brokers: string[]; flags: string[]; password: string } {
    const settings = suite.cluster.security!.sasl('scram-sha-256')
    return {
      brokers: settings.brokers,
      flags: ['--ca', ca, '--sasl-mechanism', 'scram-sha-256', '--sasl-username', settings.sasl!.username],
      password: settings.sasl!.password,
    }
  }

  it('produces and consumes over SASL_SSL SCRAM-SHA-256 with a CA file, the password from the environment', async () => {
    const topic = await suite.topic('cli-scram')
    const { brokers, flags, password } = scram()
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ id: `k${i}`, n: i }))
    const produced = await runCli(['produce', '--topic', topic, '--key', 'id', ...flags], { brokers, input: lines.join('\n'), env: { KAFKA_SASL_PASSWORD: password } })
    expect(produced.stderr).to.match(/stored 500 records/)
    expect(produced.code).to.equal(0)

    const args = ['consume', '--topic', topic, '--until', 'latest', ...flags, '--sasl-password-env', 'ALICE_PASSWORD']
    const consumed = await runCli(args, { brokers, env: { ALICE_PASSWORD: password, KAFKA_SASL_PASSWORD: 'not this one' } })
    expect(consumed).to.include({ code: 0, stderr: '' })
    const messages = ndjson<{ key: string; value: { id: string; n: number } }>(consumed.stdout)
    expect(messages.map((m) => JSON.stringify(m.value))).to.deep.equal(lines)
    expect(messages.map((m) => m.key)).to.deep.equal(lines.map((_, i) => `k${i}`))
  })

  it('exits 1 on a wrong password with one line naming the SASL flags and the password variable', async () => {
    const topic = await suite.topic('cli-wrong-password')
    const { brokers, flags } = scram()
    for (const args of [['produce', '--topic', topic, ...flags], ['consume', '--topic', topic, '--until', 'latest', ...flags]]) {
      const result = await runCli(args, { brokers, input: '{"a":1}\n', env: { KAFKA_SASL_PASSWORD: 'wrong' } })
      expect(result.code, args[0]).to.equal(1)
      const errorLines = result.stderr.split('\n').filter((line) => line !== '' && !/stored 0 records/.test(line))
      expect(errorLines, result.stderr).to.have.length(1)
      expect(errorLines[0]).to.match(/^kafka-pipe: .*authentication failed.*--sasl-mechanism, --sasl-username and the password in \$KAFKA_SASL_PASSWORD/i)
    }
  })

  it('exits 1 naming --ca when TLS is on without the CA that signed the brokers\' certificates', async () => {
    const topic = await suite.topic('cli-no-ca')
    const result = await runCli(['topics', 'describe', '--topic', topic, '--tls'], { brokers: suite.cluster.security!.tls.brokers })
    expect(result.code).to.equal(1)
    expect(result.stderr.trim().split('\n')).to.have.length(1)
    expect(result.stderr).to.match(/certificate.*--tls, --ca/)
  })

  it('exits 2 before connecting when the password variable is not set', async () => {
    const { brokers, flags } = scram()
    const result = await runCli(['topics', 'list', ...flags], { brokers, env: { KAFKA_SASL_PASSWORD: '' } })
    expect(result).to.include({ code: 2, stdout: '' })
    expect(result.stderr).to.match(/no SASL password: set the environment variable KAFKA_SASL_PASSWORD/)
  })
})
