import { expect } from 'chai'
import { copyOptions } from '../../lib/cli/copy-options'
import { UsageError } from '../../lib/cli/exit-codes'

const env = { KAFKA_BROKERS: 'k:9092' }
const base = ['--from-topic', 'a', '--to-topic', 'b', '--group', 'g']

describe('copyOptions', () => {
  it('copies from the earliest uncommitted offset, forever, verbatim by default', () => {
    expect(copyOptions(base, env)).to.deep.equal({
      from: 'a',
      to: 'b',
      groupId: 'g',
      brokers: ['k:9092'],
      security: {},
      fromBeginning: true,
      until: undefined,
      map: undefined,
      balancer: 'murmur2',
      compression: 'none',
      acks: 'all',
      transactionalId: undefined,
      quiet: false,
      writer: {},
      debug: false,
    })
  })

  it('takes --until, --offset latest, --map and the writer flags', () => {
    const o = copyOptions([...base, '--until', '2024-05-01', '--offset', 'latest', '--map', 'm.js', '--compression', 'gzip', '--balancer', 'crc32'], env)
    expect(o).to.deep.include({ until: new Date('2024-05-01'), fromBeginning: false, map: 'm.js', compression: 'gzip', balancer: 'crc32' })
  })

  it('takes --transactional-id for the reader and the writer, and --transaction-interval for the writer', () => {
    const o = copyOptions([...base, '--transactional-id', 'a-to-b', '--transaction-interval', '1000', '--delivery-timeout', '30000'], env)
    expect(o).to.deep.include({ transactionalId: 'a-to-b', acks: 'all', writer: { deliveryTimeout: 30000, transactionInterval: 1000 } })
  })

  it('takes --transactional-id with --acks all said out loud', () => {
    expect(copyOptions([...base, '--transactional-id', 't', '--acks', 'all'], env)).to.deep.include({ transactionalId: 't', acks: 'all' })
  })

  for (const [args, message] of [
    [['--from-topic', 'a', '--group', 'g'], /--to-topic is required/],
    [['--from-topic', 'a', '--to-topic', 'b'], /--group is required/],
    [['--from-topic', 'a', '--to-topic', 'a', '--group', 'g'], /a copy into its own source never ends/],
    [[...base, '--offset', '5'], /--offset must be one of earliest, latest/],
    [[...base, '--until', 'now'], /--until must be latest or an ISO 8601 time/],
    [[...base, '--partition', '1'], /unknown flag --partition/],
    [[...base, '--transactional-id', 't', '--acks', 'leader'], /--transactional-id needs --acks all \(the default\), not "leader"/],
    [[...base, '--transactional-id', 't', '--acks', 'none'], /--transactional-id needs --acks all \(the default\), not "none"/],
    [[...base, '--transactional-id', ''], /--transactional-id needs a name/],
    [[...base, '--transaction-interval', '500'], /--transaction-interval only applies with --transactional-id/],
    [[...base, '--transactional-id', 't', '--transaction-interval', '0'], /--transaction-interval must be a whole number from 1 to 2147483647, not "0"/],
    [[...base, '--transactional-id', 't', '--transaction-interval', '1s'], /--transaction-interval must be a whole number/],
  ] as const) {
    it(`rejects ${args.join(' ')}`, () => {
      expect(() => copyOptions([...args], env)).to.throw(UsageError, message)
    })
  }
})
