import { EventEmitter } from 'node:events'
import { PassThrough, Readable } from 'node:stream'
import { expect } from 'chai'
import { main } from '../../lib/cli/main'
import { listenForStopSignals } from '../../lib/cli/signals'
import { exitCodeOf, ExitCode, oneLine, BadInputError, UsageError } from '../../lib/cli/exit-codes'
import { formatProduceSummary } from '../../lib/cli/summary'

function fakeIO() {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const text = (s: PassThrough) => () => (s.read() as Buffer | null)?.toString() ?? ''
  const signals = { stopped: new Promise<never>(() => {}), code: undefined, dispose: () => {} }
  return { io: { stdin: Readable.from([]), stdout, stderr, env: {}, signals }, out: text(stdout), err: text(stderr) }
}

describe('main', () => {
  it('answers a usage error with one line on stderr and exit 2', async () => {
    const { io, out, err } = fakeIO()
    expect(await main(['consume', '--topic', 't', '--brokers', 'b:1', '--bogus'], io)).to.equal(2)
    expect(err()).to.equal('kafka-pipe: consume: unknown flag --bogus (see kafka-pipe consume --help)\n')
    expect(out()).to.equal('')
  })

  it('adds the stack with --debug', async () => {
    const { io, err } = fakeIO()
    expect(await main(['consume', '--debug'], io)).to.equal(2)
    expect(err()).to.match(/^kafka-pipe: consume: --topic is required[^\n]*\nUsageError: .*\n\s+at /)
  })

  it('shows a command\'s help before checking its flags, every flag of its schema included', async () => {
    const { io, out } = fakeIO()
    expect(await main(['produce', '--help', '--bogus'], io)).to.equal(0)
    const help = out()
    for (const flag of ['--topic', '--brokers', '--format', '--key', '--timestamp', '--header', '--balancer', '--compression', '--acks', '--batch-size', '--on-error', '--quiet']) {
      expect(help).to.include(flag)
    }
    expect(help).to.include('examples:')
  })

  it('prints the package version', async () => {
    const { io, out } = fakeIO()
    expect(await main(['--version'], io)).to.equal(0)
    expect(out()).to.match(/^\d+\.\d+\.\d+/)
  })
})

describe('exit codes', () => {
  it('are the documented ones', () => {
    expect(ExitCode).to.deep.equal({ ok: 0, failure: 1, usage: 2, badInput: 65, sigint: 130, sigterm: 143 })
    expect(exitCodeOf(new UsageError('x'))).to.equal(2)
    expect(exitCodeOf(new BadInputError('x'))).to.equal(65)
    expect(exitCodeOf(new Error('broker down'))).to.equal(1)
  })

  it('show errors in one line', () => {
    expect(oneLine(new Error('first\n    at somewhere'))).to.equal('first')
    expect(oneLine('text')).to.equal('text')
  })
})

describe('listenForStopSignals', () => {
  function fakeProcess() {
    const proc = new EventEmitter() as EventEmitter & { exit: (code: number) => void; exits: number[] }
    proc.exits = []
    proc.exit = (code) => proc.exits.push(code)
    return proc
  }

  it('resolves with 130 on SIGINT and 143 on SIGTERM; a second signal exits at once', async () => {
    const proc = fakeProcess()
    const signals = listenForStopSignals(proc as unknown as NodeJS.Process)
    proc.emit('SIGTERM')
    expect(await signals.stopped).to.equal(143)
    expect(signals.code).to.equal(143)
    proc.emit('SIGINT')
    expect(proc.exits).to.deep.equal([130])
    signals.dispose()
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).to.equal(0)
  })
})

describe('formatProduceSummary', () => {
  it('says records, bytes, partitions, seconds and rate, and skipped lines if any', () => {
    expect(formatProduceSummary({ topic: 't', records: 1000, bytes: 2048, partitions: 3, seconds: 0.5, skipped: 0 })).to.equal(
      'kafka-pipe: stored 1000 records (2.0 KiB) in 3 partitions of t in 0.50 s (2000 records/s)',
    )
    expect(formatProduceSummary({ topic: 't', records: 1, bytes: 10, partitions: 1, seconds: 1, skipped: 2 })).to.match(/, skipped 2 bad lines$/)
  })
})

describe('main: two-word commands', () => {
  it('finds topics <action> and its own flag schema', async () => {
    const { io, err } = fakeIO()
    expect(await main(['topics', 'create', '--brokers', 'b:1', '--partitions', '0', '--topic', 't'], io)).to.equal(2)
    expect(err()).to.equal('kafka-pipe: topics create: --partitions must be a whole number from 1 to 2147483647, not "0"\n')
  })

  it('shows help of topics <action> with kafka-pipe help topics <action>', async () => {
    const { io, out } = fakeIO()
    expect(await main(['help', 'topics', 'describe'], io)).to.equal(0)
    expect(out()).to.match(/^usage: kafka-pipe topics describe --topic <topic>/)
  })
})
