import { expect } from 'chai'
import { InvalidOptionError, OptionConflictError, UnknownOptionError } from '../../lib/errors'
import { defaultReadableOptions, resolveReadableOptions, type KafkaReadableOptions } from '../../lib/readable/options'

const group = { groupId: 'g', topics: 't' }

function rejects(options: KafkaReadableOptions, type: typeof InvalidOptionError | typeof OptionConflictError, message: RegExp): void {
  expect(() => resolveReadableOptions(options)).to.throw(type, message)
}

describe('KafkaReadable options', () => {
  it('fills in the defaults of a group reader', () => {
    const o = resolveReadableOptions({ groupId: 'g', topics: ['a', /b-.*/] })
    expect(o.mode).to.deep.equal({
      kind: 'group',
      groupId: 'g',
      topics: ['a', /b-.*/],
      fromBeginning: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      commitInterval: 1000,
      ackOnRead: false,
      transactionalId: undefined,
    })
    expect(o).to.include({ highWaterMark: 1000, maxBufferedBytes: 16 * 1024 * 1024, onDecodeError: 'error', until: undefined })
    expect(o.decodeValue(Buffer.from('x'), { topic: 't', partition: 0, offset: '0', headers: {} })).to.deep.equal(Buffer.from('x'))
  })

  it('fills in the defaults of a partition reader and takes every form of start offset', () => {
    expect(resolveReadableOptions({ topic: 't' }).mode).to.deep.equal({ kind: 'partition', topic: 't', partition: 0, offset: 'earliest' })
    const at = new Date(0)
    for (const [offset, expected] of [
      ['latest', 'latest'],
      [at, at],
      [42, 42n],
      ['42', 42n],
      [42n, 42n],
      ['9223372036854775807', 2n ** 63n - 1n],
    ] as const) {
      expect(resolveReadableOptions({ topic: 't', partition: 2, offset }).mode).to.deep.include({ partition: 2, offset: expected })
    }
  })

  it('keeps every default in one object', () => {
    expect(defaultReadableOptions).to.include({ commitInterval: 1000, highWaterMark: 1000, closeTimeout: 10_000, offset: 'earliest' })
  })

  it('needs a mode, and rejects options of the other mode', () => {
    rejects({}, OptionConflictError, /either "groupId" with "topics".*or "topic" with "partition"/)
    rejects({ ...group, partition: 1 }, OptionConflictError, /"partition" cannot be used with "groupId"/)
    rejects({ ...group, topic: 't', offset: 'latest' }, OptionConflictError, /"topic", "offset" cannot be used with "groupId"/)
    rejects({ topic: 't', fromBeginning: true }, OptionConflictError, /"fromBeginning" only apply to a consumer group/)
    rejects({ topic: 't', ackOnRead: true, commitInterval: 0 }, OptionConflictError, /"commitInterval", "ackOnRead" only apply/)
  })

  it('names the option, shows the bad value and says what works', () => {
    rejects({ groupId: 'g' }, OptionConflictError, /a consumer group \("groupId"\) needs "topics"/)
    rejects({ groupId: 'g', topics: [] }, InvalidOptionError, /"topics"/)
    rejects({ groupId: '', topics: 't' }, InvalidOptionError, /option "groupId" must be a non-empty string, not ''/)
    rejects({ topic: 't', offset: -1 }, InvalidOptionError, /option "offset" must be 'earliest', 'latest', a Date, or a non-negative offset.*not -1/)
    rejects({ topic: 't', offset: '9223372036854775808' }, InvalidOptionError, /"offset"/)
    rejects({ topic: 't', offset: 'first' as never }, InvalidOptionError, /not 'first'/)
    rejects({ topic: 't', offset: new Date(NaN) }, InvalidOptionError, /"offset"/)
    rejects({ topic: 't', partition: -1 }, InvalidOptionError, /option "partition" must be an integer from 0 to 2147483647, not -1/)
    rejects({ topic: 't', until: 'end' as never }, InvalidOptionError, /option "until" must be 'latest' or a valid Date, not 'end'/)
    rejects({ topic: 't', highWaterMark: 0 }, InvalidOptionError, /"highWaterMark" must be an integer >= 1/)
    rejects({ topic: 't', maxBufferedBytes: 1.5 }, InvalidOptionError, /"maxBufferedBytes"/)
    rejects({ topic: 't', onDecodeError: 'ignore' as never }, InvalidOptionError, /"onDecodeError" must be 'error', 'skip' or a function/)
    rejects({ topic: 't', valueDeserializer: 'avro' as never }, InvalidOptionError, /"valueDeserializer" must be one of 'buffer', 'string', 'json'/)
    rejects({ topic: 't', signal: {} as AbortSignal }, InvalidOptionError, /"signal" must be an AbortSignal/)
    rejects({ ...group, ackOnRead: 'yes' as never }, InvalidOptionError, /"ackOnRead" must be true or false/)
    rejects({ ...group, commitInterval: -1 }, InvalidOptionError, /"commitInterval" must be a whole number of milliseconds from 0/)
  })

  it('takes transactionalId in a group only, without options for commits of its own, reading committed data', () => {
    expect(resolveReadableOptions({ ...group, transactionalId: 'tx' }).mode).to.include({ transactionalId: 'tx' })
    expect(resolveReadableOptions(group).isolationLevel).to.equal('read_committed')
    rejects({ topic: 't', transactionalId: 'tx' }, OptionConflictError, /"transactionalId" only apply to a consumer group/)
    rejects({ ...group, transactionalId: 'tx', commitInterval: 0 }, OptionConflictError, /"commitInterval" cannot be used with "transactionalId": the reader commits nothing itself/)
    rejects({ ...group, transactionalId: 'tx', ackOnRead: true }, OptionConflictError, /"ackOnRead" cannot be used with "transactionalId"/)
    rejects({ ...group, transactionalId: 'tx', isolationLevel: 'read_uncommitted' }, OptionConflictError, /must not copy what aborted transactions wrote/)
    rejects({ ...group, isolationLevel: 'committed' as never }, InvalidOptionError, /option "isolationLevel" must be one of 'read_committed', 'read_uncommitted'/)
  })

  it('wants heartbeats more often than the session times out', () => {
    rejects({ ...group, sessionTimeout: 6000, heartbeatInterval: 6000 }, OptionConflictError, /heartbeatInterval \(6000\) must be lower than sessionTimeout \(6000\)/)
  })
})

describe('KafkaReadable options: names', () => {
  it('refuses a misspelled option instead of ignoring it: groupID with topic is not a partition reader', () => {
    expect(() => resolveReadableOptions({ groupID: 'g', topic: 't' } as never)).to.throw(UnknownOptionError, /no option "groupID"; did you mean "groupId"/)
  })
})
