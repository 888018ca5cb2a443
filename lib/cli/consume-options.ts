import type { StartOffset } from '../readable'
import { choice, commonFlags, parseFlags, required, wholeNumber, type FlagSchema } from './args'
import { brokerFlags, brokersFrom } from './brokers'
import { securityFlags, securityFrom, type Security } from './security'
import { UsageError } from './exit-codes'
import { ENCODINGS, type Encoding } from './output'
import { INT32_MAX } from '../options/fields'

export const consumeFlags = {
  topic: { type: 'string', value: '<topic>', description: 'the topic to read (required)' },
  ...brokerFlags,
  ...securityFlags,
  group: { type: 'string', value: '<group>', description: 'read as this consumer group, committing what was written to stdout' },
  partition: { type: 'string', value: '<n>', description: 'without --group: the partition to read (default 0)' },
  offset: {
    type: 'string',
    value: '<earliest|latest|n|ISO-time>',
    description: 'where to start (default earliest); with --group, where a partition without a committed offset starts (earliest|latest)',
  },
  until: { type: 'string', value: '<latest|ISO-time>', description: 'stop at the end as of the start, or at the first message at or after this time' },
  max: { type: 'string', value: '<n>', description: 'stop after writing n messages' },
  'value-only': { type: 'boolean', description: 'write only each value, one per line' },
  encoding: {
    type: 'string',
    value: '<utf8|base64>',
    description: 'bytes that are not JSON (default utf8: as text, bytes that are not UTF-8 lost); base64: keys, headers and non-JSON values as base64, marked "valueEncoding":"base64"',
  },
  quiet: { type: 'boolean', description: 'no progress line on stderr (shown only when stderr is a terminal)' },
  ...commonFlags,
} as const satisfies FlagSchema

export type ConsumeMode = { kind: 'group'; groupId: string; fromBeginning: boolean } | { kind: 'partition'; partition: number; offset: StartOffset }

export interface ConsumeOptions {
  topic: string
  brokers: string[]
  security: Security
  mode: ConsumeMode
  until: 'latest' | Date | undefined
  max: number | undefined
  valueOnly: boolean
  encoding: Encoding
  quiet: boolean
  debug: boolean
}

const COMMAND = 'consume'

/** The consume command's options from its arguments; every mistake is a UsageError naming the flag. */
export function consumeOptions(argv: string[], env: NodeJS.ProcessEnv): ConsumeOptions {
  const { flags } = parseFlags(COMMAND, consumeFlags, argv)
  const topic = required(COMMAND, 'topic', flags.topic)
  let mode: ConsumeMode
  if (flags.group !== undefined) {
    if (flags.partition !== undefined) throw new UsageError(`${COMMAND}: --partition reads one partition without a group; --group gets partitions assigned`)
    const offset = flags.offset ?? 'earliest'
    if (offset !== 'earliest' && offset !== 'latest') {
      throw new UsageError(`${COMMAND}: with --group, --offset must be earliest or latest (where a partition without a committed offset starts), not ${JSON.stringify(offset)}`)
    }
    mode = { kind: 'group', groupId: required(COMMAND, 'group', flags.group), fromBeginning: offset === 'earliest' }
  } else {
    mode = { kind: 'partition', partition: wholeNumber(COMMAND, 'partition', flags.partition, 0, INT32_MAX) ?? 0, offset: startOffset(flags.offset) }
  }
  return {
    topic,
    brokers: brokersFrom(COMMAND, flags.brokers, env),
    security: securityFrom(COMMAND, flags, env),
    mode,
    until: until(flags.until),
    max: wholeNumber(COMMAND, 'max', flags.max, 1),
    valueOnly: flags['value-only'] === true,
    encoding: choice(COMMAND, 'encoding', flags.encoding, ENCODINGS, 'utf8'),
    quiet: flags.quiet === true,
    debug: flags.debug === true,
  }
}

function startOffset(value: string | undefined): StartOffset {
  if (value === undefined || value === 'earliest' || value === 'latest') return value ?? 'earliest'
  if (/^\d+$/.test(value)) return value
  const time = isoTime(value)
  if (time === undefined) throw new UsageError(`${COMMAND}: --offset must be earliest, latest, an offset or an ISO 8601 time, not ${JSON.stringify(value)}`)
  return time
}

function until(value: string | undefined): 'latest' | Date | undefined {
  if (value === undefined || value === 'latest') return value
  const time = isoTime(value)
  if (time === undefined) throw new UsageError(`${COMMAND}: --until must be latest or an ISO 8601 time, not ${JSON.stringify(value)}`)
  return time
}

/** An ISO 8601 date or date-time (`2024-05-01`, `2024-05-01T12:00:00Z`). */
export function isoTime(value: string): Date | undefined {
  if (!/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(value)) return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}
