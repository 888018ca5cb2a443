import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildCli, runCli } from './run-cli'

/** Mistakes on the command line: no broker needed, the binary must answer in one line with the documented code. */
describe('kafka-pipe usage errors (the built binary)', function () {
  this.timeout(60_000)
  const brokers = ['localhost:9']
  before(async function () {
    this.timeout(180_000)
    await buildCli()
  })

  it('exits 2 with one line naming an unknown flag, and no stack trace', async () => {
    const result = await runCli(['produce', '--topic', 't', '--partitoin', '1'], { brokers })
    expect(result).to.deep.include({ code: 2, stdout: '', stderr: 'kafka-pipe: produce: unknown flag --partitoin (see kafka-pipe produce --help)\n' })
  })

  it('exits 2 when the topic is missing', async () => {
    const result = await runCli(['consume'], { brokers })
    expect(result).to.deep.include({ code: 2, stderr: 'kafka-pipe: consume: --topic is required (see kafka-pipe consume --help)\n' })
  })

  it('exits 2 on a broker address that is not host:port', async () => {
    const result = await runCli(['produce', '--topic', 't', '--brokers', 'localhost,other:9092'], { brokers })
    expect(result.code).to.equal(2)
    expect(result.stderr).to.equal('kafka-pipe: produce: bad broker address "localhost": expected host:port, e.g. localhost:9092\n')
  })

  it('exits 1 with one line when no broker answers within --delivery-timeout, and shows the stack with --debug', async () => {
    const quiet = await runCli(['produce', '--topic', 't', '--quiet', '--delivery-timeout', '2000'], { brokers, input: '{"n":1}\n' })
    expect(quiet.code).to.equal(1)
    expect(quiet.stderr).to.match(/^kafka-pipe: [^\n]*localhost:9[^\n]*\n$/)
    const debug = await runCli(['produce', '--topic', 't', '--quiet', '--debug', '--delivery-timeout', '2000'], { brokers, input: '{"n":1}\n' })
    expect(debug.code).to.equal(1)
    expect(debug.stderr).to.match(/\n\s+at /)
  })

  it('prints help per command with examples (exit 0) and the package version', async () => {
    const help = await runCli(['consume', '--help'], { brokers })
    expect(help.code).to.equal(0)
    expect(help.stdout).to.include('--group <group>').and.include('examples:').and.include('exit codes:')
    const version = await runCli(['--version'], { brokers })
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }
    expect(version).to.deep.include({ code: 0, stdout: `${pkg.version}\n` })
  })

  it('exits 2 and lists the commands when none or an unknown one is given', async () => {
    const none = await runCli([], { brokers })
    expect(none.code).to.equal(2)
    expect(none.stderr).to.include('produce').and.include('consume')
    const unknown = await runCli(['prodcue'], { brokers })
    expect(unknown).to.deep.include({ code: 2, stderr: 'kafka-pipe: unknown command "prodcue": expected one of produce, consume, copy, topics list, topics create, topics describe (see kafka-pipe --help)\n' })
    const action = await runCli(['topics', 'delete', '--topic', 't'], { brokers })
    expect(action).to.deep.include({ code: 2 })
    expect(action.stderr).to.match(/^kafka-pipe: unknown command "topics delete"/)
  })
})
