import { compressionNames, type CompressionName } from '../codecs/compression'
import { deliveryTimeoutFlags, deliveryTimeoutFrom } from './delivery-timeout'
import { choice, commonFlags, parseFlags, required, wholeNumber, type FlagSchema } from './args'
import { BALANCER_NAMES, type BalancerName } from './balancer-names'
import { brokerFlags, brokersFrom } from './brokers'
import { securityFlags, securityFrom, type Security } from './security'
import { isoTime } from './consume-options'
import { UsageError } from './exit-codes'
import { INT32_MAX } from '../options/fields'

export const copyFlags = {
  'from-topic': { type: 'string', value: '<topic>', description: 'the topic to read (required)' },
  'to-topic': { type: 'string', value: '<topic>', description: 'the topic to write (required)' },
  group: { type: 'string', value: '<group>', description: 'the consumer group that reads and commits (required)' },
  ...brokerFlags,
  ...securityFlags,
  offset: { type: 'string', value: '<earliest|latest>', description: 'where a partition without a committed offset starts (default earliest)' },
  until: { type: 'string', value: '<latest|ISO-time>', description: 'stop at the end offsets as of the start, or at this time (default: copy forever)' },
  map: { type: 'string', value: '<module.js>', description: 'a module whose default export maps each message to a message, an array of them, or null to drop it' },
  balancer: { type: 'string', value: `<${BALANCER_NAMES.join('|')}>`, description: 'partition choice (default murmur2, as the Java client)' },
  compression: { type: 'string', value: `<${compressionNames.join('|')}>`, description: 'batch compression (default none)' },
  acks: { type: 'string', value: '<all|leader|none>', description: 'acknowledgement the broker gives (default all)' },
  ...deliveryTimeoutFlags,
  'transactional-id': {
    type: 'string',
    value: '<id>',
    description:
      'exactly once: copy in transactions that also commit the source offsets, so a read_committed reader of the target sees each source message once, also after a crash and restart; the same id on every run, one process per group (needs --acks all)',
  },
  'transaction-interval': {
    type: 'string',
    value: '<ms>',
    description: 'with --transactional-id: the longest a transaction stays open before it commits (default 100); longer copies faster, and readers see copies later',
  },
  quiet: { type: 'boolean', description: 'no summary, and no progress line (shown only when stderr is a terminal), on stderr' },
  ...commonFlags,
} as const satisfies FlagSchema

export interface CopyOptions {
  from: string
  to: string
  groupId: string
  brokers: string[]
  security: Security
  fromBeginning: boolean
  until: 'latest' | Date | undefined
  map: string | undefined
  balancer: BalancerName
  compression: CompressionName
  acks: 'all' | 'leader' | 'none'
  /** `--transactional-id`: the reader's and the writer's transactionalId (exactly once), or none (at least once). */
  transactionalId: string | undefined
  /** The writer's deliveryTimeout and transactionInterval, when given. */
  writer: { deliveryTimeout?: number; transactionInterval?: number }
  quiet: boolean
  debug: boolean
}

const COMMAND = 'copy'

/** The copy command's options from its arguments; every mistake is a UsageError naming the flag. */
export function copyOptions(argv: string[], env: NodeJS.ProcessEnv): CopyOptions {
  const { flags } = parseFlags(COMMAND, copyFlags, argv)
  const from = required(COMMAND, 'from-topic', flags['from-topic'])
  const to = required(COMMAND, 'to-topic', flags['to-topic'])
  if (from === to) throw new UsageError(`${COMMAND}: --from-topic and --to-topic are both ${JSON.stringify(from)}: a copy into its own source never ends`)
  let until: 'latest' | Date | undefined
  if (flags.until !== undefined) {
    until = flags.until === 'latest' ? 'latest' : isoTime(flags.until)
    if (until === undefined) throw new UsageError(`${COMMAND}: --until must be latest or an ISO 8601 time, not ${JSON.stringify(flags.until)}`)
  }
  const acks = choice(COMMAND, 'acks', flags.acks, ['all', 'leader', 'none'] as const, 'all')
  const transactionalId = flags['transactional-id']
  if (transactionalId === '') throw new UsageError(`${COMMAND}: --transactional-id needs a name, e.g. --transactional-id ${JSON.stringify(`${from}-to-${to}`)}`)
  const transactionInterval = wholeNumber(COMMAND, 'transaction-interval', flags['transaction-interval'], 1, INT32_MAX)
  if (transactionalId === undefined && transactionInterval !== undefined) {
    throw new UsageError(`${COMMAND}: --transaction-interval only applies with --transactional-id: give both, or drop --transaction-interval`)
  }
  if (transactionalId !== undefined && acks !== 'all') {
    throw new UsageError(
      `${COMMAND}: --transactional-id needs --acks all (the default), not ${JSON.stringify(acks)}: transactions use the idempotent producer, which needs every in-sync replica's acknowledgement`,
    )
  }
  return {
    from,
    to,
    groupId: required(COMMAND, 'group', flags.group),
    brokers: brokersFrom(COMMAND, flags.brokers, env),
    security: securityFrom(COMMAND, flags, env),
    fromBeginning: choice(COMMAND, 'offset', flags.offset, ['earliest', 'latest'] as const, 'earliest') === 'earliest',
    until,
    map: flags.map,
    balancer: choice(COMMAND, 'balancer', flags.balancer, BALANCER_NAMES, 'murmur2'),
    compression: choice(COMMAND, 'compression', flags.compression, compressionNames, 'none'),
    acks,
    transactionalId,
    writer: { ...deliveryTimeoutFrom(COMMAND, flags['delivery-timeout']), ...(transactionInterval === undefined ? {} : { transactionInterval }) },
    quiet: flags.quiet === true,
    debug: flags.debug === true,
  }
}
