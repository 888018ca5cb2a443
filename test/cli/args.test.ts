import { expect } from 'chai'
import { choice, parseFlags, required, wholeNumber, type FlagSchema } from '../../lib/cli/args'
import { UsageError } from '../../lib/cli/exit-codes'

const schema = {
  topic: { type: 'string', description: 't' },
  header: { type: 'string', multiple: true, description: 'h' },
  quiet: { type: 'boolean', description: 'q' },
} as const satisfies FlagSchema

function usageMessage(work: () => unknown): string {
  try {
    work()
  } catch (err) {
    expect(err).to.be.instanceOf(UsageError)
    return (err as UsageError).message
  }
  throw new Error('expected a UsageError')
}

describe('parseFlags', () => {
  it('reads string, repeatable and boolean flags, --flag=value too, and positionals when allowed', () => {
    const { flags, positionals } = parseFlags('produce', schema, ['--topic=t', '--header', 'a=1', '--header', 'b=2', '--quiet', 'in.ndjson'], true)
    expect(flags).to.deep.equal({ topic: 't', header: ['a=1', 'b=2'], quiet: true })
    expect(positionals).to.deep.equal(['in.ndjson'])
  })

  it('rejects a flag the command does not declare, naming it', () => {
    expect(usageMessage(() => parseFlags('produce', schema, ['--topic', 't', '--partition', '1']))).to.equal(
      'produce: unknown flag --partition (see kafka-pipe produce --help)',
    )
  })

  it('rejects a string flag without a value and a boolean flag with one', () => {
    expect(usageMessage(() => parseFlags('consume', schema, ['--topic']))).to.match(/^consume: --topic needs a value/)
    expect(usageMessage(() => parseFlags('consume', schema, ['--quiet=yes']))).to.match(/^consume: --quiet takes no value/)
  })

  it('rejects positionals where the command takes none', () => {
    expect(usageMessage(() => parseFlags('consume', schema, ['extra']))).to.match(/^consume: unexpected argument extra/)
  })
})

describe('flag value checks', () => {
  it('required names the missing flag', () => {
    expect(usageMessage(() => required('produce', 'topic', undefined))).to.equal('produce: --topic is required (see kafka-pipe produce --help)')
  })

  it('choice lists the valid values and shows the bad one', () => {
    expect(choice('produce', 'acks', undefined, ['all', 'none'] as const, 'all')).to.equal('all')
    expect(usageMessage(() => choice('produce', 'acks', 'some', ['all', 'none'] as const, 'all'))).to.equal(
      'produce: --acks must be one of all, none, not "some"',
    )
  })

  it('wholeNumber takes digits within range only', () => {
    expect(wholeNumber('consume', 'max', '10', 1)).to.equal(10)
    for (const bad of ['0', '-1', '1.5', '1e3', 'ten', '']) expect(() => wholeNumber('consume', 'max', bad, 1)).to.throw(UsageError, /--max must be a whole number/)
  })
})
