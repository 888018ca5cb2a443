import { expect } from 'chai'
import { consumeOptions, isoTime } from '../../lib/cli/consume-options'
import { UsageError } from '../../lib/cli/exit-codes'

const env = { KAFKA_BROKERS: 'k:9092' }

describe('consumeOptions', () => {
  it('reads partition 0 from the earliest offset, forever, by default', () => {
    expect(consumeOptions(['--topic', 't'], env)).to.deep.equal({
      topic: 't',
      brokers: ['k:9092'],
      security: {},
      mode: { kind: 'partition', partition: 0, offset: 'earliest' },
      until: undefined,
      max: undefined,
      valueOnly: false,
      encoding: 'utf8',
      quiet: false,
      debug: false,
    })
  })

  it('takes an offset as a number or an ISO time, and --until latest or a time', () => {
    expect(consumeOptions(['--topic', 't', '--partition', '3', '--offset', '42'], env).mode).to.deep.equal({ kind: 'partition', partition: 3, offset: '42' })
    const o = consumeOptions(['--topic', 't', '--offset', '2024-05-01T12:00:00Z', '--until', '2024-05-02'], env)
    expect(o.mode).to.deep.equal({ kind: 'partition', partition: 0, offset: new Date('2024-05-01T12:00:00Z') })
    expect(o.until).to.deep.equal(new Date('2024-05-02'))
    expect(consumeOptions(['--topic', 't', '--until', 'latest', '--max', '5', '--value-only'], env)).to.deep.include({ until: 'latest', max: 5, valueOnly: true })
  })

  it('in a group, --offset says where partitions without a commit start', () => {
    expect(consumeOptions(['--topic', 't', '--group', 'g'], env).mode).to.deep.equal({ kind: 'group', groupId: 'g', fromBeginning: true })
    expect(consumeOptions(['--topic', 't', '--group', 'g', '--offset', 'latest'], env).mode).to.deep.equal({ kind: 'group', groupId: 'g', fromBeginning: false })
  })

  for (const [args, message] of [
    [['--topic', 't', '--group', 'g', '--partition', '1'], /--partition reads one partition without a group/],
    [['--topic', 't', '--group', 'g', '--offset', '5'], /with --group, --offset must be earliest or latest/],
    [['--topic', 't', '--offset', 'yesterday'], /--offset must be earliest, latest, an offset or an ISO 8601 time, not "yesterday"/],
    [['--topic', 't', '--until', 'soon'], /--until must be latest or an ISO 8601 time/],
    [['--topic', 't', '--max', '0'], /--max must be a whole number from 1/],
    [['--topic', 't', '--from-beginning'], /unknown flag --from-beginning/],
  ] as const) {
    it(`rejects ${args.join(' ')}`, () => {
      expect(() => consumeOptions([...args], env)).to.throw(UsageError, message)
    })
  }
})

describe('isoTime', () => {
  it('takes dates and date-times with a zone, not other date strings', () => {
    expect(isoTime('2024-05-01')?.toISOString()).to.equal('2024-05-01T00:00:00.000Z')
    expect(isoTime('2024-05-01T10:00:00+02:00')?.toISOString()).to.equal('2024-05-01T08:00:00.000Z')
    expect(isoTime('May 1, 2024')).to.equal(undefined)
    expect(isoTime('2024-13-45')).to.equal(undefined)
  })
})
